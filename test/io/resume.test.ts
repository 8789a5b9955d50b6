import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { loadModel, saveModel } from '../../src/io';
import type { Sequential } from '../../src/models/sequential';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../../src/optimizers';
import { ExponentialDecay, PiecewiseConstantDecay } from '../../src/optimizers/schedules';
import { setRandomSeed } from '../../src/random';
import { X, Y_SPARSE, everyLayerModel, weightValues } from './helpers';

// float32 on the CPU: the stored weights are exactly the live ones, and the CPU is deterministic,
// so a resumed run must match the uninterrupted one bit for bit.
const FIT = { batchSize: 4, shuffle: false, verbose: 0, seed: 5 } as const;

let dir: string;
beforeAll(async () => {
  await setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'webgpu-keras-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A compiled model with the same initial weights every time. */
function freshModel(optimizer: () => Optimizer): Sequential {
  setRandomSeed(42);
  const model = everyLayerModel();
  model.compile({ optimizer: optimizer(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

const OPTIMIZERS: [string, () => Optimizer][] = [
  ['Adam', () => new Adam({ learningRate: 0.01 })],
  ['AdamW with clipnorm and AMSGrad', () => new AdamW({ learningRate: 0.01, clipnorm: 1, amsgrad: true })],
  ['RMSprop, centered with momentum', () => new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ['Adagrad', () => new Adagrad({ learningRate: 0.05 })],
  ['SGD', () => new SGD({ learningRate: 0.1 })],
  ['Adam with an ExponentialDecay schedule', () => new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.02, decaySteps: 3, decayRate: 0.5 }) })],
  ['RMSprop with a PiecewiseConstantDecay schedule', () => new RMSprop({ learningRate: new PiecewiseConstantDecay([4, 9], [0.01, 0.005, 0.001]) })],
  ['SGD with Nesterov momentum', () => new SGD({ learningRate: 0.03, momentum: 0.9, nesterov: true })],
];

describe('resuming training from a saved model', () => {
  it.each(OPTIMIZERS)('fit 2 epochs + save + load + fit 2 more equals 4 epochs (%s)', async (_, optimizer) => {
    const straight = freshModel(optimizer);
    const full = await straight.fit(X, Y_SPARSE, { ...FIT, epochs: 4 });

    const first = freshModel(optimizer);
    await first.fit(X, Y_SPARSE, { ...FIT, epochs: 2 });
    const target = join(dir, `resume-${first.name}`);
    await saveModel(first, target, { includeOptimizer: true });
    first.dispose();
    const resumed = await loadModel(target);
    expect(resumed.optimizer.iterations).toBe(8);
    const rest = await resumed.fit(X, Y_SPARSE, { ...FIT, epochs: 4, initialEpoch: 2 });

    expect(rest.epoch).toEqual([2, 3]);
    expect(rest.history.loss).toEqual(full.history.loss.slice(2));
    expect(rest.history.accuracy).toEqual(full.history.accuracy.slice(2));
    expect(await weightValues(resumed)).toEqual(await weightValues(straight));
    expect(resumed.optimizer.iterations).toBe(straight.optimizer.iterations);
  });

  it('restores the optimizer class, hyper-parameters, loss and metrics', async () => {
    const model = freshModel(() => new AdamW({ learningRate: 0.02, beta1: 0.8, clipnorm: 2, weightDecay: 0.01 }));
    await model.fit(X, Y_SPARSE, { ...FIT, epochs: 1 });
    const { artifacts } = await saveModel(model, undefined, { includeOptimizer: true });
    const back = await loadModel(artifacts);
    expect(back.optimizer).toBeInstanceOf(AdamW);
    expect(back.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
    expect(back.loss.getConfig()).toEqual(model.loss.getConfig());
    expect(back.requireCompiledOrNull()?.metricIdentifiers).toEqual(['accuracy']);
    const slots = async (m: Sequential) => Promise.all(m.optimizer.slotTensors.flat().map(async (t) => Array.from(await t.data())));
    expect(await slots(back)).toEqual(await slots(model));
  });

  it('refuses to save a custom learning-rate schedule, which is code', async () => {
    const model = freshModel(() => new Adam({ learningRate: { call: (step: number) => 0.01 / (1 + step) } }));
    await expect(saveModel(model, undefined, { includeOptimizer: true })).rejects.toThrow(/custom learning-rate schedule/);
    await expect(saveModel(model)).resolves.toBeTruthy();
  });

  it('loads without the training state when compile is false', async () => {
    const model = freshModel(() => new Adam());
    await model.fit(X, Y_SPARSE, { ...FIT, epochs: 1 });
    const { artifacts } = await saveModel(model, undefined, { includeOptimizer: true });
    const back = await loadModel(artifacts, { compile: false });
    expect(back.requireCompiledOrNull()).toBeNull();
  });
});

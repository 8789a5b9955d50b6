/**
 * Saving and loading are backend-agnostic: a model trained on WebGPU saves, loads on the CPU with the
 * same predictions, and resumes on WebGPU exactly where an uninterrupted run would be.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { loadModel, saveModel } from '../../src/io';
import type { Sequential } from '../../src/models/sequential';
import { Adam } from '../../src/optimizers';
import { setRandomSeed } from '../../src/random';
import { describeGpu } from '../setup/webgpu-env';
import { X, Y_SPARSE, everyLayerModel, expectClose, predictFlat, weightValues } from './helpers';

const FIT = { batchSize: 4, shuffle: false, verbose: 0, seed: 5 } as const;

function freshModel(): Sequential {
  setRandomSeed(42);
  const model = everyLayerModel();
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

describeGpu('saving models trained on WebGPU', (ctx) => {
  beforeAll(async () => {
    await setBackend('webgpu', { device: ctx.device });
  });
  afterAll(async () => {
    await setBackend('cpu');
  });

  it('loads on the CPU with the same predictions (1e-5)', async () => {
    const model = freshModel();
    await model.fit(X, Y_SPARSE, { ...FIT, epochs: 2 });
    const expected = await predictFlat(model);
    const { artifacts } = await saveModel(model, undefined, { includeOptimizer: true });
    await setBackend('cpu');
    try {
      const onCpu = await loadModel(artifacts);
      expect(onCpu.optimizer.iterations).toBe(8);
      expectClose(await predictFlat(onCpu), expected, 1e-5);
    } finally {
      await setBackend('webgpu', { device: ctx.device });
    }
  });

  it('resumes on WebGPU: 2 epochs + save + load + 2 more equals 4 epochs', async () => {
    const straight = freshModel();
    await straight.fit(X, Y_SPARSE, { ...FIT, epochs: 4 });
    const first = freshModel();
    await first.fit(X, Y_SPARSE, { ...FIT, epochs: 2 });
    const { artifacts } = await saveModel(first, undefined, { includeOptimizer: true });
    const resumed = await loadModel(artifacts);
    await resumed.fit(X, Y_SPARSE, { ...FIT, epochs: 4, initialEpoch: 2 });
    const [a, b] = [await weightValues(resumed), await weightValues(straight)];
    a.forEach((w, i) => expectClose(w, b[i], 0));
  });
});

import { describe, expect, it } from 'vitest';
import * as keras from '../../src';
import {
  ConstantLR, CosineAnnealingLR, EpochScheduler, ExponentialLR, LambdaCallback, LearningRateScheduler, LinearLR,
  MultiStepLR, MultiplicativeLR, PolynomialLR, ReduceLROnPlateau, StepLR,
} from '../../src/callbacks';
import { drive, tinyModel, weightValues, X, Y } from './fixtures';

const EPOCHS = 60;
const BASE = 0.2;

/** The `learning_rate` logged at each of `epochs` epochs, driving the hooks as fit does. */
async function logged(scheduler: EpochScheduler, epochs = EPOCHS, lr = BASE): Promise<number[]> {
  const logs = await drive(scheduler, await tinyModel(lr), Array.from({ length: epochs }, () => ({ loss: 1 })));
  return logs.map((l) => l.learning_rate);
}

/**
 * PyTorch's chainable (recursive) update, written from its documented `get_lr`: `next(lr, e)` gives the
 * rate of epoch e ≥ 1 from the rate of epoch e − 1; `first` is the rate of epoch 0.
 */
function recursive(first: number, next: (lr: number, epoch: number) => number, epochs = EPOCHS): number[] {
  const out = [first];
  for (let e = 1; e < epochs; e++) out.push(next(out[e - 1], e));
  return out;
}

/** Relative tolerance 1e-12 (the recursive form accumulates rounding), absolute 1e-15 near 0. */
function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > 1e-15 + 1e-12 * Math.abs(expected[i])) expect.fail(`epoch ${i}: ${a} vs ${expected[i]}`);
  });
}

const mod = (a: number, m: number) => ((a % m) + m) % m; // Python's %

describe('PyTorch epoch schedulers match PyTorch’s recursive updates', () => {
  it('MultiplicativeLR', async () => {
    const lambda = (e: number) => 0.9 + 0.05 * Math.sin(e);
    expectClose(await logged(new MultiplicativeLR(lambda)), recursive(BASE, (lr, e) => lr * lambda(e)));
  });

  it.each([1, 3, 7])('StepLR with stepSize %i', async (stepSize) => {
    const expected = recursive(BASE, (lr, e) => (e % stepSize === 0 ? lr * 0.5 : lr));
    expectClose(await logged(new StepLR(stepSize, { gamma: 0.5 })), expected);
  });

  it('StepLR defaults gamma to 0.1', async () => {
    expectClose((await logged(new StepLR(2), 5)), [BASE, BASE, BASE * 0.1, BASE * 0.1, BASE * 0.01]);
  });

  it('MultiStepLR, unsorted milestones with a repeat and one at epoch 0', async () => {
    const milestones = [30, 0, 10, 10];
    const count = (e: number) => milestones.filter((m) => m === e).length;
    const expected = recursive(BASE * 0.5 ** count(0), (lr, e) => lr * 0.5 ** count(e));
    expectClose(await logged(new MultiStepLR(milestones, { gamma: 0.5 })), expected);
  });

  it.each([
    [0.5, 1], [1 / 3, 5], [0.25, 40], [0, 3],
  ])('ConstantLR with factor %d and totalIters %i', async (factor, totalIters) => {
    const expected = recursive(BASE * factor, (lr, e) => (e === totalIters ? (factor === 0 ? BASE : lr / factor) : lr));
    expectClose(await logged(new ConstantLR({ factor, totalIters })), expected);
  });

  it.each([
    [1 / 3, 1, 5], [0.05, 1, 40], [1, 0.1, 10], [0.5, 0, 7], [0.2, 0.6, 1],
  ])('LinearLR from %d to %d over %i epochs, then flat', async (startFactor, endFactor, totalIters) => {
    const expected = recursive(BASE * startFactor, (lr, e) =>
      e > totalIters ? lr : lr * (1 + (endFactor - startFactor) / (totalIters * startFactor + (e - 1) * (endFactor - startFactor))),
    );
    expectClose(await logged(new LinearLR({ startFactor, endFactor, totalIters })), expected);
  });

  it('ExponentialLR', async () => {
    expectClose(await logged(new ExponentialLR(0.93)), recursive(BASE, (lr) => lr * 0.93));
  });

  it.each([
    [5, 1], [20, 2], [13, 0.5], [1, 3],
  ])('PolynomialLR over %i epochs with power %d, 0 afterwards', async (totalIters, power) => {
    const expected = recursive(BASE, (lr, e) => (e > totalIters ? lr : lr * ((1 - e / totalIters) / (1 - (e - 1) / totalIters)) ** power));
    const actual = await logged(new PolynomialLR({ totalIters, power }));
    expectClose(actual, expected);
    expect(actual.slice(totalIters)).toEqual(Array(EPOCHS - totalIters).fill(0));
  });

  it.each([
    [10, 0], [7, 0.01], [25, 0.05], [1, 0],
  ])('CosineAnnealingLR with tMax %i and etaMin %d, including the climb back after tMax', async (tMax, etaMin) => {
    const expected = recursive(BASE, (lr, e) =>
      mod(e - 1 - tMax, 2 * tMax) === 0
        ? lr + ((BASE - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2
        : ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (lr - etaMin) + etaMin,
    );
    const actual = await logged(new CosineAnnealingLR(tMax, { etaMin }));
    expectClose(actual, expected);
    expect(actual[tMax]).toBeCloseTo(etaMin, 15);
  });
});

describe('Epoch schedulers in training', () => {
  it('train each epoch at the scheduled rate, epoch 0 included', async () => {
    // Run A: ConstantLR inside fit. Run B: the same start, one fit per epoch with the rate set by hand.
    const a = await tinyModel(0.1);
    const b = await tinyModel(0.1);
    const start = a.getWeights();
    await b.setWeights(start);
    for (const t of start) t.dispose();
    await a.fit(X, Y, { epochs: 5, batchSize: 4, shuffle: false, verbose: 0, callbacks: [new ConstantLR({ factor: 0.5, totalIters: 2 })] });
    const rates = [0.05, 0.05, 0.1, 0.1, 0.1];
    for (let e = 0; e < 5; e++) {
      b.optimizer.learningRate = rates[e];
      await b.fit(X, Y, { epochs: e + 1, initialEpoch: e, batchSize: 4, shuffle: false, verbose: 0 });
    }
    expect(await weightValues(a)).toEqual(await weightValues(b));
  });

  it('continue the same curve when a run resumes with initialEpoch, and start again for a new optimizer', async () => {
    const model = await tinyModel(0.1);
    const scheduler = new ExponentialLR(0.5);
    const seen: number[] = [];
    const record = new LambdaCallback({ onEpochEnd: (_e, logs) => void seen.push(logs!.learning_rate) });
    await model.fit(X, Y, { epochs: 2, verbose: 0, callbacks: [scheduler, record] });
    await model.fit(X, Y, { epochs: 4, initialEpoch: 2, verbose: 0, callbacks: [scheduler, record] });
    expect(seen).toEqual([0.1, 0.05, 0.025, 0.0125]);
    model.compile({ optimizer: new keras.optimizers.SGD({ learningRate: 0.3 }), loss: 'mse' });
    await model.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [scheduler, record] });
    expect(seen.at(-1)).toBe(0.3);
  });

  it('start from the value an optimizer schedule has when training begins', async () => {
    const model = await tinyModel();
    const decay = new keras.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.4, decaySteps: 1, decayRate: 0.5 });
    model.compile({ optimizer: new keras.optimizers.SGD({ learningRate: decay }), loss: 'mse' });
    await model.fit(X, Y, { epochs: 2, batchSize: 16, verbose: 0 }); // 2 steps: the schedule is at 0.1
    const scheduler = new StepLR(10);
    await model.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [scheduler] });
    expect(scheduler.baseLr).toBeCloseTo(0.1, 15);
    expect(model.optimizer.learningRateSchedule).toBeCloseTo(0.1, 15);
  });

  it('reject invalid arguments with the standard message', () => {
    expect(() => new StepLR(0)).toThrow(/^Invalid stepSize for StepLR: expected a positive integer\. Received: stepSize=0\.$/);
    expect(() => new ConstantLR({ factor: 1.5 })).toThrow(/^Invalid factor for ConstantLR: expected a number in \[0, 1\]/);
    expect(() => new LinearLR({ startFactor: 0 })).toThrow(/^Invalid startFactor for LinearLR: expected a number in \(0, 1\]/);
    expect(() => new MultiStepLR([1, -2])).toThrow(/Invalid milestones for MultiStepLR/);
    expect(() => new CosineAnnealingLR(10, { etaMin: -1 })).toThrow(/Invalid etaMin for CosineAnnealingLR/);
    expect(() => new PolynomialLR({ totalIters: 0 })).toThrow(/Invalid totalIters for PolynomialLR/);
  });
});

describe('LearningRateScheduler', () => {
  it("reproduces Keras's documented example: 0.01 for ten epochs, then × e^−0.1 per epoch", async () => {
    const model = await tinyModel(0.01);
    await model.fit(X, Y, { epochs: 15, verbose: 0, callbacks: [new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))] });
    expect(model.optimizer.learningRate).toBeCloseTo(0.01 * Math.exp(-0.5), 12);
    expect(Math.round(model.optimizer.learningRate * 1e5) / 1e5).toBe(0.00607);
  });

  it('receives the epoch and the current rate, including changes made by other callbacks', async () => {
    const calls: [number, number][] = [];
    const scheduler = new LearningRateScheduler((epoch, lr) => (calls.push([epoch, lr]), lr));
    const plateau = new ReduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.5, minDelta: 1e9 });
    await (await tinyModel(0.08)).fit(X, Y, { epochs: 3, verbose: 0, callbacks: [scheduler, plateau] });
    expect(calls).toEqual([[0, 0.08], [1, 0.08], [2, 0.04]]);
  });

  it('rejects a schedule that returns something other than a finite non-negative number', async () => {
    const model = await tinyModel();
    const bad = new LearningRateScheduler(() => Number.NaN);
    await expect(model.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [bad] })).rejects.toThrow(/^Invalid learning rate for LearningRateScheduler: expected a finite non-negative number from the schedule\. Received: lr=NaN at epoch 0\.$/);
  });
});

/**
 * Losses on the CPU backend in float64: values against Keras 3's formulas written out here, and gradients
 * against central finite differences of the batch-mean loss.
 *
 * Tolerances: values 1e-12 relative (library and test may order float64 operations differently);
 * gradients 1e-7 absolute + 1e-7 relative against differences with h = 1e-6, whose own error is about
 * 1e-10 (rounding ≈ 1e-16·|L|/h, truncation ≈ h²·|L'''|). Finite-difference points stay away from the
 * kinks (MAE at 0, Huber at ±delta) and from the clipping thresholds.
 */
import { describe, expect, it } from 'vitest';
import type { LossOptions } from '../../src/losses';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend';
import { UnknownIdentifierError, ValueError } from '../../src/errors';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  Huber,
  Loss,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
  getLoss,
} from '../../src/losses';
import type { Tensor } from '../../src/tensor/tensor';

const backend = new CpuBackend();
const VALUE_TOL = 1e-12;
const H = 1e-6;
const GRAD_TOL = 1e-7;

function matrix(rows: number[][]): Tensor {
  return backend.upload(rows.flat(), [rows.length, rows[0].length], 'float64');
}

interface Evaluated {
  sum: number;
  count: number;
  grad: number[];
}

/** One `backend.loss` call on a fresh accumulator; returns `[sum, count]` and the gradient. */
async function evaluate(loss: Loss, yPred: number[][], yTrue: number[][]): Promise<Evaluated> {
  const pred = matrix(yPred);
  const truth = matrix(yTrue);
  const accumulator = backend.alloc([2], 'float64');
  const grad = backend.alloc(pred.shape, 'float64');
  backend.loss(loss.program(), pred, truth, accumulator, grad);
  const [sum, count] = await accumulator.data();
  const result = { sum, count, grad: Array.from(await grad.data()) };
  for (const t of [pred, truth, accumulator, grad]) t.dispose();
  return result;
}

function expectClose(actual: number, expected: number, tol = VALUE_TOL): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected)));
}

/** Expect the loss summed over samples to be `perSample` added up, with the count equal to the rows. */
async function expectPerSample(loss: Loss, yPred: number[][], yTrue: number[][], perSample: number[]): Promise<void> {
  const { sum, count } = await evaluate(loss, yPred, yTrue);
  expect(count).toBe(yPred.length);
  expectClose(sum, perSample.reduce((a, b) => a + b, 0));
}

const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const logSumExp = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};
const withOptions = (kind: Loss['kind'], options: Partial<LossOptions>): Loss => new Loss(kind, kind, options);

describe('loss values', () => {
  it('mean squared error averages the squared errors over the columns of each sample', async () => {
    await expectPerSample(new MeanSquaredError(), [[1, 2, 0.5], [3, 5, -1]], [[0, 2, 1], [4, 3, -1]], [
      (1 + 0 + 0.25) / 3,
      (1 + 4 + 0) / 3,
    ]);
  });

  it('mean absolute error averages the absolute errors over the columns of each sample', async () => {
    await expectPerSample(new MeanAbsoluteError(), [[1, 2, 0.5], [3, 5, -1]], [[0, 2, 1], [4, 3, -1]], [
      (1 + 0 + 0.5) / 3,
      (1 + 2 + 0) / 3,
    ]);
  });

  it('Huber is half the squared error where the error is within delta', async () => {
    // delta 1.5; errors 0.5 and −1.2
    await expectPerSample(new Huber({ delta: 1.5 }), [[1.5, -0.2]], [[1, 1]], [(0.5 * 0.25 + 0.5 * 1.44) / 2]);
  });

  it('Huber is delta·(|e| − delta/2) where the error exceeds delta', async () => {
    // delta 1.5; errors 3 and −2: 1.5·(3 − 0.75), 1.5·(2 − 0.75)
    await expectPerSample(new Huber({ delta: 1.5 }), [[4, -1]], [[1, 1]], [(1.5 * 2.25 + 1.5 * 1.25) / 2]);
  });

  it('binary cross-entropy of probabilities is −t·log p − (1 − t)·log(1 − p), averaged over columns', async () => {
    await expectPerSample(new BinaryCrossentropy(), [[0.8, 0.3], [0.4, 0.6]], [[1, 0], [0.25, 1]], [
      -(Math.log(0.8) + Math.log(0.7)) / 2,
      -(0.25 * Math.log(0.4) + 0.75 * Math.log(0.6) + Math.log(0.6)) / 2,
    ]);
  });

  it('binary cross-entropy from logits is softplus(x) − t·x', async () => {
    await expectPerSample(new BinaryCrossentropy({ fromLogits: true }), [[2, -1], [0.5, -3]], [[1, 0], [0.25, 1]], [
      (softplus(2) - 2 + softplus(-1)) / 2,
      (softplus(0.5) - 0.25 * 0.5 + softplus(-3) + 3) / 2,
    ]);
  });

  it('binary cross-entropy from huge logits stays finite and exact', async () => {
    // softplus(800) − 0 = 800; softplus(−800) + 800·1 = 800 (to double precision)
    await expectPerSample(new BinaryCrossentropy({ fromLogits: true }), [[800, -800]], [[0, 1]], [800]);
  });

  it('binary cross-entropy smooths labels toward 0.5: t·(1 − s) + s/2', async () => {
    // s = 0.2: targets 1 → 0.9 and 0 → 0.1
    await expectPerSample(new BinaryCrossentropy({ labelSmoothing: 0.2 }), [[0.8, 0.3]], [[1, 0]], [
      -(0.9 * Math.log(0.8) + 0.1 * Math.log(0.2) + 0.1 * Math.log(0.3) + 0.9 * Math.log(0.7)) / 2,
    ]);
  });

  it('binary cross-entropy from logits applies label smoothing too', async () => {
    // s = 0.2: target 1 → 0.9
    const loss = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 });
    await expectPerSample(loss, [[2]], [[1]], [softplus(2) - 0.9 * 2]);
  });

  it('binary cross-entropy clips probabilities to [epsilon, 1 − epsilon]', async () => {
    // p = 0 with t = 1 costs −log(epsilon); p = 1 with t = 0 costs −log(1 − (1 − epsilon)), which is
    // −log(epsilon) up to the rounding of 1 − epsilon (Keras computes it the same way)
    await expectPerSample(new BinaryCrossentropy(), [[0, 1]], [[1, 0]], [(-Math.log(1e-7) - Math.log(1 - (1 - 1e-7))) / 2]);
  });

  it('binary cross-entropy clips at a custom epsilon', async () => {
    await expectPerSample(withOptions('binary_crossentropy', { epsilon: 1e-3 }), [[0]], [[1]], [-Math.log(1e-3)]);
  });

  it('categorical cross-entropy of probabilities is −Σ t·log p', async () => {
    await expectPerSample(new CategoricalCrossentropy(), [[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]], [[0, 0, 1], [0.5, 0.5, 0]], [
      -Math.log(0.5),
      -(0.5 * Math.log(0.7) + 0.5 * Math.log(0.2)),
    ]);
  });

  it('categorical cross-entropy normalises each row of probabilities to sum to one', async () => {
    // [1, 1, 2] / 4 = [0.25, 0.25, 0.5]
    await expectPerSample(new CategoricalCrossentropy(), [[1, 1, 2]], [[0, 0, 1]], [-Math.log(0.5)]);
  });

  it('categorical cross-entropy from logits is −Σ t·(x − logsumexp(x))', async () => {
    const x = [1, 2, 3];
    await expectPerSample(new CategoricalCrossentropy({ fromLogits: true }), [x], [[0, 1, 0]], [logSumExp(x) - 2]);
  });

  it('categorical cross-entropy from huge logits stays finite and exact', async () => {
    // logsumexp([1000, 0, −1000]) = 1000 to double precision; target class 1 costs 1000 − 0
    await expectPerSample(new CategoricalCrossentropy({ fromLogits: true }), [[1000, 0, -1000]], [[0, 1, 0]], [1000]);
  });

  it('categorical cross-entropy smooths labels toward uniform: t·(1 − s) + s/classes', async () => {
    // s = 0.3, 3 classes: [0, 0, 1] → [0.1, 0.1, 0.8]
    await expectPerSample(new CategoricalCrossentropy({ labelSmoothing: 0.3 }), [[0.2, 0.3, 0.5]], [[0, 0, 1]], [
      -(0.1 * Math.log(0.2) + 0.1 * Math.log(0.3) + 0.8 * Math.log(0.5)),
    ]);
  });

  it('categorical cross-entropy from logits applies label smoothing too', async () => {
    const x = [1, 2, 3];
    const lse = logSumExp(x);
    // s = 0.3: [0, 1, 0] → [0.1, 0.8, 0.1]
    await expectPerSample(new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.3 }), [x], [[0, 1, 0]], [
      -(0.1 * (1 - lse) + 0.8 * (2 - lse) + 0.1 * (3 - lse)),
    ]);
  });

  it('categorical cross-entropy clips a zero probability of the true class at epsilon', async () => {
    await expectPerSample(new CategoricalCrossentropy(), [[0, 0.4, 0.6]], [[1, 0, 0]], [-Math.log(1e-7)]);
  });

  it('sparse categorical cross-entropy reads class indices', async () => {
    await expectPerSample(new SparseCategoricalCrossentropy(), [[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]], [[2], [0]], [
      -Math.log(0.5),
      -Math.log(0.7),
    ]);
  });

  it('sparse categorical cross-entropy from logits is logsumexp(x) − x[label]', async () => {
    const rows = [[1, 2, 3], [0.5, -1, 0]];
    await expectPerSample(new SparseCategoricalCrossentropy({ fromLogits: true }), rows, [[1], [0]], [
      logSumExp(rows[0]) - 2,
      logSumExp(rows[1]) - 0.5,
    ]);
  });

  it('sparse labels cost the same as their one-hot encoding', async () => {
    const probs = [[0.1, 0.6, 0.3], [0.25, 0.25, 0.5]];
    const sparse = await evaluate(new SparseCategoricalCrossentropy(), probs, [[1], [2]]);
    const dense = await evaluate(new CategoricalCrossentropy(), probs, [[0, 1, 0], [0, 0, 1]]);
    expectClose(sparse.sum, dense.sum);
    sparse.grad.forEach((g, i) => expectClose(g, dense.grad[i]));
  });
});

describe('loss accumulator', () => {
  it('adds each batch to [sum, count] across calls', async () => {
    const loss = new MeanSquaredError();
    const accumulator = backend.alloc([2], 'float64');
    backend.loss(loss.program(), matrix([[1], [2]]), matrix([[0], [0]]), accumulator, null);
    backend.loss(loss.program(), matrix([[3], [-1], [0.5]]), matrix([[1], [1], [0.5]]), accumulator, null);
    // batch 1: 1 + 4; batch 2: 4 + 4 + 0
    const [sum, count] = await accumulator.data();
    expectClose(sum, 13);
    expect(count).toBe(5);
  });
});

describe('loss gradients against central differences of the batch-mean loss', () => {
  /** The batch-mean loss at `yPred`, through the backend. */
  async function meanLoss(loss: Loss, yPred: number[][], yTrue: number[][]): Promise<number> {
    const { sum, count } = await evaluate(loss, yPred, yTrue);
    return sum / count;
  }

  const regression = {
    yPred: [[0.3, -1.2, 2], [0.5, 0.1, -0.7]],
    yTrue: [[0, -1, -0.5], [1, 0.2, 1.3]],
  }; // errors 0.3, −0.2, 2.5, −0.5, −0.1, −2: none near 0 or near ±1
  const binaryProbs = { yPred: [[0.8, 0.3], [0.15, 0.6]], yTrue: [[1, 0], [0.25, 1]] };
  const binaryLogits = { yPred: [[2, -1], [0.5, -3]], yTrue: [[1, 0], [0.25, 1]] };
  // Rows that do not sum to one (1.1 and 0.9), so the normalisation's share of the gradient shows.
  const categoricalProbs = { yPred: [[0.2, 0.5, 0.4], [0.3, 0.1, 0.5]], yTrue: [[0, 1, 0], [0.5, 0.2, 0.3]] };
  // Soft targets summing to 0.8 in the second row exercise the Σt·softmax term.
  const categoricalLogits = { yPred: [[1, 2, 3], [0.5, -1, 0]], yTrue: [[0, 1, 0], [0.5, 0.2, 0.1]] };
  const sparseLabels = [[1], [2]];

  const cases: { name: string; loss: Loss; yPred: number[][]; yTrue: number[][] }[] = [
    { name: 'mean squared error', loss: new MeanSquaredError(), ...regression },
    { name: 'mean absolute error', loss: new MeanAbsoluteError(), ...regression },
    { name: 'Huber (both branches)', loss: new Huber(), ...regression },
    { name: 'binary cross-entropy of probabilities', loss: new BinaryCrossentropy(), ...binaryProbs },
    { name: 'binary cross-entropy with label smoothing', loss: new BinaryCrossentropy({ labelSmoothing: 0.2 }), ...binaryProbs },
    { name: 'binary cross-entropy from logits', loss: new BinaryCrossentropy({ fromLogits: true }), ...binaryLogits },
    {
      name: 'binary cross-entropy from logits with label smoothing',
      loss: new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
      ...binaryLogits,
    },
    { name: 'categorical cross-entropy of probabilities', loss: new CategoricalCrossentropy(), ...categoricalProbs },
    {
      name: 'categorical cross-entropy with label smoothing',
      loss: new CategoricalCrossentropy({ labelSmoothing: 0.3 }),
      ...categoricalProbs,
    },
    {
      name: 'categorical cross-entropy from logits',
      loss: new CategoricalCrossentropy({ fromLogits: true }),
      ...categoricalLogits,
    },
    {
      name: 'categorical cross-entropy from logits with label smoothing',
      loss: new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.3 }),
      ...categoricalLogits,
    },
    {
      name: 'sparse categorical cross-entropy of probabilities',
      loss: new SparseCategoricalCrossentropy(),
      yPred: categoricalProbs.yPred,
      yTrue: sparseLabels,
    },
    {
      name: 'sparse categorical cross-entropy from logits',
      loss: new SparseCategoricalCrossentropy({ fromLogits: true }),
      yPred: categoricalLogits.yPred,
      yTrue: sparseLabels,
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('the gradient of %s matches central differences', async (_, c) => {
    const { loss, yPred, yTrue } = c;
    const { grad } = await evaluate(loss, yPred, yTrue);
    const cols = yPred[0].length;
    for (let i = 0; i < grad.length; i++) {
      const [r, c] = [Math.floor(i / cols), i % cols];
      const shifted = (d: number) => yPred.map((row, rr) => row.map((x, cc) => (rr === r && cc === c ? x + d : x)));
      const fd = ((await meanLoss(loss, shifted(H), yTrue)) - (await meanLoss(loss, shifted(-H), yTrue))) / (2 * H);
      const error = Math.abs(grad[i] - fd);
      expect(error, `element [${r}, ${c}]: ${grad[i]} vs ${fd}`).toBeLessThanOrEqual(GRAD_TOL * (1 + Math.abs(fd)));
    }
  });

  it('the gradient of binary cross-entropy is zero where a probability is clipped', async () => {
    const { grad } = await evaluate(new BinaryCrossentropy(), [[0, 1, 0.5]], [[1, 0, 1]]);
    // the clip is flat outside [epsilon, 1 − epsilon]; the unclipped element gives (p − t)/(p(1 − p))/cols
    expect(grad.slice(0, 2).map(Math.abs)).toEqual([0, 0]);
    expectClose(grad[2], (0.5 - 1) / (0.25 * 3));
  });

  it('the gradient of categorical cross-entropy is zero when the true class is clipped', async () => {
    const { grad } = await evaluate(new CategoricalCrossentropy(), [[0, 0.4, 0.6]], [[1, 0, 0]]);
    expect(grad.map(Math.abs)).toEqual([0, 0, 0]);
  });

  it('the gradient of mean squared error is 2·(p − t)/(rows·cols)', async () => {
    const { grad } = await evaluate(new MeanSquaredError(), [[1, 2], [3, 5]], [[0, 2], [4, 3]]);
    // errors [1, 0, −1, 2] over 2·2 elements
    [0.5, 0, -0.5, 1].forEach((g, i) => expectClose(grad[i], g));
  });
});

describe('loss identifiers and options', () => {
  it.each([
    ['mse', 'mean_squared_error'],
    ['meanSquaredError', 'mean_squared_error'],
    ['mae', 'mean_absolute_error'],
    ['huber_loss', 'huber'],
    ['binaryCrossentropy', 'binary_crossentropy'],
    ['categorical_crossentropy', 'categorical_crossentropy'],
    ['SparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'],
  ])("'%s' resolves to the %s kind", (name, kind) => {
    expect(getLoss(name).kind).toBe(kind);
  });

  it('an unknown loss name throws an UnknownIdentifierError listing the valid names', () => {
    expect(() => getLoss('hinge')).toThrow(UnknownIdentifierError);
    expect(() => getLoss('hinge')).toThrow(/expected one of 'mean_squared_error', 'mse', .*'sparse_categorical_crossentropy'/);
  });

  it('a label smoothing above 1 throws a ValueError in the message template', () => {
    expect(() => new BinaryCrossentropy({ labelSmoothing: 1.5 })).toThrow(ValueError);
    expect(() => new BinaryCrossentropy({ labelSmoothing: 1.5 })).toThrow(
      'Invalid labelSmoothing for binary_crossentropy: expected a number in [0, 1]. Received: labelSmoothing=1.5.',
    );
  });

  it('a Huber delta of 0 throws a ValueError in the message template', () => {
    expect(() => new Huber({ delta: 0 })).toThrow(ValueError);
    expect(() => new Huber({ delta: 0 })).toThrow(
      'Invalid delta for Huber: expected a number in (0, Infinity]. Received: delta=0.',
    );
  });

  it('the cross-entropies default to probabilities, epsilon 1e-7 and no smoothing', () => {
    expect(new CategoricalCrossentropy().options).toEqual({ fromLogits: false, delta: 1, epsilon: 1e-7, labelSmoothing: 0 });
  });
});

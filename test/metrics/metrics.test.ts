/**
 * Metrics on the CPU backend in float64: each metric accumulates two batches through `backend.metric` and
 * `Metric.result` turns the state into the value Keras 3 reports, computed here by hand over all samples
 * of both batches. Counts and accuracies are exact; sums of squares are compared to 1e-12 relative.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend';
import { metricStateSize } from '../../src/expr/functions';
import { UnknownIdentifierError, ValueError } from '../../src/errors';
import {
  BinaryAccuracy,
  CategoricalAccuracy,
  MeanAbsoluteError,
  MeanSquaredError,
  Metric,
  R2Score,
  SparseCategoricalAccuracy,
  getMetric,
} from '../../src/metrics';
import { Dense } from '../../src/layers';
import { Sequential } from '../../src/models/sequential';
import type { Tensor } from '../../src/tensor/tensor';

const backend = new CpuBackend();
const TOL = 1e-12;

function matrix(rows: number[][]): Tensor {
  return backend.upload(rows.flat(), [rows.length, rows[0].length], 'float64');
}

type Batch = { yPred: number[][]; yTrue: number[][] };

/** The metric's accumulator after adding every batch, in order. */
async function accumulate(metric: Metric, batches: Batch[]): Promise<number[]> {
  const cols = batches[0].yPred[0].length;
  const state = backend.alloc([metricStateSize(metric.program(), cols)], 'float64');
  for (const { yPred, yTrue } of batches) {
    const [pred, truth] = [matrix(yPred), matrix(yTrue)];
    backend.metric(metric.program(), pred, truth, state);
    pred.dispose();
    truth.dispose();
  }
  const values = Array.from(await state.data());
  state.dispose();
  return values;
}

async function resultOf(metric: Metric, batches: Batch[]): Promise<number> {
  return metric.result(await accumulate(metric, batches));
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(TOL * (1 + Math.abs(expected)));
}

describe('accuracies over two batches', () => {
  it('binary accuracy averages, per sample, the share of columns whose thresholded prediction equals the label', async () => {
    const state = await accumulate(new BinaryAccuracy(), [
      // sample scores: [1, 0] both right → 1; [0.3 → 0 vs 1, 0.9 → 1 vs 0] → 0
      { yPred: [[0.7, 0.2], [0.3, 0.9]], yTrue: [[1, 0], [1, 0]] },
      // [0.6 → 1 right, 0.4 → 0 vs 1 wrong] → 0.5; [0.51 → 1 right, 0.1 → 0 right] → 1
      { yPred: [[0.6, 0.4], [0.51, 0.1]], yTrue: [[1, 1], [1, 0]] },
    ]);
    expect(state).toEqual([2.5, 4]);
    expect(new BinaryAccuracy().result(state)).toBe(0.625);
  });

  it('binary accuracy counts a prediction equal to the threshold as 0', async () => {
    // 0.5 → 0 matches the label 0; 0.8 → 1 matches the label 1
    const accuracy = await resultOf(new BinaryAccuracy(), [
      { yPred: [[0.5]], yTrue: [[0]] },
      { yPred: [[0.8]], yTrue: [[1]] },
    ]);
    expect(accuracy).toBe(1);
  });

  it('binary accuracy uses a custom threshold', async () => {
    // threshold 0.8: 0.7 → 0 and 0.9 → 1 are both right (with 0.5, 0.7 would be wrong)
    const accuracy = await resultOf(new BinaryAccuracy({ threshold: 0.8 }), [
      { yPred: [[0.7]], yTrue: [[0]] },
      { yPred: [[0.9]], yTrue: [[1]] },
    ]);
    expect(accuracy).toBe(1);
  });

  it('categorical accuracy compares the argmax of prediction and one-hot label', async () => {
    const accuracy = await resultOf(new CategoricalAccuracy(), [
      // argmax 1 vs 1 right; argmax 0 vs 2 wrong
      { yPred: [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]], yTrue: [[0, 1, 0], [0, 0, 1]] },
      // argmax 2 vs 2 right
      { yPred: [[0.2, 0.2, 0.6]], yTrue: [[0, 0, 1]] },
    ]);
    expect(accuracy).toBe(2 / 3);
  });

  it('categorical accuracy breaks ties toward the first maximum', async () => {
    // both predictions tie for the maximum at index 0, the label's class
    const accuracy = await resultOf(new CategoricalAccuracy(), [
      { yPred: [[0.4, 0.4, 0.2]], yTrue: [[1, 0, 0]] },
      { yPred: [[0.3, 0.3, 0.3]], yTrue: [[1, 0, 0]] },
    ]);
    expect(accuracy).toBe(1);
  });

  it('sparse categorical accuracy compares the argmax of the prediction with the class index', async () => {
    const accuracy = await resultOf(new SparseCategoricalAccuracy(), [
      // argmax 1 vs 1 right; argmax 0 vs 2 wrong
      { yPred: [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]], yTrue: [[1], [2]] },
      // argmax 2 vs 2 right; argmax 0 vs 0 right
      { yPred: [[0.2, 0.2, 0.6], [0.9, 0.05, 0.05]], yTrue: [[2], [0]] },
    ]);
    expect(accuracy).toBe(3 / 4);
  });
});

describe('regression metrics over two batches', () => {
  const batches: Batch[] = [
    { yPred: [[1, 2], [3, 5]], yTrue: [[0, 2], [4, 3]] }, // errors [1, 0], [−1, 2]
    { yPred: [[0.5, -1]], yTrue: [[1, 1]] }, // errors [−0.5, −2]
  ];

  it('mean squared error averages the per-sample mean of squared errors', async () => {
    // per sample: (1 + 0)/2, (1 + 4)/2, (0.25 + 4)/2
    expectClose(await resultOf(new MeanSquaredError(), batches), (0.5 + 2.5 + 2.125) / 3);
  });

  it('mean absolute error averages the per-sample mean of absolute errors', async () => {
    // per sample: (1 + 0)/2, (1 + 2)/2, (0.5 + 2)/2
    expectClose(await resultOf(new MeanAbsoluteError(), batches), (0.5 + 1.5 + 1.25) / 3);
  });
});

describe('r2 score', () => {
  /** 1 − Σ(y − ŷ)²/Σ(y − ȳ)² over one column of all samples. */
  function r2(yTrue: number[], yPred: number[]): number {
    const mean = yTrue.reduce((a, b) => a + b, 0) / yTrue.length;
    const residual = yTrue.reduce((s, y, i) => s + (y - yPred[i]) ** 2, 0);
    const total = yTrue.reduce((s, y) => s + (y - mean) ** 2, 0);
    return 1 - residual / total;
  }

  it('is 1 − residual/total sum of squares over every sample of both batches', async () => {
    const score = await resultOf(new R2Score(), [
      { yPred: [[1.1], [1.9], [3.2]], yTrue: [[1], [2], [3]] },
      { yPred: [[3.7], [5.4]], yTrue: [[4], [5]] },
    ]);
    expectClose(score, r2([1, 2, 3, 4, 5], [1.1, 1.9, 3.2, 3.7, 5.4]));
  });

  it('averages the per-column scores uniformly for several columns', async () => {
    const score = await resultOf(new R2Score(), [
      { yPred: [[1.1, 10], [1.9, 14], [3.2, 9]], yTrue: [[1, 12], [2, 15], [3, 7]] },
      { yPred: [[3.7, 20], [5.4, 11]], yTrue: [[4, 18], [5, 10]] },
    ]);
    const first = r2([1, 2, 3, 4, 5], [1.1, 1.9, 3.2, 3.7, 5.4]);
    const second = r2([12, 15, 7, 18, 10], [10, 14, 9, 20, 11]);
    expectClose(score, (first + second) / 2);
  });

  it('keeps a count and, per column, Σy, Σy² and Σ(y − ŷ)²', async () => {
    const state = await accumulate(new R2Score(), [
      { yPred: [[0, 1]], yTrue: [[1, 2]] },
      { yPred: [[3, 3]], yTrue: [[3, 4]] },
    ]);
    // column 0: y = [1, 3], errors [1, 0]; column 1: y = [2, 4], errors [1, 1]
    expect(state).toEqual([2, 4, 10, 1, 6, 20, 2]);
  });

  it('is 0 for a column whose labels are constant, as Keras turns −inf into 0', async () => {
    const score = await resultOf(new R2Score(), [
      { yPred: [[1], [3]], yTrue: [[2], [2]] },
      { yPred: [[2.5]], yTrue: [[2]] },
    ]);
    expect(score).toBe(0);
  });
});

describe('metric state', () => {
  it.each([
    ['binary_accuracy', 3, 2],
    ['categorical_accuracy', 10, 2],
    ['sparse_categorical_accuracy', 10, 2],
    ['mean_squared_error', 4, 2],
    ['mean_absolute_error', 4, 2],
    ['r2_score', 1, 4],
    ['r2_score', 3, 10],
  ] as const)('%s over %i output column(s) keeps %i numbers', (kind, cols, size) => {
    expect(metricStateSize(new Metric(kind, kind).program(), cols)).toBe(size);
  });

  it('the result of an empty accumulator is 0', () => {
    expect(new CategoricalAccuracy().result([0, 0])).toBe(0);
  });
});

describe("resolving 'accuracy' by Keras 3's compile_utils rules (shapes only, whatever the loss)", () => {
  // is_binary = y_pred.shape[-1] == 1; is_sparse = rank(y_true) < rank(y_pred) or (y_true.shape[-1] == 1
  // and y_pred.shape[-1] > 1); binary first, then sparse, else categorical.
  const cases: [string, number[], number[], new () => Metric][] = [
    ['class indices [n] for 10 outputs', [8], [8, 10], SparseCategoricalAccuracy],
    ['one label column [n, 1] for 10 outputs', [8, 1], [8, 10], SparseCategoricalAccuracy],
    ['one-hot targets [n, 10]', [8, 10], [8, 10], CategoricalAccuracy],
    ['multi-label targets [n, 4] (binary cross-entropy)', [8, 4], [8, 4], CategoricalAccuracy],
    ['one output unit with targets [n, 1]', [8, 1], [8, 1], BinaryAccuracy],
    ['one output unit with targets [n]', [8], [8, 1], BinaryAccuracy],
  ];

  it.each(cases.map(([label, ...rest]) => [label, rest[2].name, ...rest] as const))(
    'with %s gives %s',
    (_, __, yTrue, yPred, Expected) => {
      const metric = getMetric('accuracy', yTrue, yPred);
      expect(metric).toBeInstanceOf(Expected);
      expect(metric.name).toBe('accuracy');
    },
  );

  it('in a model: multi-label sigmoid outputs under binary cross-entropy get categorical accuracy', async () => {
    // sigmoid([2, −2, 1]) = [0.88, 0.12, 0.73] against [0, 0, 1]: argmax 0 ≠ 2 (categorical: 0), while
    // thresholding would be right on 2 of 3 columns (binary: 0.667).
    const model = new Sequential([new Dense(3, { inputShape: [1], activation: 'sigmoid', useBias: false })]);
    await model.setWeights([[[2, -2, 1]]]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    expect((await model.evaluate([[1]], [[0, 0, 1]])).accuracy).toBe(0);
    model.dispose();
  });
});

describe('metric identifiers', () => {
  it("'acc' is an alias of 'accuracy' and keeps its own name", () => {
    const metric = getMetric('acc', [8], [8, 10]);
    expect(metric).toBeInstanceOf(SparseCategoricalAccuracy);
    expect(metric.name).toBe('acc');
  });

  it('a camelCase name resolves and is logged in snake_case', () => {
    const metric = getMetric('binaryAccuracy', [8, 3], [8, 3]);
    expect(metric.kind).toBe('binary_accuracy');
    expect(metric.name).toBe('binary_accuracy');
  });

  it("'mse' resolves to mean squared error named 'mse'", () => {
    const metric = getMetric('mse', [8, 1], [8, 1]);
    expect(metric.kind).toBe('mean_squared_error');
    expect(metric.name).toBe('mse');
  });

  it('a Metric instance is passed through unchanged', () => {
    const metric = new R2Score();
    expect(getMetric(metric, [8, 1], [8, 1])).toBe(metric);
  });

  it('an unknown metric name throws an UnknownIdentifierError listing the valid names', () => {
    expect(() => getMetric('auc', [8, 1], [8, 1])).toThrow(UnknownIdentifierError);
    expect(() => getMetric('auc', [8, 1], [8, 1])).toThrow(
      /expected one of 'accuracy', 'acc', 'binary_accuracy', .*'r2_score' .*Received: 'auc'\./,
    );
  });

  it('a binary accuracy threshold above 1 throws a ValueError in the message template', () => {
    expect(() => new BinaryAccuracy({ threshold: 1.5 })).toThrow(ValueError);
    expect(() => new BinaryAccuracy({ threshold: 1.5 })).toThrow(
      'Invalid threshold for BinaryAccuracy: expected a number in [0, 1]. Received: threshold=1.5.',
    );
  });
});

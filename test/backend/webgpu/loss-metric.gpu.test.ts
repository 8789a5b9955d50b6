/**
 * Losses and metrics accumulated on the device, against the CPU backend: every built-in loss
 * (from probabilities and from logits, with and without label smoothing) on its `[sum, count]`
 * accumulator and its gradient, and every built-in metric on its accumulator, over two batches
 * so that accumulation (not overwrite) is checked, on a batch of one row and an odd batch of 37.
 *
 * Tolerances: loss sums and regression metrics 1e-5 relative + 1e-6 absolute (float32 per-row values
 * summed by a 256-wide tree, ~log₂(rows) roundings, against float64 sums rounded once). Gradients 1e-5
 * relative + 1e-6·scale absolute, scale being the 1/rows (or 1/(rows·cols)) the gradient is multiplied
 * by: per element the slope is off by ~1e-7 absolute because the smoothed targets and 1 − ε are
 * rounded to float32, and where the prediction is close to its target that is a large relative error of
 * a small slope (seen: 2.7e-5 relative for binary cross-entropy with smoothing). Accuracies count hits:
 * they must be equal.
 */
import { beforeAll, describe, it } from 'vitest';
import { metricStateSize } from '../../../src/expr/functions';
import { Loss, type LossOptions } from '../../../src/losses';
import { Metric } from '../../../src/metrics';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, expectClose, gpuBackend, seeded, uniform } from './helpers';

const SUM_TOL = { rtol: 1e-5, atol: 1e-6 };
/** Gradient tolerance for a gradient multiplied by `scale`. */
const gradTol = (scale: number) => ({ rtol: 1e-5, atol: 1e-6 * scale });

/** Predictions and targets the way the trainer feeds each loss. */
function batch(kind: string, rows: number, cols: number, fromLogits: boolean, seed: number) {
  const r = seeded(seed);
  let pred = uniform(r, rows * cols, -3, 3);
  let truth: Float32Array;
  const categorical = /categorical/.test(kind);
  const sparse = /sparse/.test(kind);
  // Probabilities include exact 0 and 1 (a zero score), where clipping is active and its gradient is 0.
  if (!fromLogits && categorical) {
    pred = pred.map(Math.exp); // unnormalised positive scores: the loss normalises rows itself
    if (rows > 1) pred[cols] = 0;
  } else if (!fromLogits && /binary/.test(kind)) {
    pred = pred.map((v) => 1 / (1 + Math.exp(-v)));
    if (pred.length > 2) [pred[0], pred[1]] = [0, 1];
  }
  if (sparse) truth = Float32Array.from({ length: rows }, () => Math.floor(r() * cols));
  else if (categorical) {
    truth = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) truth[i * cols + Math.floor(r() * cols)] = 1;
  } else if (/binary/.test(kind)) truth = Float32Array.from({ length: rows * cols }, () => (r() < 0.5 ? 0 : 1));
  else truth = uniform(r, rows * cols, -2, 2);
  return { pred, truth, truthShape: sparse ? [rows, 1] : [rows, cols] };
}

const LOSSES: [string, Partial<LossOptions>][] = [
  ['mean_squared_error', {}],
  ['mean_absolute_error', {}],
  ['huber', { delta: 0.7 }],
  ['binary_crossentropy', {}],
  ['binary_crossentropy', { labelSmoothing: 0.1 }],
  ['binary_crossentropy', { fromLogits: true }],
  ['binary_crossentropy', { fromLogits: true, labelSmoothing: 0.2 }],
  ['categorical_crossentropy', {}],
  ['categorical_crossentropy', { labelSmoothing: 0.1 }],
  ['categorical_crossentropy', { fromLogits: true }],
  ['categorical_crossentropy', { fromLogits: true, labelSmoothing: 0.1 }],
  ['sparse_categorical_crossentropy', {}],
  ['sparse_categorical_crossentropy', { fromLogits: true }],
];

const METRICS: string[] = ['binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'mean_squared_error', 'mean_absolute_error', 'r2_score'];

describeGpu('WebGPU losses and metrics', (ctx) => {
  let twins: Twins;
  beforeAll(async () => {
    twins = new Twins(await gpuBackend(ctx));
  });

  describe('losses', () => {
    for (const [kind, extra] of LOSSES) {
      const options: LossOptions = { fromLogits: false, delta: 1, epsilon: 1e-7, labelSmoothing: 0, ...extra };
      it(`${kind} ${JSON.stringify(extra)}: accumulator and gradient match the CPU`, async () => {
        const [accC, accG] = twins.alloc([2]);
        for (const [rows, cols, seed] of [[1, 5, 1], [37, 7, 2]]) {
          const { pred, truth, truthShape } = batch(kind, rows, cols, options.fromLogits, seed);
          const [pc, pg] = twins.upload(pred, [rows, cols]);
          const [tc, tg] = twins.upload(truth, truthShape);
          const [gc, gg] = twins.alloc([rows, cols]);
          const program = new Loss(kind, kind, options).program();
          twins.cpu.loss(program, pc, tc, accC, gc);
          twins.gpu.loss(program, pg, tg, accG, gg);
          const scale = /categorical/.test(kind) ? 1 / rows : 1 / (rows * cols);
          expectClose(await gg.data(), await gc.data(), gradTol(scale), `gradient [${rows}×${cols}]`);
        }
        expectClose(await accG.data(), await accC.data(), SUM_TOL, 'accumulator [sum, count]');
      });
    }

    it('accumulates without a gradient (evaluation)', async () => {
      const [accC, accG] = twins.alloc([2]);
      const { pred, truth } = batch('mean_squared_error', 9, 3, false, 5);
      const [pc, pg] = twins.upload(pred, [9, 3]);
      const [tc, tg] = twins.upload(truth, [9, 3]);
      const options = { fromLogits: false, delta: 1, epsilon: 1e-7, labelSmoothing: 0 };
      const program = new Loss('mean_squared_error', 'mse', options).program();
      twins.cpu.loss(program, pc, tc, accC, null);
      twins.gpu.loss(program, pg, tg, accG, null);
      expectClose(await accG.data(), await accC.data(), SUM_TOL);
    });
  });

  describe('metrics', () => {
    for (const kind of METRICS) {
      it(`${kind}: the accumulator matches the CPU`, async () => {
        const cols = kind === 'binary_accuracy' || kind === 'r2_score' ? 3 : 6;
        const program = new Metric(kind, kind).program();
        const [accC, accG] = twins.alloc([metricStateSize(program, cols)]);
        for (const [rows, seed] of [[1, 3], [37, 4]]) {
          const { pred, truth, truthShape } = batch(kind, rows, cols, false, seed);
          const [pc, pg] = twins.upload(pred, [rows, cols]);
          const [tc, tg] = twins.upload(truth, truthShape);
          twins.cpu.metric(program, pc, tc, accC);
          twins.gpu.metric(program, pg, tg, accG);
        }
        const exact = /accuracy/.test(kind);
        expectClose(await accG.data(), await accC.data(), exact ? { rtol: 0, atol: 0 } : SUM_TOL);
      });
    }
  });
});

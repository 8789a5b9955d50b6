/**
 * Metrics on the CPU, accumulated over an epoch. Accumulator layouts:
 * - accuracies, mean_squared_error, mean_absolute_error: `[sum of per-sample values, sample count]`;
 * - r2_score: `[count, then for each output column: Σy, Σy², Σ(y − ŷ)²]`.
 */
import type { FloatArray, MetricKind, MetricOptions } from '../backend';

export function metricStateSize(kind: MetricKind, cols: number): number {
  return kind === 'r2_score' ? 1 + 3 * cols : 2;
}

/** Index of the first maximum of a row. */
function argmax(values: FloatArray, base: number, cols: number): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (values[base + c] > values[base + best]) best = c;
  return best;
}

export function metricUpdate(
  kind: MetricKind,
  yPred: FloatArray,
  yTrue: FloatArray,
  rows: number,
  cols: number,
  options: MetricOptions,
  acc: FloatArray,
): void {
  if (kind === 'r2_score') {
    acc[0] += rows;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const t = yTrue[r * cols + c];
        const e = t - yPred[r * cols + c];
        acc[1 + 3 * c] += t;
        acc[2 + 3 * c] += t * t;
        acc[3 + 3 * c] += e * e;
      }
    }
    return;
  }
  let sum = 0;
  // Binary accuracy's threshold in the compute dtype, as Keras casts it to y_pred's dtype.
  const threshold = yPred instanceof Float32Array ? Math.fround(options.threshold) : options.threshold;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    switch (kind) {
      case 'categorical_accuracy':
        sum += argmax(yPred, base, cols) === argmax(yTrue, base, cols) ? 1 : 0;
        break;
      case 'sparse_categorical_accuracy':
        sum += argmax(yPred, base, cols) === yTrue[r] ? 1 : 0;
        break;
      default: {
        let rowSum = 0;
        for (let c = 0; c < cols; c++) {
          const p = yPred[base + c];
          const t = yTrue[base + c];
          if (kind === 'binary_accuracy') rowSum += (p > threshold ? 1 : 0) === t ? 1 : 0;
          else if (kind === 'mean_squared_error') rowSum += (p - t) * (p - t);
          else rowSum += Math.abs(p - t);
        }
        sum += rowSum / cols;
      }
    }
  }
  acc[0] += sum;
  acc[1] += rows;
}

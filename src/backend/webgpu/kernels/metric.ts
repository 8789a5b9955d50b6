/**
 * Metrics accumulated on the device (shaders/metric.wgsl), accumulator layouts as in metric-math.ts:
 * `[sum, count]`, or for r2_score `[count, then Σy, Σy², Σ(y − ŷ)² per column]`. Per-row values are
 * summed by one workgroup (reduce.wgsl): one deterministic add per batch.
 */
import type { MetricKind, MetricOptions } from '../../backend';
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';
import { accumulateSum } from './reduce';

export interface MetricCall {
  kind: MetricKind;
  yPred: GpuBuffer;
  yTrue: GpuBuffer;
  rows: number;
  cols: number;
  options: MetricOptions;
  accumulator: GpuBuffer;
}

export function metric(k: Runner, call: MetricCall): void {
  const { kind, rows, cols } = call;
  if (rows === 0) return;
  const r2 = kind === 'r2_score';
  const rowValues = r2 ? call.accumulator : k.temp(rows * 4);
  k.run({
    source: SHADERS.metric,
    defines: {
      R2: r2,
      BINARY: kind === 'binary_accuracy',
      CATEGORICAL: kind === 'categorical_accuracy',
      SPARSE: kind === 'sparse_categorical_accuracy',
      MSE: kind === 'mean_squared_error',
    },
    bindings: [{ binding: 1, ...call.yPred }, { binding: 2, ...call.yTrue }, { binding: 4, ...rowValues, write: true }],
    format: 'uuf',
    values: [rows, cols, call.options.threshold], // compared in float32, as Keras casts it to y_pred's dtype
    groups: k.grid1d(r2 ? cols : rows),
  });
  if (r2) return;
  accumulateSum(k, rowValues, rows, call.accumulator, 0, rows);
  k.release(rowValues);
}

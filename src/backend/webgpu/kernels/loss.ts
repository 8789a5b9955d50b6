/**
 * Losses on the device (shaders/loss.wgsl): one invocation per row writes the row's loss and gradient,
 * then one workgroup adds the batch's sum and count into the accumulator (reduce.wgsl), so the sum is
 * deterministic and nothing is read back.
 */
import type { LossKind, LossOptions } from '../../backend';
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';
import { accumulateSum } from './reduce';

export interface LossCall {
  kind: LossKind;
  yPred: GpuBuffer;
  yTrue: GpuBuffer;
  rows: number;
  cols: number;
  options: LossOptions;
  accumulator: GpuBuffer;
  grad: GpuBuffer | null;
}

export function loss(k: Runner, call: LossCall): void {
  const { kind, rows, cols, options } = call;
  if (rows === 0) return;
  const crossEntropy = kind === 'categorical_crossentropy' || kind === 'sparse_categorical_crossentropy';
  const rowLoss = k.temp(rows * 4);
  k.run({
    source: SHADERS.loss,
    defines: {
      MSE: kind === 'mean_squared_error',
      MAE: kind === 'mean_absolute_error',
      HUBER: kind === 'huber',
      BINARY: kind === 'binary_crossentropy',
      CROSS_ENTROPY: crossEntropy,
      SPARSE: kind === 'sparse_categorical_crossentropy',
      FROM_LOGITS: options.fromLogits && (crossEntropy || kind === 'binary_crossentropy'),
      HAS_GRAD: call.grad !== null,
    },
    bindings: [
      { binding: 1, ...call.yPred },
      { binding: 2, ...call.yTrue },
      { binding: 4, ...rowLoss, write: true },
      ...(call.grad ? [{ binding: 5, ...call.grad, write: true }] : []),
    ],
    format: 'uuffffff',
    values: [
      rows, cols, options.delta, options.epsilon, options.labelSmoothing, crossEntropy ? 1 / rows : 1 / (rows * cols),
      // Keras's clip bounds in float32 (the uniform rounds to nearest): 1 − 1e-7 becomes 1 − 2⁻²³.
      Math.fround(options.epsilon), Math.fround(1 - options.epsilon),
    ],
    groups: k.grid1d(rows),
  });
  accumulateSum(k, rowLoss, rows, call.accumulator, 0, rows);
  k.release(rowLoss);
}

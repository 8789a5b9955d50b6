/**
 * Batch normalization forward (training/inference) and backward (shaders/batchnorm.wgsl). `training`
 * of the backward pass must match its forward pass (batch or moving statistics).
 */
import type { BatchNormOptions } from '../../backend';
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';

/** The layer's per-feature vectors as buffers. */
export interface BatchNormBuffers {
  gamma: GpuBuffer;
  beta: GpuBuffer;
  movingMean: GpuBuffer;
  movingVariance: GpuBuffer;
  savedMean: GpuBuffer;
  savedInvStd: GpuBuffer;
}

export function batchNormForward(
  k: Runner, x: GpuBuffer, out: GpuBuffer, s: BatchNormBuffers, rows: number, cols: number, options: BatchNormOptions,
): void {
  const training = options.training;
  k.run({
    source: SHADERS.batchnorm,
    defines: { FORWARD: true, TRAINING: training, HAS_DX: false },
    bindings: [
      { binding: 1, ...x },
      { binding: 2, ...s.gamma },
      { binding: 3, ...s.beta },
      { binding: 4, ...out, write: true },
      { binding: 5, ...s.movingMean, write: training },
      { binding: 6, ...s.movingVariance, write: training },
      { binding: 7, ...s.savedMean, write: true },
      { binding: 8, ...s.savedInvStd, write: true },
    ],
    format: 'uuff',
    values: [rows, cols, options.momentum, options.epsilon],
    groups: k.grid1d(cols),
  });
}

export function batchNormBackward(
  k: Runner, dy: GpuBuffer, x: GpuBuffer, s: BatchNormBuffers, dx: GpuBuffer | null, dGamma: GpuBuffer, dBeta: GpuBuffer,
  rows: number, cols: number, training: boolean,
): void {
  k.run({
    source: SHADERS.batchnorm,
    defines: { FORWARD: false, TRAINING: training, HAS_DX: dx !== null },
    bindings: [
      { binding: 1, ...x },
      { binding: 2, ...s.gamma },
      { binding: 3, ...dy },
      ...(dx ? [{ binding: 4, ...dx, write: true }] : []),
      { binding: 5, ...s.savedMean },
      { binding: 6, ...s.savedInvStd },
      { binding: 7, ...dGamma, write: true },
      { binding: 8, ...dBeta, write: true },
    ],
    format: 'uuff',
    values: [rows, cols, 0, 0],
    groups: k.grid1d(cols),
  });
}

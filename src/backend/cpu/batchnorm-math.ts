/**
 * Batch normalization over the batch axis of a `[rows, cols]` matrix, Keras semantics: training uses the
 * batch mean and the biased batch variance, and updates `moving = moving·momentum + batch·(1 − momentum)`;
 * inference uses the moving statistics.
 */
import type { BatchNormOptions, FloatArray } from '../backend';

export interface CpuBatchNormState {
  gamma: FloatArray;
  beta: FloatArray;
  movingMean: FloatArray;
  movingVariance: FloatArray;
  savedMean: FloatArray;
  savedInvStd: FloatArray;
}

export function batchNormForward(
  x: FloatArray,
  out: FloatArray,
  s: CpuBatchNormState,
  rows: number,
  cols: number,
  { training, momentum, epsilon }: BatchNormOptions,
): void {
  for (let c = 0; c < cols; c++) {
    let mean: number;
    let invStd: number;
    if (training) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += x[r * cols + c];
      mean = sum / rows;
      let sq = 0;
      for (let r = 0; r < rows; r++) sq += (x[r * cols + c] - mean) ** 2;
      const variance = sq / rows;
      invStd = 1 / Math.sqrt(variance + epsilon);
      s.savedMean[c] = mean;
      s.savedInvStd[c] = invStd;
      s.movingMean[c] = s.movingMean[c] * momentum + mean * (1 - momentum);
      s.movingVariance[c] = s.movingVariance[c] * momentum + variance * (1 - momentum);
    } else {
      mean = s.movingMean[c];
      invStd = 1 / Math.sqrt(s.movingVariance[c] + epsilon);
      s.savedMean[c] = mean;
      s.savedInvStd[c] = invStd;
    }
    const g = s.gamma[c] * invStd;
    const b = s.beta[c] - mean * g;
    for (let r = 0; r < rows; r++) out[r * cols + c] = x[r * cols + c] * g + b;
  }
}

/**
 * With x̂ = (x − μ)·σ⁻¹: dβ = Σ dy, dγ = Σ dy·x̂, and in training (μ, σ from the batch)
 * dx = γσ⁻¹/N · (N·dy − dβ − x̂·dγ); with moving statistics (constants) dx = γσ⁻¹·dy.
 */
export function batchNormBackward(
  dy: FloatArray,
  x: FloatArray,
  s: CpuBatchNormState,
  dx: FloatArray | null,
  dGamma: FloatArray,
  dBeta: FloatArray,
  rows: number,
  cols: number,
  training: boolean,
): void {
  for (let c = 0; c < cols; c++) {
    const mean = s.savedMean[c];
    const invStd = s.savedInvStd[c];
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let r = 0; r < rows; r++) {
      const g = dy[r * cols + c];
      sumDy += g;
      sumDyXhat += g * (x[r * cols + c] - mean) * invStd;
    }
    dBeta[c] = sumDy;
    dGamma[c] = sumDyXhat;
    if (!dx) continue;
    if (!training) {
      const k = s.gamma[c] * invStd;
      for (let r = 0; r < rows; r++) dx[r * cols + c] = k * dy[r * cols + c];
      continue;
    }
    const k = (s.gamma[c] * invStd) / rows;
    for (let r = 0; r < rows; r++) {
      const i = r * cols + c;
      const xhat = (x[i] - mean) * invStd;
      dx[i] = k * (rows * dy[i] - sumDy - xhat * sumDyXhat);
    }
  }
}

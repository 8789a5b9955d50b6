/**
 * Losses on the CPU: per-sample values added to an accumulator `[sum, count]`, and the gradient of the
 * batch-mean loss with respect to the predictions. Semantics follow Keras 3: regression losses average
 * over the last axis; the cross-entropies clip probabilities to [epsilon, 1 − epsilon] with both bounds
 * in the compute dtype, as Keras does (for float32, 1 − 1e-7 rounds to 1 − 2⁻²³, so a probability of 1
 * costs −log 2⁻²³ = 15.94, not −log 1e-7); the gradient is zero where clipping is active (outside the
 * bounds), as automatic differentiation of the clip gives; the categorical ones first normalise each row
 * of probabilities to sum to one.
 */
import type { FloatArray, LossKind, LossOptions } from '../backend';

/** log(1 + exp(x)) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Keras's clip bounds `[ε, 1 − ε]` in the dtype of `a` (the compute dtype). */
function clipBounds(epsilon: number, a: FloatArray): [number, number] {
  return a instanceof Float32Array ? [Math.fround(epsilon), Math.fround(1 - epsilon)] : [epsilon, 1 - epsilon];
}

export function lossForwardBackward(
  kind: LossKind,
  yPred: FloatArray,
  yTrue: FloatArray,
  rows: number,
  cols: number,
  options: LossOptions,
  accumulator: FloatArray,
  grad: FloatArray | null,
): void {
  let total = 0;
  const bounds = clipBounds(options.epsilon, yPred);
  if (kind === 'categorical_crossentropy' || kind === 'sparse_categorical_crossentropy') {
    for (let r = 0; r < rows; r++) total += crossEntropyRow(kind, yPred, yTrue, r, cols, options, bounds, grad, 1 / rows);
  } else {
    const scale = 1 / (rows * cols);
    for (let i = 0; i < rows * cols; i++) {
      const [value, slope] = elementLoss(kind, yPred[i], yTrue[i], options, bounds);
      total += value / cols;
      if (grad) grad[i] = slope * scale;
    }
  }
  accumulator[0] += total;
  accumulator[1] += rows;
}

/** Loss of one element and its derivative with respect to the prediction. */
function elementLoss(kind: LossKind, p: number, t: number, o: LossOptions, [lo, hi]: [number, number]): [number, number] {
  switch (kind) {
    case 'mean_squared_error':
      return [(p - t) * (p - t), 2 * (p - t)];
    case 'mean_absolute_error':
      return [Math.abs(p - t), Math.sign(p - t)];
    case 'huber': {
      const e = p - t;
      const a = Math.abs(e);
      return a <= o.delta ? [0.5 * e * e, e] : [o.delta * (a - 0.5 * o.delta), o.delta * Math.sign(e)];
    }
    case 'binary_crossentropy': {
      const target = t * (1 - o.labelSmoothing) + 0.5 * o.labelSmoothing;
      if (o.fromLogits) return [softplus(p) - p * target, sigmoid(p) - target];
      const q = Math.min(Math.max(p, lo), hi);
      const value = -(target * Math.log(q) + (1 - target) * Math.log(1 - q));
      const inside = p >= lo && p <= hi;
      return [value, inside ? (q - target) / (q * (1 - q)) : 0];
    }
    default:
      throw new Error(`elementLoss: ${kind} is not elementwise`);
  }
}

/** Target probability of class c in row r (one-hot for sparse labels), with label smoothing. */
function target(kind: LossKind, yTrue: FloatArray, r: number, c: number, cols: number, smoothing: number): number {
  const t = kind === 'sparse_categorical_crossentropy' ? (yTrue[r] === c ? 1 : 0) : yTrue[r * cols + c];
  return smoothing > 0 ? t * (1 - smoothing) + smoothing / cols : t;
}

/** Cross-entropy of one row; writes the row's gradient scaled by `scale` (1/batch). */
function crossEntropyRow(
  kind: LossKind,
  yPred: FloatArray,
  yTrue: FloatArray,
  r: number,
  cols: number,
  o: LossOptions,
  [lo, hi]: [number, number],
  grad: FloatArray | null,
  scale: number,
): number {
  const base = r * cols;
  let targetSum = 0;
  for (let c = 0; c < cols; c++) targetSum += target(kind, yTrue, r, c, cols, o.labelSmoothing);
  if (o.fromLogits) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, yPred[base + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(yPred[base + c] - max);
    const logSumExp = max + Math.log(sum);
    let loss = 0;
    for (let c = 0; c < cols; c++) {
      const t = target(kind, yTrue, r, c, cols, o.labelSmoothing);
      loss -= t * (yPred[base + c] - logSumExp);
      if (grad) grad[base + c] = (targetSum * Math.exp(yPred[base + c] - logSumExp) - t) * scale;
    }
    return loss;
  }
  // Probabilities: normalise the row, clip, then −Σ t·log p.
  let rowSum = 0;
  for (let c = 0; c < cols; c++) rowSum += yPred[base + c];
  let loss = 0;
  let weighted = 0; // Σ t_i·[unclipped_i]·p_i/p̂_i, the normalisation's share of the gradient
  for (let c = 0; c < cols; c++) {
    const t = target(kind, yTrue, r, c, cols, o.labelSmoothing);
    const normalised = yPred[base + c] / rowSum;
    const clipped = Math.min(Math.max(normalised, lo), hi);
    loss -= t * Math.log(clipped);
    if (normalised >= lo && normalised <= hi) weighted += (t * yPred[base + c]) / clipped;
  }
  if (grad) {
    for (let c = 0; c < cols; c++) {
      const t = target(kind, yTrue, r, c, cols, o.labelSmoothing);
      const normalised = yPred[base + c] / rowSum;
      const inside = normalised >= lo && normalised <= hi;
      const own = inside ? -t / normalised : 0;
      grad[base + c] = ((own + weighted / rowSum) / rowSum) * scale;
    }
  }
  return loss;
}

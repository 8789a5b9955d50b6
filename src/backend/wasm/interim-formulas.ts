/**
 * INTERIM — the formulas of the wasm backend, until issue 9's expression language lands.
 *
 * Activations (forward, backward and the matmul's activation epilogue), losses, metrics and optimizer
 * rules are formulas, and a formula is written once. Until the expression IR can emit wasm for them,
 * the wasm backend runs the CPU reference's math (src/backend/cpu/*-math.ts) in JavaScript, on float32
 * views of its memory: the same numbers as the CPU backend, single-threaded and without SIMD. Only this
 * file knows that; when the IR's wasm emitter lands, these functions become calls of generated kernels
 * and this file goes away. Nothing here may grow a formula of its own.
 */
import type { ActivationSpec } from '../../activations';
import type { LossKind, LossOptions, MetricKind, MetricOptions, OptimizerKind, OptimizerStep } from '../backend';
import { activationBackward, activationForward } from '../cpu/activation-math';
import { lossForwardBackward } from '../cpu/loss-math';
import { metricStateSize, metricUpdate } from '../cpu/metric-math';
import { optimizerUpdate } from '../cpu/optimizer-math';

/** `out = act(x)` over `rows × cols` float32 values (softmax is row-wise); `out` may alias `x`. */
export function applyActivation(spec: ActivationSpec, x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  activationForward(spec, x, out, rows, cols);
}

/** `out = dy · act'(z)` (the CPU's activationBackward). */
export function applyActivationBackward(
  spec: ActivationSpec, dy: Float32Array, z: Float32Array, y: Float32Array, out: Float32Array, rows: number, cols: number,
): void {
  activationBackward(spec, dy, z, y, out, rows, cols);
}

/** A batch's loss into `accumulator`, and its gradient (the CPU's lossForwardBackward). */
export function applyLoss(
  kind: LossKind, yPred: Float32Array, yTrue: Float32Array, rows: number, cols: number, options: LossOptions,
  accumulator: Float32Array, grad: Float32Array | null,
): void {
  lossForwardBackward(kind, yPred, yTrue, rows, cols, options, accumulator, grad);
}

/** Length of a metric's accumulator. */
export function metricAccumulatorSize(kind: MetricKind, cols: number): number {
  return metricStateSize(kind, cols);
}

/** A batch added to a metric's accumulator (the CPU's metricUpdate). */
export function applyMetric(
  kind: MetricKind, yPred: Float32Array, yTrue: Float32Array, rows: number, cols: number, options: MetricOptions, accumulator: Float32Array,
): void {
  metricUpdate(kind, yPred, yTrue, rows, cols, options, accumulator);
}

/** One fused update of every parameter (the CPU's optimizerUpdate). */
export function applyOptimizer(kind: OptimizerKind, params: Float32Array[], grads: Float32Array[], slots: Float32Array[][], step: OptimizerStep): void {
  optimizerUpdate(kind, params, grads, slots, step);
}

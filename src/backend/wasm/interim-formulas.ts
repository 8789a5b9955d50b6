/**
 * INTERIM — the formulas of the wasm backend, until the expression language gains a wasm emitter.
 *
 * Activations (forward, backward and the matmul's activation epilogue), losses, metrics and optimizer
 * rules are expressions (src/expr). Until src/expr emits WebAssembly for them (one more per-op table
 * beside emit-js.ts and emit-wgsl.ts), the wasm backend runs the CPU backend's compiled JavaScript
 * (src/backend/cpu/activation.ts, rows.ts, optimizer.ts) on float32 views of its memory: the same
 * numbers as the CPU backend, single-threaded and without SIMD. Only this file knows that; when the
 * wasm emitter lands, these functions become calls of generated kernels and this file goes away.
 * Nothing here may grow a formula of its own.
 */
import type { ElementwiseFn, MetricProgram, RowProgram, UpdateRule } from '../../expr/functions';
import type { OptimizerStep } from '../backend';
import { activationBackward, activationForward } from '../cpu/activation';
import { CodeCache } from '../cpu/code-cache';
import { optimizerUpdate } from '../cpu/optimizer';
import { metricForward, rowsForward } from '../cpu/rows';

/** The compiled formulas, shared by every wasm backend (printing is the CPU backend's `printCode`). */
const code = new CodeCache(() => false);

/** `out = f(x)` over `rows × cols` float32 values (softmax is row-wise); `out` may alias `x`. */
export function applyActivation(fn: ElementwiseFn, x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  activationForward(code, fn, x, out, rows, cols);
}

/** `out = dy · f′(z)` (the CPU's activationBackward; reads z and y as `fn.reads` says). */
export function applyActivationBackward(
  fn: ElementwiseFn, dy: Float32Array, z: Float32Array, y: Float32Array, out: Float32Array, rows: number, cols: number,
): void {
  activationBackward(code, fn, dy, z, y, out, rows, cols);
}

/** A batch's loss into `accumulator`, and its gradient (the CPU's row skeleton). */
export function applyLoss(
  program: RowProgram, yPred: Float32Array, yTrue: Float32Array, rows: number, cols: number, accumulator: Float32Array, grad: Float32Array | null,
): void {
  rowsForward(code, program, yPred, yTrue, rows, cols, accumulator, grad);
}

/** A batch added to a metric's accumulator (the CPU's row or column skeleton). */
export function applyMetric(program: MetricProgram, yPred: Float32Array, yTrue: Float32Array, rows: number, cols: number, accumulator: Float32Array): void {
  metricForward(code, program, yPred, yTrue, rows, cols, accumulator);
}

/** One fused update of every parameter (the CPU's optimizerUpdate). */
export function applyOptimizer(rule: UpdateRule, params: Float32Array[], grads: Float32Array[], slots: Float32Array[][], step: OptimizerStep): void {
  optimizerUpdate(code, rule, params, grads, slots, step);
}

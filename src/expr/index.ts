/**
 * The expression language: formulas as data. Hash-consed scalar expressions (expr.ts), reverse-mode
 * differentiation (autodiff.ts), float32 lowering of special functions (lower.ts), compilation for a
 * target (program.ts) and the JavaScript and WGSL emitters; `keras.ops` traces users' functions into it,
 * and the compiled forms the backends run (functions.ts) are what the backend contract speaks in.
 */
export { Expr, constant, input, scalar, type ExprLike } from './expr';
export { gradient } from './autodiff';
export { ops, type Value } from './keras-ops';
export { formatExpr } from './format';
export { expressionsFromJSON, expressionsToJSON, type ExpressionJSON } from './serialize';
export {
  CLIP_SCALE, columnProgram, elementwiseFn, metricStateSize, rowProgram,
  type ColumnProgram, type ElementwiseFn, type MetricProgram, type Params, type Reduction, type RowProgram, type UpdateRule,
} from './functions';

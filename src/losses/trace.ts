/** Tracing a function of (yTrue, yPred), as custom losses and metrics are written. */
import type { Expr } from '../expr/expr';
import { Y_PRED, Y_TRUE } from '../expr/functions';
import { checkArity, traceCall, tracedValue } from '../expr/keras-ops';

/** Trace a function of (yTrue, yPred) into its per-sample (or per-element) expression. */
export function traceTargetsFunction(fn: unknown, what: string, where: string): Expr {
  checkArity(fn, 2, what, where, '(yTrue, yPred) => keras.ops expression');
  return tracedValue(traceCall(what, where, () => fn(Y_TRUE(), Y_PRED())), what, where);
}

/**
 * The built-in losses as expressions, each written once (the regression ones serve as metrics too):
 * an elementwise expression over a row of predictions `y_pred` and targets `y_true`, reduced over the row,
 * in Keras 3's terms. The gradients come from the autodiff; the cross-entropies' row normalisation and
 * log-softmax are the backends' fused skeletons (`transform`), whose Jacobians they hold.
 *
 * Parameters are run-time scalars (`delta`, `epsilon`, `labelSmoothing`; `cols` is the row width the
 * skeleton provides), so one kernel serves every value. In float32 they are rounded to float32 first,
 * as Keras computes in its compute dtype: binary cross-entropy clips to [ε, 1 − ε] with 1 − 1e-7 rounding
 * to 1 − 2⁻²³.
 */
import { binaryOp, reduce, scalar, unaryOp, where, type Expr, type ExprLike } from '../expr/expr';
import { Y_PRED, Y_TRUE, rowProgram, type RowProgram } from '../expr/functions';
import { clipValue } from '../expr/nn';

/** Options the built-in losses read. */
export interface LossOptions {
  /** `yPred` holds logits (pre-sigmoid/softmax) instead of probabilities. */
  fromLogits: boolean;
  /** Huber's delta. */
  delta: number;
  /** Probability clipping of the cross-entropies (Keras's epsilon, 1e-7). */
  epsilon: number;
  /** Label smoothing for the (binary/categorical) cross-entropies, 0 for none. */
  labelSmoothing: number;
}

export type BuiltInLoss =
  | 'mean_squared_error' | 'mean_absolute_error' | 'huber' | 'binary_crossentropy' | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy';

const add = (a: ExprLike, b: ExprLike) => binaryOp('add', a, b);
const sub = (a: ExprLike, b: ExprLike) => binaryOp('sub', a, b);
const mul = (a: ExprLike, b: ExprLike) => binaryOp('mul', a, b);
const log = (a: ExprLike) => unaryOp('log', a);

/** mean((ŷ − y)²) over the row. */
export const meanSquaredError = (t: Expr, p: Expr) => reduce('mean', mul(sub(p, t), sub(p, t)));
/** mean(|ŷ − y|) over the row. */
export const meanAbsoluteError = (t: Expr, p: Expr) => reduce('mean', unaryOp('abs', sub(p, t)));

/** Huber: ½e² where |e| ≤ δ, δ(|e| − δ/2) beyond, e = ŷ − y, averaged over the row. */
function huber(t: Expr, p: Expr): Expr {
  const delta = scalar('delta');
  const e = sub(p, t);
  const a = unaryOp('abs', e);
  return reduce('mean', where(binaryOp('le', a, delta), mul(0.5, mul(e, e)), mul(delta, sub(a, mul(0.5, delta)))));
}

/** Targets smoothed toward 1/classes: t·(1 − s) + s/classes. */
const smooth = (t: Expr, classes: ExprLike) => {
  const s = scalar('labelSmoothing');
  return add(mul(t, sub(1, s)), binaryOp('div', s, classes));
};

/** Binary cross-entropy, averaged over the row: of probabilities clipped to [ε, 1 − ε], or of logits. */
function binaryCrossentropy(t: Expr, p: Expr, fromLogits: boolean): Expr {
  const target = smooth(t, 2);
  if (fromLogits) return reduce('mean', sub(unaryOp('softplus', p), mul(p, target)));
  const eps = scalar('epsilon');
  const q = clipValue(p, eps, sub(1, eps));
  return reduce('mean', unaryOp('neg', add(mul(target, log(q)), mul(sub(1, target), log(sub(1, q))))));
}

/**
 * Categorical cross-entropy −Σ t·log q over the row, where q is the row of probabilities normalised to sum
 * to 1 and clipped to [ε, 1 − ε], or (from logits) the row's log-softmax.
 */
function categoricalCrossentropy(t: Expr, q: Expr, fromLogits: boolean): Expr {
  const target = smooth(t, scalar('cols'));
  if (fromLogits) return reduce('sum', unaryOp('neg', mul(target, q)));
  const eps = scalar('epsilon');
  return reduce('sum', unaryOp('neg', mul(target, log(clipValue(q, eps, sub(1, eps))))));
}

/** The program of a built-in loss with these options (`fromLogits` overrides the options' own). */
export function builtInLossProgram(kind: BuiltInLoss, options: LossOptions, fromLogits = options.fromLogits): RowProgram {
  const t = Y_TRUE();
  const p = Y_PRED();
  const params = { delta: options.delta, epsilon: options.epsilon, labelSmoothing: options.labelSmoothing };
  switch (kind) {
    case 'mean_squared_error':
      return rowProgram(kind, meanSquaredError(t, p));
    case 'mean_absolute_error':
      return rowProgram(kind, meanAbsoluteError(t, p));
    case 'huber':
      return rowProgram(kind, huber(t, p), { params });
    case 'binary_crossentropy':
      return rowProgram(kind, binaryCrossentropy(t, p, fromLogits), { params });
    case 'categorical_crossentropy':
    case 'sparse_categorical_crossentropy':
      return rowProgram(kind, categoricalCrossentropy(t, p, fromLogits), {
        params,
        target: kind === 'sparse_categorical_crossentropy' ? 'sparse' : 'dense',
        transform: fromLogits ? 'log_softmax' : 'normalize',
      });
  }
}

/**
 * The compiled forms formulas take when they reach a backend: what the backend contract speaks in. Each
 * is a few expressions plus the metadata a fused skeleton needs; backends compile the expressions with
 * their emitter and cache the result by generated source.
 *
 * - ElementwiseFn (an activation): forward y = f(x), the derived backward dy·f'(x), which of z/y it reads.
 * - RowProgram (a loss, or a metric averaged over samples): an elementwise expression over a row of
 *   predictions and targets, reduced over the row, and the row's gradient.
 * - ColumnProgram (a metric accumulated per output column, e.g. r2): sums over the batch per column.
 * - UpdateRule (an optimizer): new values of a variable and its slots, element by element.
 */
import { invalid } from '../errors';
import { gradient } from './autodiff';
import { binaryOp, input, namesOf, reduce, substitute, topoOrder, type Expr } from './expr';
import { REDUCE_OPS, type ReduceOp } from './op-table';

export type Params = Readonly<Record<string, number>>;

/** An elementwise function and its derivative: what an activation is to a backend. */
export interface ElementwiseFn {
  /** Name (the activation's). */
  readonly name: string;
  /** Values of the run-time scalars the expressions read (an activation's parameters). */
  readonly params: Params;
  /** y = f(x), in terms of `input('x')` and scalars. */
  readonly forward: Expr;
  /** f'(x), in terms of `input('x')` and `input('y')` (where it reuses the forward value). */
  readonly derivative: Expr;
  /** dL/dx = dy · f'(x), in terms of `input('dy')`, `input('x')` and `input('y')`. */
  readonly backward: Expr;
  /** Which of the pre-activation z (= x) and the output y the backward reads. */
  readonly reads: { readonly z: boolean; readonly y: boolean };
  /** `'softmax'`: row-wise, computed by the backends' softmax skeleton (forward/backward unused). */
  readonly rowwise: 'softmax' | null;
  /** f(x) = x: nothing to compute. */
  readonly identity: boolean;
}

export const X = () => input('x');

/**
 * Build an ElementwiseFn from its forward expression. The derivative comes from the autodiff unless
 * `derivative` is given (only where a hand-written one is measurably more accurate; its definition says
 * why). Where the derivative contains the forward expression itself, it reads y instead of recomputing.
 */
export function elementwiseFn(
  name: string,
  forward: Expr,
  options: { params?: Params; derivative?: Expr; rowwise?: 'softmax' } = {},
): ElementwiseFn {
  const x = X();
  checkElementwise(forward, ['x'], `the activation '${name}'`);
  const derived = options.derivative ?? gradient(forward, [x])[0];
  const trivial = forward === x || forward.level !== 'element';
  const derivative = trivial ? derived : substitute([derived], (n) => (n === forward ? input('y') : undefined))[0];
  const backward = binaryOp('mul', input('dy'), derivative);
  const reads = namesOf([backward], 'input');
  return Object.freeze({
    name,
    params: Object.freeze({ ...(options.params ?? {}) }),
    forward,
    derivative,
    backward,
    // Softmax's skeleton reads y: y ⊙ (dy − Σ dy ⊙ y).
    reads: Object.freeze(options.rowwise ? { z: false, y: true } : { z: reads.includes('x'), y: reads.includes('y') }),
    rowwise: options.rowwise ?? null,
    identity: forward === x && !options.rowwise,
  });
}

/** Throw unless `e` is elementwise over the `allowed` inputs only. */
export function checkElementwise(e: Expr, allowed: readonly string[], what: string): void {
  if (e.perRow) {
    invalid({
      what: 'reduction',
      where: what,
      expected: 'an elementwise expression (no ops.sum, ops.mean or ops.max)',
      received: 'a reduction over the last axis',
      hint: 'an activation is applied to every element on its own; reductions belong to losses and metrics.',
    });
  }
  const extra = namesOf([e], 'input').filter((n) => !allowed.includes(n));
  if (extra.length > 0) {
    invalid({ what: 'expression', where: what, expected: `one that reads only ${allowed.join(', ')}`, received: `one that also reads ${extra.join(', ')}` });
  }
}

// ---- losses and metrics ----------------------------------------------------------------------------------------

/** Inputs of a row program's element expressions. */
export const Y_PRED = () => input('y_pred');
export const Y_TRUE = () => input('y_true');
/** The class index of a row with sparse targets (per-row input of the result). */
export const LABEL = () => input('label', 'row');

export interface Reduction {
  readonly op: ReduceOp;
  /** Over `y_pred` (transformed), `y_true` (one-hot from the label when sparse) and scalars (`cols` included). */
  readonly element: Expr;
}

/** A per-sample value from a row of predictions and targets (a loss, or a metric averaged over samples). */
export interface RowProgram {
  readonly form: 'rows';
  readonly name: string;
  readonly params: Params;
  /** `'sparse'`: y_true holds one class index per row; the element expressions see it one-hot. */
  readonly target: 'dense' | 'sparse';
  /**
   * Applied to the row of predictions first: `'normalize'` p/Σp (probabilities that need not sum to 1),
   * `'log_softmax'` z − logsumexp(z) (logits). The backends' skeletons hold their Jacobians.
   */
  readonly transform: 'none' | 'normalize' | 'log_softmax';
  readonly reductions: readonly Reduction[];
  /** The per-sample value, over the reductions' results `input('r0', 'row')`, … (and `label`), and scalars. */
  readonly result: Expr;
  /** ∂result/∂r_k, per row; empty when not differentiable. */
  readonly resultGrads: readonly Expr[];
  /** ∂element_k/∂y_pred, per element. */
  readonly elementGrads: readonly Expr[];
  /** False when an argmax is involved (metrics only). */
  readonly differentiable: boolean;
}

/** Per-output-column sums over the batch (accumulator `[count, then per column each sum]`). */
export interface ColumnProgram {
  readonly form: 'columns';
  readonly name: string;
  readonly params: Params;
  /** Each summed over the rows, per column; over `y_pred`, `y_true` and scalars. */
  readonly sums: readonly Expr[];
}

/** What a metric accumulates. */
export type MetricProgram = RowProgram | ColumnProgram;

/** At most this many reductions in one row program (the skeletons carry them in a vec4). */
export const MAX_REDUCTIONS = 4;

/**
 * A RowProgram from a traced per-sample expression (reductions at the top, combined by per-row
 * arithmetic) or a per-element one (then averaged over the row, as Keras averages a per-element loss).
 */
export function rowProgram(
  name: string,
  output: Expr,
  options: { params?: Params; target?: 'dense' | 'sparse'; transform?: RowProgram['transform'] } = {},
): RowProgram {
  const where = `'${name}'`;
  const top = output.elementwise ? reduce('mean', output) : output;
  const reductions = topoOrder([top], (n) => REDUCE_OPS.has(n.op)).filter((n) => REDUCE_OPS.has(n.op));
  if (reductions.length > MAX_REDUCTIONS) {
    invalid({ what: 'number of reductions', where, expected: `at most ${MAX_REDUCTIONS} reductions over the last axis`, received: String(reductions.length) });
  }
  const allowed = ['y_pred', 'y_true'];
  for (const r of reductions) checkElementwise(r.args[0], allowed, where);
  const rows = reductions.map((_, k) => input(`r${k}`, 'row'));
  const result = substitute([top], (n) => {
    const k = reductions.indexOf(n);
    return k >= 0 ? rows[k] : undefined;
  })[0];
  const extra = namesOf([result], 'input').filter((n) => !/^r\d$/.test(n) && n !== 'label');
  if (extra.length > 0) invalid({ what: 'expression', where, expected: 'per-element inputs only inside reductions', received: `${extra.join(', ')} outside one` });
  const differentiable = reductions.every((r) => r.op !== 'argmax');
  return Object.freeze({
    form: 'rows' as const,
    name,
    params: Object.freeze({ ...(options.params ?? {}) }),
    target: options.target ?? 'dense',
    transform: options.transform ?? 'none',
    reductions: reductions.map((r) => Object.freeze({ op: r.op as ReduceOp, element: r.args[0] })),
    result,
    resultGrads: differentiable ? gradient(result, rows) : [],
    elementGrads: differentiable ? reductions.map((r) => gradient(r.args[0], [Y_PRED()])[0]) : [],
    differentiable,
  });
}

/** A ColumnProgram from its per-element sums. */
export function columnProgram(name: string, sums: readonly Expr[], params: Params = {}): ColumnProgram {
  for (const s of sums) checkElementwise(s, ['y_pred', 'y_true'], `'${name}'`);
  return Object.freeze({ form: 'columns' as const, name, params: Object.freeze({ ...params }), sums: Object.freeze([...sums]) });
}

/** Length of a metric's accumulator for `cols` output columns. */
export function metricStateSize(program: MetricProgram, cols: number): number {
  return program.form === 'rows' ? 2 : 1 + program.sums.length * cols;
}

// ---- optimizers --------------------------------------------------------------------------------------------------

/** The device-computed clip factor of a gradient tensor (clipnorm / globalClipnorm). */
export const CLIP_SCALE = 'clip_scale';

/** One optimizer step, element by element: what a backend's fused update runs over every parameter. */
export interface UpdateRule {
  readonly name: string;
  /** Slot names, in the order of the slot tensors. */
  readonly slots: readonly string[];
  /**
   * The new variable, then the new value of each slot, over `input('variable')`, `input('gradient')`,
   * `input(slot)` and scalars (the step's values), and `scalar('clip_scale')` when `clipsByNorm`.
   */
  readonly outputs: readonly Expr[];
  /** The gradient is scaled by its tensor's clip factor (computed on the device). */
  readonly clipsByNorm: boolean;
}

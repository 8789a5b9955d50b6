/**
 * `keras.ops`: Keras's vocabulary for writing formulas, on the symbolic values of a traced function (and
 * numbers, wherever a tensor goes). A custom activation, loss, metric or optimizer rule is called once with
 * symbolic values; what it returns is an expression the backends compile into their fused kernels.
 *
 * Names are Keras's (snake_case), with camelCase aliases. Reductions (`sum`, `mean`, `max`, `min`,
 * `argmax`) take the last axis only (`axis: -1`), and only as the last step of a loss or metric. Ops that
 * are not elementwise throw, naming what to use instead.
 */
import { KerasError, ValueError, describe, invalid } from '../errors';
import { Expr, binaryOp, lift, reduce, unaryOp, where as whereNode } from './expr';
import * as nn from './nn';
import type { BinaryOp, UnaryOp } from './op-table';

/** What ops accept: a symbolic value or a number. */
export type Value = Expr | number;

function arg(v: unknown, op: string, name = 'x'): Expr {
  if (v instanceof Expr) return v;
  if (typeof v === 'number') return lift(v);
  if (typeof v === 'boolean') return lift(v ? 1 : 0);
  return invalid({
    what: `argument ${name}`,
    where: `ops.${op}`,
    expected: 'a symbolic value of the traced function or a number',
    received: describe(v),
    hint: 'keras.ops here builds formulas for custom activations, losses, metrics and optimizers; it does not compute on tensors.',
  });
}

const u = (op: UnaryOp, name: string) => (x: Value): Expr => unaryOp(op, arg(x, name));
const b = (op: BinaryOp, name: string) => (x: Value, y: Value): Expr => binaryOp(op, arg(x, name), arg(y, name, 'y'));

/** The last axis: -1 (or 1 for a [batch, features] value), or a one-element array of it. */
function lastAxis(op: string, axis: unknown, optional: boolean): void {
  const a = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
  if (a === -1 || a === 1 || (optional && a == null)) return;
  invalid({
    what: 'axis',
    where: `ops.${op}`,
    expected: optional ? '-1 (the last axis) or nothing' : '-1 (the last axis: one value per sample)',
    received: describe(axis),
    hint: 'a loss or metric reduces each sample over its last axis; the batch is averaged by the trainer.',
  });
}

const reduction = (op: 'sum' | 'mean' | 'max' | 'argmax', name: string, optional = false) => (x: Value, axis?: number | number[] | null, _keepdims?: boolean): Expr => {
  lastAxis(name, axis, optional);
  return reduce(op, arg(x, name));
};

/** An op this language cannot express: throws naming the alternative. */
const unsupported = (name: string, instead: string) => (): never =>
  invalid({
    what: 'operation',
    where: `ops.${name}`,
    expected: 'an elementwise operation or a reduction over the last axis',
    received: `ops.${name}, which is not elementwise`,
    hint: instead,
  });

const LN2 = Math.LN2;
const LN10 = Math.LN10;

const OPS_TABLE = {
  add: b('add', 'add'),
  subtract: b('sub', 'subtract'),
  multiply: b('mul', 'multiply'),
  divide: b('div', 'divide'),
  true_divide: b('div', 'true_divide'),
  power: b('pow', 'power'),
  maximum: b('maximum', 'maximum'),
  minimum: b('minimum', 'minimum'),
  greater: b('gt', 'greater'),
  greater_equal: b('ge', 'greater_equal'),
  less: b('lt', 'less'),
  less_equal: b('le', 'less_equal'),
  equal: b('eq', 'equal'),
  not_equal: b('ne', 'not_equal'),
  logical_and: b('and', 'logical_and'),
  logical_or: b('or', 'logical_or'),
  logical_not: u('not', 'logical_not'),
  negative: u('neg', 'negative'),
  abs: u('abs', 'abs'),
  absolute: u('abs', 'absolute'),
  sign: u('sign', 'sign'),
  square: (x: Value) => binaryOp('mul', arg(x, 'square'), arg(x, 'square')),
  reciprocal: (x: Value) => binaryOp('div', 1, arg(x, 'reciprocal')),
  sqrt: u('sqrt', 'sqrt'),
  rsqrt: u('rsqrt', 'rsqrt'),
  exp: u('exp', 'exp'),
  exp2: (x: Value) => unaryOp('exp', binaryOp('mul', LN2, arg(x, 'exp2'))),
  expm1: u('expm1', 'expm1'),
  log: u('log', 'log'),
  log1p: u('log1p', 'log1p'),
  log2: (x: Value) => binaryOp('div', unaryOp('log', arg(x, 'log2')), LN2),
  log10: (x: Value) => binaryOp('div', unaryOp('log', arg(x, 'log10')), LN10),
  floor: u('floor', 'floor'),
  ceil: u('ceil', 'ceil'),
  round: u('round', 'round'),
  sin: u('sin', 'sin'),
  cos: u('cos', 'cos'),
  tan: u('tan', 'tan'),
  arctan: u('atan', 'arctan'),
  sinh: u('sinh', 'sinh'),
  cosh: u('cosh', 'cosh'),
  tanh: u('tanh', 'tanh'),
  erf: u('erf', 'erf'),
  erfc: u('erfc', 'erfc'),
  sigmoid: u('sigmoid', 'sigmoid'),
  softplus: u('softplus', 'softplus'),
  log_sigmoid: u('log_sigmoid', 'log_sigmoid'),
  stop_gradient: u('stop_gradient', 'stop_gradient'),
  where: (condition: Value, x: Value, y: Value) => whereNode(arg(condition, 'where', 'condition'), arg(x, 'where'), arg(y, 'where', 'y')),
  clip: (x: Value, xMin: Value, xMax: Value) => nn.clipValue(arg(x, 'clip'), arg(xMin, 'clip', 'x_min'), arg(xMax, 'clip', 'x_max')),
  cast: (x: Value, _dtype?: string) => arg(x, 'cast'),
  relu: (x: Value) => nn.relu(arg(x, 'relu')),
  relu6: (x: Value) => nn.relu6(arg(x, 'relu6')),
  elu: (x: Value, alpha: Value = 1) => nn.elu(arg(x, 'elu'), arg(alpha, 'elu', 'alpha')),
  selu: (x: Value) => nn.selu(arg(x, 'selu')),
  celu: (x: Value, alpha: Value = 1) => nn.celu(arg(x, 'celu'), arg(alpha, 'celu', 'alpha')),
  leaky_relu: (x: Value, negativeSlope: Value = 0.2) => nn.leakyRelu(arg(x, 'leaky_relu'), arg(negativeSlope, 'leaky_relu', 'negative_slope')),
  silu: (x: Value) => nn.silu(arg(x, 'silu')),
  swish: (x: Value) => nn.silu(arg(x, 'swish')),
  gelu: (x: Value, approximate = true) => nn.gelu(arg(x, 'gelu'), approximate),
  softsign: (x: Value) => nn.softsign(arg(x, 'softsign')),
  hard_sigmoid: (x: Value) => nn.hardSigmoid(arg(x, 'hard_sigmoid')),
  hard_silu: (x: Value) => nn.hardSilu(arg(x, 'hard_silu')),
  hard_swish: (x: Value) => nn.hardSilu(arg(x, 'hard_swish')),
  hard_tanh: (x: Value) => nn.clip(arg(x, 'hard_tanh'), -1, 1),
  hard_shrink: (x: Value, threshold: Value = 0.5) => nn.hardShrink(arg(x, 'hard_shrink'), arg(threshold, 'hard_shrink', 'threshold')),
  soft_shrink: (x: Value, threshold: Value = 0.5) => nn.softShrink(arg(x, 'soft_shrink'), arg(threshold, 'soft_shrink', 'threshold')),
  tanh_shrink: (x: Value) => nn.tanhShrink(arg(x, 'tanh_shrink')),
  threshold: (x: Value, threshold: Value, defaultValue: Value) =>
    nn.threshold(arg(x, 'threshold'), arg(threshold, 'threshold', 'threshold'), arg(defaultValue, 'threshold', 'default_value')),
  mish: (x: Value) => nn.mish(arg(x, 'mish')),
  sum: reduction('sum', 'sum'),
  mean: reduction('mean', 'mean', true),
  max: reduction('max', 'max'),
  min: (x: Value, axis?: number | number[] | null) => {
    lastAxis('min', axis, false);
    return unaryOp('neg', reduce('max', unaryOp('neg', arg(x, 'min'))));
  },
  argmax: reduction('argmax', 'argmax'),
  matmul: unsupported('matmul', 'products of weights belong to a Dense layer; a traced formula works element by element.'),
  dot: unsupported('dot', 'products of weights belong to a Dense layer; a traced formula works element by element.'),
  softmax: unsupported('softmax', "use activation: 'softmax' on the layer, or a cross-entropy loss with fromLogits: true."),
  log_softmax: unsupported('log_softmax', 'use a cross-entropy loss with fromLogits: true, which fuses log-softmax.'),
  reshape: unsupported('reshape', 'a traced formula sees one element (or one row) at a time; reshape data before fit.'),
  transpose: unsupported('transpose', 'a traced formula sees one element (or one row) at a time.'),
  concatenate: unsupported('concatenate', 'a traced formula sees one element (or one row) at a time.'),
  cumsum: unsupported('cumsum', 'use ops.sum(x, -1) for a per-sample total.'),
} as const;

type Table = typeof OPS_TABLE;
type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
type Aliases = { readonly [K in keyof Table as CamelCase<K & string>]: Table[K] };

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `keras.ops`. */
export const ops: Table & Aliases = Object.freeze(
  Object.fromEntries(Object.entries(OPS_TABLE).flatMap(([k, f]) => (camel(k) === k ? [[k, f]] : [[k, f], [camel(k), f]]))),
) as Table & Aliases;

/**
 * Call a user's function on symbolic values. Errors that are not the library's (a TypeError from calling
 * a method the symbolic value lacks, say) are rethrown in the library's template, naming the function.
 */
export function traceCall<T>(what: string, where: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof KerasError) throw error;
    throw new ValueError(
      `Invalid ${what} for ${where}: expected a function written with keras.ops. Received: one whose tracing threw ${(error as Error)?.name ?? 'an error'}: ${(error as Error)?.message ?? String(error)}.` +
        '\nhint: custom functions are called once with symbolic values; use ops.add, ops.multiply, ops.where, … instead of JavaScript math.',
    );
  }
}

/** The traced result as an expression (a number becomes a constant), or an error naming what came back. */
export function tracedValue(value: unknown, what: string, where: string): Expr {
  if (value instanceof Expr) return value;
  if (typeof value === 'number') return lift(value);
  return invalid({ what, where, expected: 'a function returning a keras.ops value (or a number)', received: `a function returning ${describe(value)}` });
}

/** Check a user function's number of declared parameters. */
export function checkArity(fn: unknown, arity: number, what: string, where: string, signature: string): asserts fn is (...args: Expr[]) => unknown {
  if (typeof fn !== 'function') invalid({ what, where, expected: `a function ${signature}`, received: describe(fn) });
  if (fn.length !== arity) {
    invalid({ what, where, expected: `a function of ${arity} argument${arity === 1 ? '' : 's'}, ${signature}`, received: `a function of ${fn.length} (${describe(fn)})` });
  }
}

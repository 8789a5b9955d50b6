/**
 * Every operation of the expression language, in one table: its arity, how it prints, and its meaning in
 * float64 (`eval`, used by constant folding, the host-side evaluation of uniforms and the CSP-safe CPU
 * path). Derivatives live in autodiff.ts (one rule per op), float32 lowerings in lower.ts, and each target
 * (emit-js.ts, emit-wgsl.ts, …) maps ops to its own code with one more table of the same keys.
 *
 * Conventions every target follows:
 * - comparisons and logical ops give 1 or 0; `where(c, a, b)` takes `a` where `c` is not 0;
 * - `maximum(a, b)` is `b` where `b > a`, else `a` (and `minimum` likewise), so NaN in `a` propagates;
 * - `round` rounds half to even (NumPy's, hence Keras's `ops.round`);
 * - `sign(0)` is 0.
 */
import { erf, erfc, logSigmoid, roundHalfEven, sigmoid, softplus } from './special-functions';

/** Operations with no arguments: leaves of an expression. */
export type LeafOp = 'input' | 'scalar' | 'const';
export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'expm1' | 'log' | 'log1p' | 'sqrt' | 'rsqrt' | 'tanh' | 'sigmoid' | 'softplus'
  | 'log_sigmoid' | 'erf' | 'erfc' | 'floor' | 'ceil' | 'round' | 'sin' | 'cos' | 'tan' | 'sinh' | 'cosh' | 'atan'
  | 'not' | 'stop_gradient'
  // Primitives only lower.ts emits: the target's own log and pow, without the accuracy fixes.
  | 'raw_log';
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'minimum' | 'maximum'
  | 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne' | 'and' | 'or'
  | 'raw_pow';
/** Reductions over the last axis (one value per row): only at the top of a loss or metric. */
export type ReduceOp = 'sum' | 'mean' | 'max' | 'argmax';
export type Op = LeafOp | UnaryOp | BinaryOp | 'where' | ReduceOp;

export interface OpInfo {
  readonly arity: number;
  /** float64 meaning (absent for leaves and reductions). */
  readonly eval?: (...args: number[]) => number;
  /** Infix symbol and precedence for printing (higher binds tighter); function-call form when absent. */
  readonly infix?: { symbol: string; precedence: number };
  /** The value is 0 or 1. */
  readonly boolean?: boolean;
  /** Arguments may be swapped without changing any result (CSE puts them in a canonical order). */
  readonly commutative?: boolean;
}

const unary = (f: (a: number) => number): OpInfo => ({ arity: 1, eval: f });
const cmp = (symbol: string, f: (a: number, b: number) => boolean): OpInfo => ({
  arity: 2, eval: (a, b) => (f(a, b) ? 1 : 0), infix: { symbol, precedence: 3 }, boolean: true,
});

export const OPS: Readonly<Record<Op, OpInfo>> = {
  input: { arity: 0 },
  scalar: { arity: 0 },
  const: { arity: 0 },
  neg: unary((a) => -a),
  abs: unary(Math.abs),
  sign: unary((a) => (a > 0 ? 1 : a < 0 ? -1 : a)), // keeps ±0 and NaN, as Math.sign does
  exp: unary(Math.exp),
  expm1: unary(Math.expm1),
  log: unary(Math.log),
  log1p: unary(Math.log1p),
  sqrt: unary(Math.sqrt),
  rsqrt: unary((a) => 1 / Math.sqrt(a)),
  tanh: unary(Math.tanh),
  sigmoid: unary(sigmoid),
  softplus: unary(softplus),
  log_sigmoid: unary(logSigmoid),
  erf: unary(erf),
  erfc: unary(erfc),
  floor: unary(Math.floor),
  ceil: unary(Math.ceil),
  round: unary(roundHalfEven),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  sinh: unary(Math.sinh),
  cosh: unary(Math.cosh),
  atan: unary(Math.atan),
  not: { arity: 1, eval: (a) => (a === 0 ? 1 : 0), boolean: true },
  stop_gradient: unary((a) => a),
  raw_log: unary(Math.log),
  add: { arity: 2, eval: (a, b) => a + b, infix: { symbol: '+', precedence: 4 }, commutative: true },
  sub: { arity: 2, eval: (a, b) => a - b, infix: { symbol: '-', precedence: 4 } },
  mul: { arity: 2, eval: (a, b) => a * b, infix: { symbol: '*', precedence: 5 }, commutative: true },
  div: { arity: 2, eval: (a, b) => a / b, infix: { symbol: '/', precedence: 5 } },
  pow: { arity: 2, eval: Math.pow, infix: { symbol: '^', precedence: 7 } },
  raw_pow: { arity: 2, eval: Math.pow },
  minimum: { arity: 2, eval: (a, b) => (b < a ? b : a) },
  maximum: { arity: 2, eval: (a, b) => (b > a ? b : a) },
  gt: cmp('>', (a, b) => a > b),
  ge: cmp('>=', (a, b) => a >= b),
  lt: cmp('<', (a, b) => a < b),
  le: cmp('<=', (a, b) => a <= b),
  eq: { ...cmp('==', (a, b) => a === b), commutative: true },
  ne: { ...cmp('!=', (a, b) => a !== b), commutative: true },
  and: { arity: 2, eval: (a, b) => (a !== 0 && b !== 0 ? 1 : 0), infix: { symbol: '&&', precedence: 2 }, boolean: true, commutative: true },
  or: { arity: 2, eval: (a, b) => (a !== 0 || b !== 0 ? 1 : 0), infix: { symbol: '||', precedence: 1 }, boolean: true, commutative: true },
  where: { arity: 3, eval: (c, a, b) => (c !== 0 ? a : b) },
  sum: { arity: 1 },
  mean: { arity: 1 },
  max: { arity: 1 },
  argmax: { arity: 1 },
};

export const REDUCE_OPS: ReadonlySet<Op> = new Set<Op>(['sum', 'mean', 'max', 'argmax']);

/** Is `name` an operation of the language? (Saved expressions are checked with it.) */
export function isOp(name: unknown): name is Op {
  return typeof name === 'string' && Object.hasOwn(OPS, name);
}

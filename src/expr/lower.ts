/**
 * The special functions that float32 targets lack, or have without enough accuracy, rewritten into
 * primitives, in one place: every float32 target (WGSL here, WebAssembly next) lists the ops it computes
 * natively and gets the rest from this table, to float32 accuracy (a few 1e-7 relative). The float64
 * JavaScript target has them all natively (special-functions.ts) and never lowers.
 *
 * Why each: WGSL only promises `log` an absolute error of 2^-21 on [0.5, 2] (so log(1 + x) near 0 can be
 * wrong in every digit: NVIDIA through Vulkan put mish(−12) 2 % off) and `tanh` the accuracy of
 * sinh/cosh (none near 0); `exp` of a large argument may overflow to an indeterminate value, so the
 * sigmoid family is split on the sign; `pow` is exp2(y·log2 x), undefined for x < 0; erf has no builtin.
 */
import { binaryOp, constant, rebuild, topoOrder, unaryOp, where, type Expr } from './expr';
import type { Op } from './op-table';

type E = Expr | number;
const add = (a: E, b: E) => binaryOp('add', a, b);
const sub = (a: E, b: E) => binaryOp('sub', a, b);
const mul = (a: E, b: E) => binaryOp('mul', a, b);
const div = (a: E, b: E) => binaryOp('div', a, b);
const abs = (a: E) => unaryOp('abs', a);
const exp = (a: E) => unaryOp('exp', a);
const lt = (a: E, b: E) => binaryOp('lt', a, b);
const ge = (a: E, b: E) => binaryOp('ge', a, b);

/** Horner's rule: c0 + x·(c1 + x·(c2 + …)). */
function horner(x: Expr, coefficients: readonly number[]): Expr {
  let r: Expr = constant(coefficients[coefficients.length - 1]);
  for (let i = coefficients.length - 2; i >= 0; i--) r = add(coefficients[i], mul(x, r));
  return r;
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;
/** exp(88) = 1.65e38 < float32 max: larger arguments would overflow. */
const EXP_MAX = 88;

/** e^x − 1: Taylor series to x⁹/9! for |x| < 0.5 (truncation below 3e-10 relative), else exp(x) − 1 (cancellation costs at most 2.6×). */
function expm1(x: Expr): Expr {
  const series = mul(x, horner(x, [1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880]));
  return where(lt(abs(x), 0.5), series, sub(exp(binaryOp('minimum', x, EXP_MAX)), 1));
}

/**
 * log(1 + x): for |x| < 0.4142, 2·atanh(s) with s = x/(2 + x), |s| ≤ 0.172, as a series in s² (truncation
 * below 1e-11); elsewhere log(1 + x) is at least 0.34 in size, so the 2^-21 absolute error is 1.4e-6 of it.
 */
function log1p(x: Expr): Expr {
  const s = div(x, add(2, x));
  const s2 = mul(s, s);
  const series = mul(mul(2, s), horner(s2, [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13]));
  return where(lt(abs(x), 0.4142), series, unaryOp('raw_log', add(1, x)));
}

/** log(x) with relative accuracy near 1 too: on [0.5, 2], x − 1 is exact (Sterbenz). */
function log(x: Expr): Expr {
  return where(binaryOp('and', ge(x, 0.5), binaryOp('le', x, 2)), unaryOp('log1p', sub(x, 1)), unaryOp('raw_log', x));
}

/** tanh through expm1, accurate near 0 where (e^x − e^−x)/(e^x + e^−x) is not; ±1 beyond |x| = 9. */
function tanh(x: Expr): Expr {
  const a = abs(x);
  const t = unaryOp('expm1', mul(2, a));
  return where(binaryOp('gt', a, 9), unaryOp('sign', x), mul(unaryOp('sign', x), div(t, add(t, 2))));
}

/** σ(x) split on the sign: e^(−|x|) never overflows. */
function sigmoid(x: Expr): Expr {
  const e = exp(unaryOp('neg', abs(x)));
  return where(ge(x, 0), div(1, add(1, e)), div(e, add(1, e)));
}

const softTail = (x: Expr) => unaryOp('log1p', exp(unaryOp('neg', abs(x))));

/** erf(x) for |x| < 0.5: (2/√π)·x·Σ (−x²)ⁿ/(n!(2n+1)) to n = 6 (truncation below 1e-9 relative). */
function erfSeries(x: Expr): Expr {
  const x2 = mul(x, x);
  return mul(mul(TWO_OVER_SQRT_PI, x), horner(x2, [1, -1 / 3, 1 / 10, -1 / 42, 1 / 216, -1 / 1320, 1 / 9360]));
}

/**
 * erfc(z) for z ≥ 0: the Chebyshev fit of Numerical Recipes (erfcc: relative error below 1.2e-7 for every
 * z ≥ 0), t·exp(−z² + P(t)) with t = 1/(1 + z/2). e^(−z²) is split as e^(−s²)·e^(−(z−s)(z+s)), s = z rounded
 * down to 1/16, whose square is exact in float32, so the rounding of z² costs no relative accuracy in the tail.
 */
function erfcPositive(z: Expr): Expr {
  const t = div(1, add(1, mul(0.5, z)));
  const p = horner(t, [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277]);
  const s = mul(unaryOp('floor', mul(z, 16)), 1 / 16);
  const tail = sub(p, mul(sub(z, s), add(z, s)));
  return mul(mul(t, exp(unaryOp('neg', mul(s, s)))), exp(tail));
}

function erf(x: Expr): Expr {
  const a = abs(x);
  return where(lt(a, 0.5), erfSeries(x), mul(unaryOp('sign', x), sub(1, erfcPositive(a))));
}

function erfc(x: Expr): Expr {
  const big = where(ge(x, 0), erfcPositive(x), sub(2, erfcPositive(unaryOp('neg', x))));
  return where(lt(abs(x), 0.5), sub(1, erfSeries(x)), big);
}

/** sinh through expm1 (accurate near 0): with t = e^|x| − 1, sinh|x| = (t + t/(t + 1))/2. */
function sinh(x: Expr): Expr {
  const t = unaryOp('expm1', abs(x));
  return mul(mul(unaryOp('sign', x), 0.5), add(t, div(t, add(t, 1))));
}

/** (e^|x| + e^−|x|)/2 (infinite from |x| = 88.7, a little before cosh itself overflows at 89.4). */
function cosh(x: Expr): Expr {
  const a = abs(x);
  return add(mul(0.5, exp(a)), mul(0.5, exp(unaryOp('neg', a))));
}

/** x^y with the primitive pow (defined for x > 0 only) and the signs and zeros JavaScript's Math.pow gives. */
function pow(x: Expr, y: Expr): Expr {
  const r = binaryOp('raw_pow', abs(x), y);
  const integer = binaryOp('eq', unaryOp('floor', y), y);
  const odd = binaryOp('ne', mul(unaryOp('floor', mul(y, 0.5)), 2), y);
  const negative = where(integer, where(odd, unaryOp('neg', r), r), NaN);
  const zero = where(binaryOp('gt', y, 0), 0, where(binaryOp('eq', y, 0), 1, Infinity));
  return where(binaryOp('eq', y, 0), 1, where(binaryOp('gt', x, 0), r, where(binaryOp('eq', x, 0), zero, negative)));
}

/** Lowering of each op a float32 target may lack, in terms of other ops (lowered in turn where needed). */
export const FLOAT32_LOWERING: Readonly<Partial<Record<Op, (...args: Expr[]) => Expr>>> = {
  expm1,
  log1p,
  log,
  tanh,
  sigmoid,
  softplus: (x) => add(binaryOp('maximum', x, 0), softTail(x)),
  log_sigmoid: (x) => sub(binaryOp('minimum', x, 0), softTail(x)),
  erf,
  erfc,
  sinh,
  cosh,
  pow,
};

/** The ops a float32 target must provide itself: everything the lowering table does not rewrite. */
export const FLOAT32_PRIMITIVES: ReadonlySet<Op> = new Set<Op>([
  'neg', 'abs', 'sign', 'exp', 'raw_log', 'sqrt', 'rsqrt', 'floor', 'ceil', 'round', 'sin', 'cos', 'tan', 'atan', 'not',
  'stop_gradient', 'add', 'sub', 'mul', 'div', 'raw_pow', 'minimum', 'maximum', 'gt', 'ge', 'lt', 'le', 'eq', 'ne', 'and',
  'or', 'where', 'input', 'scalar', 'const',
]);

/** Rewrite every op outside `natives` through FLOAT32_LOWERING until only natives remain. */
export function lowerFloat32(roots: readonly Expr[], natives: ReadonlySet<Op> = FLOAT32_PRIMITIVES): Expr[] {
  const done = new Map<Expr, Expr>();
  const lower = (root: Expr): Expr => {
    for (const node of topoOrder([root], (n) => done.has(n))) {
      if (done.has(node)) continue;
      const args = node.args.map((a) => done.get(a)!);
      if (natives.has(node.op)) {
        done.set(node, rebuild(node, args));
        continue;
      }
      const rule = FLOAT32_LOWERING[node.op];
      if (!rule) throw new Error(`webgpu-keras bug: no float32 lowering of '${node.op}' for a target that lacks it.`);
      done.set(node, lower(rule(...args)));
    }
    return done.get(root)!;
  };
  return roots.map(lower);
}

/**
 * The activation formulas, each written once, in the expression language: the built-in activations
 * (src/activations) and `keras.ops`'s neural-network functions are these. Keras 3's definition where
 * Keras has the function, PyTorch's otherwise; the strictness of each comparison sets the derivative at a
 * kink (autodiff.ts), following PyTorch's conventions.
 */
import { binaryOp, constant, lift, unaryOp, where, type Expr, type ExprLike } from './expr';

const add = (a: ExprLike, b: ExprLike) => binaryOp('add', a, b);
const sub = (a: ExprLike, b: ExprLike) => binaryOp('sub', a, b);
const mul = (a: ExprLike, b: ExprLike) => binaryOp('mul', a, b);
const div = (a: ExprLike, b: ExprLike) => binaryOp('div', a, b);
const gt = (a: ExprLike, b: ExprLike) => binaryOp('gt', a, b);
const lt = (a: ExprLike, b: ExprLike) => binaryOp('lt', a, b);
const le = (a: ExprLike, b: ExprLike) => binaryOp('le', a, b);

/** SELU constants (Klambauer et al. 2017), as in Keras and PyTorch. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
const SQRT_2_OVER_PI = 0.7978845608028654;
const INV_SQRT2 = 0.7071067811865476;

/** max(x, 0): relu'(0) = 0 (a tie passes no gradient). */
export const relu = (x: ExprLike) => binaryOp('maximum', x, 0);
/**
 * Keras 3's relu(x, negative_slope, max_value, threshold) (ReLU.static_call): y = x·[x > t], clipped to
 * [0, max_value] when given, minus negative_slope·max(t − x, 0); with a slope alone it is leaky_relu.
 * `given` says which parameters are set (not 0, max not none): that decides the formula's structure.
 */
export function reluWith(x: ExprLike, slope: ExprLike, maxValue: ExprLike, t: ExprLike, given: { slope: boolean; max: boolean; threshold: boolean }): Expr {
  if (!given.slope && !given.max && !given.threshold) return relu(x);
  if (given.slope && !given.max && !given.threshold) return leakyRelu(x, slope);
  let y: Expr = given.threshold ? where(gt(x, t), x, 0) : relu(x);
  if (given.max) y = clip(y, 0, maxValue);
  if (given.slope) y = sub(y, mul(slope, binaryOp('maximum', given.threshold ? sub(t, x) : unaryOp('neg', x), 0)));
  return y;
}
/** clip(x, lo, hi) = min(max(x, lo), hi): derivative 1 strictly inside, 0 at and beyond the bounds. */
export const clip = (x: ExprLike, lo: ExprLike, hi: ExprLike) => binaryOp('minimum', binaryOp('maximum', x, lo), hi);
/**
 * Keras's `ops.clip` (the TensorFlow backend's clip_by_value): the same values as `clip`, but the gradient
 * passes on [lo, hi] including its ends; the cross-entropies clip their probabilities with it.
 */
export const clipValue = (x: ExprLike, lo: ExprLike, hi: ExprLike) => where(lt(x, lo), lo, where(gt(x, hi), hi, x));
/** clip(x, 0, 6). */
export const relu6 = (x: ExprLike) => clip(x, 0, 6);
/** x > 0 ? x : α·(eˣ − 1); f'(0) = α. */
export const elu = (x: ExprLike, alpha: ExprLike = 1) => where(gt(x, 0), x, mul(alpha, unaryOp('expm1', x)));
/** scale·elu(x, α) with the SELU constants. */
export const selu = (x: ExprLike) => mul(SELU_SCALE, elu(x, SELU_ALPHA));
/** x > 0 ? x : α·(e^(x/α) − 1); f'(0) = 1. */
export const celu = (x: ExprLike, alpha: ExprLike = 1) => where(gt(x, 0), x, mul(alpha, unaryOp('expm1', div(x, alpha))));
/** x > 0 ? x : slope·x; f'(0) = slope. */
export const leakyRelu = (x: ExprLike, negativeSlope: ExprLike = 0.2) => where(gt(x, 0), x, mul(negativeSlope, x));
/** relu6(x + 3)/6 = clip(x/6 + 1/2, 0, 1); derivative 0 at ±3. */
export const hardSigmoid = (x: ExprLike) => div(relu6(add(x, 3)), 6);
/**
 * x·relu6(x + 3)/6, written piecewise so that the derivative at the kinks is PyTorch's: −1/2 at −3 and 3/2
 * at 3 (the inner branch owns both ends).
 */
export const hardSilu = (x: ExprLike) => where(lt(x, -3), 0, where(le(x, 3), div(mul(x, add(x, 3)), 6), x));
/** |x| > t ? x : 0; derivative 0 at ±t. */
export const hardShrink = (x: ExprLike, threshold: ExprLike = 0.5) => where(gt(unaryOp('abs', x), threshold), x, 0);
/** x > t ? x − t : x < −t ? x + t : 0. */
export const softShrink = (x: ExprLike, threshold: ExprLike = 0.5) => {
  const t = lift(threshold);
  return where(gt(x, t), sub(x, t), where(lt(x, unaryOp('neg', t)), add(x, t), 0));
};
/** x > threshold ? x : defaultValue; derivative 0 at the threshold. */
export const threshold = (x: ExprLike, t: ExprLike, defaultValue: ExprLike) => where(gt(x, t), x, defaultValue);
/** x/(1 + |x|). */
export const softsign = (x: ExprLike) => div(x, add(1, unaryOp('abs', x)));
/**
 * softsign's derivative 1/(1 + |x|)², hand-written: the autodiff's 1/(1 + |x|) − x·sign(x)/(1 + |x|)²
 * cancels for large |x|; measured in the float32 simulation over ±80 (test/expr/derivatives.test.ts),
 * it is off by up to 80·ε ≈ 5e-6 relative there, this form by under 2e-7.
 */
export const softsignDerivative = (x: ExprLike) => {
  const d = add(1, unaryOp('abs', x));
  return div(1, mul(d, d));
};
/** x·σ(x). */
export const silu = (x: ExprLike) => mul(x, unaryOp('sigmoid', x));
/**
 * x − tanh x. Below |x| = 0.2 the difference cancels (float32 at x = 1e-3: 20 % off, at 0.2: 1e-5), so
 * there it is tanh's series, x³/3 − 2x⁵/15 + 17x⁷/315 − … to x¹⁵ (truncation below 3e-13 relative). The
 * derivative of the outer branch folds to tanh²x exactly (expr.ts's a − (a − b) = b).
 */
export const tanhShrink = (x: ExprLike) => {
  const v = lift(x);
  const x2 = mul(v, v);
  const coefficients = [1 / 3, -2 / 15, 17 / 315, -62 / 2835, 1382 / 155925, -21844 / 6081075, 929569 / 638512875];
  let series: Expr = constant(coefficients[coefficients.length - 1]);
  for (let k = coefficients.length - 2; k >= 0; k--) series = add(coefficients[k], mul(x2, series));
  return where(lt(unaryOp('abs', v), 0.2), mul(mul(x2, v), series), sub(v, unaryOp('tanh', v)));
};
/** x·tanh(softplus x). */
export const mish = (x: ExprLike) => mul(x, unaryOp('tanh', unaryOp('softplus', x)));
/** PyTorch's softplus with β and a linear threshold: β·x > threshold ? x : softplus(β·x)/β. */
export const softplusBeta = (x: ExprLike, beta: ExprLike, linearAbove: ExprLike) => {
  const bx = mul(beta, x);
  return where(gt(bx, linearAbove), x, div(unaryOp('softplus', bx), beta));
};

/**
 * GELU. Exact: x·Φ(x) = x·erfc(−x/√2)/2 (erfc keeps relative accuracy for negative x, where 1 + erf does
 * not). Approximate: x·½(1 + tanh u) written as x·σ(2u), u = √(2/π)(x + 0.044715x³), without the
 * cancellation of 1 + tanh u for negative u.
 */
export function gelu(x: ExprLike, approximate: boolean): Expr {
  if (approximate) {
    const u = mul(SQRT_2_OVER_PI, add(x, mul(0.044715, mul(mul(x, x), x))));
    return mul(x, unaryOp('sigmoid', mul(2, u)));
  }
  return mul(mul(0.5, x), unaryOp('erfc', mul(-INV_SQRT2, x)));
}

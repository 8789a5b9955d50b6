/**
 * CPU activation kernels: forward y = f(z) and backward dL/dz = dL/dy · f'(z).
 *
 * Layout for mirroring in WGSL: `activationForward` and `activationBackward` each hold one `case`
 * per activation, in the same order, each with its formula in a comment. The switch runs once per
 * call; the loop inside is tight and allocation-free. All arithmetic is done in float64 (JS numbers)
 * whatever the array type, but the parameters are first cast to the arrays' dtype, as Keras casts them
 * to the compute dtype: on float32 data a threshold compares as a float32 (Keras's hard_shrink(0.3)
 * at x = 0.3 gives 0), on the CPU and the GPU alike. Kinks use PyTorch's derivative convention, stated
 * per case.
 */
import { erfc } from '../../expr/special-functions';
import type { ActivationSpec } from '../../activations';
import { ShapeError, UnknownIdentifierError, invalid, received } from '../../errors';

type FloatArray = Float32Array | Float64Array;

/** SELU constants (Klambauer et al. 2017), as in Keras and PyTorch. */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU scale, see {@link SELU_ALPHA}. */
export const SELU_SCALE = 1.0507009873554805;
/** GELU tanh approximation: u = √(2/π)·(z + GELU_COEF·z³). */
export const GELU_COEF = 0.044715;
const SQRT_2_OVER_PI = 0.7978845608028654;
const INV_SQRT2 = 0.7071067811865476;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Logistic sigmoid 1/(1+e^(−x)). Exact-enough for every x in float64: e^(−x) overflowing to +∞ gives 0.
 * (A WGSL mirror should split on the sign instead: f32 overflow of exp is not guaranteed to give +∞.)
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** softplus(x) = log(1+e^x) = max(x,0) + log1p(e^(−|x|)), without overflow. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}


/** The parameters in the dtype of `a`: rounded to float32 for float32 arrays. */
function paramsIn(spec: ActivationSpec, a: FloatArray): Readonly<Record<string, number>> {
  if (!(a instanceof Float32Array)) return spec.params;
  const p: Record<string, number> = {};
  for (const k in spec.params) p[k] = Math.fround(spec.params[k]);
  return p;
}

/** What activationBackward reads besides dy: see backwardReads. */
const READ_Y = new Set(['sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'celu']);
const READ_NOT_Z = new Set(['linear', 'sigmoid', 'tanh', 'softmax']);

function unknownSpec(fn: string, spec: { name: unknown }): never {
  invalid({ what: 'activation', where: fn, expected: 'a spec from getActivation', received: received('name', spec.name) }, UnknownIdentifierError);
}

function checkLength(fn: string, what: string, a: FloatArray, n: number): void {
  if (a.length < n) {
    invalid({ what, where: fn, expected: `at least rows·cols = ${n} elements`, received: `length ${a.length}` }, ShapeError);
  }
}

/**
 * out = f(x) elementwise on the first rows·cols elements; softmax is row-wise over `cols`
 * (x is rows×cols, row-major). `out` may alias `x`. Returns `out`.
 */
export function activationForward(spec: ActivationSpec, x: FloatArray, out: FloatArray, rows: number, cols: number): FloatArray {
  const n = rows * cols;
  checkLength('activationForward', 'x', x, n);
  checkLength('activationForward', 'out', out, n);
  const p = paramsIn(spec, x);
  switch (spec.name) {
    case 'linear': // y = z
      if (out !== x) out.set(x.subarray(0, n));
      break;
    case 'elu': { const a = p.alpha; // y = z > 0 ? z : α·(e^z − 1)
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : a * Math.expm1(v); }
      break; }
    case 'hardshrink': { const l = p.lambd; // y = |z| > λ ? z : 0
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v >= -l && v <= l ? 0 : v; }
      break; }
    case 'hardsigmoid': // y = relu6(z + 3)/6 = clamp(z/6 + 1/2, 0, 1)
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v <= -3 ? 0 : v >= 3 ? 1 : (v + 3) / 6; }
      break;
    case 'hardtanh': { const lo = p.minVal, hi = p.maxVal; // y = clamp(z, minVal, maxVal)
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v < lo ? lo : v > hi ? hi : v; }
      break; }
    case 'leaky_relu': { const s = p.negativeSlope; // y = z > 0 ? z : s·z
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : s * v; }
      break; }
    case 'log_sigmoid': // y = log σ(z) = min(z, 0) − log1p(e^(−|z|))
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v))); }
      break;
    case 'relu': { const s = p.negativeSlope, m = p.maxValue, t = p.threshold;
      if (s === 0 && m === Infinity && t === 0) { // y = max(z, 0)   (NaN propagates)
        for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v < 0 ? 0 : v; }
        break;
      } // Keras 3: y = (z > t ? z : 0), clipped to [0, maxValue] if given, minus s·max(t − z, 0)
      for (let i = 0; i < n; i++) {
        const v = x[i];
        let r = v > t ? v : 0;
        if (m !== Infinity) r = r < 0 ? 0 : r > m ? m : r;
        out[i] = r - s * (t - v > 0 ? t - v : 0);
      }
      break; }
    case 'relu6': // y = clamp(z, 0, 6)
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v < 0 ? 0 : v > 6 ? 6 : v; }
      break;
    case 'selu': // y = scale·(z > 0 ? z : α·(e^z − 1))
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)); }
      break;
    case 'celu': { const a = p.alpha; // y = z > 0 ? z : α·(e^(z/α) − 1)
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : a * Math.expm1(v / a); }
      break; }
    case 'sigmoid': // y = σ(z) = 1/(1 + e^(−z))
      for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]);
      break;
    case 'softplus': { const b = p.beta, t = p.threshold; // y = β·z > threshold ? z : log(1 + e^(β·z))/β
      for (let i = 0; i < n; i++) { const v = x[i], bv = b * v; out[i] = bv > t ? v : softplus(bv) / b; }
      break; }
    case 'softshrink': { const l = p.lambd; // y = z > λ ? z − λ : z < −λ ? z + λ : 0
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > l ? v - l : v < -l ? v + l : 0; }
      break; }
    case 'softsign': // y = z/(1 + |z|)
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v / (1 + Math.abs(v)); }
      break;
    case 'tanh': // y = tanh z
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      break;
    case 'softmax': // y_j = e^(z_j − m)/Σ_k e^(z_k − m), m = max_k z_k, per row
      for (let r = 0; r < rows; r++) {
        const o = r * cols, e = o + cols;
        let m = -Infinity;
        for (let j = o; j < e; j++) if (x[j] > m) m = x[j];
        let s = 0;
        for (let j = o; j < e; j++) { const v = Math.exp(x[j] - m); out[j] = v; s += v; }
        const inv = 1 / s;
        for (let j = o; j < e; j++) out[j] *= inv;
      }
      break;
    case 'hardswish': // y = z·relu6(z + 3)/6
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6; }
      break;
    case 'gelu':
      if (p.approximate) { // y = z·½(1 + tanh u) = z·σ(2u),  u = √(2/π)(z + 0.044715 z³)
        for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v * sigmoid(2 * SQRT_2_OVER_PI * (v + GELU_COEF * v * v * v)); }
      } else { // y = z·Φ(z) = z·½·erfc(−z/√2)
        for (let i = 0; i < n; i++) { const v = x[i]; out[i] = 0.5 * v * erfc(-v * INV_SQRT2); }
      }
      break;
    case 'silu': // y = z·σ(z)
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v * sigmoid(v); }
      break;
    case 'mish': // y = z·tanh(softplus z)
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v * Math.tanh(softplus(v)); }
      break;
    case 'tanhshrink': // y = z − tanh z
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v - Math.tanh(v); }
      break;
    case 'threshold': { const t = p.threshold, val = p.value; // y = z > threshold ? z : value
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > t ? v : val; }
      break; }
    default:
      unknownSpec('activationForward', spec);
  }
  return out;
}

/**
 * out = dL/dz = dy ⊙ f'(z) given dy = dL/dy, z (pre-activation) and y = f(z); softmax uses the row
 * Jacobian-vector product y ⊙ (dy − Σ dy⊙y). `out` may alias `dy`. Returns `out`.
 * Which of z/y each activation reads: {@link backwardReads}.
 */
export function activationBackward(
  spec: ActivationSpec, dy: FloatArray, z: FloatArray, y: FloatArray, out: FloatArray, rows: number, cols: number,
): FloatArray {
  const n = rows * cols;
  checkLength('activationBackward', 'dy', dy, n);
  checkLength('activationBackward', 'out', out, n);
  if (!READ_NOT_Z.has(spec.name)) checkLength('activationBackward', 'z', z, n);
  if (READ_Y.has(spec.name)) checkLength('activationBackward', 'y', y, n);
  const p = paramsIn(spec, dy);
  switch (spec.name) {
    case 'linear': // f' = 1
      if (out !== dy) out.set(dy.subarray(0, n));
      break;
    case 'elu': { const a = p.alpha; // f' = z > 0 ? 1 : α·e^z = y + α   (PyTorch: f'(0) = α)
      for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? dy[i] : dy[i] * (y[i] + a);
      break; }
    case 'hardshrink': // f' = |z| > λ ? 1 : 0   (f'(±λ) = 0)
    case 'softshrink': { const l = p.lambd; // f' = |z| > λ ? 1 : 0   (f'(±λ) = 0)
      for (let i = 0; i < n; i++) { const v = z[i]; out[i] = v >= -l && v <= l ? 0 : dy[i]; }
      break; }
    case 'hardsigmoid': // f' = −3 < z < 3 ? 1/6 : 0   (f'(±3) = 0)
      for (let i = 0; i < n; i++) { const v = z[i]; out[i] = v > -3 && v < 3 ? dy[i] / 6 : 0; }
      break;
    case 'hardtanh': { const lo = p.minVal, hi = p.maxVal; // f' = minVal < z < maxVal ? 1 : 0   (0 at the bounds)
      for (let i = 0; i < n; i++) { const v = z[i]; out[i] = v > lo && v < hi ? dy[i] : 0; }
      break; }
    case 'leaky_relu': { const s = p.negativeSlope; // f' = z > 0 ? 1 : s   (f'(0) = s)
      for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? dy[i] : dy[i] * s;
      break; }
    case 'log_sigmoid': // f' = 1 − σ(z) = σ(−z)
      for (let i = 0; i < n; i++) out[i] = dy[i] * sigmoid(-z[i]);
      break;
    case 'relu': { const s = p.negativeSlope, m = p.maxValue, t = p.threshold;
      if (s === 0 && m === Infinity && t === 0) { // f' = z > 0 ? 1 : 0   (f'(0) = 0)
        for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? dy[i] : 0;
        break;
      } // f' = [z > t and (no maxValue or 0 < z < maxValue)] + s·[z < t]  (leaky form, t = 0 and no maxValue: s·[z ≤ 0])
      const leaky = m === Infinity && t === 0;
      for (let i = 0; i < n; i++) {
        const v = z[i];
        const d = (v > t && (m === Infinity || (v > 0 && v < m)) ? 1 : 0) + ((leaky ? v <= t : v < t) ? s : 0);
        out[i] = dy[i] * d;
      }
      break; }
    case 'relu6': // f' = 0 < z < 6 ? 1 : 0   (f'(0) = f'(6) = 0)
      for (let i = 0; i < n; i++) { const v = z[i]; out[i] = v > 0 && v < 6 ? dy[i] : 0; }
      break;
    case 'selu': // f' = z > 0 ? scale : scale·α·e^z = y + scale·α   (f'(0) = scale·α)
      for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? dy[i] * SELU_SCALE : dy[i] * (y[i] + SELU_SCALE * SELU_ALPHA);
      break;
    case 'celu': { const inv = 1 / p.alpha; // f' = z > 0 ? 1 : e^(z/α) = y/α + 1   (f'(0) = 1)
      for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? dy[i] : dy[i] * (y[i] * inv + 1);
      break; }
    case 'sigmoid': // f' = y·(1 − y)
      for (let i = 0; i < n; i++) { const s = y[i]; out[i] = dy[i] * s * (1 - s); }
      break;
    case 'softplus': { const b = p.beta, t = p.threshold; // f' = β·z > threshold ? 1 : σ(β·z)
      for (let i = 0; i < n; i++) { const bv = b * z[i]; out[i] = bv > t ? dy[i] : dy[i] * sigmoid(bv); }
      break; }
    case 'softsign': // f' = 1/(1 + |z|)²
      for (let i = 0; i < n; i++) { const d = 1 + Math.abs(z[i]); out[i] = dy[i] / (d * d); }
      break;
    case 'tanh': // f' = 1 − y²
      for (let i = 0; i < n; i++) { const t = y[i]; out[i] = dy[i] * (1 - t * t); }
      break;
    case 'softmax': // dz_j = y_j·(dy_j − Σ_k dy_k·y_k), per row
      for (let r = 0; r < rows; r++) {
        const o = r * cols, e = o + cols;
        let s = 0;
        for (let j = o; j < e; j++) s += dy[j] * y[j];
        for (let j = o; j < e; j++) out[j] = y[j] * (dy[j] - s);
      }
      break;
    case 'hardswish': // f' = z < −3 ? 0 : z ≤ 3 ? z/3 + 1/2 : 1   (PyTorch: f'(−3) = −1/2, f'(3) = 3/2)
      for (let i = 0; i < n; i++) { const v = z[i]; out[i] = v < -3 ? 0 : v <= 3 ? dy[i] * (v / 3 + 0.5) : dy[i]; }
      break;
    case 'gelu':
      if (p.approximate) { // s = σ(2u): f' = s + 2z·s(1 − s)·√(2/π)(1 + 3·0.044715 z²)
        for (let i = 0; i < n; i++) {
          const v = z[i], v2 = v * v;
          const s = sigmoid(2 * SQRT_2_OVER_PI * v * (1 + GELU_COEF * v2));
          out[i] = dy[i] * (s + 2 * v * s * (1 - s) * SQRT_2_OVER_PI * (1 + 3 * GELU_COEF * v2));
        }
      } else { // f' = Φ(z) + z·φ(z),  φ(z) = e^(−z²/2)/√(2π)
        for (let i = 0; i < n; i++) {
          const v = z[i];
          out[i] = dy[i] * (0.5 * erfc(-v * INV_SQRT2) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
        }
      }
      break;
    case 'silu': // f' = σ(z)·(1 + z·(1 − σ(z)))
      for (let i = 0; i < n; i++) { const v = z[i], s = sigmoid(v); out[i] = dy[i] * s * (1 + v * (1 - s)); }
      break;
    case 'mish': // t = tanh(softplus z): f' = t + z·(1 − t²)·σ(z)
      for (let i = 0; i < n; i++) {
        const v = z[i], t = Math.tanh(softplus(v));
        out[i] = dy[i] * (t + v * (1 - t * t) * sigmoid(v));
      }
      break;
    case 'tanhshrink': // f' = tanh² z
      for (let i = 0; i < n; i++) { const t = Math.tanh(z[i]); out[i] = dy[i] * t * t; }
      break;
    case 'threshold': { const t = p.threshold; // f' = z > threshold ? 1 : 0   (0 at the threshold)
      for (let i = 0; i < n; i++) out[i] = z[i] > t ? dy[i] : 0;
      break; }
    default:
      unknownSpec('activationBackward', spec);
  }
  return out;
}

/**
 * Which inputs `activationBackward` reads for an activation: a caller may pass an empty array
 * for the other one (or skip keeping it). linear reads neither; sigmoid, tanh and softmax read
 * only y; elu, selu and celu read both; every other activation reads only z.
 */
export function backwardReads(name: ActivationSpec['name']): { readonly z: boolean; readonly y: boolean } {
  return { z: !READ_NOT_Z.has(name), y: READ_Y.has(name) };
}

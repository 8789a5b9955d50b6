/**
 * Special functions in float64 for the CPU side of the expression language (the JavaScript target's
 * runtime, constant folding and uniforms): erf and erfc accurate to about 1e-15 relative (checked against
 * 40-digit references in the tests), and the stable forms of sigmoid, softplus and log-sigmoid. The float32
 * targets do not port these: lower.ts rewrites each into primitives to float32 accuracy.
 */
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erf(x) for |x| < 2: (2x/√π)·e^(−x²)·Σₙ (2x²)ⁿ/(1·3·…·(2n+1)); all terms positive, ≤ 31 of them. */
function erfSeries(x: number): number {
  const x2 = x * x, a = 2 * x2;
  let term = 1, sum = 1;
  for (let k = 1; term > 1e-17 * sum; k++) {
    term *= a / (2 * k + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * x * Math.exp(-x2) * sum;
}

/**
 * erfc(x) for x ≥ 2: even contraction of Laplace's continued fraction, by modified Lentz,
 *   erfc(x) = (2x·e^(−x²)/√π) / (b₀ − a₁/(b₁ − a₂/(b₂ − …))),  bₖ = 2x²+1+4k,  aₖ = 2k(2k−1),
 * ≤ 31 terms. e^(−x²) is split as e^(−s²)·e^(−(x−s)(x+s)) with s = x rounded to 1/16, so the
 * rounding of x² does not cost relative accuracy in the tail.
 */
function erfcFraction(x: number): number {
  if (x > 27.5) return 0; // erfc(27.5) underflows float64
  const b0 = 2 * x * x + 1;
  let f = b0, c = b0, d = 0;
  for (let k = 1; k < 64; k++) {
    const a = -2 * k * (2 * k - 1), b = b0 + 4 * k;
    d = 1 / (b + a * d);
    c = b + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 3e-16) break;
  }
  const s = Math.trunc(x * 16) / 16;
  return ((TWO_OVER_SQRT_PI * x) / f) * Math.exp(-s * s) * Math.exp(-(x - s) * (x + s));
}

/** Error function; relative error below ~1e-15 for every x. */
export function erf(x: number): number {
  if (x > -2 && x < 2) return erfSeries(x);
  if (x !== x) return x;
  return x > 0 ? 1 - erfcFraction(x) : erfcFraction(-x) - 1;
}

/** Complementary error function 1 − erf(x); relative error below ~1e-13 (~1e-15 outside 1.5 < x < 2). */
export function erfc(x: number): number {
  if (x > -2 && x < 2) return 1 - erfSeries(x);
  if (x !== x) return x;
  return x > 0 ? erfcFraction(x) : 2 - erfcFraction(-x);
}

/** Logistic sigmoid 1/(1 + e^(−x)), split on the sign so that e^x never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)), without overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** log σ(x) = min(x, 0) − log1p(e^(−|x|)), without overflow. */
export function logSigmoid(x: number): number {
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}

/** Round half to even (NumPy's `round`, hence Keras's `ops.round`; WGSL's `round` does the same). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

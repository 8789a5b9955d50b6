/**
 * The error function for the exact GELU, accurate to about 1e-15 relative in float64 (checked against
 * 40-digit references in the activation tests). The WGSL mirror ports the same series and fraction.
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

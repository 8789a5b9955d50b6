/**
 * Deterministic fills driven by the counter RNG ({@link randomU32}). Every
 * element is a pure function of `(seed, element index)`, so filling a longer
 * array gives the same prefix, and the result never depends on call history.
 *
 * Stream layout (for anyone re-implementing these elsewhere):
 * - `fillUniform`: element `i` = `minval + (maxval − minval) · randomUniform53(seed, 0, i)`.
 * - `fillNormal`: pair `k` (elements `2k`, `2k+1`) uses `u1 = 1 − randomUniform53(seed, 0, k)`,
 *   `u2 = randomUniform53(seed, 1, k)`, `r = sqrt(−2 ln u1)`; element `2k` = `mean + stddev · r cos(2π u2)`,
 *   element `2k+1` = `mean + stddev · r sin(2π u2)`.
 * - `fillTruncatedNormal`: element `i`, attempt `a = 0, 1, …`: the Box–Muller pair from
 *   `u1 = 1 − randomUniform53(seed, 2a, i)`, `u2 = randomUniform53(seed, 2a + 1, i)`; take the
 *   cosine variate if `|z| ≤ 2`, else the sine variate if `|z| ≤ 2`, else the next attempt.
 * - `shuffleIndices`: Fisher–Yates from the top; position `i` draws `r = randomU32(seed, a, i)`
 *   for attempts `a = 0, 1, …` until `r < 2^32 − (2^32 mod (i+1))`, then swaps with `r mod (i+1)`.
 */
import { invalid, received } from '../errors';
import { randomU32, randomUniform53 } from './counter-rng';
import { checkSeed } from './seed';

/** A floating-point output buffer. */
export type FloatArray = Float32Array | Float64Array;

const TWO_PI = 2 * Math.PI;
/** Truncated-normal attempts per element before giving up (probability of reaching it ≈ 0.0455^(2·64)). */
const MAX_TRUNCATION_ATTEMPTS = 64;

function checkOut(out: unknown, where: string): FloatArray {
  if (!(out instanceof Float32Array) && !(out instanceof Float64Array)) {
    invalid({ what: 'out', where, expected: 'a Float32Array or Float64Array', received: received('out', out) });
  }
  return out;
}

function checkFinite(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    invalid({ what: name, where, expected: 'a finite number', received: received(name, value) });
  }
  return value;
}

function checkStddev(value: unknown, where: string): number {
  checkFinite(value, 'stddev', where);
  if ((value as number) < 0) {
    invalid({ what: 'stddev', where, expected: 'a number ≥ 0', received: received('stddev', value) });
  }
  return value as number;
}

/**
 * Fill `out` with uniform values in `[minval, maxval)` (53-bit resolution; a
 * Float32Array may round a value up to `maxval`).
 *
 * @param out    The array to fill (every element is overwritten).
 * @param seed   An integer in `[0, 2^32 − 1]`.
 * @param minval Lower bound, finite. Default `0`.
 * @param maxval Upper bound, finite, `≥ minval`. Default `1`.
 * @returns `out`.
 */
export function fillUniform<T extends FloatArray>(out: T, seed: number, minval = 0, maxval = 1): T {
  const where = 'fillUniform';
  checkOut(out, where);
  checkSeed(seed, where);
  checkFinite(minval, 'minval', where);
  checkFinite(maxval, 'maxval', where);
  if (minval > maxval) {
    invalid({ what: 'bounds', where, expected: 'minval ≤ maxval', received: `minval=${minval}, maxval=${maxval}` });
  }
  const range = maxval - minval;
  for (let i = 0; i < out.length; i++) out[i] = minval + range * randomUniform53(seed, 0, i);
  return out;
}

/**
 * Fill `out` with normal values (Box–Muller on 53-bit uniforms).
 *
 * @param out    The array to fill (every element is overwritten).
 * @param seed   An integer in `[0, 2^32 − 1]`.
 * @param mean   Mean, finite. Default `0`.
 * @param stddev Standard deviation, finite and `≥ 0`. Default `1`.
 * @returns `out`.
 */
export function fillNormal<T extends FloatArray>(out: T, seed: number, mean = 0, stddev = 1): T {
  const where = 'fillNormal';
  checkOut(out, where);
  checkSeed(seed, where);
  checkFinite(mean, 'mean', where);
  checkStddev(stddev, where);
  const n = out.length;
  for (let k = 0; 2 * k < n; k++) {
    const r = Math.sqrt(-2 * Math.log(1 - randomUniform53(seed, 0, k)));
    const theta = TWO_PI * randomUniform53(seed, 1, k);
    out[2 * k] = mean + stddev * r * Math.cos(theta);
    if (2 * k + 1 < n) out[2 * k + 1] = mean + stddev * r * Math.sin(theta);
  }
  return out;
}

/**
 * Fill `out` with normal values truncated at two standard deviations: like
 * Keras, variates with `|z| > 2` are discarded and re-drawn, so every value
 * satisfies `|x − mean| ≤ 2·stddev` (up to output rounding). The standard
 * deviation of the result is `≈ 0.8796·stddev`.
 *
 * @param out    The array to fill (every element is overwritten).
 * @param seed   An integer in `[0, 2^32 − 1]`.
 * @param mean   Mean, finite. Default `0`.
 * @param stddev Standard deviation of the untruncated normal, finite and `≥ 0`. Default `1`.
 * @returns `out`.
 */
export function fillTruncatedNormal<T extends FloatArray>(out: T, seed: number, mean = 0, stddev = 1): T {
  const where = 'fillTruncatedNormal';
  checkOut(out, where);
  checkSeed(seed, where);
  checkFinite(mean, 'mean', where);
  checkStddev(stddev, where);
  for (let i = 0; i < out.length; i++) {
    let z = 0; // fallback if every attempt fails (never observed in practice)
    for (let a = 0; a < MAX_TRUNCATION_ATTEMPTS; a++) {
      const r = Math.sqrt(-2 * Math.log(1 - randomUniform53(seed, 2 * a, i)));
      const theta = TWO_PI * randomUniform53(seed, 2 * a + 1, i);
      const c = r * Math.cos(theta);
      if (Math.abs(c) <= 2) {
        z = c;
        break;
      }
      const s = r * Math.sin(theta);
      if (Math.abs(s) <= 2) {
        z = s;
        break;
      }
    }
    out[i] = mean + stddev * z;
  }
  return out;
}

/**
 * A uniformly random permutation of `0 … n−1` (Fisher–Yates with rejection
 * sampling, so every permutation is equally likely).
 *
 * @param n    Number of indices, an integer in `[0, 2^31 − 1]`.
 * @param seed An integer in `[0, 2^32 − 1]`.
 * @returns A new `Int32Array` of length `n`.
 */
export function shuffleIndices(n: number, seed: number): Int32Array {
  const where = 'shuffleIndices';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    invalid({ what: 'n', where, expected: 'an integer in [0, 2147483647]', received: received('n', n) });
  }
  checkSeed(seed, where);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const bound = i + 1;
    const limit = 4294967296 - (4294967296 % bound);
    let r = randomU32(seed, 0, i);
    for (let a = 1; r >= limit; a++) r = randomU32(seed, a, i);
    const j = r % bound;
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

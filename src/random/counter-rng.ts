/**
 * Stateless counter-based random numbers, reproducible bit for bit on the CPU
 * (this file) and on the GPU (the WGSL in {@link COUNTER_RNG_WGSL}).
 *
 * ## Algorithm (normative — the WGSL mirror must follow it exactly)
 *
 * All arithmetic is on uint32 words: `*` is the low 32 bits of the product
 * (JS `Math.imul(a, b) >>> 0`, WGSL `a * b` on `u32`), `+` wraps mod 2^32,
 * `^` is xor and `>>` a logical right shift.
 *
 * The mixing function is the 32-bit MurmurHash3 finaliser (a bijection on u32):
 *
 * ```
 * mix(x):
 *   x = x ^ (x >> 16);  x = x * 0x85EBCA6B;
 *   x = x ^ (x >> 13);  x = x * 0xC2B2AE35;
 *   x = x ^ (x >> 16);  return x
 * ```
 *
 * A draw keyed by `(seed, stream, index)` is
 *
 * ```
 * random_u32(seed, stream, index):
 *   k = mix(seed + 0x9E3779B9)          // seed key
 *   s = mix(k ^ (stream + 0x7F4A7C15))  // (seed, stream) key
 *   h = mix(s ^ index)
 *   h = mix(h + k)
 *   return h
 *
 * random_uniform01(seed, stream, index):
 *   return f32(random_u32(seed, stream, index) >> 8) * 2^-24   // in [0, 1)
 * ```
 *
 * For a fixed `(seed, stream)` the map `index -> random_u32` is a bijection of
 * u32, so no two indices of one stream collide. The uniform has 24-bit
 * resolution, so it is exact in both float32 and float64 and compares the
 * same way on both sides (`u < rate`).
 */

/** The MurmurHash3 finaliser multipliers and the key-derivation offsets (see the module comment). */
const M1 = 0x85ebca6b;
const M2 = 0xc2b2ae35;
const SEED_OFFSET = 0x9e3779b9;
const STREAM_OFFSET = 0x7f4a7c15;

/** 2^-24: the step of {@link randomUniform01}. */
export const UNIFORM01_STEP = 1 / 16777216;

function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, M1);
  x ^= x >>> 13;
  x = Math.imul(x, M2);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A uniformly distributed uint32 determined only by its three uint32 keys.
 *
 * Inputs are reduced mod 2^32 (`>>> 0`), so pass integers in `[0, 2^32)`.
 *
 * @param seed   The seed (e.g. from a {@link SeedGenerator}).
 * @param stream A sub-sequence selector (e.g. the training step for dropout).
 * @param index  The position within the stream (e.g. the element index).
 * @returns An integer in `[0, 2^32)`.
 */
export function randomU32(seed: number, stream: number, index: number): number {
  const k = mix((seed + SEED_OFFSET) >>> 0);
  const s = mix((k ^ ((stream + STREAM_OFFSET) >>> 0)) >>> 0);
  const h = mix((s ^ index) >>> 0);
  return mix((h + k) >>> 0);
}

/**
 * A uniform number in `[0, 1)` with 24-bit resolution: `(randomU32(…) >>> 8) * 2^-24`.
 * The value is exactly representable in float32, and equals what the WGSL
 * `random_uniform01` returns for the same keys.
 */
export function randomUniform01(seed: number, stream: number, index: number): number {
  return (randomU32(seed, stream, index) >>> 8) * UNIFORM01_STEP;
}

/**
 * A uniform number in `[0, 1)` with 53-bit resolution, built from two draws:
 * `hi = randomU32(seed, 2·pair, index) >>> 5` (27 bits) and
 * `lo = randomU32(seed, 2·pair + 1, index) >>> 6` (26 bits),
 * result `(hi · 2^26 + lo) · 2^-53`. CPU-only (float64).
 *
 * @param pair Selects the stream pair `(2·pair, 2·pair + 1)`; `0 ≤ pair < 2^31`.
 */
export function randomUniform53(seed: number, pair: number, index: number): number {
  const hi = randomU32(seed, 2 * pair, index) >>> 5;
  const lo = randomU32(seed, 2 * pair + 1, index) >>> 6;
  return (hi * 67108864 + lo) * 1.1102230246251565e-16; // 2^26, 2^-53
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}u`;

/**
 * WGSL source of the same generator, to be pasted into a shader module:
 *
 * - `fn rng_mix(x: u32) -> u32` — the MurmurHash3 finaliser;
 * - `fn random_u32(seed: u32, stream: u32, index: u32) -> u32` — equals {@link randomU32};
 * - `fn random_uniform01(seed: u32, stream: u32, index: u32) -> f32` — equals
 *   {@link randomUniform01} bit for bit.
 *
 * It declares no bindings and only the three functions above, so it can be
 * prepended to any compute shader that does not define those names.
 */
export const COUNTER_RNG_WGSL = /* wgsl */ `
fn rng_mix(x_in: u32) -> u32 {
  var x = x_in;
  x = x ^ (x >> 16u);
  x = x * ${hex(M1)};
  x = x ^ (x >> 13u);
  x = x * ${hex(M2)};
  x = x ^ (x >> 16u);
  return x;
}

fn random_u32(seed: u32, stream: u32, index: u32) -> u32 {
  let k = rng_mix(seed + ${hex(SEED_OFFSET)});
  let s = rng_mix(k ^ (stream + ${hex(STREAM_OFFSET)}));
  let h = rng_mix(s ^ index);
  return rng_mix(h + k);
}

fn random_uniform01(seed: u32, stream: u32, index: u32) -> f32 {
  return f32(random_u32(seed, stream, index) >> 8u) * 5.9604644775390625e-8;
}
`;

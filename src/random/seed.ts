/**
 * Seeds with Keras semantics.
 *
 * - `setRandomSeed(n)` fixes the global seed and restarts the global
 *   {@link SeedGenerator}; without it, the global seed is drawn once from
 *   `Math.random` the first time anything asks for it.
 * - Layers, initializers and shuffles take their seeds from
 *   `getGlobalSeedGenerator().next()`, so with the same global seed the same
 *   sequence of requests (same model construction / fit order) gets the same seeds.
 * - `new SeedGenerator(seed)` gives a private, independent sequence (e.g. `fit`'s `seed` option).
 *
 * A seed is an integer in `[0, 2^32 − 1]`; anything else is rejected (no silent wrapping).
 */
import { describe, invalid, received } from '../errors';
import { randomU32 } from './counter-rng';

/** Largest valid seed, `2^32 − 1`. */
export const MAX_SEED = 0xffffffff;

/** The stream of the counter RNG that seed generators read (ASCII "SEED"). */
const SEED_STREAM = 0x53454544;

/**
 * Validate a seed: an integer in `[0, 2^32 − 1]`.
 *
 * @param value The candidate seed.
 * @param where Where it was passed, for the error message (default `'setRandomSeed'`).
 * @param name  The argument name, for the error message (default `'seed'`).
 * @returns The seed, unchanged.
 * @throws ValueError in the standard template otherwise.
 */
export function checkSeed(value: unknown, where = 'setRandomSeed', name = 'seed'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SEED) {
    invalid({
      what: name,
      where,
      expected: `an integer in [0, ${MAX_SEED}]`,
      received: received(name, value),
      hint:
        typeof value === 'number' && Number.isInteger(value)
          ? `use \`${describe(value)} >>> 0\` to wrap it into range, or pick a smaller seed`
          : undefined,
    });
  }
  return value;
}

/**
 * A deterministic sequence of uint32 seeds: the `i`-th call of {@link next}
 * returns `randomU32(seed, 0x53454544, i)` (i = 0, 1, 2, …).
 */
export class SeedGenerator {
  /** The seed this generator was created with. */
  readonly seed: number;
  private counter = 0;

  /**
   * @param seed An integer in `[0, 2^32 − 1]`. Default: one seed taken from the
   *   global generator (`getGlobalSeedGenerator().next()`), like Keras's
   *   `SeedGenerator(seed=None)`.
   */
  constructor(seed?: number) {
    this.seed = seed === undefined ? getGlobalSeedGenerator().next() : checkSeed(seed, 'SeedGenerator');
  }

  /** The next seed of the sequence, an integer in `[0, 2^32 − 1]`. */
  next(): number {
    const value = randomU32(this.seed, SEED_STREAM, this.counter);
    this.counter = (this.counter + 1) >>> 0;
    return value;
  }

  /** How many seeds {@link next} has handed out (mod 2^32). */
  get count(): number {
    return this.counter;
  }
}

let globalSeed: number | undefined;
let globalGenerator: SeedGenerator | undefined;

/**
 * Fix the global seed (Keras `keras.utils.set_random_seed`). Restarts the
 * global {@link SeedGenerator}, so everything that draws seeds afterwards is
 * reproducible.
 *
 * @param seed An integer in `[0, 2^32 − 1]`.
 */
export function setRandomSeed(seed: number): void {
  globalSeed = checkSeed(seed, 'setRandomSeed');
  globalGenerator = new SeedGenerator(globalSeed);
}

/**
 * The global seed: the last one given to {@link setRandomSeed}, or, if none,
 * one drawn once from `Math.random` (and kept from then on).
 */
export function getGlobalSeed(): number {
  if (globalSeed === undefined) globalSeed = Math.floor(Math.random() * 4294967296) >>> 0;
  return globalSeed;
}

/** The global {@link SeedGenerator}, created from {@link getGlobalSeed} on first use. */
export function getGlobalSeedGenerator(): SeedGenerator {
  if (globalGenerator === undefined) globalGenerator = new SeedGenerator(getGlobalSeed());
  return globalGenerator;
}

/**
 * `seed` if given (validated), otherwise the next seed of the global generator.
 *
 * @param seed  An optional integer in `[0, 2^32 − 1]`.
 * @param where Where it was passed, for the error message (default `'resolveSeed'`).
 */
export function resolveSeed(seed: number | null | undefined, where = 'resolveSeed'): number {
  return seed == null ? getGlobalSeedGenerator().next() : checkSeed(seed, where);
}

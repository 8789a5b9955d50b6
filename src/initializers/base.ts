/**
 * The initializer contract and the helpers every initializer shares: shape
 * and dtype checks, fan computation, option validation and seed resolution.
 */
import { invalid, received } from '../errors';
import { checkOptions as checkStrict } from '../utils/options';
import { checkSeed, getGlobalSeedGenerator } from '../random/seed';

/** Element type of a generated weight array. */
export type InitializerDtype = 'float32' | 'float64';

/** A weight initializer (Keras `keras.initializers.Initializer`). */
export interface Initializer {
  /** The class name used for serialization, e.g. `'GlorotUniform'`. */
  readonly name: string;
  /** The constructor options (Keras `get_config`), enough to rebuild it with `getInitializer`. */
  getConfig(): Record<string, unknown>;
  /**
   * Fill a new array of this shape (row-major).
   *
   * @param shape Dimensions, non-negative integers; `[fanIn, fanOut]` for a dense kernel, `[n]` for a bias.
   * @param dtype `'float32'` or `'float64'`.
   * @param seed  Used when the initializer has no seed of its own; default: the next global seed.
   */
  generate(shape: readonly number[], dtype: InitializerDtype, seed?: number): Float32Array | Float64Array;
}

/** The common `seed` option: an integer in `[0, 2^32 − 1]`; `null`/absent means "no fixed seed". */
export interface SeedOption {
  /**
   * Fixed seed: every `generate` call then returns the same values (Keras
   * behaviour with an integer seed). Default: none — a seed is taken per call
   * from `generate`'s argument or the global seed generator.
   */
  seed?: number | null;
}

/**
 * Keras `compute_fans`: `[]` → (1, 1); `[n]` → (n, n); `[a, b]` → (a, b);
 * higher rank `[...k, in, out]` → (in·∏k, out·∏k).
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  const rank = shape.length;
  if (rank === 0) return { fanIn: 1, fanOut: 1 };
  if (rank === 1) return { fanIn: shape[0], fanOut: shape[0] };
  let receptive = 1;
  for (let i = 0; i < rank - 2; i++) receptive *= shape[i];
  return { fanIn: shape[rank - 2] * receptive, fanOut: shape[rank - 1] * receptive };
}

/** Validate `shape`/`dtype` and allocate the zero-filled output. */
export function allocate(shape: unknown, dtype: unknown, where: string): Float32Array | Float64Array {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    invalid({
      what: 'shape',
      where,
      expected: 'an array of non-negative integers',
      received: received('shape', shape),
    });
  }
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (size > 0x7fffffff) {
    invalid({ what: 'shape', where, expected: 'at most 2^31 − 1 elements', received: received('shape', shape) });
  }
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'float64') return new Float64Array(size);
  return invalid({ what: 'dtype', where, expected: "'float32' or 'float64'", received: received('dtype', dtype) });
}

/**
 * Check an initializer's options (the shared strict check: unknown names refused with a did-you-mean
 * hint). `null` counts as none here: a saved `config: null` means "defaults".
 */
export function checkOptions(options: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  return checkStrict((options ?? undefined) as Record<string, unknown> | undefined, where, { known: allowed });
}

/** A finite number option, with a default when absent. */
export function numberOption(value: unknown, fallback: number, name: string, where: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    invalid({ what: name, where, expected: 'a finite number', received: received(name, value) });
  }
  return value;
}

/** A finite, strictly positive number option, with a default when absent. */
export function positiveOption(value: unknown, fallback: number, name: string, where: string): number {
  const v = numberOption(value, fallback, name, where);
  if (!(v > 0)) invalid({ what: name, where, expected: 'a number > 0', received: received(name, value) });
  return v;
}

/** The optional `seed` option: `undefined` when absent or `null`. */
export function seedOption(value: unknown, where: string): number | undefined {
  return value == null ? undefined : checkSeed(value, where);
}

/**
 * Base class: validates `generate`'s arguments, allocates the array, and
 * resolves the seed (own seed, else `generate`'s, else the global generator).
 */
export abstract class BaseInitializer implements Initializer {
  /** Serialization name of the class; each concrete class overrides it. */
  static readonly className: string = 'Initializer';

  /** The class name, e.g. `'GlorotUniform'`. */
  get name(): string {
    return (this.constructor as typeof BaseInitializer).className;
  }

  abstract getConfig(): Record<string, unknown>;

  generate(shape: readonly number[], dtype: InitializerDtype, seed?: number): Float32Array | Float64Array {
    const where = `${this.name}.generate`;
    const out = allocate(shape, dtype, where);
    if (seed != null) checkSeed(seed, where);
    this.fill(out, shape, () => this.fixedSeed ?? seed ?? getGlobalSeedGenerator().next());
    return out;
  }

  /** The initializer's own seed, if it has one. */
  protected get fixedSeed(): number | undefined {
    return undefined;
  }

  /**
   * Fill the zeroed `out`. `seed()` resolves the seed; call it at most once,
   * and only if randomness is needed (so constant initializers consume no global seeds).
   */
  protected abstract fill(out: Float32Array | Float64Array, shape: readonly number[], seed: () => number): void;
}

/** Base of the random initializers: holds the optional fixed `seed` option. */
export abstract class SeededInitializer extends BaseInitializer {
  /** The fixed seed, or `undefined` when each `generate` call draws a fresh one. */
  readonly seed: number | undefined;

  protected constructor(seed: unknown, where: string) {
    super();
    this.seed = seedOption(seed, where);
  }

  protected override get fixedSeed(): number | undefined {
    return this.seed;
  }
}

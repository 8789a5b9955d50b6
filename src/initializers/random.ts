/** Plain random initializers: `RandomNormal`, `RandomUniform`, `TruncatedNormal`. */
import { invalid } from '../errors';
import { fillNormal, fillTruncatedNormal, fillUniform } from '../random/distributions';
import { SeededInitializer, checkOptions, numberOption, positiveOption, type SeedOption } from './base';

/** Options of {@link RandomNormal} and {@link TruncatedNormal}. */
export interface NormalOptions extends SeedOption {
  /** Mean, a finite number. Default `0`. */
  mean?: number;
  /** Standard deviation (of the untruncated normal), a finite number `> 0`. Default `0.05`. */
  stddev?: number;
}

/** Options of {@link RandomUniform}. */
export interface UniformOptions extends SeedOption {
  /** Lower bound (inclusive), a finite number. Default `-0.05`. */
  minval?: number;
  /** Upper bound (exclusive), a finite number `> minval`. Default `0.05`. */
  maxval?: number;
}

/** Normal values `N(mean, stddev²)` (Keras `RandomNormal`, identifier `'random_normal'`). */
export class RandomNormal extends SeededInitializer {
  static override readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;

  /** @param options `{ mean = 0, stddev = 0.05, seed }`. */
  constructor(options: NormalOptions = {}) {
    const o = checkOptions(options, ['mean', 'stddev', 'seed'], 'RandomNormal');
    super(o.seed, 'RandomNormal');
    this.mean = numberOption(o.mean, 0, 'mean', 'RandomNormal');
    this.stddev = positiveOption(o.stddev, 0.05, 'stddev', 'RandomNormal');
  }

  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }

  protected fill(out: Float32Array | Float64Array, _shape: readonly number[], seed: () => number): void {
    fillNormal(out, seed(), this.mean, this.stddev);
  }
}

/**
 * Normal values with anything beyond two standard deviations from the mean
 * re-drawn (Keras `TruncatedNormal`, identifier `'truncated_normal'`).
 */
export class TruncatedNormal extends SeededInitializer {
  static override readonly className: string = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;

  /** @param options `{ mean = 0, stddev = 0.05, seed }`. */
  constructor(options: NormalOptions = {}) {
    const o = checkOptions(options, ['mean', 'stddev', 'seed'], 'TruncatedNormal');
    super(o.seed, 'TruncatedNormal');
    this.mean = numberOption(o.mean, 0, 'mean', 'TruncatedNormal');
    this.stddev = positiveOption(o.stddev, 0.05, 'stddev', 'TruncatedNormal');
  }

  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }

  protected fill(out: Float32Array | Float64Array, _shape: readonly number[], seed: () => number): void {
    fillTruncatedNormal(out, seed(), this.mean, this.stddev);
  }
}

/**
 * Uniform values in `[minval, maxval)` (Keras `RandomUniform`, identifier `'random_uniform'`).
 * With `dtype: 'float32'` a value can round up to `maxval`.
 */
export class RandomUniform extends SeededInitializer {
  static override readonly className: string = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;

  /** @param options `{ minval = -0.05, maxval = 0.05, seed }`. */
  constructor(options: UniformOptions = {}) {
    const o = checkOptions(options, ['minval', 'maxval', 'seed'], 'RandomUniform');
    super(o.seed, 'RandomUniform');
    this.minval = numberOption(o.minval, -0.05, 'minval', 'RandomUniform');
    this.maxval = numberOption(o.maxval, 0.05, 'maxval', 'RandomUniform');
    if (!(this.minval < this.maxval)) {
      invalid({
        what: 'bounds',
        where: 'RandomUniform',
        expected: 'minval < maxval',
        received: `minval=${this.minval}, maxval=${this.maxval}`,
      });
    }
  }

  getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }

  protected fill(out: Float32Array | Float64Array, _shape: readonly number[], seed: () => number): void {
    fillUniform(out, seed(), this.minval, this.maxval);
  }
}

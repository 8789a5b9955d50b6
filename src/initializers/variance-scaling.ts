/**
 * `VarianceScaling` and its Keras presets (Glorot/Xavier, He, LeCun).
 *
 * With `n` = fanIn, fanOut or (fanIn + fanOut)/2 by `mode` (at least 1):
 * - `truncated_normal`: truncated normal (±2σ), σ = sqrt(scale / n) / 0.87962566103423978
 *   (the constant is the stddev of a standard normal truncated at ±2, so the result has stddev sqrt(scale / n));
 * - `untruncated_normal`: normal with σ = sqrt(scale / n);
 * - `uniform`: uniform in [−limit, limit), limit = sqrt(3 · scale / n).
 */
import { invalid, received } from '../errors';
import { fillNormal, fillTruncatedNormal, fillUniform } from '../random/distributions';
import { SeededInitializer, checkOptions, computeFans, positiveOption, seedOption, type SeedOption } from './base';

/** How the fan is chosen. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
/** The sampling distribution of {@link VarianceScaling}. */
export type VarianceDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/** Stddev of a standard normal truncated to [−2, 2] (Keras's correction constant). */
export const TRUNCATED_NORMAL_STDDEV_FACTOR = 0.87962566103423978;

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingOptions extends SeedOption {
  /** Scaling factor, a finite number `> 0`. Default `1`. */
  scale?: number;
  /** `'fan_in'`, `'fan_out'` or `'fan_avg'` (camelCase `fanIn` etc. also accepted). Default `'fan_in'`. */
  mode?: FanMode | 'fanIn' | 'fanOut' | 'fanAvg';
  /**
   * `'truncated_normal'`, `'untruncated_normal'` or `'uniform'` (camelCase accepted; `'normal'`
   * means `'truncated_normal'` as in Keras). Default `'truncated_normal'`.
   */
  distribution?: VarianceDistribution | 'truncatedNormal' | 'untruncatedNormal' | 'normal';
}

const MODES: Record<string, FanMode> = { fanin: 'fan_in', fanout: 'fan_out', fanavg: 'fan_avg' };
const DISTRIBUTIONS: Record<string, VarianceDistribution> = {
  truncatednormal: 'truncated_normal',
  normal: 'truncated_normal',
  untruncatednormal: 'untruncated_normal',
  uniform: 'uniform',
};

function pick<T>(value: unknown, table: Record<string, T>, fallback: T, name: string, expected: string, where: string): T {
  if (value === undefined) return fallback;
  const found = typeof value === 'string' ? table[value.replace(/_/g, '').toLowerCase()] : undefined;
  if (found === undefined) invalid({ what: name, where, expected, received: received(name, value) });
  return found;
}

/**
 * Samples with variance scaled to the weight's fan (Keras `VarianceScaling`,
 * identifier `'variance_scaling'`). See the module comment for the formulas.
 */
export class VarianceScaling extends SeededInitializer {
  static override readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: VarianceDistribution;

  /** @param options `{ scale = 1, mode = 'fan_in', distribution = 'truncated_normal', seed }`. */
  constructor(options: VarianceScalingOptions = {}) {
    const where = 'VarianceScaling';
    const o = checkOptions(options, ['scale', 'mode', 'distribution', 'seed'], where);
    super(o.seed, where);
    this.scale = positiveOption(o.scale, 1, 'scale', where);
    this.mode = pick(o.mode, MODES, 'fan_in', 'mode', "one of 'fan_in', 'fan_out', 'fan_avg'", where);
    this.distribution = pick(
      o.distribution,
      DISTRIBUTIONS,
      'truncated_normal',
      'distribution',
      "one of 'truncated_normal', 'untruncated_normal', 'uniform'",
      where,
    );
  }

  getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }

  protected fill(out: Float32Array | Float64Array, shape: readonly number[], seed: () => number): void {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    if (this.distribution === 'truncated_normal') {
      fillTruncatedNormal(out, seed(), 0, Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV_FACTOR);
    } else if (this.distribution === 'untruncated_normal') {
      fillNormal(out, seed(), 0, Math.sqrt(variance));
    } else {
      const limit = Math.sqrt(3 * variance);
      fillUniform(out, seed(), -limit, limit);
    }
  }
}

/** A fixed-parameter VarianceScaling whose only option is `seed`. */
abstract class VarianceScalingPreset extends VarianceScaling {
  protected constructor(
    options: SeedOption | undefined,
    where: string,
    scale: number,
    mode: FanMode,
    distribution: VarianceDistribution,
  ) {
    const o = checkOptions(options, ['seed'], where);
    super({ scale, mode, distribution, seed: seedOption(o.seed, where) });
  }

  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/** Glorot (Xavier) normal: scale 1, `fan_avg`, truncated normal. Identifier `'glorot_normal'`. Options `{ seed }`. */
export class GlorotNormal extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotNormal';
  constructor(options?: SeedOption) {
    super(options, 'GlorotNormal', 1, 'fan_avg', 'truncated_normal');
  }
}

/** Glorot (Xavier) uniform: scale 1, `fan_avg`, uniform, limit sqrt(6 / (fanIn + fanOut)). Identifier `'glorot_uniform'`. Options `{ seed }`. */
export class GlorotUniform extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotUniform';
  constructor(options?: SeedOption) {
    super(options, 'GlorotUniform', 1, 'fan_avg', 'uniform');
  }
}

/** He normal: scale 2, `fan_in`, truncated normal (stddev sqrt(2 / fanIn) after truncation). Identifier `'he_normal'`. Options `{ seed }`. */
export class HeNormal extends VarianceScalingPreset {
  static override readonly className: string = 'HeNormal';
  constructor(options?: SeedOption) {
    super(options, 'HeNormal', 2, 'fan_in', 'truncated_normal');
  }
}

/** He uniform: scale 2, `fan_in`, uniform, limit sqrt(6 / fanIn). Identifier `'he_uniform'`. Options `{ seed }`. */
export class HeUniform extends VarianceScalingPreset {
  static override readonly className: string = 'HeUniform';
  constructor(options?: SeedOption) {
    super(options, 'HeUniform', 2, 'fan_in', 'uniform');
  }
}

/** LeCun normal: scale 1, `fan_in`, truncated normal. Identifier `'lecun_normal'`. Options `{ seed }`. */
export class LecunNormal extends VarianceScalingPreset {
  static override readonly className: string = 'LecunNormal';
  constructor(options?: SeedOption) {
    super(options, 'LecunNormal', 1, 'fan_in', 'truncated_normal');
  }
}

/** LeCun uniform: scale 1, `fan_in`, uniform, limit sqrt(3 / fanIn). Identifier `'lecun_uniform'`. Options `{ seed }`. */
export class LecunUniform extends VarianceScalingPreset {
  static override readonly className: string = 'LecunUniform';
  constructor(options?: SeedOption) {
    super(options, 'LecunUniform', 1, 'fan_in', 'uniform');
  }
}

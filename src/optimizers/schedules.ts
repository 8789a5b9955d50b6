/**
 * `keras.optimizers.schedules`: learning rates that change with the optimizer step, Keras semantics.
 * Pass one as an optimizer's `learningRate`; the optimizer evaluates `call(iterations)` before each
 * step (steps are 0-based). Values are computed in double precision.
 */
import { checkNumberInRange, invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import type { LearningRateSchedule } from './optimizer';

function finite(value: unknown, name: string, where: string): number {
  return checkNumberInRange(value, name, where, -Infinity, Infinity);
}

function positive(value: unknown, name: string, where: string): number {
  return checkNumberInRange(value, name, where, 0, Infinity, { lowOpen: true });
}

/** Options of `ExponentialDecay`. */
export interface ExponentialDecayArgs {
  /** The rate at step 0 (required). */
  initialLearningRate: number;
  /** Steps per decay period, > 0 (required). */
  decaySteps: number;
  /** Multiplier per period (required). */
  decayRate: number;
  /** Decay in whole periods (`⌊step / decaySteps⌋`) instead of continuously (default false). */
  staircase?: boolean;
  /** Name (default `'ExponentialDecay'`). */
  name?: string;
}

/** `initialLearningRate · decayRate^(step / decaySteps)`, the exponent floored when `staircase`. */
export class ExponentialDecay implements LearningRateSchedule {
  private readonly args: Required<ExponentialDecayArgs>;

  /** @param args See {@link ExponentialDecayArgs}. */
  constructor(options: ExponentialDecayArgs) {
    const where = 'ExponentialDecay';
    const args = checkOptions(options, where, { known: ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'] });
    this.args = {
      initialLearningRate: finite(args.initialLearningRate, 'initialLearningRate', where),
      decaySteps: positive(args.decaySteps, 'decaySteps', where),
      decayRate: finite(args.decayRate, 'decayRate', where),
      staircase: args.staircase ?? false,
      name: args.name ?? where,
    };
  }

  /** The rate for 0-based optimizer step `step`. */
  call(step: number): number {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this.args;
    const p = step / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  }

  /** Every constructor argument. */
  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/**
 * `values[0]` while `step ≤ boundaries[0]`, `values[i]` while `boundaries[i−1] < step ≤ boundaries[i]`,
 * and `values[last]` after the last boundary.
 */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  /** Step boundaries, strictly increasing. */
  readonly boundaries: readonly number[];
  /** One value per interval: `boundaries.length + 1` of them. */
  readonly values: readonly number[];
  /** Name (default `'PiecewiseConstant'`). */
  readonly name: string;

  /**
   * @param boundaries Strictly increasing step numbers.
   * @param values `boundaries.length + 1` learning rates.
   * @param args `name` (default `'PiecewiseConstant'`).
   */
  constructor(boundaries: number[], values: number[], options: { name?: string } = {}) {
    const where = 'PiecewiseConstantDecay';
    const args = checkOptions(options, where, { known: ['name'] });
    if (!Array.isArray(boundaries) || !boundaries.every((b, i) => Number.isFinite(b) && (i === 0 || b > boundaries[i - 1]))) {
      invalid({ what: 'boundaries', where, expected: 'an array of strictly increasing finite numbers', received: received('boundaries', boundaries) });
    }
    if (!Array.isArray(values) || values.length !== boundaries.length + 1 || !values.every((v) => Number.isFinite(v))) {
      invalid({ what: 'values', where, expected: `${boundaries.length + 1} finite numbers (one more than boundaries)`, received: received('values', values) });
    }
    this.boundaries = [...boundaries];
    this.values = [...values];
    this.name = args.name ?? 'PiecewiseConstant';
  }

  /** The rate for 0-based optimizer step `step`. */
  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.boundaries.length : i];
  }

  /** Every constructor argument. */
  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

/** Options of `PolynomialDecay`. */
export interface PolynomialDecayArgs {
  /** The rate at step 0 (required). */
  initialLearningRate: number;
  /** Steps to reach `endLearningRate`, > 0 (required). */
  decaySteps: number;
  /** The rate from `decaySteps` on (default 1e-4). */
  endLearningRate?: number;
  /** Power of the polynomial (default 1). */
  power?: number;
  /** Restart past `decaySteps`, over the first multiple of `decaySteps` not below the step (default false). */
  cycle?: boolean;
  /** Name (default `'PolynomialDecay'`). */
  name?: string;
}

/**
 * `(initial − end) · (1 − s / d)^power + end`, with `s = min(step, decaySteps)` and `d = decaySteps`; with
 * `cycle`, `s = step` and `d = decaySteps · ⌈step / decaySteps⌉` (`decaySteps` at step 0).
 */
export class PolynomialDecay implements LearningRateSchedule {
  private readonly args: Required<PolynomialDecayArgs>;

  /** @param args See {@link PolynomialDecayArgs}. */
  constructor(options: PolynomialDecayArgs) {
    const where = 'PolynomialDecay';
    const args = checkOptions(options, where, { known: ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'] });
    this.args = {
      initialLearningRate: finite(args.initialLearningRate, 'initialLearningRate', where),
      decaySteps: positive(args.decaySteps, 'decaySteps', where),
      endLearningRate: finite(args.endLearningRate ?? 1e-4, 'endLearningRate', where),
      power: finite(args.power ?? 1, 'power', where),
      cycle: args.cycle ?? false,
      name: args.name ?? where,
    };
  }

  /** The rate for 0-based optimizer step `step`. */
  call(step: number): number {
    const { initialLearningRate, decaySteps, endLearningRate, power, cycle } = this.args;
    let s = step;
    let d = decaySteps;
    if (cycle) d = decaySteps * (step === 0 ? 1 : Math.ceil(step / decaySteps));
    else s = Math.min(step, decaySteps);
    return (initialLearningRate - endLearningRate) * (1 - s / d) ** power + endLearningRate;
  }

  /** Every constructor argument. */
  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/** Options of `CosineDecay`. */
export interface CosineDecayArgs {
  /** The rate at step 0 (required). */
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warm-up), > 0 (required). */
  decaySteps: number;
  /** Final rate as a fraction of the decay's starting rate (default 0). */
  alpha?: number;
  /** Rate reached by a linear warm-up, or null for no warm-up (default null). */
  warmupTarget?: number | null;
  /** Steps of the warm-up, used only with `warmupTarget` (default 0). */
  warmupSteps?: number;
  /** Name (default `'CosineDecay'`). */
  name?: string;
}

/**
 * Keras 3's cosine decay with optional linear warm-up. Without `warmupTarget`:
 * `initial · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha)`. With it, the
 * rate first climbs linearly from `initial` (step 0) towards `warmupTarget` while `step < warmupSteps`,
 * then decays the same way from `warmupTarget` over `decaySteps` steps, counted from `warmupSteps`, and
 * stays at `warmupTarget · alpha` after `warmupSteps + decaySteps`.
 */
export class CosineDecay implements LearningRateSchedule {
  private readonly args: Required<Omit<CosineDecayArgs, 'warmupTarget'>> & { warmupTarget: number | null };

  /** @param args See {@link CosineDecayArgs}. */
  constructor(options: CosineDecayArgs) {
    const where = 'CosineDecay';
    const args = checkOptions(options, where, { known: ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps', 'name'] });
    const warmupTarget = args.warmupTarget ?? null;
    this.args = {
      initialLearningRate: finite(args.initialLearningRate, 'initialLearningRate', where),
      decaySteps: positive(args.decaySteps, 'decaySteps', where),
      alpha: finite(args.alpha ?? 0, 'alpha', where),
      warmupTarget: warmupTarget === null ? null : finite(warmupTarget, 'warmupTarget', where),
      warmupSteps: checkNumberInRange(args.warmupSteps ?? 0, 'warmupSteps', where, 0, Infinity),
      name: args.name ?? where,
    };
  }

  /** The rate for 0-based optimizer step `step`. */
  call(step: number): number {
    const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps } = this.args;
    const decay = (s: number, from: number) => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * s) / decaySteps)) + alpha);
    if (warmupTarget === null) return decay(Math.min(step, decaySteps), initialLearningRate);
    const s = Math.min(step, decaySteps + warmupSteps);
    if (s < warmupSteps) return initialLearningRate + ((warmupTarget - initialLearningRate) * s) / warmupSteps;
    return decay(s - warmupSteps, warmupTarget);
  }

  /** Every constructor argument. */
  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/**
 * The shared base of callbacks that watch one logged quantity (`EarlyStopping`, `ReduceLROnPlateau`,
 * `ModelCheckpoint`), as in Keras 3: which key, which direction is better, and how much better counts.
 */
import { invalid, received } from '../errors';
import { Callback, type Logs } from './callback';

/** How a monitored quantity improves: `'min'` lower is better, `'max'` higher is better, `'auto'` from its name. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Options shared by monitoring callbacks. */
export interface MonitorArgs {
  /** The log key to watch, e.g. `'val_loss'` or `'accuracy'` (default `'val_loss'`). */
  monitor?: string;
  /** `'auto'` (default), `'min'` or `'max'`; see {@link inferDirection} for `'auto'`. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement; the sign is ignored, as Keras does (default 0). */
  minDelta?: number;
  /** A value the quantity should improve on, or null for none (default null). */
  baseline?: number | null;
}

// Endings of metric names whose Keras metric improves upwards (its `_direction` is "up").
const HIGHER_IS_BETTER = /(auc|r2|r2_score|precision|recall|f1_score|fbeta_score|iou)$/;

/**
 * The direction of `mode: 'auto'` for a log key: `'max'` when the name (without a `val_` prefix)
 * contains `acc` (every accuracy) or ends with `auc`, `r2`, `r2_score`, `precision`, `recall`,
 * `f1_score`, `fbeta_score` or `iou`, the metrics Keras marks as "higher is better"; `'min'` otherwise
 * (losses and errors).
 */
export function inferDirection(monitor: string): 'min' | 'max' {
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  return name.includes('acc') || HIGHER_IS_BETTER.test(name) ? 'max' : 'min';
}

/** @internal Validate a count of epochs: a non-negative integer. */
export function checkNonNegativeInt(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    invalid({ what: name, where, expected: 'a non-negative integer', received: received(name, value) });
  }
  return value;
}

/** Base class: resolves the direction once, compares values, reads the monitored key from logs. */
export abstract class MonitorCallback extends Callback {
  /** The log key watched. */
  readonly monitor: string;
  /** The mode asked for. */
  readonly mode: MonitorMode;
  /** The resolved direction: `'min'` or `'max'`. */
  readonly direction: 'min' | 'max';
  /** Absolute smallest change that counts as an improvement. */
  readonly minDelta: number;
  /** The value to improve on, or null. */
  readonly baseline: number | null;
  /** Best value seen so far (null before the first). */
  best: number | null = null;
  private readonly where: string;
  private warnedMissing = false;

  /**
   * @param where The subclass name, used in error and warning messages.
   * @param args The shared options; `defaults.minDelta` is the subclass's default (Keras: 0, or 1e-4 for
   *   ReduceLROnPlateau).
   */
  protected constructor(where: string, args: MonitorArgs, defaults: { minDelta?: number } = {}) {
    super();
    this.where = where;
    this.monitor = args.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string' || this.monitor === '') {
      invalid({ what: 'monitor', where, expected: 'a non-empty log key such as "val_loss"', received: received('monitor', this.monitor) });
    }
    this.mode = args.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(this.mode)) {
      invalid({ what: 'mode', where, expected: "one of 'auto', 'min', 'max'", received: received('mode', this.mode) });
    }
    this.direction = this.mode === 'auto' ? inferDirection(this.monitor) : this.mode;
    const minDelta = args.minDelta ?? defaults.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) {
      invalid({ what: 'minDelta', where, expected: 'a finite number', received: received('minDelta', minDelta) });
    }
    this.minDelta = Math.abs(minDelta);
    const baseline = args.baseline ?? null;
    if (baseline !== null && (typeof baseline !== 'number' || Number.isNaN(baseline))) {
      invalid({ what: 'baseline', where, expected: 'a number or null', received: received('baseline', baseline) });
    }
    this.baseline = baseline;
  }

  /**
   * True when `current` beats `reference` by more than `minDelta` in the monitored direction
   * (`current + minDelta < reference` for min, `current − minDelta > reference` for max). Always true
   * against a null reference; never true for NaN against a number.
   */
  isImprovement(current: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.direction === 'min' ? current + this.minDelta < reference : current - this.minDelta > reference;
  }

  /** Allow the missing-key warning again (subclasses call it when training begins). */
  protected resetMonitorWarning(): void {
    this.warnedMissing = false;
  }

  /**
   * The monitored value in `logs`, or null when absent. The first absence in a training run prints one
   * `console.warn` naming the key and the keys that are available.
   */
  protected monitorValue(logs: Logs | undefined): number | null {
    const value = logs?.[this.monitor];
    if (typeof value === 'number') return value;
    if (!this.warnedMissing) {
      this.warnedMissing = true;
      const keys = Object.keys(logs ?? {});
      console.warn(
        `${this.where} is conditioned on '${this.monitor}', which is not in the logs. ` +
          `Available keys: ${keys.length > 0 ? keys.join(', ') : '(none)'}.` +
          (this.monitor.startsWith('val_') ? '\nhint: validation keys need validationData or validationSplit in fit.' : ''),
      );
    }
    return null;
  }
}

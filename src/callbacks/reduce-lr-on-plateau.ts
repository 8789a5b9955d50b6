import { checkNumberInRange, invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import type { Logs } from './callback';
import { MonitorCallback, checkNonNegativeInt } from './monitor-callback';

/** Options of `ReduceLROnPlateau`: Keras's, plus PyTorch's `threshold`/`thresholdMode`. */
export interface ReduceLROnPlateauArgs {
  /** The log key to watch (default `'val_loss'`). */
  monitor?: string;
  /** Multiplier of the learning rate at each reduction, in [0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement after which the rate is reduced (default 10). */
  patience?: number;
  /** 0 silent (default), 1 prints each reduction. */
  verbose?: number;
  /** `'auto'` (default), `'min'` or `'max'`. */
  mode?: 'auto' | 'min' | 'max';
  /**
   * Keras's improvement margin, absolute (default 1e-4): a value improves when it is below
   * `best − minDelta` (min) or above `best + minDelta` (max). Not allowed together with `threshold` or
   * `thresholdMode`.
   */
  minDelta?: number;
  /** Epochs after a reduction during which the counter stays at 0 (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  minLr?: number;
  /**
   * PyTorch's improvement margin, used instead of `minDelta` when this or `thresholdMode` is given
   * (default then 1e-4). With `thresholdMode` `'rel'` a value improves when it is below
   * `best·(1 − threshold)` (min) or above `best·(1 + threshold)` (max); with `'abs'` when it is below
   * `best − threshold` or above `best + threshold`. As in PyTorch, `'rel'` assumes positive values (for
   * a negative `best` in min mode the margin turns into a tolerance).
   */
  threshold?: number;
  /** `'rel'` (PyTorch's default) or `'abs'`; see `threshold`. */
  thresholdMode?: 'rel' | 'abs';
}

/**
 * Reduce the learning rate when a monitored quantity has stopped improving (Keras semantics).
 *
 * At each epoch end with the key present: during a cooldown the cooldown count goes down by one and the
 * counter `wait` is set to 0; an improvement makes the value the best and sets `wait` to 0; otherwise,
 * outside a cooldown, `wait` grows by one and once `wait >= patience` the rate becomes
 * `max(lr·factor, minLr)` if it is still above `minLr` in float32 (Keras keeps the rate in a float32
 * variable), and then a cooldown of `cooldown` epochs starts and `wait` returns to 0; a rate already at
 * `minLr` changes nothing. It writes the rate used in the epoch to the logs as `learning_rate`. Setting the
 * rate replaces a schedule the optimizer had.
 */
export class ReduceLROnPlateau extends MonitorCallback {
  /** Multiplier at each reduction. */
  readonly factor: number;
  /** Epochs without improvement tolerated. */
  readonly patience: number;
  /** 0 silent, 1 prints reductions. */
  readonly verbose: number;
  /** Epochs of rest after a reduction. */
  readonly cooldown: number;
  /** Lower bound of the rate. */
  readonly minLr: number;
  /** PyTorch margin in use, or null when Keras's `minDelta` is. */
  readonly threshold: number | null;
  /** How `threshold` applies (meaningful only when `threshold` is not null). */
  readonly thresholdMode: 'rel' | 'abs';
  /** Epochs without improvement since the last reset. */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;

  /** @param args See {@link ReduceLROnPlateauArgs}; every option has a default. */
  constructor(options: ReduceLROnPlateauArgs = {}) {
    const args = checkOptions(options, 'ReduceLROnPlateau', {
      known: ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr', 'threshold', 'thresholdMode'],
    });
    const usesThreshold = args.threshold !== undefined || args.thresholdMode !== undefined;
    if (usesThreshold && args.minDelta !== undefined) {
      invalid({
        what: 'options',
        where: 'ReduceLROnPlateau',
        expected: 'either minDelta (Keras, absolute) or threshold/thresholdMode (PyTorch), not both',
        received: `minDelta=${args.minDelta}, threshold=${args.threshold}, thresholdMode=${args.thresholdMode}`,
      });
    }
    super('ReduceLROnPlateau', { monitor: args.monitor, mode: args.mode, minDelta: args.minDelta }, { minDelta: 1e-4 });
    this.factor = checkNumberInRange(args.factor ?? 0.1, 'factor', 'ReduceLROnPlateau', 0, 1, { highOpen: true });
    this.patience = checkNonNegativeInt(args.patience ?? 10, 'patience', 'ReduceLROnPlateau');
    this.verbose = args.verbose ?? 0;
    this.cooldown = checkNonNegativeInt(args.cooldown ?? 0, 'cooldown', 'ReduceLROnPlateau');
    this.minLr = checkNumberInRange(args.minLr ?? 0, 'minLr', 'ReduceLROnPlateau', 0, Infinity);
    this.threshold = usesThreshold ? checkNumberInRange(args.threshold ?? 1e-4, 'threshold', 'ReduceLROnPlateau', 0, Infinity) : null;
    this.thresholdMode = args.thresholdMode ?? 'rel';
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      invalid({ what: 'thresholdMode', where: 'ReduceLROnPlateau', expected: "'rel' or 'abs'", received: received('thresholdMode', this.thresholdMode) });
    }
    this.reset();
  }

  /** Keras's test with `minDelta`, or PyTorch's with `threshold` (see {@link ReduceLROnPlateauArgs}). */
  override isImprovement(current: number, reference: number | null): boolean {
    if (this.threshold === null || reference === null) return super.isImprovement(current, reference);
    const t = this.threshold;
    if (this.thresholdMode === 'rel') return this.direction === 'min' ? current < reference * (1 - t) : current > reference * (1 + t);
    return this.direction === 'min' ? current < reference - t : current > reference + t;
  }

  /** True while a cooldown runs. */
  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onTrainBegin(): void {
    this.reset();
    this.resetMonitorWarning();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const optimizer = this.model!.optimizer;
    if (logs) logs.learning_rate = optimizer.learningRate;
    const current = this.monitorValue(logs);
    if (current === null) return;
    if (this.inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.inCooldown()) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    // Compared as Keras compares (its rate is a float32 variable, tested against float32(minLr)), so a
    // rate already at minLr (0.1·0.1 is 0.01 + 2e-18 in float64, 0.01 in float32) is not "reduced" again.
    const oldLr = optimizer.learningRate;
    if (!(Math.fround(oldLr) > Math.fround(this.minLr))) return;
    const newLr = Math.max(oldLr * this.factor, this.minLr);
    optimizer.learningRate = newLr;
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
    this.cooldownCounter = this.cooldown;
    this.wait = 0;
  }

  private reset(): void {
    // ±Infinity as Keras: a first value that is NaN is no improvement.
    this.best = this.direction === 'min' ? Infinity : -Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }
}

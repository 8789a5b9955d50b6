import type { Tensor } from '../tensor/tensor';
import { checkOptions } from '../utils/options';
import type { Logs } from './callback';
import { MonitorCallback, checkNonNegativeInt, type MonitorArgs } from './monitor-callback';

/** Options of `EarlyStopping`, Keras names in camelCase. */
export interface EarlyStoppingArgs extends MonitorArgs {
  /** The log key to watch (default `'val_loss'`). */
  monitor?: string;
  /** Smallest change that counts as an improvement; the sign is ignored (default 0). */
  minDelta?: number;
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** 0 silent (default), 1 prints when it stops and when it restores weights. */
  verbose?: number;
  /** `'auto'` (default), `'min'` or `'max'`. */
  mode?: 'auto' | 'min' | 'max';
  /**
   * A value to reach (default null). Until an epoch improves on it, the patience counter is not reset,
   * so training stops after `patience` epochs that fail to beat it.
   */
  baseline?: number | null;
  /**
   * Put back the weights of the best monitored epoch when training ends, whether or not it stopped early
   * (Keras 3 behaviour; default false). The best epoch is chosen regardless of `baseline`.
   */
  restoreBestWeights?: boolean;
  /** Epochs (0-based index) to let pass before monitoring starts, a warm-up (default 0). */
  startFromEpoch?: number;
}

/**
 * Stop training when a monitored quantity has stopped improving (Keras 3 semantics).
 *
 * At each epoch end from `startFromEpoch` on, with the key present: the counter `wait` grows by one; if
 * the value improves on the best so far (the first monitored value always does), it becomes the best
 * and, if it also improves on `baseline` (or there is none), `wait` returns to 0; otherwise, once
 * `wait >= patience` (and the epoch is not the first), `model.stopTraining` is set. A missing key warns
 * once per run and is skipped. Weight snapshots for `restoreBestWeights` are copies that this callback
 * disposes.
 *
 * @example
 * model.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [new keras.callbacks.EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export class EarlyStopping extends MonitorCallback {
  /** Epochs without improvement tolerated. */
  readonly patience: number;
  /** 0 silent, 1 prints its actions. */
  readonly verbose: number;
  /** Whether the best epoch's weights are put back at the end. */
  readonly restoreBestWeights: boolean;
  /** First 0-based epoch that is monitored. */
  readonly startFromEpoch: number;
  /** Monitored epochs since the last reset of the counter. */
  wait = 0;
  /** 0-based epoch at which training was stopped, 0 if it was not. */
  stoppedEpoch = 0;
  /** 0-based epoch of the best value. */
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;

  /** @param args See {@link EarlyStoppingArgs}; every option has a Keras default. */
  constructor(options: EarlyStoppingArgs = {}) {
    const args = checkOptions(options, 'EarlyStopping', { known: ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch'] });
    super('EarlyStopping', args);
    this.patience = checkNonNegativeInt(args.patience ?? 0, 'patience', 'EarlyStopping');
    this.verbose = args.verbose ?? 0;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = checkNonNegativeInt(args.startFromEpoch ?? 0, 'startFromEpoch', 'EarlyStopping');
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.dropSnapshot();
    this.resetMonitorWarning();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const current = this.monitorValue(logs);
    if (current === null || epoch < this.startFromEpoch) return;
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.takeSnapshot();
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  override async onTrainEnd(): Promise<void> {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (!this.restoreBestWeights || this.bestWeights === null) return;
    if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
    try {
      await this.model!.setWeights(this.bestWeights);
    } finally {
      this.dropSnapshot();
    }
  }

  private takeSnapshot(): void {
    this.dropSnapshot();
    this.bestWeights = this.model!.getWeights();
  }

  private dropSnapshot(): void {
    for (const t of this.bestWeights ?? []) t.dispose();
    this.bestWeights = null;
  }
}

/**
 * The base of the per-epoch learning-rate callbacks: PyTorch's `torch.optim.lr_scheduler` classes and
 * Keras's `LearningRateScheduler`.
 */
import { checkNumberInRange, invalid, received } from '../../errors';
import type { Optimizer } from '../../optimizers/optimizer';
import { checkOptions } from '../../utils/options';
import { Callback, type Logs } from '../callback';

/** Options every epoch scheduler accepts. */
export interface EpochSchedulerArgs {
  /** 0 silent (default), 1 prints the rate set at each epoch. */
  verbose?: number;
}

/**
 * Sets `model.optimizer.learningRate` when each epoch begins, to `lrFor(epoch, currentLr)` (epochs are
 * 0-based, so epoch 0 already runs at the schedule's value for 0), and writes the rate in effect to the
 * epoch's logs as `learning_rate`, as Keras does.
 *
 * `baseLr` is PyTorch's `base_lr`: the optimizer's rate when the first training with this optimizer
 * begins (a schedule the optimizer had is evaluated at that point and then replaced by numbers). It is
 * kept for later `fit` calls with the same optimizer, so a run resumed with `initialEpoch` continues the
 * same curve; it is captured again for another optimizer (after a new `compile`).
 *
 * The PyTorch schedulers use PyTorch's closed forms, so they do not chain: with several epoch schedulers
 * in one run, the last one in the callback list sets the rate.
 */
export abstract class EpochScheduler extends Callback {
  /** 0 silent, 1 prints each rate set. */
  readonly verbose: number;
  /** The captured initial rate (null before training). */
  baseLr: number | null = null;
  private baseOwner: Optimizer | null = null;

  /** The subclass name, for messages (class names do not survive minification). */
  protected readonly where: string;

  /**
   * @param where The subclass name.
   * @param args The subclass's options, already checked by it with {@link schedulerOptions}.
   */
  protected constructor(where: string, args: EpochSchedulerArgs = {}) {
    super();
    this.where = where;
    this.verbose = args.verbose ?? 0;
  }

  /** The rate for 0-based `epoch`, from the captured `baseLr` and the optimizer's current rate. */
  protected abstract lrFor(epoch: number, baseLr: number, currentLr: number): number;

  override onTrainBegin(): void {
    const optimizer = this.model!.optimizer;
    if (this.baseOwner !== optimizer) {
      this.baseLr = optimizer.learningRate;
      this.baseOwner = optimizer;
    }
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.model!.optimizer;
    if (this.baseOwner !== optimizer) this.onTrainBegin();
    const lr = this.lrFor(epoch, this.baseLr!, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      invalid({ what: 'learning rate', where: this.where, expected: 'a finite non-negative number from the schedule', received: `${received('lr', lr)} at epoch ${epoch}` });
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${this.where} setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs.learning_rate = this.model!.optimizer.learningRate;
  }
}

/** @internal Check an epoch scheduler's options: `verbose` plus `known`. */
export function schedulerOptions<T extends EpochSchedulerArgs>(args: T | undefined, where: string, known: readonly string[] = []): T {
  return checkOptions(args, where, { known: ['verbose', ...known] });
}

/** @internal Validate a multiplicative factor or decay rate: a finite number in `[low, high]`. */
export function checkFactor(value: unknown, name: string, where: string, low = 0, high = Infinity, lowOpen = false): number {
  return checkNumberInRange(value, name, where, low, high, { lowOpen });
}

/** @internal Validate an epoch count: a non-negative (or, with `positive`, positive) integer. */
export function checkEpochs(value: unknown, name: string, where: string, positive = true): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (positive ? 1 : 0)) {
    invalid({ what: name, where, expected: positive ? 'a positive integer' : 'a non-negative integer', received: received(name, value) });
  }
  return value;
}

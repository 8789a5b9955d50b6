import { invalid, received } from '../../errors';
import { EpochScheduler, schedulerOptions, type EpochSchedulerArgs } from './epoch-scheduler';

/**
 * Keras's `LearningRateScheduler`: when each epoch begins, the rate becomes
 * `schedule(epoch, currentLr)` (epoch 0-based, `currentLr` the optimizer's rate at that moment), which
 * must be a finite non-negative number; the rate in effect is written to the epoch's logs as
 * `learning_rate`.
 *
 * @example
 * new keras.callbacks.LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */
export class LearningRateScheduler extends EpochScheduler {
  /** The user's function. */
  readonly schedule: (epoch: number, lr: number) => number;

  /**
   * @param schedule `(epoch, lr) => newLr`.
   * @param args `verbose` (default 0): 1 prints the rate set at each epoch.
   */
  constructor(schedule: (epoch: number, lr: number) => number, args: EpochSchedulerArgs = {}) {
    super('LearningRateScheduler', schedulerOptions(args, 'LearningRateScheduler', []));
    if (typeof schedule !== 'function') invalid({ what: 'schedule', where: 'LearningRateScheduler', expected: 'a function (epoch, lr) => newLr', received: received('schedule', schedule) });
    this.schedule = schedule;
  }

  protected override lrFor(epoch: number, _baseLr: number, currentLr: number): number {
    return this.schedule(epoch, currentLr);
  }
}

import { checkFactor, EpochScheduler, schedulerOptions, type EpochSchedulerArgs } from './epoch-scheduler';

/** PyTorch's `ExponentialLR`: epoch `e` runs at `baseLr · gamma^e`. */
export class ExponentialLR extends EpochScheduler {
  /** Multiplier per epoch. */
  readonly gamma: number;

  /**
   * @param gamma Multiplier per epoch (a finite non-negative number).
   * @param args `verbose` (default 0).
   */
  constructor(gamma: number, options: EpochSchedulerArgs = {}) {
    const args = schedulerOptions(options, 'ExponentialLR', []);
    super('ExponentialLR', args);
    this.gamma = checkFactor(gamma, 'gamma', 'ExponentialLR');
  }

  protected override lrFor(epoch: number, baseLr: number): number {
    return baseLr * this.gamma ** epoch;
  }
}

import { invalid, received } from '../../errors';
import { EpochScheduler, schedulerOptions, checkFactor, type EpochSchedulerArgs } from './epoch-scheduler';

/** Options of `MultiStepLR`. */
export interface MultiStepLRArgs extends EpochSchedulerArgs {
  /** Multiplier applied at each milestone (default 0.1). */
  gamma?: number;
}

/**
 * PyTorch's `MultiStepLR`: epoch `e` runs at `baseLr · gamma^n`, `n` the number of milestones `≤ e`
 * (a milestone listed twice counts twice, as in PyTorch's `Counter`).
 */
export class MultiStepLR extends EpochScheduler {
  /** The milestones, sorted. */
  readonly milestones: readonly number[];
  /** Multiplier per milestone. */
  readonly gamma: number;

  /**
   * @param milestones Epoch indices (non-negative integers) at which the rate is multiplied by `gamma`.
   * @param args `gamma` (default 0.1), `verbose` (default 0).
   */
  constructor(milestones: number[], args: MultiStepLRArgs = {}) {
    super('MultiStepLR', schedulerOptions(args, 'MultiStepLR', ['gamma']));
    if (!Array.isArray(milestones) || !milestones.every((m) => Number.isInteger(m) && m >= 0)) {
      invalid({ what: 'milestones', where: 'MultiStepLR', expected: 'an array of non-negative integer epochs', received: received('milestones', milestones) });
    }
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = checkFactor(args.gamma ?? 0.1, 'gamma', 'MultiStepLR');
  }

  protected override lrFor(epoch: number, baseLr: number): number {
    return baseLr * this.gamma ** this.milestones.filter((m) => m <= epoch).length;
  }
}

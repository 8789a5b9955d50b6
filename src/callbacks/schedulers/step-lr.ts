import { EpochScheduler, schedulerOptions, checkEpochs, checkFactor, type EpochSchedulerArgs } from './epoch-scheduler';

/** Options of `StepLR`. */
export interface StepLRArgs extends EpochSchedulerArgs {
  /** Multiplier applied every `stepSize` epochs (default 0.1). */
  gamma?: number;
}

/** PyTorch's `StepLR`: epoch `e` runs at `baseLr · gamma^⌊e / stepSize⌋`. */
export class StepLR extends EpochScheduler {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** Multiplier per decay. */
  readonly gamma: number;

  /**
   * @param stepSize Period of the decay in epochs (a positive integer).
   * @param args `gamma` (default 0.1), `verbose` (default 0).
   */
  constructor(stepSize: number, args: StepLRArgs = {}) {
    super('StepLR', schedulerOptions(args, 'StepLR', ['gamma']));
    this.stepSize = checkEpochs(stepSize, 'stepSize', 'StepLR');
    this.gamma = checkFactor(args.gamma ?? 0.1, 'gamma', 'StepLR');
  }

  protected override lrFor(epoch: number, baseLr: number): number {
    return baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

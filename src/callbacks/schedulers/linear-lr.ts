import { EpochScheduler, schedulerOptions, checkEpochs, checkFactor, type EpochSchedulerArgs } from './epoch-scheduler';

/** Options of `LinearLR`. */
export interface LinearLRArgs extends EpochSchedulerArgs {
  /** Multiplier at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Multiplier from `totalIters` on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the multiplier moves, a positive integer (default 5). */
  totalIters?: number;
}

/**
 * PyTorch's `LinearLR`: epoch `e` runs at
 * `baseLr · (startFactor + (endFactor − startFactor) · min(e, totalIters) / totalIters)`.
 */
export class LinearLR extends EpochScheduler {
  /** Multiplier at epoch 0. */
  readonly startFactor: number;
  /** Final multiplier. */
  readonly endFactor: number;
  /** Length of the ramp in epochs. */
  readonly totalIters: number;

  /** @param args `startFactor` (1/3), `endFactor` (1), `totalIters` (5), `verbose` (0). */
  constructor(args: LinearLRArgs = {}) {
    super('LinearLR', schedulerOptions(args, 'LinearLR', ['startFactor', 'endFactor', 'totalIters']));
    this.startFactor = checkFactor(args.startFactor ?? 1 / 3, 'startFactor', 'LinearLR', 0, 1, true);
    this.endFactor = checkFactor(args.endFactor ?? 1, 'endFactor', 'LinearLR', 0, 1);
    this.totalIters = checkEpochs(args.totalIters ?? 5, 'totalIters', 'LinearLR');
  }

  protected override lrFor(epoch: number, baseLr: number): number {
    const progress = Math.min(epoch, this.totalIters) / this.totalIters;
    return baseLr * (this.startFactor + (this.endFactor - this.startFactor) * progress);
  }
}

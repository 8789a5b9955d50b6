import { checkEpochs, checkFactor, EpochScheduler, schedulerOptions, type EpochSchedulerArgs } from './epoch-scheduler';

/** Options of `ConstantLR`. */
export interface ConstantLRArgs extends EpochSchedulerArgs {
  /** Multiplier, in [0, 1], used before `totalIters` (default 1/3). */
  factor?: number;
  /** Epochs run at the reduced rate, a positive integer (default 5). */
  totalIters?: number;
}

/** PyTorch's `ConstantLR`: `baseLr · factor` for epochs `< totalIters`, then `baseLr`. */
export class ConstantLR extends EpochScheduler {
  /** Multiplier before `totalIters`. */
  readonly factor: number;
  /** Epochs at the reduced rate. */
  readonly totalIters: number;

  /** @param args `factor` (default 1/3), `totalIters` (default 5), `verbose` (default 0). */
  constructor(options: ConstantLRArgs = {}) {
    const args = schedulerOptions(options, 'ConstantLR', ['factor', 'totalIters']);
    super('ConstantLR', args);
    this.factor = checkFactor(args.factor ?? 1 / 3, 'factor', 'ConstantLR', 0, 1);
    this.totalIters = checkEpochs(args.totalIters ?? 5, 'totalIters', 'ConstantLR');
  }

  protected override lrFor(epoch: number, baseLr: number): number {
    return baseLr * (epoch >= this.totalIters ? 1 : this.factor);
  }
}

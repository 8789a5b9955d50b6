import { EpochScheduler, schedulerOptions, checkEpochs, checkFactor, type EpochSchedulerArgs } from './epoch-scheduler';

/** Options of `PolynomialLR`. */
export interface PolynomialLRArgs extends EpochSchedulerArgs {
  /** Epochs over which the rate decays to 0, a positive integer (default 5). */
  totalIters?: number;
  /** Power of the polynomial, a finite non-negative number (default 1). */
  power?: number;
}

/**
 * PyTorch's `PolynomialLR`: epoch `e` runs at `baseLr · (1 − min(e, totalIters) / totalIters)^power`,
 * which is 0 from `totalIters` on.
 */
export class PolynomialLR extends EpochScheduler {
  /** Length of the decay in epochs. */
  readonly totalIters: number;
  /** Power of the polynomial. */
  readonly power: number;

  /** @param args `totalIters` (default 5), `power` (default 1), `verbose` (default 0). */
  constructor(args: PolynomialLRArgs = {}) {
    super('PolynomialLR', schedulerOptions(args, 'PolynomialLR', ['totalIters', 'power']));
    this.totalIters = checkEpochs(args.totalIters ?? 5, 'totalIters', 'PolynomialLR');
    this.power = checkFactor(args.power ?? 1, 'power', 'PolynomialLR');
  }

  protected override lrFor(epoch: number, baseLr: number): number {
    return baseLr * (1 - Math.min(epoch, this.totalIters) / this.totalIters) ** this.power;
  }
}

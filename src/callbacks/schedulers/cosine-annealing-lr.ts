import { checkEpochs, checkFactor, EpochScheduler, schedulerOptions, type EpochSchedulerArgs } from './epoch-scheduler';

/** Options of `CosineAnnealingLR`. */
export interface CosineAnnealingLRArgs extends EpochSchedulerArgs {
  /** The lowest rate, reached at epoch `tMax` (default 0). */
  etaMin?: number;
}

/**
 * PyTorch's `CosineAnnealingLR` (SGDR without restarts), in its closed form: epoch `e` runs at
 * `etaMin + (baseLr − etaMin) · (1 + cos(π·e / tMax)) / 2`. As in PyTorch, past `tMax` the cosine goes
 * on, so the rate climbs back to `baseLr` at `2·tMax` (use `etaMin` with `epochs ≤ tMax` to stay low).
 */
export class CosineAnnealingLR extends EpochScheduler {
  /** Half-period in epochs. */
  readonly tMax: number;
  /** The lowest rate. */
  readonly etaMin: number;

  /**
   * @param tMax Epochs from `baseLr` down to `etaMin` (a positive integer).
   * @param args `etaMin` (default 0), `verbose` (default 0).
   */
  constructor(tMax: number, options: CosineAnnealingLRArgs = {}) {
    const args = schedulerOptions(options, 'CosineAnnealingLR', ['etaMin']);
    super('CosineAnnealingLR', args);
    this.tMax = checkEpochs(tMax, 'tMax', 'CosineAnnealingLR');
    this.etaMin = checkFactor(args.etaMin ?? 0, 'etaMin', 'CosineAnnealingLR');
  }

  protected override lrFor(epoch: number, baseLr: number): number {
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

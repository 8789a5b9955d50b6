import { invalid, received } from '../../errors';
import { EpochScheduler, schedulerOptions, type EpochSchedulerArgs } from './epoch-scheduler';

/**
 * PyTorch's `MultiplicativeLR`: each epoch multiplies the rate by `lrLambda(epoch)`, so epoch `e` runs
 * at `baseLr · lrLambda(1) · lrLambda(2) · … · lrLambda(e)` (epoch 0 at `baseLr`). The product is taken
 * from `baseLr`, not from the optimizer's current rate, so it is the same as PyTorch's chained update
 * when nothing else changes the rate; `lrLambda` is called once per epoch index and must return a
 * finite non-negative number.
 */
export class MultiplicativeLR extends EpochScheduler {
  /** The per-epoch multiplier. */
  readonly lrLambda: (epoch: number) => number;
  // products[e] = lrLambda(1) · … · lrLambda(e)
  private readonly products: number[] = [1];

  /**
   * @param lrLambda `(epoch) => factor` for epochs 1, 2, …
   * @param args `verbose` (default 0).
   */
  constructor(lrLambda: (epoch: number) => number, args: EpochSchedulerArgs = {}) {
    super('MultiplicativeLR', schedulerOptions(args, 'MultiplicativeLR', []));
    if (typeof lrLambda !== 'function') invalid({ what: 'lrLambda', where: 'MultiplicativeLR', expected: 'a function (epoch) => factor', received: received('lrLambda', lrLambda) });
    this.lrLambda = lrLambda;
  }

  protected override lrFor(epoch: number, baseLr: number): number {
    for (let k = this.products.length; k <= epoch; k++) {
      const factor = this.lrLambda(k);
      if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0) {
        invalid({ what: 'lrLambda result', where: 'MultiplicativeLR', expected: 'a finite non-negative number', received: `${received('lrLambda(' + k + ')', factor)}` });
      }
      this.products.push(this.products[k - 1] * factor);
    }
    return baseLr * this.products[epoch];
  }
}

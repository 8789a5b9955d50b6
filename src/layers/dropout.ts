import { checkNumberInRange } from '../errors';
import { checkSeed, getGlobalSeedGenerator } from '../random';
import type { Tensor } from '../tensor/tensor';
import { Layer, layerOptions, type LayerArgs, type RunContext } from './layer';

/** Options of `Dropout`. */
export interface DropoutArgs extends LayerArgs {
  /** Seed of the masks (default: drawn from the global seed generator). */
  seed?: number;
}

/** Mix two uint32 words (a layer's seed and a run's seed) into one. */
function mixSeeds(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * Inverted dropout: in training each element is zeroed with probability `rate` and the rest are scaled
 * by 1/(1 − rate); at inference it is the identity. Masks come from a counter-based RNG keyed by
 * (seed, training step, element), so nothing is stored and every backend draws the same mask.
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  readonly seed: number;

  /** @param rate Fraction of inputs to drop, in [0, 1). */
  constructor(rate: number, args: DropoutArgs = {}) {
    const options = layerOptions(args, 'Dropout', ['seed'], { noiseShape: 'masks are drawn per element' });
    super(options);
    this.rate = checkNumberInRange(rate, 'rate', 'Dropout', 0, 1, { highOpen: true });
    this.seed = options.seed == null ? getGlobalSeedGenerator().next() : checkSeed(options.seed, 'Dropout');
  }

  private options(ctx: RunContext) {
    return { rate: this.rate, seed: mixSeeds(this.seed, ctx.runSeed), step: ctx.step };
  }

  forward(x: Tensor, ctx: RunContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const out = this.buffers.get(ctx.backend, 'y', x.shape, x.dtype);
    ctx.backend.dropout(x, out, this.options(ctx));
    return out;
  }

  backward(dy: Tensor, ctx: RunContext, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    if (!ctx.training || this.rate === 0) return dy;
    const dx = this.buffers.get(ctx.backend, 'dx', dy.shape, dy.dtype);
    ctx.backend.dropoutBackward(dy, dx, this.options(ctx));
    return dx;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Layer, type LayerArgs } from './layer';

/**
 * Flattens each sample to one dimension (`[28, 28]` → `[784]`). Batches are stored flat inside the
 * library already, so this layer only changes the recorded shape and moves no data.
 */
export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [sizeOf(inputShape)];
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  backward(dy: Tensor, _ctx: unknown, needInputGrad: boolean): Tensor | null {
    return needInputGrad ? dy : null;
  }
}

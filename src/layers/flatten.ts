import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { invalid, received } from '../errors';
import { Layer, layerOptions, type LayerArgs } from './layer';

/**
 * Flattens each sample to one dimension (`[28, 28]` → `[784]`). Batches are stored flat inside the
 * library already, so this layer only changes the recorded shape and moves no data.
 */
/** Options of `Flatten`. */
export interface FlattenArgs extends LayerArgs {
  /** Keras's `data_format`: only `'channels_last'` (the default) is meaningful for an MLP. */
  dataFormat?: 'channels_last' | null;
}

export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';
  constructor(args: FlattenArgs = {}) {
    const options = layerOptions(args, 'Flatten', ['dataFormat']);
    super(options);
    if (options.dataFormat != null && options.dataFormat !== 'channels_last') {
      invalid({ what: 'dataFormat', where: 'Flatten', expected: "'channels_last'", received: received('dataFormat', options.dataFormat) });
    }
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

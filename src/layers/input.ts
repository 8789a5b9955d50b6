import { invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import type { Tensor } from '../tensor/tensor';
import { Layer, type LayerArgs } from './layer';

/** Options of `Input`. */
export interface InputArgs extends Omit<LayerArgs, 'inputShape' | 'batchInputShape' | 'inputDim'> {
  /** Shape of one sample, without the batch dimension (this or `batchShape` is required). */
  shape?: number[];
  /** Keras's `batch_shape`: `[null, ...shape]`. */
  batchShape?: (number | null)[];
}

/**
 * Declares the shape of one input sample, as the first layer of a model: `new Input({ shape: [2] })`, or
 * Keras's positional form `new Input([2])`.
 */
export class Input extends Layer {
  static override readonly className: string = 'Input';
  constructor(args: InputArgs | number[]) {
    const options = Array.isArray(args)
      ? { shape: args }
      : checkOptions(args, 'Input', {
          known: ['shape', 'batchShape', 'name', 'trainable'],
          notImplemented: { batchSize: 'fit, evaluate and predict take the batch size', dtype: '', sparse: '', tensor: '', optional: '' },
        });
    const shape = options.shape ?? (Array.isArray(options.batchShape) ? options.batchShape.slice(1) : undefined);
    if (!Array.isArray(shape) || (options.shape !== undefined && options.batchShape !== undefined)) {
      invalid({
        what: 'shape',
        where: 'Input',
        expected: 'an array of positive integers, the shape of one sample (shape, or batchShape with the batch first)',
        received: options.shape !== undefined && options.batchShape !== undefined ? 'both shape and batchShape' : received('shape', options.shape),
        hint: 'write new Input({ shape: [784] }) or new Input([784]).',
      });
    }
    const { batchShape: _, shape: __, ...rest } = options;
    super({ ...rest, inputShape: shape as number[] });
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  backward(dy: Tensor, _ctx: unknown, needInputGrad: boolean): Tensor | null {
    return needInputGrad ? dy : null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), shape: this.declaredInputShape };
  }
}

import { invalid, received } from '../errors';
import type { Tensor } from '../tensor/tensor';
import { Layer, type LayerArgs } from './layer';

/** Options of `Input`. */
export interface InputArgs extends Omit<LayerArgs, 'inputShape' | 'batchInputShape'> {
  /** Shape of one sample, without the batch dimension (required). */
  shape: number[];
}

/** Declares the shape of one input sample: `new Input({ shape: [2] })` as the first layer of a model. */
export class Input extends Layer {
  static override readonly className: string = 'Input';
  constructor(args: InputArgs) {
    if (!args || !Array.isArray(args.shape)) {
      invalid({
        what: 'shape',
        where: 'Input',
        expected: 'an array of positive integers, the shape of one sample',
        received: received('shape', args?.shape),
        hint: 'write new Input({ shape: [784] }).',
      });
    }
    super({ ...args, inputShape: args.shape });
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

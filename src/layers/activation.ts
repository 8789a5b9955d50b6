import { getActivation, serializeActivation, type ActivationIdentifier, type ActivationSpec } from '../activations';
import type { Tensor } from '../tensor/tensor';
import { Layer, layerOptions, type LayerArgs, type RunContext } from './layer';

/** A standalone activation: `y = activation(x)`. */
export class Activation extends Layer {
  static override readonly className: string = 'Activation';
  readonly activation: ActivationSpec;
  private lastInput: Tensor | null = null;
  private lastY: Tensor | null = null;

  /** @param activation Name (`'relu'`), or `{ name, ...params }` (`{ name: 'elu', alpha: 0.5 }`). */
  constructor(activation: ActivationIdentifier, args: LayerArgs = {}) {
    super(layerOptions(args, 'Activation'));
    this.activation = getActivation(activation, 'Activation');
  }

  /** @internal The input of the last forward pass: the logits for a fused loss. */
  get preActivation(): Tensor | null {
    return this.lastInput;
  }

  forward(x: Tensor, ctx: RunContext): Tensor {
    this.lastInput = x;
    if (this.activation.identity) return (this.lastY = x);
    const y = this.buffers.get(ctx.backend, 'y', x.shape, x.dtype);
    ctx.backend.activation(x, y, this.activation);
    return (this.lastY = y);
  }

  backward(dy: Tensor, ctx: RunContext, needInputGrad: boolean): Tensor | null {
    return this.backwardFrom(dy, ctx, needInputGrad, false);
  }

  /** @internal See `Dense.backwardFrom`. */
  backwardFrom(dy: Tensor, ctx: RunContext, needInputGrad: boolean, gradIsPreActivation: boolean): Tensor | null {
    if (!needInputGrad) return null;
    if (gradIsPreActivation || this.activation.identity) return dy;
    const dx = this.buffers.get(ctx.backend, 'dx', dy.shape, dy.dtype);
    ctx.backend.activationBackward(dy, this.lastInput!, this.lastY!, dx, this.activation);
    return dx;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: serializeActivation(this.activation) };
  }
}

import { getActivation, serializeActivation, type ActivationIdentifier, type ActivationSpec, type ActivationString } from '../activations';
import { checkPositiveInt, describe, invalid, received } from '../errors';
import { serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers';
import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Layer, initializerOption, layerOptions, type BuildContext, type LayerArgs, type RunContext } from './layer';
import type { Variable } from './variable';

type InitializerOption = InitializerIdentifier;

/** Options of `Dense`, Keras names in camelCase. */
export interface DenseArgs extends LayerArgs {
  /** Activation after the affine map (default: linear). */
  activation?: ActivationIdentifier | null;
  /** Add a bias vector (default true). */
  useBias?: boolean;
  /** Initializer of the `[inputs, units]` kernel (default `'glorot_uniform'`). */
  kernelInitializer?: InitializerOption;
  /** Initializer of the bias (default `'zeros'`). */
  biasInitializer?: InitializerOption;
}

const DENSE_OPTIONS = ['activation', 'useBias', 'kernelInitializer', 'biasInitializer'];
const DENSE_NOT_IMPLEMENTED: Record<string, string> = {
  kernelRegularizer: '',
  biasRegularizer: '',
  activityRegularizer: '',
  kernelConstraint: '',
  biasConstraint: '',
  loraRank: '',
  loraAlpha: '',
  quantizationConfig: '',
};

/** Dense's second argument: an options object, or (Keras's second positional argument) an activation name. */
function denseOptions(args: DenseArgs | ActivationString | undefined): DenseArgs {
  if (typeof args === 'string') return { activation: args };
  return layerOptions(args, 'Dense', DENSE_OPTIONS, DENSE_NOT_IMPLEMENTED);
}

/**
 * A fully connected layer: `y = activation(x · kernel + bias)`. Forward is one fused matmul (bias and
 * activation in its epilogue); backward is `dz = act'(z)·dy`, `dKernel = xᵀ·dz`, `dBias = Σ dz`,
 * `dx = dz·kernelᵀ`.
 */
export class Dense extends Layer {
  static override readonly className: string = 'Dense';
  readonly units: number;
  readonly activation: ActivationSpec;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private kernel: Variable | null = null;
  private bias: Variable | null = null;
  private lastInput: Tensor | null = null;
  private lastZ: Tensor | null = null;
  private lastY: Tensor | null = null;

  /**
   * @param units Number of output features (positive integer).
   * @param args Options, or an activation name as Keras's second positional argument:
   *   `new Dense(4, 'relu')` is `new Dense(4, { activation: 'relu' })`.
   */
  constructor(units: number, args: DenseArgs | ActivationString = {}) {
    if (typeof units === 'object' && units !== null) {
      invalid({ what: 'units', where: 'Dense', expected: 'a positive integer', received: received('units', units), hint: "pass units first and the options second: new Dense(4, { activation: 'relu' })." });
    }
    const options = denseOptions(args);
    super(options);
    this.units = checkPositiveInt(units, 'units', 'Dense');
    this.activation = getActivation(options.activation, 'Dense');
    if (options.useBias !== undefined && typeof options.useBias !== 'boolean') {
      invalid({ what: 'useBias', where: 'Dense', expected: 'a boolean', received: describe(options.useBias) });
    }
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = initializerOption(options.kernelInitializer, 'glorot_uniform', 'Dense');
    this.biasInitializer = initializerOption(options.biasInitializer, 'zeros', 'Dense');
  }

  override computeOutputShape(_inputShape: number[]): number[] {
    return [this.units];
  }

  override plannedWeights(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const kernel = { name: `${this.name}/kernel`, shape: [sizeOf(inputShape), this.units] };
    return this.useBias ? [kernel, { name: `${this.name}/bias`, shape: [this.units] }] : [kernel];
  }

  protected override createWeights(inputShape: number[], ctx: BuildContext): void {
    this.kernel = this.addWeight(ctx, 'kernel', [sizeOf(inputShape), this.units], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight(ctx, 'bias', [this.units], this.biasInitializer);
  }

  /** @internal The pre-activation of the last training forward pass (logits for fused losses). */
  get preActivation(): Tensor | null {
    return this.lastZ;
  }

  forward(x: Tensor, ctx: RunContext): Tensor {
    this.checkInput(x);
    const rows = x.shape[0];
    const y = this.buffers.get(ctx.backend, 'y', [rows, this.units], x.dtype);
    const linear = this.activation.identity;
    const keepZ = ctx.training || ctx.backwardFollows || ctx.logitsLayer === this;
    const z = keepZ && !linear ? this.buffers.get(ctx.backend, 'z', [rows, this.units], x.dtype) : null;
    ctx.backend.matmul(x, this.kernel!.value, y, {
      bias: this.bias?.value ?? null,
      activation: linear ? null : this.activation,
      preActivation: z,
    });
    this.lastInput = x;
    this.lastZ = z ?? y;
    this.lastY = y;
    return y;
  }

  backward(dy: Tensor, ctx: RunContext, needInputGrad: boolean): Tensor | null {
    return this.backwardFrom(dy, ctx, needInputGrad, false);
  }

  /**
   * @internal Backward where `grad` may already be the gradient with respect to the pre-activation
   * (a loss fused with this layer's softmax/sigmoid computed it directly from the logits).
   */
  backwardFrom(grad: Tensor, ctx: RunContext, needInputGrad: boolean, gradIsPreActivation: boolean): Tensor | null {
    const { backend } = ctx;
    const x = this.lastInput!;
    const rows = x.shape[0];
    let dz = grad;
    if (!gradIsPreActivation && !this.activation.identity) {
      dz = this.buffers.get(backend, 'dz', [rows, this.units], grad.dtype);
      backend.activationBackward(grad, this.lastZ!, this.lastY!, dz, this.activation);
    }
    if (this.trainable) {
      backend.matmul(x, dz, this.kernel!.grad!, { transposeA: true });
      if (this.bias) backend.sumRows(dz, this.bias.grad!);
    }
    if (!needInputGrad) return null;
    const dx = this.buffers.get(backend, 'dx', [rows, x.shape[1]], grad.dtype);
    backend.matmul(dz, this.kernel!.value, dx, { transposeB: true });
    return dx;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
    };
  }
}

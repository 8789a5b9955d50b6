import type { Backend, BatchNormState, FloatDType } from '../backend/backend';
import { checkNumberInRange, invalid, received } from '../errors';
import { serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers';
import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { Variable } from './variable';
import { Layer, initializerOption, layerOptions, type BuildContext, type LayerArgs, type RunContext } from './layer';

/** Tensors a BatchNormalization layer owns besides its weights. */
interface Extras {
  gamma: Tensor | null;
  beta: Tensor | null;
  savedMean: Tensor;
  savedInvStd: Tensor;
}

type InitializerOption = InitializerIdentifier;

/** Options of `BatchNormalization`, Keras names and defaults. */
export interface BatchNormalizationArgs extends LayerArgs {
  /** Feature axis; only the last axis (-1) is supported for MLPs. */
  axis?: number;
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  betaInitializer?: InitializerOption;
  gammaInitializer?: InitializerOption;
  movingMeanInitializer?: InitializerOption;
  movingVarianceInitializer?: InitializerOption;
}

const BN_OPTIONS = [
  'axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer',
];
const BN_NOT_IMPLEMENTED: Record<string, string> = {
  betaRegularizer: '',
  gammaRegularizer: '',
  betaConstraint: '',
  gammaConstraint: '',
  synchronized: '',
  renorm: '',
};

/**
 * Normalises each feature over the batch. Training uses the batch's mean and (biased) variance and updates
 * the moving statistics; inference uses the moving statistics.
 */
export class BatchNormalization extends Layer {
  static override readonly className: string = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', Initializer>;
  private weight: { gamma: Variable | null; beta: Variable | null; movingMean: Variable; movingVariance: Variable } | null = null;
  private extras: Extras | null = null;
  private lastInput: Tensor | null = null;
  private lastTraining = false;

  constructor(options: BatchNormalizationArgs = {}) {
    const args = layerOptions(options, 'BatchNormalization', BN_OPTIONS, BN_NOT_IMPLEMENTED);
    super(args);
    if (args.axis !== undefined && args.axis !== -1) {
      invalid({ what: 'axis', where: 'BatchNormalization', expected: '-1 (the feature axis of an MLP)', received: received('axis', args.axis) });
    }
    this.momentum = checkNumberInRange(args.momentum ?? 0.99, 'momentum', 'BatchNormalization', 0, 1);
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-3, 'epsilon', 'BatchNormalization', 0, Infinity, { lowOpen: true });
    for (const key of ['center', 'scale'] as const) {
      if (args[key] !== undefined && typeof args[key] !== 'boolean') invalid({ what: key, where: 'BatchNormalization', expected: 'a boolean', received: received(key, args[key]) });
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      beta: initializerOption(args.betaInitializer, 'zeros', 'BatchNormalization'),
      gamma: initializerOption(args.gammaInitializer, 'ones', 'BatchNormalization'),
      movingMean: initializerOption(args.movingMeanInitializer, 'zeros', 'BatchNormalization'),
      movingVariance: initializerOption(args.movingVarianceInitializer, 'ones', 'BatchNormalization'),
    };
  }

  override plannedWeights(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const shape = [sizeOf(inputShape)];
    const names = [...(this.scale ? ['gamma'] : []), ...(this.center ? ['beta'] : []), 'moving_mean', 'moving_variance'];
    return names.map((n) => ({ name: `${this.name}/${n}`, shape: [...shape] }));
  }

  protected override createWeights(inputShape: number[], ctx: BuildContext): void {
    const shape = [sizeOf(inputShape)];
    // Keras order: gamma, beta, moving_mean, moving_variance. A disabled gamma/beta is a constant, not a weight.
    this.weight = {
      gamma: this.scale ? this.addWeight(ctx, 'gamma', shape, this.inits.gamma) : null,
      beta: this.center ? this.addWeight(ctx, 'beta', shape, this.inits.beta) : null,
      movingMean: this.addWeight(ctx, 'moving_mean', shape, this.inits.movingMean, false),
      movingVariance: this.addWeight(ctx, 'moving_variance', shape, this.inits.movingVariance, false),
    };
    this.extras = this.makeExtras(ctx.backend, shape, ctx.dtype);
  }

  /** The constants standing in for a disabled gamma/beta, and the statistics saved for backward. */
  private makeExtras(backend: Backend, shape: number[], dtype: FloatDType): Extras {
    const constant = (value: number) => {
      const t = backend.alloc(shape, dtype);
      backend.fill(t, value);
      return t;
    };
    return {
      gamma: this.scale ? null : constant(1),
      beta: this.center ? null : constant(0),
      savedMean: backend.alloc(shape, dtype),
      savedInvStd: backend.alloc(shape, dtype),
    };
  }

  /** The backend's view of this layer: the variables' current tensors and the extras. */
  private state(): BatchNormState {
    const w = this.weight!;
    const e = this.extras!;
    return {
      gamma: w.gamma?.value ?? e.gamma!,
      beta: w.beta?.value ?? e.beta!,
      movingMean: w.movingMean.value,
      movingVariance: w.movingVariance.value,
      savedMean: e.savedMean,
      savedInvStd: e.savedInvStd,
    };
  }

  forward(x: Tensor, ctx: RunContext): Tensor {
    this.checkInput(x);
    const out = this.buffers.get(ctx.backend, 'y', x.shape, x.dtype);
    // A frozen layer runs in inference mode even while the model trains, as in Keras.
    this.lastTraining = ctx.training && this.trainable;
    ctx.backend.batchNormForward(x, out, this.state(), {
      training: this.lastTraining,
      momentum: this.momentum,
      epsilon: this.epsilon,
    });
    this.lastInput = x;
    return out;
  }

  backward(dy: Tensor, ctx: RunContext, needInputGrad: boolean): Tensor | null {
    const { backend } = ctx;
    const w = this.weight!;
    const features = dy.shape[1];
    // A disabled gamma/beta still gets its gradient computed, into scratch nobody reads.
    const dGamma = w.gamma?.grad ?? this.buffers.get(backend, 'dgamma', [features], dy.dtype);
    const dBeta = w.beta?.grad ?? this.buffers.get(backend, 'dbeta', [features], dy.dtype);
    const dx = needInputGrad ? this.buffers.get(backend, 'dx', dy.shape, dy.dtype) : null;
    backend.batchNormBackward(dy, this.lastInput!, this.state(), dx, dGamma, dBeta, { training: this.lastTraining });
    return dx;
  }

  override adoptWeights(backend: Backend, values: ArrayLike<number>[]): void {
    super.adoptWeights(backend, values);
    const { shape, dtype } = this.extras!.savedMean;
    this.disposeExtras();
    this.extras = this.makeExtras(backend, [...shape], dtype as FloatDType);
  }

  private disposeExtras(): void {
    const e = this.extras;
    if (!e) return;
    for (const t of [e.gamma, e.beta, e.savedMean, e.savedInvStd]) t?.dispose();
    this.extras = null;
  }

  override dispose(): void {
    this.disposeExtras();
    this.weight = null;
    super.dispose();
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.inits.beta),
      gammaInitializer: serializeInitializer(this.inits.gamma),
      movingMeanInitializer: serializeInitializer(this.inits.movingMean),
      movingVarianceInitializer: serializeInitializer(this.inits.movingVariance),
    };
  }
}

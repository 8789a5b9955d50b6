import type { Backend, BatchNormState } from '../backend/backend';
import { checkNumberInRange, invalid, received } from '../errors';
import { serializeInitializer, type Initializer } from '../initializers';
import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Layer, initializerOption, type BuildContext, type LayerArgs, type RunContext } from './layer';

type InitializerOption = string | Initializer | { className: string; config?: Record<string, unknown> };

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
  private state: BatchNormState | null = null;
  private lastInput: Tensor | null = null;
  private lastTraining = false;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    if (args.axis !== undefined && args.axis !== -1) {
      invalid({ what: 'axis', where: 'BatchNormalization', expected: '-1 (the feature axis of an MLP)', received: received('axis', args.axis) });
    }
    this.momentum = checkNumberInRange(args.momentum ?? 0.99, 'momentum', 'BatchNormalization', 0, 1);
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-3, 'epsilon', 'BatchNormalization', 0, Infinity, { lowOpen: true });
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      beta: initializerOption(args.betaInitializer, 'zeros', 'BatchNormalization'),
      gamma: initializerOption(args.gammaInitializer, 'ones', 'BatchNormalization'),
      movingMean: initializerOption(args.movingMeanInitializer, 'zeros', 'BatchNormalization'),
      movingVariance: initializerOption(args.movingVarianceInitializer, 'ones', 'BatchNormalization'),
    };
  }

  protected override createWeights(inputShape: number[], ctx: BuildContext): void {
    const shape = [sizeOf(inputShape)];
    const fixed = (values: Initializer) => ctx.backend.upload(values.generate(shape, ctx.dtype), shape, ctx.dtype);
    // Keras order: gamma, beta, moving_mean, moving_variance. A disabled gamma/beta is a constant, not a weight.
    const gamma = this.scale ? this.addWeight(ctx, 'gamma', shape, this.inits.gamma).value : fixed(initializerOption('ones', 'ones', ''));
    const beta = this.center ? this.addWeight(ctx, 'beta', shape, this.inits.beta).value : fixed(initializerOption('zeros', 'zeros', ''));
    const movingMean = this.addWeight(ctx, 'moving_mean', shape, this.inits.movingMean, false).value;
    const movingVariance = this.addWeight(ctx, 'moving_variance', shape, this.inits.movingVariance, false).value;
    this.state = {
      gamma,
      beta,
      movingMean,
      movingVariance,
      savedMean: ctx.backend.alloc(shape, ctx.dtype),
      savedInvStd: ctx.backend.alloc(shape, ctx.dtype),
    };
  }

  /** Tensors of the state, refreshed from the variables (they move when the model changes backend). */
  private currentState(): BatchNormState {
    const s = this.state!;
    const byName = (n: string) => this.variables.find((v) => v.name.endsWith(`/${n}`))?.value;
    return {
      ...s,
      gamma: byName('gamma') ?? s.gamma,
      beta: byName('beta') ?? s.beta,
      movingMean: byName('moving_mean')!,
      movingVariance: byName('moving_variance')!,
    };
  }

  forward(x: Tensor, ctx: RunContext): Tensor {
    this.checkInput(x);
    const out = this.buffers.get(ctx.backend, 'y', x.shape, x.dtype);
    // A frozen layer runs in inference mode even while the model trains, as in Keras.
    this.lastTraining = ctx.training && this.trainable;
    ctx.backend.batchNormForward(x, out, this.currentState(), {
      training: this.lastTraining,
      momentum: this.momentum,
      epsilon: this.epsilon,
    });
    this.lastInput = x;
    return out;
  }

  backward(dy: Tensor, ctx: RunContext, needInputGrad: boolean): Tensor | null {
    const { backend } = ctx;
    const features = dy.shape[1];
    const grad = (n: string) =>
      this.variables.find((v) => v.name.endsWith(`/${n}`))?.grad ?? this.buffers.get(backend, `d${n}`, [features], dy.dtype);
    const dx = needInputGrad ? this.buffers.get(backend, 'dx', dy.shape, dy.dtype) : null;
    backend.batchNormBackward(dy, this.lastInput!, this.currentState(), dx, grad('gamma'), grad('beta'), {
      training: this.lastTraining,
    });
    return dx;
  }

  override adoptWeights(backend: Backend, values: ArrayLike<number>[]): void {
    super.adoptWeights(backend, values);
    const s = this.state!;
    const { shape, dtype } = s.savedMean;
    const constant = (value: number) => {
      const t = backend.alloc(shape, dtype);
      backend.fill(t, value);
      return t;
    };
    if (!this.scale) s.gamma.dispose();
    if (!this.center) s.beta.dispose();
    s.savedMean.dispose();
    s.savedInvStd.dispose();
    this.state = {
      ...s,
      gamma: this.scale ? s.gamma : constant(1),
      beta: this.center ? s.beta : constant(0),
      savedMean: backend.alloc(shape, dtype),
      savedInvStd: backend.alloc(shape, dtype),
    };
  }

  override dispose(): void {
    if (this.state) {
      if (!this.scale) this.state.gamma.dispose();
      if (!this.center) this.state.beta.dispose();
      this.state.savedMean.dispose();
      this.state.savedInvStd.dispose();
      this.state = null;
    }
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

/**
 * The layer base class. A layer validates and stores its arguments in the constructor, creates its
 * weights in `build(inputShape)`, and runs through the backend contract in `forward`/`backward`. Inside
 * the library a batch is always a 2-D `[batch, features]` tensor; shapes per sample are kept for
 * `summary` and checks.
 */
import { toSnakeCase } from '../utils/identifiers';
import { checkOptions } from '../utils/options';
import type { Backend, FloatDType } from '../backend/backend';
import { ShapeError, StateError, invalid, received } from '../errors';
import { getInitializer, type Initializer, type InitializerIdentifier, type InitializerName } from '../initializers';
import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { BufferCache } from './buffer-cache';
import { Variable } from './variable';

/** Options every layer accepts. */
export interface LayerArgs {
  /**
   * Unique name; by default the snake_case class name with a counter (`dense`, `dense_1`, …). As in
   * Keras, a string without `/` (weights are stored under `name/kernel`).
   */
  name?: string;
  /** Shape of one input sample (without the batch dimension); lets a first layer build the model. */
  inputShape?: number[];
  /** Shape with a leading batch dimension (null or a number), as Keras's `batch_input_shape`. */
  batchInputShape?: (number | null)[];
  /** Keras's and TF.js's `input_dim`: `inputShape: [inputDim]`. */
  inputDim?: number;
  /** Whether the optimizer updates this layer's weights (default true). */
  trainable?: boolean;
}

/** The option names of {@link LayerArgs}. */
const LAYER_OPTIONS = ['name', 'inputShape', 'batchInputShape', 'inputDim', 'trainable'];
/** Layer options of Keras or TF.js that this library does not have. */
const LAYER_NOT_IMPLEMENTED: Record<string, string> = {
  dtype: "layers compute in keras.config's floatx ('float32', or 'float64' on the CPU)",
  autocast: '',
  batchSize: 'fit, evaluate and predict take the batch size',
  weights: 'call model.setWeights once the model is built',
  inputDType: '',
};

/**
 * Check a layer's options object: the options every layer takes plus `known`; Keras options in
 * `notImplemented` say they are not implemented yet. Returns the options (`{}` for none).
 */
export function layerOptions<T extends object>(args: T | undefined, where: string, known: readonly string[] = [], notImplemented: Record<string, string> = {}): T {
  return checkOptions(args, where, { known: [...known, ...LAYER_OPTIONS], notImplemented: { ...LAYER_NOT_IMPLEMENTED, ...notImplemented } });
}

/** What a layer needs to know while running one batch. */
export interface RunContext {
  backend: Backend;
  /** Training mode: dropout active, batch norm uses batch statistics. */
  training: boolean;
  /** Index of the optimizer step (keys dropout masks). */
  step: number;
  /** Per-run seed mixed into dropout masks. */
  runSeed: number;
  /** The output layer whose pre-activation a fused loss reads (it must keep it even at inference). */
  logitsLayer?: Layer | null;
  /** A backward pass follows even though `training` is false (gradient checks in inference mode). */
  backwardFollows?: boolean;
}

/** What a layer needs to create its weights. */
export interface BuildContext {
  backend: Backend;
  dtype: FloatDType;
}

const nameCounters = new Map<string, number>();

/** Keras's automatic names: `dense`, `dense_1`, `dense_2`, … per class. */
function uniqueName(base: string): string {
  const n = nameCounters.get(base) ?? 0;
  nameCounters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

export abstract class Layer {
  /** Keras class name; spelled out in each subclass so it survives minification. */
  static readonly className: string = 'Layer';
  readonly name: string;
  trainable: boolean;
  /** Per-sample input shape the user declared (`inputShape`), if any. */
  readonly declaredInputShape: number[] | null;
  /** Per-sample input shape after `build`. */
  inputShape: number[] | null = null;
  /** Per-sample output shape after `build`. */
  outputShape: number[] | null = null;
  protected variables: Variable[] = [];
  protected readonly buffers = new BufferCache();
  private disposed = false;

  /** @param args Checked by the subclass with {@link layerOptions}. */
  constructor(args: LayerArgs = {}) {
    const className = (new.target as unknown as typeof Layer).className;
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.includes('/'))) {
      invalid({ what: 'name', where: className, expected: "a string without '/' (as Keras)", received: received('name', args.name) });
    }
    this.name = args.name ?? uniqueName(toSnakeCase(className));
    if (args.trainable !== undefined && typeof args.trainable !== 'boolean') {
      invalid({ what: 'trainable', where: className, expected: 'a boolean', received: received('trainable', args.trainable) });
    }
    this.trainable = args.trainable ?? true;
    const given = [args.inputShape, args.batchInputShape, args.inputDim].filter((v) => v !== undefined).length;
    if (given > 1) {
      invalid({ what: 'input shape', where: className, expected: 'one of inputShape, batchInputShape and inputDim', received: `${given} of them` });
    }
    const shape = args.inputDim !== undefined ? [args.inputDim] : (args.inputShape ?? args.batchInputShape?.slice(1));
    if (shape !== undefined) {
      if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
        invalid({
          what: 'inputShape',
          where: className,
          expected: 'a non-empty array of positive integers (the shape of one sample, without the batch size)',
          received: received('inputShape', shape),
        });
      }
      this.declaredInputShape = [...(shape as number[])];
    } else {
      this.declaredInputShape = null;
    }
  }

  /** Keras class name, e.g. `Dense`. */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  get built(): boolean {
    return this.outputShape !== null;
  }

  /** Weights in Keras order (trainable and not). */
  get weights(): Variable[] {
    return this.variables;
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.variables.filter((v) => v.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.variables.filter((v) => !v.trainable || !this.trainable);
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    return this.variables.reduce((n, v) => n + sizeOf(v.shape), 0);
  }

  /** Output shape per sample for an input shape per sample. */
  computeOutputShape(inputShape: number[]): number[] {
    return inputShape;
  }

  /**
   * The weights `build(inputShape)` would create (full names and shapes, Keras order), without creating
   * anything: loading checks a saved topology against its weights with it before building.
   */
  plannedWeights(_inputShape: readonly number[]): { name: string; shape: number[] }[] {
    return [];
  }

  /** Create weights for this input shape (per sample). Called once by the model. */
  build(inputShape: number[], ctx: BuildContext): void {
    this.inputShape = [...inputShape];
    this.outputShape = this.computeOutputShape(inputShape);
    this.createWeights(inputShape, ctx);
  }

  /** Subclasses create their variables here. */
  protected createWeights(_inputShape: number[], _ctx: BuildContext): void {}

  /** Create a variable from an initializer. */
  protected addWeight(
    ctx: BuildContext,
    name: string,
    shape: number[],
    initializer: Initializer,
    trainable = true,
  ): Variable {
    const values = initializer.generate(shape, ctx.dtype);
    const value = ctx.backend.upload(values, shape, ctx.dtype);
    const grad = trainable ? ctx.backend.alloc(shape, ctx.dtype) : null;
    const v = new Variable(`${this.name}/${name}`, value, grad, trainable);
    this.variables.push(v);
    return v;
  }

  /** Run one batch forward; returns the output `[batch, outFeatures]`. */
  abstract forward(x: Tensor, ctx: RunContext): Tensor;

  /**
   * Back-propagate `dy` (gradient of the loss with respect to this layer's last output), writing weight
   * gradients into each variable's `grad`; returns the gradient with respect to the input, or null when
   * `needInputGrad` is false.
   */
  abstract backward(dy: Tensor, ctx: RunContext, needInputGrad: boolean): Tensor | null;

  /** Every constructor argument, Keras style. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.declaredInputShape) config.batchInputShape = [null, ...this.declaredInputShape];
    return config;
  }

  /** @internal Check a batch's feature count against the built shape. */
  protected checkInput(x: Tensor): void {
    const expected = sizeOf(this.inputShape!);
    if (x.shape[x.shape.length - 1] !== expected) {
      throw new ShapeError(
        `Invalid input for ${this.name}: expected ${expected} features per sample. Received: shape [${x.shape}].`,
      );
    }
  }

  /** @internal Move weights to another backend (values copied). */
  async moveTo(backend: Backend): Promise<void> {
    const values = await Promise.all(this.variables.map((v) => v.value.data()));
    this.adoptWeights(backend, values);
  }

  /**
   * @internal Replace every weight by `values[i]` on `backend` (Keras order), releasing the old storage
   * (also when it lives on a lost device) and the scratch buffers.
   */
  adoptWeights(backend: Backend, values: ArrayLike<number>[]): void {
    this.buffers.clear();
    this.variables.forEach((v, i) => {
      const value = backend.upload(values[i], v.shape, v.value.dtype);
      const grad = v.grad ? backend.alloc(v.shape, v.value.dtype) : null;
      v.dispose();
      v.value = value;
      v.grad = grad;
    });
  }

  /** True once `dispose()` was called: the layer has no weights any more. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal Throw a StateError if the layer was disposed. */
  assertNotDisposed(where: string): void {
    if (this.disposed) {
      invalid({ what: 'call', where, expected: 'layers that were not disposed', received: `layer '${this.name}', disposed`, hint: 'build a new model (or load a saved one); a disposed model or layer has no weights.' }, StateError);
    }
  }

  /** Release weights and scratch buffers. */
  dispose(): void {
    this.buffers.clear();
    for (const v of this.variables) v.dispose();
    this.variables = [];
    this.disposed = true;
  }

  /** @internal Release only scratch buffers (end of fit/predict). */
  releaseBuffers(): void {
    this.buffers.clear();
  }
}

/** Resolve an initializer option, naming the layer in errors. */
export function initializerOption(
  value: InitializerIdentifier | undefined,
  fallback: InitializerName,
  where: string,
): Initializer {
  return getInitializer(value ?? fallback, where);
}

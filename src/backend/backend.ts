/**
 * The backend contract: the only backend thing that layers, losses, metrics, optimizers and the trainer
 * import. It is small and coarse on purpose, shaped for a GPU:
 *
 * - storage belongs to the backend (`alloc`, `upload`, `write`, `free`); reads are asynchronous;
 * - every operation writes into an output tensor the caller allocated once per batch shape, so a training
 *   step allocates nothing;
 * - operations are fused where the training step wants them fused (matmul + bias + activation; softmax +
 *   cross-entropy; one optimizer update over all parameters; loss and metric sums kept on the device);
 * - work may be queued: `flush()` hands queued work to the device (one submit per training step on
 *   WebGPU, a no-op on the CPU) and `read()` waits for everything queued before it.
 *
 * All float tensors of one operation share one dtype. Matrices are row-major `[rows, cols]`; a batch of
 * samples is always 2-D `[batch, features]` inside the library.
 */
import type { ActivationSpec } from '../activations';
import type { Tensor } from '../tensor/tensor';

export type DType = 'float32' | 'float64' | 'int32';
export type FloatDType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array | Int32Array;
export type FloatArray = Float32Array | Float64Array;

/** Live storage of one backend. */
export interface BackendMemory {
  /** Tensors allocated and not yet disposed. */
  numTensors: number;
  /** Bytes held by those tensors (GPU buffers on WebGPU, typed arrays on the CPU). */
  numBytes: number;
  /**
   * Bytes of released storage not reusable yet: GPU buffers that recorded work may still use, until the
   * next submit (which comes by itself within a microtask); 0 on the CPU.
   */
  numBytesPending: number;
  /** Bytes of released storage kept for reuse (the WebGPU buffer pool, at most `poolMaxFreeBytes`); 0 on the CPU. */
  numBytesCached: number;
}

/** `C = act(op(A)·op(B) + bias)`; `preActivation`, when given, receives `op(A)·op(B) + bias`. */
export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  /** Added to every row (length = columns of C). */
  bias?: Tensor | null;
  /** Applied elementwise (row-wise for softmax); linear when absent. */
  activation?: ActivationSpec | null;
  /** Also store the value before the activation (needed by the activation's derivative). */
  preActivation?: Tensor | null;
  /** Add the result to `out` instead of overwriting it (no bias/activation allowed then). */
  accumulate?: boolean;
}

export type LossKind =
  | 'mean_squared_error'
  | 'mean_absolute_error'
  | 'huber'
  | 'binary_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy';

export interface LossOptions {
  /** `yPred` holds logits (pre-sigmoid/softmax) instead of probabilities. */
  fromLogits: boolean;
  /** Huber's delta. */
  delta: number;
  /** Probability clipping of the cross-entropies (Keras's epsilon, 1e-7). */
  epsilon: number;
  /** Label smoothing for the (binary/categorical) cross-entropies, 0 for none. */
  labelSmoothing: number;
}

export type MetricKind =
  | 'binary_accuracy'
  | 'categorical_accuracy'
  | 'sparse_categorical_accuracy'
  | 'mean_squared_error'
  | 'mean_absolute_error'
  | 'r2_score';

export interface MetricOptions {
  /** Decision threshold of binary accuracy (0.5). */
  threshold: number;
}

export type OptimizerKind = 'sgd' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adam' | 'adamw';

/**
 * Hyper-parameters of one optimizer step, all plain numbers decided on the host (the learning rate of this
 * step comes from its schedule; `iteration` is the 0-based count of steps already applied).
 */
export interface OptimizerStep {
  learningRate: number;
  iteration: number;
  /** Decoupled weight decay (Keras 3: `w -= lr * weightDecay * w` before the update), 0 for none. */
  weightDecay: number;
  /** Clip each gradient to this L2 norm (per tensor), or 0. */
  clipnorm: number;
  /** Clip each gradient element to [-clipvalue, clipvalue], or 0. */
  clipvalue: number;
  /** Clip all gradients together to this global L2 norm, or 0. */
  globalClipnorm: number;
  /** Optimizer-specific numbers (beta1, beta2, epsilon, rho, momentum, nesterov as 0/1, centered as 0/1, amsgrad as 0/1). */
  hyper: Readonly<Record<string, number>>;
}

export interface BatchNormOptions {
  training: boolean;
  momentum: number;
  epsilon: number;
}

/** Tensors of one batch-normalization layer: per-feature vectors of length `features`. */
export interface BatchNormState {
  gamma: Tensor;
  beta: Tensor;
  movingMean: Tensor;
  movingVariance: Tensor;
  /** Mean used by the last forward pass (batch mean in training, moving mean at inference). */
  savedMean: Tensor;
  /** 1/sqrt(variance + epsilon) used by the last forward pass. */
  savedInvStd: Tensor;
}

/** Dropout is keyed by (seed, step, element index) through a counter-based RNG: masks are never stored. */
export interface DropoutOptions {
  rate: number;
  seed: number;
  step: number;
}

export interface Backend {
  /** `'cpu'` or `'webgpu'`. */
  readonly name: string;
  /** Float dtypes this backend computes in. */
  readonly floatDtypes: readonly FloatDType[];
  /**
   * True when `read` costs no more than a copy (the CPU), so the trainer may read every batch for
   * progress; false when a read stalls a device queue and must be throttled.
   */
  readonly readsAreCheap: boolean;
  /**
   * Optional: true once the backend can do no more work (its GPU device was lost); `setBackend` then
   * starts a new one instead of handing this one out again.
   */
  readonly isLost?: boolean;

  // ---- storage --------------------------------------------------------------------------------------
  /** A new zero-filled tensor. */
  alloc(shape: readonly number[], dtype: DType): Tensor;
  /** A new tensor holding a copy of `values` (converted to `dtype`). */
  upload(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor;
  /** Overwrite a tensor's values, starting at element `offset` (default 0). */
  write(tensor: Tensor, values: ArrayLike<number>, offset?: number): void;
  /** Copy all of `src` into `dst` starting at element `dstOffset` (default 0); same dtype. */
  copy(src: Tensor, dst: Tensor, dstOffset?: number): void;
  /** Set every element to `value`. */
  fill(tensor: Tensor, value: number): void;
  /** Wait for queued work and return a copy of the values. */
  read(tensor: Tensor): Promise<TypedArray>;
  /** Release a tensor's storage (called by `Tensor.dispose`). */
  free(tensor: Tensor): void;
  /** Hand queued work to the device now; throws a DeviceError once the device is known to be lost. */
  flush(): void;
  /** Resolve when all queued work is done. */
  sync(): Promise<void>;
  memory(): BackendMemory;
  /**
   * Optional (backends that compile kernels): prepare, once and up front, every kernel `run` uses. Calls
   * `run` once with the operations' kernels recorded instead of executed, so no tensor's values change
   * through them; storage calls (`alloc`, `upload`, `write`, `copy`, `fill`) still take effect, so a
   * tensor made inside `run` is usable afterwards, and queued work and reads are not affected. Then
   * compiles every recorded kernel variant not compiled yet (in parallel where the platform gains from
   * it) and resolves when all are ready, rejecting with a compile error (a library bug). May resolve
   * without calling `run` when it has nothing to prepare. The trainer calls it before its first batch
   * with one batch of each size its loop will run, so no step compiles anything.
   */
  compileAhead?(run: () => void): Promise<void>;

  // ---- data movement ----------------------------------------------------------------------------------
  /** `out[r, :] = src[indices[start + r], :]` for r < out.shape[0]; indices is int32. */
  gatherRows(src: Tensor, indices: Tensor, start: number, out: Tensor): void;

  // ---- dense math ---------------------------------------------------------------------------------------
  matmul(a: Tensor, b: Tensor, out: Tensor, options?: MatmulOptions): void;
  /** `out = act(x)`. */
  activation(x: Tensor, out: Tensor, activation: ActivationSpec): void;
  /** `out = dL/dz` from `dy = dL/dy`, the pre-activation `z` and the output `y = act(z)`. */
  activationBackward(dy: Tensor, z: Tensor, y: Tensor, out: Tensor, activation: ActivationSpec): void;
  /** Column sums of a `[rows, cols]` matrix into `out` of length `cols` (the bias gradient). */
  sumRows(x: Tensor, out: Tensor): void;

  // ---- layers' fused kernels ----------------------------------------------------------------------------
  dropout(x: Tensor, out: Tensor, options: DropoutOptions): void;
  dropoutBackward(dy: Tensor, out: Tensor, options: DropoutOptions): void;
  /**
   * Training: normalise with batch statistics, save them, update the moving statistics in place.
   * Inference: normalise with the moving statistics and save those.
   */
  batchNormForward(x: Tensor, out: Tensor, state: BatchNormState, options: BatchNormOptions): void;
  /**
   * Gradients of the last forward pass: `dx` (skipped when null), and `dGamma`/`dBeta` (overwritten).
   * `training` must match that forward pass: with batch statistics the mean and variance depend on x;
   * with moving statistics (inference, or a frozen layer) they are constants.
   */
  batchNormBackward(
    dy: Tensor,
    x: Tensor,
    state: BatchNormState,
    dx: Tensor | null,
    dGamma: Tensor,
    dBeta: Tensor,
    options: { training: boolean },
  ): void;

  // ---- losses and metrics, accumulated on the device ----------------------------------------------------
  /**
   * Per-sample loss of a batch, added into `accumulator` as `[sum of sample losses, sample count]`; when
   * `grad` is given it receives the gradient of the batch *mean* loss with respect to `yPred`.
   * Sparse labels are class indices stored as floats, shape `[batch, 1]`.
   */
  loss(kind: LossKind, yPred: Tensor, yTrue: Tensor, options: LossOptions, accumulator: Tensor, grad: Tensor | null): void;
  /** Length of a metric's accumulator for `cols` output columns. */
  metricStateSize(kind: MetricKind, cols: number): number;
  /** Add one batch to a metric's accumulator (layout documented by each metric's `result`). */
  metric(kind: MetricKind, yPred: Tensor, yTrue: Tensor, options: MetricOptions, accumulator: Tensor): void;

  // ---- optimizers -----------------------------------------------------------------------------------------
  /**
   * One fused update of every parameter: clipping, weight decay, then the optimizer's rule.
   * `slots[i]` are parameter i's state tensors in the order `optimizerSlotNames(kind)` lists.
   */
  optimizerUpdate(kind: OptimizerKind, params: Tensor[], grads: Tensor[], slots: Tensor[][], step: OptimizerStep): void;

  /** Release everything this backend holds. */
  dispose(): void;
}

/** State tensors each optimizer keeps per parameter, in order. */
export function optimizerSlotNames(kind: OptimizerKind, hyper: Readonly<Record<string, number>>): string[] {
  switch (kind) {
    case 'sgd':
      return hyper.momentum > 0 ? ['momentum'] : [];
    case 'rmsprop':
      return ['velocity', ...(hyper.momentum > 0 ? ['momentum'] : []), ...(hyper.centered ? ['average_gradient'] : [])];
    case 'adagrad':
      return ['accumulator'];
    case 'adadelta':
      return ['accumulated_grad', 'accumulated_delta_var'];
    case 'adam':
    case 'adamw':
      return ['momentum', 'velocity', ...(hyper.amsgrad ? ['velocity_hat'] : [])];
  }
}

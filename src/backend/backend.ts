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
 *   WebGPU, a no-op on the CPU) and `read()` waits for everything queued before it;
 * - formulas arrive as compiled expressions (src/expr/functions.ts): an activation is an ElementwiseFn,
 *   a loss a RowProgram, a metric a MetricProgram, an optimizer an UpdateRule. A backend compiles their
 *   expressions with its emitter into its fused skeletons and caches them by generated code; their
 *   run-time scalars (parameters, learning rate, step count) are uniforms, not code. It knows no names.
 *
 * All float tensors of one operation share one dtype. Matrices are row-major `[rows, cols]`; a batch of
 * samples is always 2-D `[batch, features]` inside the library.
 */
import type { ElementwiseFn, MetricProgram, RowProgram, UpdateRule } from '../expr/functions';
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
  /** Applied elementwise (row-wise for softmax), compiled into the product's epilogue; linear when absent. */
  activation?: ElementwiseFn | null;
  /** Also store the value before the activation (needed by the activation's derivative). */
  preActivation?: Tensor | null;
  /** Add the result to `out` instead of overwriting it (no bias/activation allowed then). */
  accumulate?: boolean;
}

/**
 * The numbers of one optimizer step, decided on the host: the values of the rule's run-time scalars (the
 * learning rate of this step from its schedule, the 0-based `iteration`, the weight decay, the clip value,
 * …: uniforms on the GPU, so nothing recompiles when they change), and the norm clipping the fused update
 * applies before the rule (its clip factors are computed on the device).
 */
export interface OptimizerStep {
  /** Values of the scalars the rule's expressions read. */
  scalars: Readonly<Record<string, number>>;
  /** Clip each gradient to this L2 norm (per tensor), or 0. */
  clipnorm: number;
  /** Clip all gradients together to this global L2 norm, or 0. */
  globalClipnorm: number;
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
  /** `out = act(x)`: the function's forward expression, compiled (cached by its generated code). */
  activation(x: Tensor, out: Tensor, activation: ElementwiseFn): void;
  /**
   * `out = dL/dz` from `dy = dL/dy`, the pre-activation `z` and the output `y = act(z)`: the function's
   * backward expression. Only the inputs `activation.reads` names are read; the other may be any tensor.
   */
  activationBackward(dy: Tensor, z: Tensor, y: Tensor, out: Tensor, activation: ElementwiseFn): void;
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
   * Per-sample loss of a batch (the program's per-row result), added into `accumulator` as
   * `[sum of sample losses, sample count]`; when `grad` is given it receives the gradient of the batch
   * *mean* loss with respect to `yPred`. Sparse targets are class indices stored as floats, `[batch, 1]`.
   */
  loss(loss: RowProgram, yPred: Tensor, yTrue: Tensor, accumulator: Tensor, grad: Tensor | null): void;
  /** Add one batch to a metric's accumulator: `[Σ per-sample values, count]` (rows) or `[count, per column each sum]` (columns). */
  metric(metric: MetricProgram, yPred: Tensor, yTrue: Tensor, accumulator: Tensor): void;

  // ---- optimizers -----------------------------------------------------------------------------------------
  /**
   * One fused update of every parameter by the rule (clipping, weight decay and the optimizer's step, as
   * expressions), with its gradient scaled first by its clip factor when `rule.clipsByNorm`. `slots[i]`
   * are parameter i's state tensors in the order `rule.slots` lists; parameters and slots are updated in
   * place.
   */
  optimizerUpdate(rule: UpdateRule, params: Tensor[], grads: Tensor[], slots: Tensor[][], step: OptimizerStep): void;

  /** Release everything this backend holds. */
  dispose(): void;
}

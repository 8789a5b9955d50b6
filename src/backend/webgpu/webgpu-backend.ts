/**
 * The WebGPU backend: the contract of backend.ts on GPU buffers and WGSL compute shaders.
 *
 * - Storage: float32 (and int32 index) tensors live in pooled GPU buffers (buffer-pool.ts); zero-size
 *   tensors share one 4-byte stand-in; a tensor larger than maxStorageBufferBindingSize is refused.
 * - Work: every operation records dispatches into one command encoder (encoder.ts); `flush()` submits it
 *   once, so a training step is one submit; `read()` adds a copy to a staging buffer, flushes and maps.
 * - Kernels: thin wrappers in kernels/ over the WGSL in shaders/, compiled once per variant
 *   (pipeline-cache.ts); `compileAhead(run)` compiles what one step of a model records before the step
 *   runs (the trainer calls it before its first batch); `warmup()` compiles the common ones up front.
 * - Failures: a lost device, an out-of-memory or a validation error rejects the next `read`/`sync` with a
 *   DeviceError (device.ts); once the loss is known, `flush` throws it too, so a training loop stops at
 *   its next step instead of encoding work for a dead device until the end of the epoch.
 */
import type { ElementwiseFn, MetricProgram, RowProgram, UpdateRule } from '../../expr/functions';
import { DeviceError, ValueError, invalid, received } from '../../errors';
import { checkOptions } from '../../utils/options';
import { sizeOf } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import {
  type Backend,
  type BackendMemory,
  type BatchNormOptions,
  type BatchNormState,
  type DType,
  type DropoutOptions,
  type MatmulOptions,
  type OptimizerStep,
  type TypedArray,
} from '../backend';
import { checkCopy, checkGatherRows, checkLossArgs, checkMatmul, checkMetricArgs, checkOptimizerArgs, checkUpload, checkWrite, expectSize, rowsCols } from '../checks';
import type { BackendOptions } from '../registry';
import { BufferPool, type PoolStats } from './buffer-pool';
import { BUFFER_USAGE, DeviceHealth, MAP_MODE_READ, acquireDevice, hardwareThreads, isNode, type AcquiredDevice } from './device';
import { StepEncoder, UniformArena } from './encoder';
import { DEFAULT_CPU_FLAGS } from '../cpu/flags';
import { DEFAULT_WASM_FLAGS } from '../wasm/flags';
import { DEFAULT_FLAGS, type WebGpuFlags } from './flags';
import { KernelRunner, type GpuBuffer, type Runner } from './kernel-runner';
import { activationBackward, activationForward, softmaxBackward, softmaxForward } from './kernels/activation';
import { batchNormBackward, batchNormForward, type BatchNormBuffers } from './kernels/batchnorm';
import { dropout } from './kernels/dropout';
import { matmul, type MatmulKernel } from './kernels/matmul';
import { copyWords, fillWords, gatherRows } from './kernels/memory';
import { metric, rows as rowsKernel } from './kernels/rows';
import { optimizerUpdate } from './kernels/optimizer';
import { sumRows } from './kernels/reduce';
import { PipelineCache } from './pipeline-cache';
import { RecordingRunner, warmupCalls } from './warmup';

/** Options of {@link createWebGpuBackend}: where to run, and the tunables of flags.ts. */
export interface WebGpuBackendOptions extends BackendOptions {
  flags?: Partial<WebGpuFlags>;
  /**
   * Refuse a software adapter (SwiftShader, llvmpipe, a fallback adapter) with BackendUnavailableError
   * instead of starting on it: `setBackend('auto')` sets it, since the CPU backends are faster there.
   */
  requireHardwareAdapter?: boolean;
}

/** A tensor's storage: a (pooled) buffer, the bytes bound, the element count. */
interface Storage extends GpuBuffer {
  readonly size: number;
  readonly pooled: boolean;
}

const STORAGE_USAGE = BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_SRC | BUFFER_USAGE.COPY_DST;
const STAGING_USAGE = BUFFER_USAGE.MAP_READ | BUFFER_USAGE.COPY_DST;
const wordF32 = new Float32Array(1);
const wordU32 = new Uint32Array(wordF32.buffer);



/** Start the WebGPU backend: `options.device`, else a new device from `options.gpu`, `navigator.gpu` or Dawn. */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  // The other built-in backends' flag names are accepted and ignored: setBackend('auto', { flags }) hands
  // the same object to every backend it tries.
  const others = [...Object.keys(DEFAULT_WASM_FLAGS), ...Object.keys(DEFAULT_CPU_FLAGS)];
  const given = checkOptions(options.flags, 'WebGPU flags', { known: [...Object.keys(DEFAULT_FLAGS), ...others] });
  const flags = Object.fromEntries(Object.entries(given).filter(([key]) => !others.includes(key))) as Partial<WebGpuFlags>;
  return new WebGpuBackend(await acquireDevice(options), flags);
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly floatDtypes = ['float32'] as const;
  readonly readsAreCheap = false;
  /** The tunables (flags.ts); all but `poolMaxFreeBytes` may be changed between steps. */
  readonly flags: WebGpuFlags;
  readonly device: GPUDevice;
  /** `vendor architecture device description` of the adapter. */
  readonly adapter: string;
  /** True on software adapters (SwiftShader, llvmpipe): picks the barrier-free matmul. */
  readonly isCpuAdapter: boolean;
  private readonly ownsDevice: boolean;
  private readonly health: DeviceHealth;
  private readonly pipelines: PipelineCache;
  private readonly arena: UniformArena;
  private readonly encoder: StepEncoder;
  private readonly storage: BufferPool;
  private readonly staging: BufferPool;
  /** Dispatches kernels; storage calls always go through it. */
  private readonly kernels: KernelRunner;
  /** What operations run their kernels on: `kernels`, or a recording runner inside `compileAhead`. */
  private runner: Runner;
  private readonly empty: GPUBuffer;
  private readonly liveBuffers = new Set<GPUBuffer>();
  private readonly maxBinding: number;
  private live = 0;
  private bytes = 0;
  private submitScheduled = false;
  private disposed = false;

  constructor(acquired: AcquiredDevice, flags: Partial<WebGpuFlags> = {}) {
    const { device } = acquired;
    this.device = device;
    this.adapter = acquired.description;
    this.isCpuAdapter = acquired.isCpuAdapter;
    this.ownsDevice = acquired.ownsDevice;
    this.flags = { ...DEFAULT_FLAGS, ...flags };
    this.maxBinding = device.limits.maxStorageBufferBindingSize;
    // Out of memory: drop the pools' cached free buffers, so the next allocation can succeed.
    this.health = new DeviceHealth(device, acquired.description, () => (this.storage.trim(), this.staging.trim()));
    this.pipelines = new PipelineCache(device, (e) => (console.error(e.message), this.health.fail(e)), () => this.flags.printShaders);
    this.arena = new UniformArena(device, device.limits.minUniformBufferOffsetAlignment);
    this.encoder = new StepEncoder(device);
    const create = (make: () => GPUBuffer, bytes: number) => {
      device.pushErrorScope('out-of-memory');
      const buffer = make();
      this.health.watch(device.popErrorScope(), `the allocation of ${bytes} bytes (in use: ${this.bytes} bytes in ${this.live} tensors)`);
      return buffer;
    };
    const forget = (b: GPUBuffer) => this.kernels.bindGroups.forget(b);
    const maxBuffer = device.limits.maxBufferSize;
    this.storage = new BufferPool(device, STORAGE_USAGE, 'tensor', maxBuffer, this.flags.poolMaxFreeBytes, forget, create);
    this.staging = new BufferPool(device, STAGING_USAGE, 'staging', maxBuffer, this.flags.poolMaxFreeBytes / 4, () => {}, create);
    const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
    const wantedGroups = this.flags.maxWorkgroupsPerDimension;
    this.kernels = new KernelRunner(device, this.pipelines, this.arena, this.encoder, this.storage, wantedGroups > 0 ? Math.min(wantedGroups, maxGroups) : maxGroups);
    this.runner = this.kernels;
    this.empty = device.createBuffer({ label: 'zero-size stand-in', size: 4, usage: STORAGE_USAGE });
  }

  /** True once the device is lost: `setBackend('webgpu')` then starts a fresh backend. */
  get isLost(): boolean {
    return this.health.isLost;
  }

  /** The matmul variant in use: the `matmulKernel` flag, with `'auto'` resolved for this adapter. */
  get matmulKernel(): MatmulKernel {
    const flag = this.flags.matmulKernel;
    return flag === 'auto' ? (this.isCpuAdapter ? 'blocked' : 'tiled') : flag;
  }

  /**
   * Compile the kernels a training step commonly needs (warmup.ts), in parallel, so the first step does
   * not compile them one by one; rejects with any compile error. `kernels` limits it to some kernel
   * names of shaders.ts (e.g. `['matmul_blocked', 'rows']`); all by default.
   */
  async warmup(kernels?: readonly string[]): Promise<void> {
    const stub = { buffer: this.empty, bytes: 4 };
    const calls = warmupCalls(stub, this.matmulKernel).filter((c) => !kernels || kernels.includes(c.source.name));
    await Promise.all(calls.map((c) => this.pipelines.compile(c.source, c.defines, c.signature)));
  }

  /** How `compileAhead` compiles: the `compileAhead` flag, with `'auto'` resolved (flags.ts says why). */
  get compileAheadMode(): 'parallel' | 'serial' | 'off' {
    const flag = this.flags.compileAhead;
    if (flag !== 'auto') return flag;
    return isNode && (hardwareThreads() ?? 0) < 4 ? 'serial' : 'parallel';
  }

  /**
   * Run `run` with every operation's kernels recorded instead of dispatched, then compile the recorded
   * variants not compiled yet, as the `compileAhead` flag says (in parallel, or one by one); see the
   * contract in backend.ts. Storage calls (alloc's zeros, fill, copy, upload, write) still run. With the
   * flag `'off'` it resolves at once and `run` is not called.
   */
  async compileAhead(run: () => void): Promise<void> {
    const mode = this.compileAheadMode;
    if (mode === 'off') return;
    const recorder = new RecordingRunner({ buffer: this.empty, bytes: 4 }, (n, size) => this.kernels.grid1d(n, size));
    this.runner = recorder;
    try {
      run();
    } finally {
      this.runner = this.kernels;
    }
    const variants = recorder.variants();
    if (mode === 'serial') for (const c of variants) this.pipelines.compileSync(c.source, c.defines, c.signature);
    else await Promise.all(variants.map((c) => this.pipelines.compile(c.source, c.defines, c.signature)));
  }

  /**
   * Counters for tests and benchmarks: the tensor buffer pool, the number of compiled pipelines, and how
   * many of them a step had to compile synchronously while it was encoded (pipeline-cache.ts).
   */
  stats(): { buffers: PoolStats; pipelines: number; syncCompiles: number } {
    return { buffers: this.storage.stats(), pipelines: this.pipelines.size, syncCompiles: this.pipelines.syncCompiles };
  }

  // ---- storage ------------------------------------------------------------------------------------------

  alloc(shape: readonly number[], dtype: DType): Tensor {
    const { tensor, fresh } = this.create(shape, dtype, 'alloc');
    const s = this.buf(tensor);
    if (!fresh && s.size > 0) fillWords(this.kernels, s, s.size, 0);
    return tensor;
  }

  upload(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
    const size = sizeOf(shape);
    checkUpload(values, shape, size);
    if (values.length < size) {
      const t = this.alloc(shape, dtype);
      this.write(t, values);
      return t;
    }
    const { tensor } = this.create(shape, dtype, 'upload');
    if (size > 0) this.writeBuffer(tensor, values, 0);
    return tensor;
  }

  write(tensor: Tensor, values: ArrayLike<number>, offset = 0): void {
    checkWrite(tensor, values, offset);
    this.buf(tensor);
    if (values.length === 0) return;
    // Queued work may still read the old values: submit it first, then the queue orders the write after it.
    this.flush();
    this.writeBuffer(tensor, values, offset);
  }

  copy(src: Tensor, dst: Tensor, dstOffset = 0): void {
    checkCopy(src, dst, dstOffset);
    if (src.size > 0) copyWords(this.kernels, this.buf(src), this.buf(dst), src.size, dstOffset);
  }

  fill(tensor: Tensor, value: number): void {
    const s = this.buf(tensor);
    if (s.size === 0) return;
    wordF32[0] = value;
    fillWords(this.kernels, s, s.size, tensor.dtype === 'int32' ? value | 0 : wordU32[0]);
  }

  async read(tensor: Tensor): Promise<TypedArray> {
    const s = this.buf(tensor);
    const make = (data: ArrayBuffer) => (tensor.dtype === 'int32' ? new Int32Array(data) : new Float32Array(data));
    if (s.size === 0) {
      this.flush();
      await this.health.check();
      return make(new ArrayBuffer(0));
    }
    const bytes = s.size * 4;
    const staging = this.staging.acquire(bytes).buffer;
    this.encoder.copy(s.buffer, 0, staging, 0, bytes);
    this.flush();
    try {
      await staging.mapAsync(MAP_MODE_READ, 0, bytes);
    } catch (error) {
      await this.health.check();
      throw new DeviceError(`Reading a tensor of shape [${tensor.shape}] from the WebGPU device failed: ${(error as Error).message}`);
    }
    const data = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.staging.release(staging);
    await this.health.check();
    return make(data);
  }

  /**
   * Release a tensor's buffer. With no recorded work it is reusable at once; otherwise it waits for the
   * next submit, which a microtask makes if nothing else does first, so buffers released outside any
   * training step (models built and disposed without training) do not pile up.
   */
  free(tensor: Tensor): void {
    const s = tensor.handle as Storage;
    this.live--;
    this.bytes -= s.size * 4;
    if (!s.pooled) return;
    this.liveBuffers.delete(s.buffer);
    if (!this.encoder.hasWork) {
      this.storage.releaseNow(s.buffer);
      return;
    }
    this.storage.release(s.buffer);
    this.scheduleSubmit();
  }

  private scheduleSubmit(): void {
    if (this.submitScheduled) return;
    this.submitScheduled = true;
    queueMicrotask(() => {
      this.submitScheduled = false;
      if (this.disposed) return;
      if (this.health.isLost) {
        this.storage.afterSubmit(); // nothing will run any more: drop the pending list
        return;
      }
      this.submitQueued();
    });
  }

  /** Submit the queued work; on a lost device, throw its DeviceError now instead of at the next read. */
  flush(): void {
    this.health.throwIfLost();
    this.submitQueued();
  }

  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.health.check();
  }

  memory(): BackendMemory {
    const pool = this.storage.stats();
    return { numTensors: this.live, numBytes: this.bytes, numBytesPending: pool.pendingBytes, numBytesCached: pool.freeBytes };
  }

  // ---- data movement --------------------------------------------------------------------------------------

  gatherRows(src: Tensor, indices: Tensor, start: number, out: Tensor): void {
    checkGatherRows(src, indices, start, out);
    const [rows, cols] = rowsCols(out);
    if (rows * cols > 0) gatherRows(this.runner, this.buf(src), this.buf(indices), this.buf(out), rows, cols, start);
  }

  // ---- dense math -------------------------------------------------------------------------------------------

  matmul(a: Tensor, b: Tensor, out: Tensor, options: MatmulOptions = {}): void {
    const { transposeA = false, transposeB = false, bias = null, activation = null, preActivation = null, accumulate = false } = options;
    const [m, n, k] = checkMatmul(a, b, out, options);
    if (m * n === 0) return;
    const opt = (t: Tensor | null) => (t ? this.buf(t) : null);
    const act = activation && !activation.identity ? activation : null;
    matmul(this.runner, {
      a: this.buf(a), b: this.buf(b), out: this.buf(out), bias: opt(bias), pre: opt(preActivation),
      m, n, k, transposeA, transposeB, activation: act, accumulate,
    }, this.matmulKernel, this.flags.matmulSplitK);
  }

  activation(x: Tensor, out: Tensor, activation: ElementwiseFn): void {
    expectSize('activation', 'out', out, x.size);
    if (x.size === 0) return;
    if (activation.identity) {
      if (out !== x) this.copy(x, out);
    } else if (activation.rowwise === 'softmax') {
      const [rows, cols] = rowsCols(x);
      softmaxForward(this.runner, this.buf(x), this.buf(out), rows, cols);
    } else {
      activationForward(this.runner, activation, this.buf(x), this.buf(out), x.size);
    }
  }

  activationBackward(dy: Tensor, z: Tensor, y: Tensor, out: Tensor, activation: ElementwiseFn): void {
    expectSize('activationBackward', 'out', out, dy.size);
    if (dy.size === 0) return;
    if (activation.identity) {
      if (out !== dy) this.copy(dy, out);
    } else if (activation.rowwise === 'softmax') {
      const [rows, cols] = rowsCols(dy);
      softmaxBackward(this.runner, this.buf(dy), this.buf(y), this.buf(out), rows, cols);
    } else {
      // Only the inputs the derivative reads are bound; the other may be an empty placeholder.
      const reads = activation.reads;
      const input = (t: Tensor, read: boolean, what: string) => {
        if (!read) return { buffer: this.empty, bytes: 4 };
        expectSize('activationBackward', what, t, dy.size);
        return this.buf(t);
      };
      activationBackward(this.runner, activation, this.buf(dy), input(z, reads.z, 'z'), input(y, reads.y, 'y'), this.buf(out), dy.size);
    }
  }

  sumRows(x: Tensor, out: Tensor): void {
    const [rows, cols] = rowsCols(x);
    expectSize('sumRows', 'out', out, cols);
    if (cols > 0) sumRows(this.runner, this.buf(x), this.buf(out), rows, cols);
  }

  // ---- layers' fused kernels ----------------------------------------------------------------------------------

  dropout(x: Tensor, out: Tensor, options: DropoutOptions): void {
    expectSize('dropout', 'out', out, x.size);
    if (x.size > 0) dropout(this.runner, this.buf(x), this.buf(out), x.size, options);
  }

  dropoutBackward(dy: Tensor, out: Tensor, options: DropoutOptions): void {
    this.dropout(dy, out, options);
  }

  batchNormForward(x: Tensor, out: Tensor, state: BatchNormState, options: BatchNormOptions): void {
    const [rows, cols] = rowsCols(x);
    expectSize('batchNormForward', 'out', out, x.size);
    if (cols > 0) batchNormForward(this.runner, this.buf(x), this.buf(out), this.bnBuffers(state, cols), rows, cols, options);
  }

  batchNormBackward(
    dy: Tensor, x: Tensor, state: BatchNormState, dx: Tensor | null, dGamma: Tensor, dBeta: Tensor, options: { training: boolean },
  ): void {
    const [rows, cols] = rowsCols(x);
    expectSize('batchNormBackward', 'dy', dy, x.size);
    if (cols === 0) return;
    const s = this.bnBuffers(state, cols);
    const grads = [this.buf(dGamma), this.buf(dBeta)] as const;
    batchNormBackward(this.runner, this.buf(dy), this.buf(x), s, dx ? this.buf(dx) : null, ...grads, rows, cols, options.training);
  }

  // ---- losses and metrics -----------------------------------------------------------------------------------

  loss(loss: RowProgram, yPred: Tensor, yTrue: Tensor, accumulator: Tensor, grad: Tensor | null): void {
    const [rows, cols] = checkLossArgs(loss, yPred, yTrue, grad);
    rowsKernel(this.runner, {
      program: loss, yPred: this.buf(yPred), yTrue: this.buf(yTrue), rows, cols,
      accumulator: this.buf(accumulator), grad: grad ? this.buf(grad) : null,
    });
  }

  metric(program: MetricProgram, yPred: Tensor, yTrue: Tensor, accumulator: Tensor): void {
    const [rows, cols] = checkMetricArgs(program, yPred, yTrue, accumulator);
    metric(this.runner, program, this.buf(yPred), this.buf(yTrue), rows, cols, this.buf(accumulator));
  }

  // ---- optimizers -------------------------------------------------------------------------------------------

  optimizerUpdate(rule: UpdateRule, params: Tensor[], grads: Tensor[], slots: Tensor[][], step: OptimizerStep): void {
    checkOptimizerArgs(rule, params, grads, slots);
    optimizerUpdate(this.runner, {
      rule, step, params: params.map((t) => this.buf(t)), grads: grads.map((t) => this.buf(t)),
      slots: slots.map((row) => row.map((t) => this.buf(t))), sizes: params.map((p) => p.size),
    });
  }

  dispose(): void {
    this.disposed = true;
    this.submitQueued();
    this.health.disposeStarted();
    this.storage.dispose();
    this.staging.dispose();
    for (const buffer of this.liveBuffers) buffer.destroy();
    this.liveBuffers.clear();
    this.arena.dispose();
    this.kernels.bindGroups.clear();
    this.empty.destroy();
    if (this.ownsDevice) this.device.destroy();
  }

  // ---- internals --------------------------------------------------------------------------------------------

  private submitQueued(): void {
    if (this.encoder.hasWork) this.submit();
    // Everything recorded is submitted now, so released buffers may be reused.
    this.storage.afterSubmit();
    this.staging.afterSubmit();
  }

  /** Upload the step's uniforms and submit its one command buffer, with error scopes around it. */
  private submit(): void {
    this.arena.upload(this.device.queue);
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const commands = this.encoder.finish()!;
    this.device.queue.submit([commands]);
    this.health.watch(this.device.popErrorScope(), 'a submitted step');
    this.health.watch(this.device.popErrorScope(), 'a submitted step');
  }

  /** The live storage of a tensor of this backend. */
  private buf(t: Tensor): Storage {
    t.assertLive('a WebGPU kernel');
    if (t.backend !== this) invalid({ what: 'tensor', where: 'the WebGPU backend', expected: 'a tensor of this backend', received: `a tensor of the '${t.backend.name}' backend` });
    return t.handle as Storage;
  }

  private create(shape: readonly number[], dtype: DType, where: string): { tensor: Tensor; fresh: boolean } {
    if (dtype !== 'float32' && dtype !== 'int32') {
      invalid({ what: 'dtype', where: `${where} on the WebGPU backend`, expected: "'float32' or 'int32'", received: received('dtype', dtype), hint: "WebGPU computes in float32; use floatx 'float32', or setBackend('cpu') for float64." }, ValueError);
    }
    const size = sizeOf(shape);
    const bytes = size * 4;
    if (bytes > this.maxBinding) {
      invalid({
        what: 'tensor size', where: `${where} on the WebGPU backend`,
        expected: `at most maxStorageBufferBindingSize = ${this.maxBinding} bytes per tensor`,
        received: `shape [${shape}] = ${bytes} bytes`, hint: 'use smaller batches or layers, or the CPU backend.',
      }, ValueError);
    }
    let storage: Storage;
    let fresh = true;
    if (size === 0) {
      storage = { buffer: this.empty, bytes: 4, size: 0, pooled: false };
    } else {
      const got = this.storage.acquire(bytes);
      fresh = got.fresh;
      storage = { buffer: got.buffer, bytes, size, pooled: true };
      this.liveBuffers.add(got.buffer);
    }
    this.live++;
    this.bytes += bytes;
    return { tensor: new Tensor([...shape], dtype, this, storage), fresh };
  }

  private writeBuffer(tensor: Tensor, values: ArrayLike<number>, offset: number): void {
    const Type = tensor.dtype === 'int32' ? Int32Array : Float32Array;
    const data = values instanceof Type ? values : Type.from(values);
    this.device.queue.writeBuffer(this.buf(tensor).buffer, offset * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  private bnBuffers(state: BatchNormState, cols: number): BatchNormBuffers {
    const get = (name: keyof BatchNormState) => {
      expectSize('batch normalization', name, state[name], cols);
      return this.buf(state[name]);
    };
    return {
      gamma: get('gamma'), beta: get('beta'), movingMean: get('movingMean'), movingVariance: get('movingVariance'),
      savedMean: get('savedMean'), savedInvStd: get('savedInvStd'),
    };
  }
}

/**
 * The CPU reference backend: the most basic implementation of the contract, plain loops over typed
 * arrays. It defines what every other backend must compute, and it runs whenever no GPU adapter exists.
 * Work happens immediately, so `flush` and `sync` have nothing to do. Float32 by default; float64 on
 * request (the finite-difference gradient checks run in float64).
 */
import type { ElementwiseFn, MetricProgram, RowProgram, UpdateRule } from '../../expr/functions';
import { Tensor } from '../../tensor/tensor';
import type {
  Backend,
  BackendMemory,
  BatchNormOptions,
  BatchNormState,
  DType,
  DropoutOptions,
  FloatArray,
  MatmulOptions,
  OptimizerStep,
  TypedArray,
} from '../backend';
import { rowsCols } from '../checks';
import { activationBackward, activationForward } from './activation';
import { CodeCache } from './code-cache';
import { resolveCpuFlags, type CpuFlags } from './flags';
import { batchNormBackward, batchNormForward } from './batchnorm-math';
import { dropoutBackward, dropoutForward } from './dropout-math';
import { matmul } from './matmul';
import { metricForward, rowsForward } from './rows';
import { optimizerUpdate } from './optimizer';

const ARRAY_TYPES = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

/** The typed array behind a CPU tensor. */
function arr(t: Tensor): TypedArray {
  t.assertLive('a CPU kernel');
  return t.handle as TypedArray;
}
function farr(t: Tensor): FloatArray {
  return arr(t) as FloatArray;
}


export type { CpuFlags } from './flags';

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly floatDtypes = ['float32', 'float64'] as const;
  readonly readsAreCheap: boolean = true;
  /** The tunables; `printCode` may be changed at any time. */
  readonly flags: CpuFlags;
  private readonly code: CodeCache;
  private live = 0;
  private bytes = 0;

  constructor(flags: Partial<CpuFlags> = {}) {
    this.flags = resolveCpuFlags(flags);
    this.code = new CodeCache(() => this.flags.printCode);
  }

  alloc(shape: readonly number[], dtype: DType): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new ARRAY_TYPES[dtype](size);
    this.live++;
    this.bytes += data.byteLength;
    return new Tensor([...shape], dtype, this, data);
  }

  upload(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
    const t = this.alloc(shape, dtype);
    arr(t).set(values);
    return t;
  }

  write(tensor: Tensor, values: ArrayLike<number>, offset = 0): void {
    arr(tensor).set(values, offset);
  }

  copy(src: Tensor, dst: Tensor, dstOffset = 0): void {
    arr(dst).set(arr(src), dstOffset);
  }

  fill(tensor: Tensor, value: number): void {
    arr(tensor).fill(value);
  }

  async read(tensor: Tensor): Promise<TypedArray> {
    return arr(tensor).slice();
  }

  free(tensor: Tensor): void {
    this.live--;
    this.bytes -= (tensor.handle as TypedArray).byteLength;
  }

  flush(): void {}

  async sync(): Promise<void> {}

  memory(): BackendMemory {
    return { numTensors: this.live, numBytes: this.bytes, numBytesPending: 0, numBytesCached: 0 };
  }

  gatherRows(src: Tensor, indices: Tensor, start: number, out: Tensor): void {
    const [rows, cols] = rowsCols(out);
    const s = arr(src);
    const idx = arr(indices);
    const o = arr(out);
    for (let r = 0; r < rows; r++) {
      const from = idx[start + r] * cols;
      o.set(s.subarray(from, from + cols), r * cols);
    }
  }

  matmul(a: Tensor, b: Tensor, out: Tensor, options: MatmulOptions = {}): void {
    const { transposeA = false, transposeB = false, bias, activation, preActivation, accumulate = false } = options;
    const [m, n] = rowsCols(out);
    const k = transposeA ? a.shape[0] : a.shape[a.shape.length - 1];
    const pre = preActivation ? farr(preActivation) : farr(out);
    matmul(farr(a), farr(b), pre, m, n, k, transposeA, transposeB, accumulate);
    if (bias) {
      const bv = farr(bias);
      for (let r = 0; r < m; r++) {
        const row = r * n;
        for (let c = 0; c < n; c++) pre[row + c] += bv[c];
      }
    }
    if (activation && !activation.identity) activationForward(this.code, activation, pre, farr(out), m, n);
    else if (pre !== farr(out)) farr(out).set(pre);
  }

  activation(x: Tensor, out: Tensor, activation: ElementwiseFn): void {
    const [rows, cols] = rowsCols(x);
    activationForward(this.code, activation, farr(x), farr(out), rows, cols);
  }

  activationBackward(dy: Tensor, z: Tensor, y: Tensor, out: Tensor, activation: ElementwiseFn): void {
    const [rows, cols] = rowsCols(dy);
    activationBackward(this.code, activation, farr(dy), farr(z), farr(y), farr(out), rows, cols);
  }

  sumRows(x: Tensor, out: Tensor): void {
    const [rows, cols] = rowsCols(x);
    const xv = farr(x);
    const o = farr(out);
    o.fill(0);
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let c = 0; c < cols; c++) o[c] += xv[row + c];
    }
  }

  dropout(x: Tensor, out: Tensor, options: DropoutOptions): void {
    dropoutForward(farr(x), farr(out), options);
  }

  dropoutBackward(dy: Tensor, out: Tensor, options: DropoutOptions): void {
    dropoutBackward(farr(dy), farr(out), options);
  }

  batchNormForward(x: Tensor, out: Tensor, state: BatchNormState, options: BatchNormOptions): void {
    const [rows, cols] = rowsCols(x);
    batchNormForward(farr(x), farr(out), cpuState(state), rows, cols, options);
  }

  batchNormBackward(
    dy: Tensor,
    x: Tensor,
    state: BatchNormState,
    dx: Tensor | null,
    dGamma: Tensor,
    dBeta: Tensor,
    options: { training: boolean },
  ): void {
    const [rows, cols] = rowsCols(x);
    const args = [farr(dy), farr(x), cpuState(state), dx ? farr(dx) : null, farr(dGamma), farr(dBeta), rows, cols] as const;
    batchNormBackward(...args, options.training);
  }

  loss(loss: RowProgram, yPred: Tensor, yTrue: Tensor, accumulator: Tensor, grad: Tensor | null): void {
    const [rows, cols] = rowsCols(yPred);
    rowsForward(this.code, loss, farr(yPred), farr(yTrue), rows, cols, farr(accumulator), grad ? farr(grad) : null);
  }

  metric(metric: MetricProgram, yPred: Tensor, yTrue: Tensor, accumulator: Tensor): void {
    const [rows, cols] = rowsCols(yPred);
    metricForward(this.code, metric, farr(yPred), farr(yTrue), rows, cols, farr(accumulator));
  }

  optimizerUpdate(rule: UpdateRule, params: Tensor[], grads: Tensor[], slots: Tensor[][], step: OptimizerStep): void {
    optimizerUpdate(this.code, rule, params.map(farr), grads.map(farr), slots.map((s) => s.map(farr)), step);
  }

  dispose(): void {}
}

function cpuState(state: BatchNormState) {
  return {
    gamma: farr(state.gamma),
    beta: farr(state.beta),
    movingMean: farr(state.movingMean),
    movingVariance: farr(state.movingVariance),
    savedMean: farr(state.savedMean),
    savedInvStd: farr(state.savedInvStd),
  };
}

/**
 * Compiling ahead of the first step. Kernel calls are found by running the real kernel wrappers against
 * a `RecordingRunner`, which records calls instead of dispatching them, so no list of variants can drift
 * from the defines the wrappers actually use. Two users:
 *
 * - `WebGpuBackend.warmup()` compiles the variants `warmupCalls` lists: every activation forward and
 *   backward, the matmul epilogues a Dense layer uses in every transpose combination, every loss,
 *   metric, batch-norm mode, dropout, the data movers and every optimizer variant;
 * - `WebGpuBackend.compileAhead(run)` swaps its runner for a recording one while `run` does one step of
 *   a model, and compiles exactly what that step records.
 */
import { activationNames, getActivation } from '../../activations';
import { Loss } from '../../losses';
import { Metric } from '../../metrics';
import { Adadelta, Adagrad, Adam, RMSprop, SGD, type Optimizer } from '../../optimizers';
import { signatureOf, type GpuBuffer, type KernelCall, type Runner } from './kernel-runner';
import { activationBackward, activationForward, softmaxBackward, softmaxForward } from './kernels/activation';
import { batchNormBackward, batchNormForward } from './kernels/batchnorm';
import { dropout } from './kernels/dropout';
import { matmul, type MatmulKernel } from './kernels/matmul';
import { copyWords, fillWords, gatherRows } from './kernels/memory';
import { metric, rows } from './kernels/rows';
import { optimizerUpdate } from './kernels/optimizer';
import { accumulateSum, sumRows, sumSquares } from './kernels/reduce';
import type { BindingSignature } from './pipeline-cache';

const LOSSES = ['mean_squared_error', 'mean_absolute_error', 'huber', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'];
const METRICS = ['binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'mean_squared_error', 'mean_absolute_error', 'r2_score'];
type Clip = { clipnorm?: number };
const OPTIMIZERS: ((clip: Clip) => Optimizer)[] = [
  (c) => new SGD(c), (c) => new SGD({ momentum: 0.9, ...c }), (c) => new SGD({ momentum: 0.9, nesterov: true, ...c }),
  (c) => new RMSprop(c), (c) => new RMSprop({ momentum: 0.9, ...c }), (c) => new RMSprop({ centered: true, ...c }),
  (c) => new RMSprop({ momentum: 0.9, centered: true, ...c }), (c) => new Adagrad(c), (c) => new Adadelta(c), (c) => new Adam(c),
  (c) => new Adam({ amsgrad: true, ...c }),
];

/** A kernel call with the layout signature of its bindings. */
export type RecordedCall = KernelCall & { signature: BindingSignature };

/**
 * A Runner that records calls instead of dispatching them. Scratch storage is the `stub` (nothing runs,
 * so nothing reads it); `grid1d` may be the real runner's, so calls with no work are left out as the
 * real runner leaves them out.
 */
export class RecordingRunner implements Runner {
  private readonly calls: KernelCall[] = [];

  constructor(
    private readonly stub: GpuBuffer,
    private readonly grid: (invocations: number, workgroupSize?: number) => [number, number, number] = () => [1, 1, 1],
  ) {}

  run(call: KernelCall): void {
    if (call.groups.every((g) => g > 0)) this.calls.push(call);
  }

  temp(): GpuBuffer {
    return this.stub;
  }

  release(): void {}

  grid1d(invocations: number, workgroupSize?: number): [number, number, number] {
    return this.grid(invocations, workgroupSize);
  }

  grid2d(x: number, y: number): [number, number, number] {
    return [x, y, 1];
  }

  /** The distinct variants recorded so far (kernel, defines and layout signature), first use first. */
  variants(): RecordedCall[] {
    const seen = new Set<string>();
    return this.calls
      .map((c) => ({ ...c, signature: signatureOf(c.bindings) }))
      .filter((c) => {
        const key = `${c.source.name}|${JSON.stringify(c.defines)}|${c.signature}`;
        return !seen.has(key) && Boolean(seen.add(key));
      });
  }
}

/** Every call the warm-up compiles, with its layout signature. */
export function warmupCalls(stub: GpuBuffer, kernel: MatmulKernel): RecordedCall[] {
  const k = new RecordingRunner(stub);
  const s = stub;
  for (const name of activationNames()) {
    if (name === 'softmax' || name === 'linear') continue;
    activationForward(k, getActivation(name), s, s, 1);
    activationBackward(k, getActivation(name), s, s, s, s, 1);
  }
  softmaxForward(k, s, s, 1, 1);
  softmaxBackward(k, s, s, s, 1, 1);
  // Dense: forward with bias + activation (+ preActivation when training), backward xᵀ·dz and dz·Wᵀ.
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      for (const [bias, pre, act] of [[s, s, 'relu'], [s, null, 'relu'], [s, null, null], [null, null, null]] as const) {
        const activation = act ? getActivation(act) : null;
        matmul(k, { a: s, b: s, out: s, bias, pre, m: 8, n: 8, k: 8, transposeA, transposeB, activation, accumulate: false }, kernel);
      }
    }
  }
  for (const kind of LOSSES) {
    for (const fromLogits of [false, true]) {
      const program = new Loss(kind, kind, { fromLogits }).program();
      for (const grad of [s, null]) rows(k, { program, yPred: s, yTrue: s, rows: 1, cols: 1, accumulator: s, grad });
    }
  }
  for (const kind of METRICS) metric(k, new Metric(kind, kind).program(), s, s, 1, 1, s);
  const bn = { gamma: s, beta: s, movingMean: s, movingVariance: s, savedMean: s, savedInvStd: s };
  for (const training of [false, true]) batchNormForward(k, s, s, bn, 1, 1, { training, momentum: 0.99, epsilon: 1e-3 });
  for (const training of [false, true]) {
    for (const dx of [s, null]) batchNormBackward(k, s, s, bn, dx, s, s, 1, 1, training);
  }
  dropout(k, s, s, 1, { rate: 0.5, seed: 0, step: 0 });
  fillWords(k, s, 1, 0);
  copyWords(k, s, s, 1, 0);
  gatherRows(k, s, s, s, 1, 1, 0);
  sumRows(k, s, s, 1, 1);
  accumulateSum(k, s, 1, s, 0, 1);
  sumSquares(k, s, 1, s, 0);
  for (const make of OPTIMIZERS) {
    for (const clipnorm of [0, 1]) {
      const rule = make(clipnorm ? { clipnorm } : {}).rule();
      const slots = [rule.slots.map(() => s)];
      const step = { scalars: { learning_rate: 0.01, iteration: 0, weight_decay: 0, clipvalue: 0 }, clipnorm, globalClipnorm: 0 };
      optimizerUpdate(k, { rule, params: [s], grads: [s], slots, sizes: [1], step });
    }
  }
  return k.variants();
}

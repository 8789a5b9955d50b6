/**
 * One batch through the model, as the data should travel: forward through every layer (training or
 * inference), the loss and metrics accumulated on the device, backward in reverse order, and one fused
 * optimizer update. Nothing here reads from the device.
 */
import type { Backend } from '../backend/backend';
import { metricStateSize } from '../expr/functions';
import type { Logs } from '../callbacks/callback';
import { Activation } from '../layers/activation';
import { BufferCache } from '../layers/buffer-cache';
import type { Dense } from '../layers/dense';
import type { Layer, RunContext } from '../layers/layer';
import type { Variable } from '../layers/variable';
import type { Loss } from '../losses';
import { getMetric, type Metric } from '../metrics';
import type { Sequential } from '../models/sequential';
import type { Optimizer } from '../optimizers';
import type { Tensor } from '../tensor/tensor';

/** Loss and metric sums kept on the device for one pass over data (an epoch or an evaluation). */
export class Accumulators {
  readonly loss: Tensor;
  readonly metrics: Tensor[];

  constructor(
    private readonly backend: Backend,
    readonly metricList: Metric[],
    cols: number,
    dtype: 'float32' | 'float64',
  ) {
    this.loss = backend.alloc([2], dtype);
    this.metrics = metricList.map((m) => backend.alloc([metricStateSize(m.program(), cols)], dtype));
  }

  reset(): void {
    this.backend.fill(this.loss, 0);
    for (const t of this.metrics) this.backend.fill(t, 0);
  }

  /** Read the sums (one wait for the device) and turn them into logs, keys prefixed by `prefix`. */
  async read(prefix = ''): Promise<Logs> {
    const [loss, ...states] = await Promise.all([this.loss.data(), ...this.metrics.map((t) => t.data())]);
    const entries: [string, number][] = [[`${prefix}loss`, loss[1] > 0 ? loss[0] / loss[1] : 0]];
    this.metricList.forEach((m, i) => entries.push([`${prefix}${m.name}`, m.result(states[i])]));
    // Keys in sorted order, as Keras's logs (`pythonify_logs` sorts them): the progress line shows them so.
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  dispose(): void {
    this.loss.dispose();
    for (const t of this.metrics) t.dispose();
  }
}

/** Everything one run (fit, evaluate or predict) needs, resolved once. */
export class StepPlan {
  readonly layers: readonly Layer[];
  readonly fused: Dense | Activation | null;
  readonly loss: Loss | null;
  readonly metrics: Metric[];
  readonly optimizer: Optimizer | null;
  readonly trainable: Variable[];
  /** Index of the first layer with trainable weights: layers after it must pass gradients back. */
  private readonly firstTrainable: number;
  private readonly buffers = new BufferCache();

  /**
   * @param labelShape The targets' shape as given (batch first), which resolves `'accuracy'` as Keras
   *   does; without it (predict, gradient checks) no metric is made.
   */
  constructor(
    readonly model: Sequential,
    readonly backend: Backend,
    labelShape?: readonly number[],
  ) {
    this.layers = model.layerStack;
    const compiled = model.requireCompiledOrNull();
    this.loss = compiled?.loss ?? null;
    this.optimizer = compiled?.optimizer ?? null;
    this.fused = compiled ? model.fusedOutputLayer() : null;
    const predShape = [labelShape?.[0] ?? 1, ...model.outputShape!];
    this.metrics = compiled && labelShape ? compiled.metricIdentifiers.map((id) => getMetric(id, labelShape, predShape)) : [];
    this.trainable = model.trainableWeights;
    const first = this.layers.findIndex((l) => l.trainableWeights.length > 0);
    this.firstTrainable = first < 0 ? this.layers.length : first;
  }

  /** Forward through every layer; returns the model output. */
  forward(x: Tensor, ctx: RunContext): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, ctx);
    return h;
  }

  /** Loss (and its gradient when `withGrad`) and metrics of a batch whose forward pass just ran. */
  accumulate(output: Tensor, y: Tensor, acc: Accumulators, withGrad: boolean): Tensor | null {
    const loss = this.loss!;
    const grad = withGrad ? this.buffers.get(this.backend, 'dloss', output.shape, output.dtype) : null;
    // A fused softmax/sigmoid output layer: the loss (and its gradient) comes from the logits.
    const logits = this.fused?.preActivation ?? null;
    const program = logits ? loss.logitsProgram()! : loss.program();
    this.backend.loss(program, logits ?? output, y, acc.loss, grad);
    this.metrics.forEach((m, i) => this.backend.metric(m.program(), output, y, acc.metrics[i]));
    return grad;
  }

  /** Backward from the loss gradient through every layer that needs it. */
  backward(grad: Tensor, ctx: RunContext): void {
    let g: Tensor | null = grad;
    for (let i = this.layers.length - 1; i >= 0 && g; i--) {
      const layer = this.layers[i];
      const needInputGrad = i > this.firstTrainable;
      if (i === this.layers.length - 1 && this.fused) g = this.fused.backwardFrom(g, ctx, needInputGrad, true);
      else g = layer.backward(g, ctx, needInputGrad);
    }
  }

  /** A whole training step: forward, loss, backward, update. */
  trainStep(x: Tensor, y: Tensor, acc: Accumulators, ctx: RunContext): void {
    const output = this.forward(x, ctx);
    const grad = this.accumulate(output, y, acc, true)!;
    this.backward(grad, ctx);
    if (this.trainable.length > 0) this.optimizer!.apply(this.trainable, this.backend);
    this.backend.flush();
  }

  /**
   * Compile every kernel `record` runs before the first batch (on backends with `compileAhead`; nothing
   * happens on the others). `record` runs with the kernels recorded, not
   * executed: no weight, slot or statistic changes. Of the host-side state a recorded step touches, only
   * the optimizer's step count would be wrong afterwards, and it is put back; the layers' references to
   * their last input and outputs are rewritten by the next forward pass, and the scratch tensors and
   * optimizer slots it allocated are the ones the real steps then use.
   */
  async compileAhead(record: () => void): Promise<void> {
    const { backend, optimizer } = this;
    if (!backend.compileAhead) return;
    const iterations = optimizer?.iterations ?? 0;
    await backend.compileAhead(() => {
      try {
        record();
      } finally {
        if (optimizer) optimizer.iterations = iterations;
      }
    });
  }

  /** Scratch tensor owned by the plan (batches gathered from the dataset). */
  scratch(purpose: string, shape: readonly number[], dtype: 'float32' | 'float64'): Tensor {
    return this.buffers.get(this.backend, purpose, shape, dtype);
  }

  /** Release the plan's and the layers' scratch buffers. */
  dispose(): void {
    this.buffers.clear();
    for (const layer of this.layers) layer.releaseBuffers();
  }
}

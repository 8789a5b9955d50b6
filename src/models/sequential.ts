/**
 * `Sequential`: a stack of layers. This file holds the model's structure (layers, building, weights,
 * compile, summary); the training loops live in `src/training/` and speak only to the backend contract.
 */
import type { Backend } from '../backend/backend';
import { currentBackend } from '../backend/registry';
import type { Callback } from '../callbacks/callback';
import type { History } from '../callbacks/history';
import { getFloatx } from '../config';
import { ShapeError, StateError, ValueError, describe, invalid, received } from '../errors';
import { input, unaryOp } from '../expr/expr';
import { Activation } from '../layers/activation';
import { Dense } from '../layers/dense';
import { Input } from '../layers/input';
import { Layer } from '../layers/layer';
import type { Variable } from '../layers/variable';
import { getLoss, type Loss, type LossFunction, type LossName } from '../losses';
import { checkMetricIdentifier, type MetricIdentifier } from '../metrics';
import { getOptimizer, type Optimizer, type OptimizerName } from '../optimizers';
import { shapesEqual, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { toHostArray, type TensorLike } from '../tensor/convert';
import { evaluateModel, type EvaluateArgs } from '../training/evaluate';
import { fitModel, type FitArgs } from '../training/fit';
import { predictModel, type PredictArgs } from '../training/predict';
import type { IOHandler, SaveModelResult, SaveOptions } from '../io';
import { checkOptions } from '../utils/options';
import { formatSummary } from './summary';

/** Arguments of `compile`. */
export interface CompileArgs {
  /** Optimizer name (Keras defaults) or instance (default `'rmsprop'`, as Keras). */
  optimizer?: OptimizerName | Optimizer;
  /** Loss name, instance, or a function `(yTrue, yPred) => …` written with `keras.ops` (required). */
  loss: LossName | Loss | LossFunction;
  /** Metric names, instances or functions `(yTrue, yPred) => …`, e.g. `['accuracy', logCosh]`. */
  metrics?: MetricIdentifier[];
}

/** @internal What `compile` resolved. */
export interface CompiledState {
  optimizer: Optimizer;
  loss: Loss;
  metricIdentifiers: MetricIdentifier[];
}

let modelCounter = 0;

const COMPILE_NOT_IMPLEMENTED: Record<string, string> = {
  weightedMetrics: 'metrics are not weighted',
  lossWeights: 'a Sequential model has one output',
  runEagerly: '',
  stepsPerExecution: '',
  jitCompile: '',
  autoScaleLoss: '',
};

export class Sequential {
  readonly name: string;
  /** Set to true (e.g. by a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** The History of the last `fit`. */
  history: History | null = null;
  private stack: Layer[] = [];
  private compiled: CompiledState | null = null;
  private backendInUse: Backend | null = null;
  private isFitting = false;
  private disposed = false;

  /**
   * @param layers Layers in order; the first should declare `inputShape` (or be an `Input`).
   * @param args `name` (default `sequential`, `sequential_1`, …; a string without `/`, as Keras).
   */
  constructor(layers: Layer[] = [], args: { name?: string } = {}) {
    const options = checkOptions(args, 'Sequential', { known: ['name'], notImplemented: { trainable: 'set trainable on the layers' } });
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name.includes('/'))) {
      invalid({ what: 'name', where: 'Sequential', expected: "a string without '/' (as Keras)", received: received('name', options.name) });
    }
    if (!Array.isArray(layers)) {
      invalid({ what: 'layers', where: 'Sequential', expected: 'an array of layers', received: describe(layers), hint: 'write new Sequential([layer1, layer2], { name }).' });
    }
    this.name = options.name ?? (modelCounter++ === 0 ? 'sequential' : `sequential_${modelCounter - 1}`);
    for (const layer of layers) this.add(layer);
  }

  /** The layers (an `Input` is not listed, as in Keras). */
  get layers(): Layer[] {
    return this.stack.filter((l) => !(l instanceof Input));
  }

  /** Append a layer; builds it at once when the input shape is known. */
  add(layer: Layer): void {
    this.assertUsable('Sequential.add');
    if (!(layer instanceof Layer)) {
      invalid({ what: 'layer', where: 'Sequential.add', expected: 'a keras.layers.Layer instance', received: describe(layer) });
    }
    if (this.stack.includes(layer)) {
      invalid({ what: 'layer', where: 'Sequential.add', expected: 'a layer not already in the model', received: `layer '${layer.name}'` });
    }
    layer.assertNotDisposed('Sequential.add');
    if (this.stack.length > 0 && layer instanceof Input) {
      invalid({ what: 'layer', where: 'Sequential.add', expected: 'Input only as the first layer', received: `Input '${layer.name}' at position ${this.stack.length}` });
    }
    if (this.stack.length > 0 && layer.declaredInputShape && !(this.stack.length === 1 && this.stack[0] instanceof Input)) {
      // Keras ignores inputShape on non-first layers; we do too, but a mismatch would be a silent surprise.
      const prev = this.stack[this.stack.length - 1].outputShape;
      if (prev && sizeOf(prev) !== sizeOf(layer.declaredInputShape)) {
        throw new ShapeError(
          `Invalid inputShape for ${layer.name}: expected the previous layer's output shape [${prev}]. Received: inputShape=[${layer.declaredInputShape}].`,
        );
      }
    }
    this.stack.push(layer);
    const inputShape = this.stack[0].declaredInputShape;
    if (inputShape) this.buildLayers(inputShape, this.backendInUse ?? currentBackend());
  }

  /** Remove and return the last layer (its weights are kept by the layer). */
  pop(): Layer {
    if (this.layers.length === 0) throw new StateError('Invalid call of Sequential.pop: expected a model with layers. Received: an empty model.');
    const layer = this.stack.pop()!;
    this.compiled = null;
    return layer;
  }

  /** Per-sample input shape, once known. */
  get inputShape(): number[] | null {
    return this.stack[0]?.inputShape ?? this.stack[0]?.declaredInputShape ?? null;
  }

  /** Per-sample output shape, once built. */
  get outputShape(): number[] | null {
    return this.stack.length > 0 ? this.stack[this.stack.length - 1].outputShape : null;
  }

  get built(): boolean {
    return this.stack.length > 0 && this.stack.every((l) => l.built);
  }

  /** Build the weights for a per-sample input shape (done automatically when it is known). */
  build(inputShape: number[]): void {
    this.assertUsable('build');
    this.buildLayers(inputShape, this.backendInUse ?? currentBackend());
  }

  private buildLayers(inputShape: number[], backend: Backend): void {
    const dtype = getFloatx();
    if (dtype === 'float64' && !backend.floatDtypes.includes('float64')) {
      throw new ValueError(`Invalid floatx for the ${backend.name} backend: expected 'float32'. Received: 'float64'.`);
    }
    let shape = inputShape;
    for (const layer of this.stack) {
      if (!layer.built) layer.build(shape, { backend, dtype });
      else if (!shapesEqual(layer.inputShape!, shape) && sizeOf(layer.inputShape!) !== sizeOf(shape)) {
        throw new ShapeError(
          `Invalid input shape for layer ${layer.name}: expected [${layer.inputShape}] (it is built). Received: [${shape}].`,
        );
      }
      shape = layer.outputShape!;
    }
    this.backendInUse = backend;
  }

  /**
   * Configure training: optimizer, loss and metrics. Calling it again replaces them (the old optimizer's
   * slots are released); during `fit` it throws a StateError (call it after `fit` resolves).
   */
  compile(args: CompileArgs): void {
    this.assertUsable('compile');
    if (this.isFitting) {
      invalid({ what: 'call of compile', where: 'Sequential', expected: 'no fit running on this model', received: 'a compile during fit', hint: 'compile after fit resolves (stop early with model.stopTraining = true); to change the learning rate during training, set model.optimizer.learningRate.' }, StateError);
    }
    checkOptions(args, 'compile', { known: ['optimizer', 'loss', 'metrics'], notImplemented: COMPILE_NOT_IMPLEMENTED });
    if (args === undefined || args.loss === undefined) {
      invalid({ what: 'loss', where: 'compile', expected: "a loss name or keras.losses.Loss, e.g. 'mean_squared_error'", received: received('loss', args?.loss) });
    }
    const loss = getLoss(args.loss);
    const optimizer = getOptimizer(args.optimizer ?? 'rmsprop');
    const metrics = args.metrics ?? [];
    if (!Array.isArray(metrics)) {
      invalid({ what: 'metrics', where: 'compile', expected: "an array of metric names or Metric instances, e.g. ['accuracy']", received: received('metrics', metrics) });
    }
    metrics.forEach(checkMetricIdentifier);
    if (this.compiled && this.compiled.optimizer !== optimizer) this.compiled.optimizer.disposeSlots();
    this.compiled = { optimizer, loss, metricIdentifiers: metrics };
  }

  /** The compiled optimizer. */
  get optimizer(): Optimizer {
    return this.requireCompiled('optimizer').optimizer;
  }

  /** The compiled loss. */
  get loss(): Loss {
    return this.requireCompiled('loss').loss;
  }

  /** @internal */
  requireCompiled(where: string): CompiledState {
    if (!this.compiled) {
      throw new StateError(
        `Invalid call of ${where}: expected a compiled model. Received: a model that was never compiled.` +
          `\nhint: call model.compile({ optimizer: 'adam', loss: 'mean_squared_error' }) first.`,
      );
    }
    return this.compiled;
  }

  /** @internal The compiled state, or null before compile. */
  requireCompiledOrNull(): CompiledState | null {
    return this.compiled;
  }

  /** @internal The output layer when a fused loss can start from its logits (softmax/sigmoid + cross-entropy). */
  fusedOutputLayer(): Dense | Activation | null {
    const loss = this.compiled?.loss;
    const last = this.stack[this.stack.length - 1];
    if (!loss || loss.options.fromLogits || !(last instanceof Dense || last instanceof Activation)) return null;
    if (!loss.logitsProgram()) return null;
    const act = last.activation;
    const categorical = loss.kind === 'categorical_crossentropy' || loss.kind === 'sparse_categorical_crossentropy';
    // By what the activation computes, not its name: a custom (x) => ops.sigmoid(x) fuses too.
    const sigmoid = act.forward === unaryOp('sigmoid', input('x'));
    if ((categorical && act.rowwise === 'softmax') || (loss.kind === 'binary_crossentropy' && sigmoid)) return last;
    return null;
  }

  /** @internal All layers in order, `Input` included. */
  get layerStack(): readonly Layer[] {
    return this.stack;
  }

  /** @internal Move the model's weights (and optimizer state) to `backend` if they live elsewhere. */
  async placeOn(backend: Backend): Promise<void> {
    if (this.backendInUse === backend) return;
    if (this.built && this.backendInUse) {
      for (const layer of this.stack) await layer.moveTo(backend);
      await this.compiled?.optimizer.moveTo(backend);
    }
    this.backendInUse = backend;
  }

  /** @internal Host copies of every weight (Keras order) and the optimizer's step count. */
  async snapshot(): Promise<{ weights: ArrayLike<number>[]; iterations: number }> {
    const weights = await Promise.all(this.weights.map((v) => v.value.data()));
    return { weights, iterations: this.compiled?.optimizer.iterations ?? 0 };
  }

  /**
   * @internal Put snapshot weights back on `backend` (after a lost GPU device). The optimizer's slots are
   * dropped (they lived on the lost device) and rebuilt on the next step.
   */
  restoreSnapshot(snapshot: { weights: ArrayLike<number>[]; iterations: number }, backend: Backend): void {
    let offset = 0;
    for (const layer of this.stack) {
      const count = layer.weights.length;
      layer.adoptWeights(backend, snapshot.weights.slice(offset, offset + count));
      offset += count;
    }
    if (this.compiled) {
      this.compiled.optimizer.disposeSlots();
      this.compiled.optimizer.iterations = snapshot.iterations;
    }
    this.backendInUse = backend;
  }

  /** True once `dispose()` was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal Throw a StateError if this model (or one of its layers) was disposed. */
  assertUsable(where: string): void {
    if (this.disposed) {
      invalid({ what: `call of ${where}`, where: `model '${this.name}'`, expected: 'a model that was not disposed', received: 'a disposed model (its weights are released)', hint: 'build a new model, or load a saved one with keras.loadModel.' }, StateError);
    }
    for (const layer of this.stack) layer.assertNotDisposed(where);
  }

  /** @internal Guard against two concurrent `fit` calls on one model. */
  beginFit(): void {
    if (this.isFitting) throw new StateError('Invalid call of fit: expected no other fit running on this model. Received: a second concurrent fit.');
    this.isFitting = true;
  }
  /** @internal */
  endFit(): void {
    this.isFitting = false;
  }

  /** Every weight in Keras order (per layer: kernel, bias; batch norm: gamma, beta, moving mean, moving variance). */
  get weights(): Variable[] {
    return this.stack.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.trainableWeights);
  }

  /** Copies of the weights as tensors, in Keras order. The caller owns (and may dispose) them. */
  getWeights(): Tensor[] {
    this.assertUsable('getWeights');
    return this.weights.map((v) => {
      const copy = v.value.backend.alloc(v.shape, v.value.dtype);
      v.value.backend.copy(v.value, copy);
      return copy;
    });
  }

  /** Overwrite the weights (Keras order) from tensors or arrays of matching shapes. */
  async setWeights(weights: (Tensor | TensorLike)[]): Promise<void> {
    this.assertUsable('setWeights');
    const vars = this.weights;
    if (!Array.isArray(weights) || weights.length !== vars.length) {
      throw new ShapeError(
        `Invalid weights for setWeights: expected an array of ${vars.length} arrays in Keras order (${vars.map((v) => v.name).join(', ')}). Received: ${Array.isArray(weights) ? `${weights.length} arrays` : describe(weights)}.`,
      );
    }
    const hosts = await Promise.all(weights.map((w, i) => toHostArray(w, `weights[${i}]`, 'setWeights', vars[i].shape)));
    hosts.forEach((h, i) => {
      if (h.values.length !== sizeOf(vars[i].shape)) {
        throw new ShapeError(`Invalid weights[${i}] for setWeights: expected shape [${vars[i].shape}] (${vars[i].name}). Received: shape [${h.shape}].`);
      }
    });
    hosts.forEach((h, i) => vars[i].value.backend.write(vars[i].value, h.values));
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    this.assertUsable('countParams');
    return this.stack.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Print Keras's summary table through `printFn` (default console.log). */
  summary(printFn: (line: string) => void = console.log): void {
    this.assertUsable('summary');
    if (!this.built) {
      throw new StateError(
        `Invalid call of summary: expected a built model. Received: a model whose input shape is unknown.` +
          `\nhint: give the first layer an inputShape, start with new Input({ shape }), or call build(shape).`,
      );
    }
    for (const line of formatSummary(this)) printFn(line);
  }

  /** Train on `x`/`y` for a number of epochs; resolves to the History. */
  fit(x: TensorLike, y: TensorLike, args?: FitArgs): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /** Loss and metrics on `x`/`y`: `{ loss, accuracy, … }`. */
  evaluate(x: TensorLike, y: TensorLike, args?: EvaluateArgs): Promise<Record<string, number>> {
    return evaluateModel(this, x, y, args);
  }

  /** Outputs for `x`, computed in batches; the caller owns the returned tensor. */
  predict(x: TensorLike, args?: PredictArgs): Promise<Tensor> {
    return predictModel(this, x, args);
  }

  /**
   * Save in TensorFlow.js's Layers format (`model.json` + its weights file): to a folder path or `file://`
   * in Node, `downloads://name` or `indexeddb://name` in the browser, an IOHandler, or (no target) to an
   * in-memory artifacts object. `includeOptimizer` also saves the optimizer's state so training resumes
   * exactly. See `keras.saveModel`.
   */
  async save(target?: string | IOHandler, options?: SaveOptions): Promise<SaveModelResult> {
    this.assertUsable('save');
    const { saveModel } = await import('../io');
    return saveModel(this, target, options);
  }

  /**
   * Release every weight, buffer and optimizer slot of this model. Afterwards `fit`, `evaluate`,
   * `predict`, `save`, `getWeights`, `setWeights`, `countParams`, `summary` and `compile` throw a
   * StateError; disposing twice is safe. During `fit` it throws a StateError.
   */
  dispose(): void {
    if (this.isFitting) {
      invalid({ what: 'call of dispose', where: `model '${this.name}'`, expected: 'no fit running on this model', received: 'a dispose during fit', hint: 'set model.stopTraining = true and dispose after fit resolves.' }, StateError);
    }
    for (const layer of this.stack) layer.dispose();
    this.compiled?.optimizer.disposeSlots();
    this.disposed = true;
  }

  /** Keras-style config: the model name and each layer's class and config. */
  getConfig(): { name: string; layers: { className: string; config: Record<string, unknown> }[] } {
    return { name: this.name, layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }
}

export type { FitArgs, EvaluateArgs, PredictArgs, Callback };

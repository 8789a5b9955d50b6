/**
 * Compile-ahead: before its first batch, fit (and evaluate, and predict) records one step of each batch
 * size through `WebGpuBackend.compileAhead` and compiles every kernel it needs in parallel, so no step
 * compiles a pipeline synchronously. The recorded step executes nothing, so training gives exactly the
 * numbers it gives without compile-ahead. Runs in Node (Dawn) and Chromium.
 */
import { afterAll, expect, it } from 'vitest';
import * as keras from '../../../src';
import { getBackendInstance } from '../../../src/backend/registry';
import type { WebGpuFlags } from '../../../src/backend/webgpu/flags';
import type { WebGpuBackend } from '../../../src/backend/webgpu/webgpu-backend';
import { describeGpu } from '../../setup/webgpu-env';

const N = 70; // with validationSplit 0.2: 56 training samples, batches of 16 and a last one of 8

function data(): { x: number[][]; y: number[] } {
  const x = Array.from({ length: N }, (_, i) => [Math.sin(i), Math.cos(1.3 * i), (i % 5) / 5, Math.sin(i * i), 0.5]);
  return { x, y: x.map(([a, b]) => (a > b ? 2 : a > 0 ? 1 : 0)) };
}

/** A seeded model whose step uses most kinds of kernel; Adagrad's slots start at 0.1 (a fill). */
function makeModel(): keras.Sequential {
  keras.utils.setRandomSeed(3);
  const model = new keras.Sequential([
    new keras.layers.Dense(12, { inputShape: [5], activation: 'relu' }),
    new keras.layers.BatchNormalization(),
    new keras.layers.Dropout(0.2),
    new keras.layers.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adagrad', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** Counts of the backend's synchronous compiles and pipelines at each hook of a run. */
class CompileCounter extends keras.callbacks.Callback {
  readonly seen: Record<string, { syncCompiles: number; pipelines: number }> = {};
  constructor(private readonly backend: WebGpuBackend) {
    super();
  }
  private note(hook: string): void {
    const { syncCompiles, pipelines } = this.backend.stats();
    this.seen[hook] ??= { syncCompiles, pipelines };
  }
  override onTrainBegin(): void { this.note('trainBegin'); }
  override onTrainBatchBegin(batch: number): void { if (batch === 0) this.note('firstStepBegin'); }
  override onTrainBatchEnd(batch: number): void { if (batch === 0) this.note('firstStepEnd'); }
  override onTrainEnd(): void { this.note('trainEnd'); }
  override onTestBatchBegin(batch: number): void { if (batch === 0) this.note('firstTestBegin'); }
  override onTestEnd(): void { this.note('testEnd'); }
  override onPredictBatchBegin(batch: number): void { if (batch === 0) this.note('firstPredictBegin'); }
  override onPredictEnd(): void { this.note('predictEnd'); }
}

describeGpu('Compiling every kernel before the first step', (ctx) => {
  const started: WebGpuBackend[] = [];
  afterAll(async () => {
    await keras.setBackend('cpu');
    for (const backend of started) backend.dispose();
  });

  /** A new WebGPU backend (empty pipeline cache) on the suite's device, selected for keras. */
  async function freshBackend(compileAhead: WebGpuFlags['compileAhead']): Promise<WebGpuBackend> {
    await keras.setBackend('webgpu', { device: ctx.device });
    const backend = (await getBackendInstance('webgpu')) as WebGpuBackend;
    backend.flags.compileAhead = compileAhead;
    started.push(backend);
    return backend;
  }

  async function train(backend: WebGpuBackend, epochs = 2) {
    const model = makeModel();
    const counter = new CompileCounter(backend);
    const { x, y } = data();
    const history = await model.fit(x, y, { epochs, batchSize: 16, validationSplit: 0.2, verbose: 0, seed: 9, callbacks: [counter] });
    const weights = await Promise.all(model.weights.map(async (v) => Array.from(await v.value.data())));
    return { model, counter, history, weights };
  }

  for (const mode of ['parallel', 'serial'] as const) {
    it(`compiles nothing during the first step, nor for the rest of fit (${mode})`, async () => {
      const backend = await freshBackend(mode);
      const { model, counter } = await train(backend);
      const { trainBegin, firstStepBegin, firstStepEnd, trainEnd } = counter.seen;
      expect(trainBegin.pipelines).toBeGreaterThan(10);
      expect(firstStepEnd.syncCompiles - firstStepBegin.syncCompiles).toBe(0);
      expect(trainEnd.syncCompiles - trainBegin.syncCompiles).toBe(0);
      expect(trainEnd.pipelines).toBe(trainBegin.pipelines);
      model.dispose();
    });
  }

  it('compiles no new pipeline in a second fit of the same model', async () => {
    const backend = await freshBackend('auto');
    const { model } = await train(backend, 1);
    const before = backend.stats();
    const { x, y } = data();
    await model.fit(x, y, { epochs: 1, batchSize: 16, validationSplit: 0.2, verbose: 0 });
    expect(backend.stats().pipelines).toBe(before.pipelines);
    expect(backend.stats().syncCompiles).toBe(before.syncCompiles);
    model.dispose();
  });

  it("compiles pipelines one by one inside the first step when the compileAhead flag is 'off'", async () => {
    const backend = await freshBackend('off');
    const { model, counter } = await train(backend, 1);
    expect(counter.seen.firstStepEnd.syncCompiles - counter.seen.firstStepBegin.syncCompiles).toBeGreaterThan(5);
    model.dispose();
  });

  it('trains to exactly the same losses and weights with and without compile-ahead', async () => {
    const ahead = await train(await freshBackend('parallel'));
    const lazy = await train(await freshBackend('off'));
    expect(ahead.history.history).toEqual(lazy.history.history);
    expect(ahead.weights).toEqual(lazy.weights);
    expect(ahead.model.optimizer.iterations).toBe(lazy.model.optimizer.iterations);
    ahead.model.dispose();
    lazy.model.dispose();
  });

  it('compiles ahead for evaluate and predict too', async () => {
    const model = makeModel();
    const { x, y } = data();
    const backend = await freshBackend('auto');
    const counter = new CompileCounter(backend);
    await model.evaluate(x, y, { batchSize: 16, callbacks: [counter] });
    const predictions = await model.predict(x, { batchSize: 16, callbacks: [counter] });
    const { firstTestBegin, testEnd, firstPredictBegin, predictEnd } = counter.seen;
    expect(testEnd.syncCompiles).toBe(firstTestBegin.syncCompiles);
    expect(predictEnd.syncCompiles).toBe(firstPredictBegin.syncCompiles);
    expect(predictions.shape).toEqual([N, 3]);
    predictions.dispose();
    model.dispose();
  });
});

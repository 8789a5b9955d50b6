/**
 * A model's lifecycle: a disposed model refuses work with a StateError (and so cannot overwrite a good
 * saved folder with an empty model), compile during fit is refused, and values that overflow float32
 * are refused before training in fit, evaluate and predict.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';

const { StateError, ValueError } = keras.errors;
const X = [[0, 1], [1, 0], [1, 1], [0, 0]];
const Y = [[1], [0], [1], [0]];

function compiled(): keras.Sequential {
  const model = new keras.Sequential([new keras.layers.Dense(3, { inputShape: [2], activation: 'relu' }), new keras.layers.Dense(1)]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  return model;
}

beforeAll(async () => {
  await keras.setBackend('cpu');
});

describe('a disposed model', () => {
  it('throws a StateError from save, getWeights, countParams, predict, fit and evaluate', async () => {
    const model = compiled();
    model.dispose();
    expect(model.isDisposed).toBe(true);
    const disposed = /Invalid call of \w+ for model '.*': expected a model that was not disposed\. Received: a disposed model/;
    expect(() => model.getWeights()).toThrow(StateError);
    expect(() => model.countParams()).toThrow(disposed);
    for (const call of [() => model.save(), () => model.predict(X), () => model.fit(X, Y, { verbose: 0 }), () => model.evaluate(X, Y), () => model.setWeights([])]) {
      await expect(call()).rejects.toThrow(StateError);
    }
    expect(() => model.compile({ loss: 'mse' })).toThrow(StateError);
    expect(() => model.dispose()).not.toThrow();
  });

  it('does not overwrite a saved folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webgpu-keras-disposed-'));
    try {
      const model = compiled();
      await model.save(dir);
      const before = await readFile(join(dir, 'model.json'), 'utf8');
      model.dispose();
      await expect(model.save(dir)).rejects.toThrow(StateError);
      await expect(keras.saveModel(model, dir)).rejects.toThrow(StateError);
      expect(await readFile(join(dir, 'model.json'), 'utf8')).toBe(before);
      expect((await keras.loadModel(dir)).countParams()).toBe(13);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a model whose layer was disposed elsewhere refuses work too', async () => {
    const shared = new keras.layers.Dense(1, { inputShape: [2] });
    const model = new keras.Sequential([shared]);
    shared.dispose();
    expect(() => model.countParams()).toThrow(/layer '.*', disposed/);
  });
});

describe('compile during fit', () => {
  it('throws a StateError, and the running fit keeps its optimizer and finishes', async () => {
    const model = compiled();
    const optimizer = model.optimizer;
    let error: unknown = null;
    const swapper = new keras.callbacks.LambdaCallback({
      onEpochEnd: () => {
        try {
          model.compile({ optimizer: 'sgd', loss: 'mse' });
        } catch (e) {
          error = e;
        }
      },
    });
    const before = keras.memory().numTensors;
    await model.fit(X, Y, { epochs: 3, verbose: 0, callbacks: [swapper] });
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(/Invalid call of compile for Sequential: expected no fit running on this model\. Received: a compile during fit\.\nhint: compile after fit resolves/);
    expect(model.optimizer).toBe(optimizer);
    expect(optimizer.iterations).toBe(3);
    // The optimizer's slots (2 per weight) are the only tensors the fit left, as before.
    expect(keras.memory().numTensors - before).toBe(2 * model.weights.length);
    model.compile({ optimizer: 'sgd', loss: 'mse' }); // after fit: fine
  });
});

describe('values that overflow float32', () => {
  it.each([
    ['fit x', (m: keras.Sequential) => m.fit([[1e39, 0], ...X.slice(1)], Y, { verbose: 0 })],
    ['fit y', (m: keras.Sequential) => m.fit(X, [[-1e39], ...Y.slice(1)], { verbose: 0 })],
    ['fit validationData', (m: keras.Sequential) => m.fit(X, Y, { verbose: 0, validationData: [X, [[1], [0], [4e38], [0]]] })],
    ['evaluate x', (m: keras.Sequential) => m.evaluate([[0, 3.5e38], ...X.slice(1)], Y)],
    ['predict x', (m: keras.Sequential) => m.predict([[0, 1], [1e39, 0]])],
  ] as const)('are refused in %s, naming the value', async (_, call) => {
    const model = compiled();
    const weights = await Promise.all(model.weights.map((v) => v.value.data()));
    await expect(call(model)).rejects.toThrow(ValueError);
    await expect(call(model)).rejects.toThrow(/expected finite numbers in float32 .*Received: [-\d.e+]+ at sample \d, feature \d/s);
    expect(await Promise.all(model.weights.map((v) => v.value.data()))).toEqual(weights);
  });

  it('the largest float32 is accepted', async () => {
    const out = await compiled().predict([[3.4028234663852886e38, 0]]);
    expect(out.shape).toEqual([1, 1]);
  });
});

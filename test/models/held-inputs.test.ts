/**
 * Inputs that fit, evaluate and predict use in place (float tensors already on the backend) stay alive
 * for the whole call: a dispose during the call takes effect when the call ends, so the call trains on
 * and predicts from the data it was given even when the freed storage would be reused meanwhile.
 */
import { expect, it } from 'vitest';
import * as keras from '../../src';
import { describeEachBackend } from '../setup/each-backend';

const N = 64;
const X = Array.from({ length: N }, (_, i) => [Math.sin(i), Math.cos(0.7 * i), ((i % 9) - 4) / 4]);
const Y = X.map(([a, b, c]) => [a - 2 * b + c]);

function model(): keras.Sequential {
  keras.utils.setRandomSeed(11);
  const m = new keras.Sequential([new keras.layers.Dense(6, { inputShape: [3], activation: 'tanh' }), new keras.layers.Dense(1)]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

/**
 * A callback hook that disposes `t` at its first call and, at its second, after a read (which submits
 * the queued work, so released GPU buffers become reusable), uploads junk of `t`'s size: a storage
 * released early would be taken and overwritten.
 */
function disposeAndOverwrite(t: keras.Tensor, junk: keras.Tensor[]): () => Promise<void> {
  let calls = 0;
  return async () => {
    calls++;
    if (calls === 1) t.dispose();
    if (calls !== 2) return;
    const probe = keras.tensor([0]);
    await probe.data();
    probe.dispose();
    for (let i = 0; i < 4; i++) junk.push(keras.tensor(new Float32Array(t.size).fill(1e3), [...t.shape]));
  };
}

/** A Callback whose `hook` runs `fn`. */
function hooked(hook: 'onPredictBatchEnd' | 'onTrainBatchEnd' | 'onTestBatchEnd', fn: () => Promise<void>): keras.callbacks.Callback {
  const callback = new keras.callbacks.Callback();
  callback[hook] = fn;
  return callback;
}

async function weights(m: keras.Sequential): Promise<number[][]> {
  return Promise.all(m.weights.map(async (v) => Array.from(await v.value.data())));
}

describeEachBackend('inputs disposed during a call', () => {
  it('predict returns the predictions of the data it was given', async () => {
    const m = model();
    const reference = Array.from(await (await m.predict(X, { batchSize: 8 })).data());
    const x = keras.tensor(X);
    const junk: keras.Tensor[] = [];
    const out = await m.predict(x, { batchSize: 8, callbacks: [hooked('onPredictBatchEnd', disposeAndOverwrite(x, junk))] });
    expect(x.isDisposed).toBe(true);
    expect(Array.from(await out.data())).toEqual(reference);
    await expect(x.data()).rejects.toThrow(keras.errors.StateError);
    junk.forEach((t) => t.dispose());
  });

  it('fit trains on the data it was given', async () => {
    const plain = model();
    await plain.fit(X, Y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
    const held = model();
    const [x, y] = [keras.tensor(X), keras.tensor(Y)];
    const junk: keras.Tensor[] = [];
    await held.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false, callbacks: [hooked('onTrainBatchEnd', disposeAndOverwrite(x, junk))] });
    expect(await weights(held)).toEqual(await weights(plain));
    y.dispose();
    junk.forEach((t) => t.dispose());
  });

  it('evaluate scores the data it was given, and the storage is released when it ends', async () => {
    const m = model();
    const reference = await m.evaluate(X, Y, { batchSize: 8 });
    const x = keras.tensor(X);
    const junk: keras.Tensor[] = [];
    const tensorsBefore = keras.memory().numTensors;
    const logs = await m.evaluate(x, Y, { batchSize: 8, callbacks: [hooked('onTestBatchEnd', disposeAndOverwrite(x, junk))] });
    expect(logs).toEqual(reference);
    expect(keras.memory().numTensors).toBe(tensorsBefore - 1 + junk.length);
    junk.forEach((t) => t.dispose());
  });

  it('a tensor disposed before the call is refused with a StateError', async () => {
    const x = keras.tensor(X);
    x.dispose();
    await expect(model().predict(x)).rejects.toThrow(/expected a live tensor\. Received: a disposed tensor/);
  });
});

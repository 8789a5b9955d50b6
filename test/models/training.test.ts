/**
 * Training end to end on every available backend: convergence on small problems, Keras semantics of
 * fit/evaluate/predict, reproducibility and memory. Sizes stay small: on SwiftShader a GPU step costs
 * milliseconds.
 */
import { beforeEach, expect, it } from 'vitest';
import * as keras from '../../src';
import { blobs } from '../../examples/data/blobs';
import { describeEachBackend } from '../setup/each-backend';

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [[0], [1], [1], [0]];

describeEachBackend('training', () => {
  beforeEach(() => keras.utils.setRandomSeed(7));

  it('learns XOR with a tanh hidden layer and a sigmoid output', async () => {
    const model = new keras.Sequential([
      new keras.layers.Dense(8, { inputShape: [2], activation: 'tanh' }),
      new keras.layers.Dense(1, { activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: new keras.optimizers.Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(XOR_X, XOR_Y, { epochs: 150, batchSize: 4, verbose: 0 });
    expect(history.history.loss.at(-1)).toBeLessThan(0.1);
    const result = await model.evaluate(XOR_X, XOR_Y);
    expect(result.accuracy).toBe(1);
    model.dispose();
  });

  it('separates the two blobs with mean squared error', async () => {
    const { x, y } = blobs();
    const model = new keras.Sequential([
      new keras.layers.Dense(3, { inputShape: [2], activation: 'relu' }),
      new keras.layers.Dense(1, { activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['binary_accuracy', 'r2_score'] });
    await model.fit(x, y, { epochs: 60, batchSize: 16, verbose: 0 });
    const result = await model.evaluate(x, y);
    expect(result.binary_accuracy).toBeGreaterThan(0.97);
    expect(result.r2_score).toBeGreaterThan(0.5);
    model.dispose();
  });

  it('separates the two blobs with sparse categorical cross-entropy and a softmax head', async () => {
    const { x, y } = blobs(1);
    const model = new keras.Sequential([
      new keras.layers.Dense(4, { inputShape: [2], activation: 'relu' }),
      new keras.layers.Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new keras.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 40, batchSize: 16, verbose: 0 });
    expect(history.history.accuracy.at(-1)).toBeGreaterThan(0.97);
    const probabilities = (await (await model.predict([[1.2, 0.9], [-1.1, -0.8]])).array()) as number[][];
    expect(probabilities[0][1]).toBeGreaterThan(0.8);
    expect(probabilities[1][0]).toBeGreaterThan(0.8);
    model.dispose();
  });

  it('trains with batch normalization and dropout in the model', async () => {
    const { x, y } = blobs(2);
    const model = new keras.Sequential([
      new keras.layers.Dense(8, { inputShape: [2], activation: 'relu' }),
      new keras.layers.BatchNormalization(),
      new keras.layers.Dropout(0.2),
      new keras.layers.Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    expect((await model.evaluate(x, y)).accuracy).toBeGreaterThan(0.95);
    model.dispose();
  });

  it('gives the same weights and losses for the same seed, and different ones for another', async () => {
    const { x, y } = blobs(3);
    const run = async (seed: number) => {
      keras.utils.setRandomSeed(seed);
      const model = new keras.Sequential([
        new keras.layers.Dense(5, { inputShape: [2], activation: 'relu' }),
        new keras.layers.Dropout(0.3),
        new keras.layers.Dense(2, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
      const weights = await Promise.all(model.getWeights().map((w) => w.data().finally(() => w.dispose())));
      model.dispose();
      return { losses: history.history.loss, weights: weights.map((w) => Array.from(w)) };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
  });

  it("records Keras history keys, with validation from the last fraction of the data", async () => {
    const { x, y } = blobs(4);
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [2], activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.25, shuffle: false, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(history.epoch).toEqual([0, 1]);
    // The validation set is the last 35 samples (all labelled 0), so val_loss equals evaluate on them.
    const tail = await model.evaluate(x.slice(105), y.slice(105), { batchSize: 7 });
    expect(history.history.val_loss[1]).toBeCloseTo(tail.loss, 5);
    model.dispose();
  });

  it('validates only at the epochs validationFreq asks for', async () => {
    const { x, y } = blobs(5);
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [2], activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const history = await model.fit(x, y, { epochs: 4, validationData: [x, y], validationFreq: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(4);
    expect(history.history.val_loss).toHaveLength(2);
    model.dispose();
  });

  it('runs stepsPerEpoch batches per epoch and starts at initialEpoch', async () => {
    const { x, y } = blobs(6);
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [2], activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const history = await model.fit(x, y, { epochs: 3, initialEpoch: 1, stepsPerEpoch: 2, batchSize: 10, verbose: 0 });
    expect(history.epoch).toEqual([1, 2]);
    expect(model.optimizer.iterations).toBe(4);
    model.dispose();
  });

  it('calls every training hook in order and stops when a callback sets stopTraining', async () => {
    const events: string[] = [];
    class Recorder extends keras.callbacks.Callback {
      override onTrainBegin() {
        events.push('train_begin');
      }
      override onEpochBegin(epoch: number) {
        events.push(`epoch_begin ${epoch}`);
      }
      override onTrainBatchBegin(batch: number) {
        events.push(`batch_begin ${batch}`);
      }
      override onTrainBatchEnd(batch: number) {
        events.push(`batch_end ${batch}`);
      }
      override async onEpochEnd(epoch: number, logs?: keras.callbacks.Logs) {
        events.push(`epoch_end ${epoch} ${typeof logs?.loss}`);
        if (epoch === 1) this.model!.stopTraining = true;
      }
      override onTrainEnd() {
        events.push('train_end');
      }
    }
    const model = new keras.Sequential([new keras.layers.Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit([[1, 2], [3, 4], [5, 6]], [1, 2, 3], { epochs: 5, batchSize: 2, verbose: 0, callbacks: [new Recorder()] });
    expect(events).toEqual([
      'train_begin',
      'epoch_begin 0', 'batch_begin 0', 'batch_end 0', 'batch_begin 1', 'batch_end 1', 'epoch_end 0 number',
      'epoch_begin 1', 'batch_begin 0', 'batch_end 0', 'batch_begin 1', 'batch_end 1', 'epoch_end 1 number',
      'train_end',
    ]);
    model.dispose();
  });

  it('predicts in batches exactly what one big batch gives, with the output shape', async () => {
    const { x } = blobs(7);
    const model = new keras.Sequential([
      new keras.layers.Dense(6, { inputShape: [2], activation: 'tanh' }),
      new keras.layers.Dense(3, { activation: 'softmax' }),
    ]);
    const small = await model.predict(x, { batchSize: 9 });
    const big = await model.predict(x, { batchSize: 1000 });
    expect(small.shape).toEqual([140, 3]);
    const [a, b] = [await small.data(), await big.data()];
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 6);
    small.dispose();
    big.dispose();
    model.dispose();
  });

  it('uses input tensors already on the backend in place, leaving them alive and checked', async () => {
    const { x, y } = blobs(9);
    const model = new keras.Sequential([new keras.layers.Dense(4, { inputShape: [2], activation: 'tanh' }), new keras.layers.Dense(2, { activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const xt = keras.tensor(x);
    await model.fit(xt, y, { epochs: 2, batchSize: 32, verbose: 0, validationData: [xt, y] });
    const before = keras.memory().numTensors; // the weights, the optimizer's slots and xt
    const fromTensor = await model.predict(xt, { batchSize: 50 });
    const fromArrays = await model.predict(x, { batchSize: 50 });
    expect(Array.from(await fromTensor.data())).toEqual(Array.from(await fromArrays.data()));
    expect((await model.evaluate(xt, y)).loss).toBeCloseTo((await model.evaluate(x, y)).loss, 6);
    fromTensor.dispose();
    fromArrays.dispose();
    expect(xt.isDisposed).toBe(false);
    expect(keras.memory().numTensors).toBe(before);
    const bad = keras.tensor([[1, 2], [3, Number.NaN]]);
    await expect(model.predict(bad)).rejects.toThrow(/Received: NaN at sample 1, feature 1/);
    bad.dispose();
    xt.dispose();
    model.dispose();
  });

  it('keeps memory flat across epochs and returns it all on dispose', async () => {
    const before = keras.memory().numTensors;
    const { x, y } = blobs(8);
    const model = new keras.Sequential([
      new keras.layers.Dense(8, { inputShape: [2], activation: 'relu' }),
      new keras.layers.BatchNormalization(),
      new keras.layers.Dropout(0.1),
      new keras.layers.Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const perEpoch: number[] = [];
    const bytes: number[] = [];
    const probe = new keras.callbacks.Callback();
    probe.onEpochEnd = () => {
      perEpoch.push(keras.memory().numTensors);
      bytes.push(keras.memory().numBytes);
    };
    await model.fit(x, y, { epochs: 6, batchSize: 32, validationSplit: 0.2, verbose: 0, callbacks: [probe] });
    expect(new Set(perEpoch.slice(1)).size).toBe(1);
    expect(new Set(bytes.slice(1)).size).toBe(1);
    const afterFit = keras.memory().numTensors;
    await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    await model.evaluate(x, y);
    (await model.predict(x)).dispose();
    expect(keras.memory().numTensors).toBe(afterFit);
    model.dispose();
    expect(keras.memory().numTensors).toBe(before);
  });

  it('round-trips weights through getWeights and setWeights in Keras order', async () => {
    const model = new keras.Sequential([
      new keras.layers.Dense(3, { inputShape: [2] }),
      new keras.layers.BatchNormalization(),
      new keras.layers.Dense(1),
    ]);
    const weights = model.getWeights();
    expect(weights.map((w) => w.shape)).toEqual([[2, 3], [3], [3], [3], [3], [3], [3, 1], [1]]);
    expect(model.weights.map((v) => v.name.split('/')[1])).toEqual([
      'kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance', 'kernel', 'bias',
    ]);
    const replaced = weights.map((w, i) => Array.from({ length: w.size }, (_, j) => i + j / 10));
    await model.setWeights(replaced.map((values, i) => keras.tensor(values, [...weights[i].shape])));
    const read = await Promise.all(model.getWeights().map((w) => w.data()));
    read.forEach((values, i) => expect(Array.from(values)).toEqual(replaced[i].map((v) => Math.fround(v))));
    weights.forEach((w) => w.dispose());
    model.dispose();
  });
});

/**
 * Bad input: every misuse gets a typed error in the one template (what, rule, received, hint), and a
 * failed call leaves the model's weights unchanged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';

const { ValueError, ShapeError, StateError, UnknownIdentifierError } = keras.errors;

function smallModel(units = 3): keras.Sequential {
  const model = new keras.Sequential([
    new keras.layers.Dense(4, { inputShape: [2], activation: 'relu' }),
    new keras.layers.Dense(units, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

async function weightsOf(model: keras.Sequential): Promise<number[][]> {
  const tensors = model.getWeights();
  const values = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
  tensors.forEach((t) => t.dispose());
  return values;
}

const X = [[0, 1], [1, 0], [1, 1], [0, 0]];
const Y = [0, 1, 2, 1];

describe('bad input', () => {
  beforeAll(async () => {
    await keras.setBackend('cpu');
  });

  it('rejects fit before compile with a hint to compile', async () => {
    const model = new keras.Sequential([new keras.layers.Dense(1, { inputShape: [2] })]);
    await expect(model.fit(X, [1, 2, 3, 4])).rejects.toThrow(StateError);
    await expect(model.fit(X, [1, 2, 3, 4])).rejects.toThrow(/expected a compiled model[\s\S]*hint: call model\.compile/);
  });

  it('rejects x and y of different lengths', async () => {
    await expect(smallModel().fit(X, [0, 1, 2])).rejects.toThrow(ShapeError);
    await expect(smallModel().fit(X, [0, 1, 2])).rejects.toThrow('expected 4 samples, one per input sample. Received: 3 samples');
  });

  it('rejects inputs whose sample shape does not match the model', async () => {
    await expect(smallModel().fit([[1, 2, 3]], [0])).rejects.toThrow(/expected samples of shape \(2,\).*Received: \(3,\)/);
  });

  it('rejects ragged nested arrays, naming where', async () => {
    await expect(smallModel().fit([[1, 2], [3]], [0, 1])).rejects.toThrow(/rectangular.*Received: length 1 at x\[1\]/);
  });

  it('rejects NaN and Infinity in inputs and targets', async () => {
    await expect(smallModel().fit([[1, NaN]], [0])).rejects.toThrow(/finite numbers.*Received: NaN at sample 0, feature 1/);
    await expect(smallModel().fit([[1, 2]], [Infinity])).rejects.toThrow(ValueError);
  });

  it('rejects sparse class labels out of range or not integers', async () => {
    await expect(smallModel().fit(X, [0, 1, 3, 1])).rejects.toThrow(/integer class index in \[0, 2\].*Received: 3 at sample 2/);
    await expect(smallModel().fit(X, [0, 1, 0.5, 1])).rejects.toThrow(ValueError);
    await expect(smallModel().fit(X, [0, -1, 0, 1])).rejects.toThrow(ValueError);
  });

  it('lists the valid names for an unknown identifier', () => {
    const model = new keras.Sequential([new keras.layers.Dense(1, { inputShape: [2] })]);
    // @ts-expect-error: a misspelt name does not compile; JavaScript callers get the error at run time
    expect(() => model.compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(UnknownIdentifierError);
    // @ts-expect-error: a misspelt name does not compile; JavaScript callers get the error at run time
    expect(() => model.compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(/'sgd', 'rmsprop', 'adagrad', 'adadelta', 'adam', 'adamw'.*Received: 'adamm'/);
    // @ts-expect-error: a misspelt name does not compile; JavaScript callers get the error at run time
    expect(() => model.compile({ optimizer: 'adam', loss: 'cross_entropy' })).toThrow(/'mean_squared_error'/);
    // @ts-expect-error: a misspelt name does not compile; JavaScript callers get the error at run time
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] })).toThrow(/'accuracy'/);
    // @ts-expect-error: a misspelt name does not compile; JavaScript callers get the error at run time
    expect(() => new keras.layers.Dense(2, { activation: 'rellu' })).toThrow(/'relu'/);
    // @ts-expect-error: a misspelt name does not compile; JavaScript callers get the error at run time
    expect(() => new keras.layers.Dense(2, { kernelInitializer: 'he_norm' })).toThrow(/'he_normal'/);
  });

  it('accepts identifiers in snake_case and camelCase', () => {
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [2], activation: 'leakyRelu', kernelInitializer: 'heNormal' })]);
    expect(() => model.compile({ optimizer: 'AdamW', loss: 'sparseCategoricalCrossentropy', metrics: ['sparseCategoricalAccuracy'] })).not.toThrow();
    expect(() => model.compile({ optimizer: 'rmsprop', loss: 'meanSquaredError', metrics: ['meanAbsoluteError', 'r2Score'] })).not.toThrow();
  });

  it('rejects a non-positive batch size, units or epochs', async () => {
    await expect(smallModel().fit(X, Y, { batchSize: 0 })).rejects.toThrow('Invalid batchSize for fit: expected a positive integer. Received: batchSize=0.');
    await expect(smallModel().fit(X, Y, { epochs: -1 })).rejects.toThrow(ValueError);
    expect(() => new keras.layers.Dense(0)).toThrow('Invalid units for Dense: expected a positive integer. Received: units=0.');
    expect(() => new keras.layers.Dense(2.5)).toThrow(ValueError);
  });

  it('rejects a dropout rate outside [0, 1)', () => {
    expect(() => new keras.layers.Dropout(1)).toThrow('Invalid rate for Dropout: expected a number in [0, 1). Received: rate=1.');
    expect(() => new keras.layers.Dropout(-0.1)).toThrow(ValueError);
    expect(() => new keras.layers.Dropout(0)).not.toThrow();
  });

  it('rejects validationSplit outside [0, 1)', async () => {
    await expect(smallModel().fit(X, Y, { validationSplit: 1 })).rejects.toThrow(/validationSplit.*\[0, 1\)/);
    await expect(smallModel().fit(X, Y, { validationSplit: -0.5 })).rejects.toThrow(ValueError);
  });

  it('rejects an empty dataset', async () => {
    await expect(smallModel().fit([], [])).rejects.toThrow(/at least one sample/);
  });

  it('rejects one-hot shaped targets that do not match the output', async () => {
    const model = new keras.Sequential([new keras.layers.Dense(3, { inputShape: [2], activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await expect(model.fit(X, Y)).rejects.toThrow(/hint: one-hot encode the labels, or use sparse_categorical_crossentropy/);
  });

  it('leaves the weights unchanged when fit fails', async () => {
    const model = smallModel();
    const before = await weightsOf(model);
    await expect(model.fit(X, [0, 1, 5, 1], { epochs: 3 })).rejects.toThrow(ValueError);
    await expect(model.fit(X, Y, { validationData: [X, [0, 1, 2, 7]] })).rejects.toThrow(ValueError);
    expect(await weightsOf(model)).toEqual(before);
  });

  it('rejects setWeights with the wrong count or shapes, changing nothing', async () => {
    const model = smallModel();
    const before = await weightsOf(model);
    await expect(model.setWeights([[1, 2]])).rejects.toThrow(/expected an array of 4 arrays in Keras order/);
    const wrong = before.map((w) => w.slice());
    wrong[3] = [1];
    await expect(model.setWeights(wrong)).rejects.toThrow(ShapeError);
    expect(await weightsOf(model)).toEqual(before);
  });

  it('rejects a bad inputShape, a misplaced Input and summary of an unbuilt model', () => {
    expect(() => new keras.layers.Dense(2, { inputShape: [0] })).toThrow(/inputShape.*positive integers/);
    const model = new keras.Sequential([new keras.layers.Dense(2)]);
    expect(() => model.summary()).toThrow(/hint: give the first layer an inputShape/);
    expect(() => model.add(new keras.layers.Input({ shape: [2] }))).toThrow(/Input only as the first layer/);
  });

  it('uses disposed tensors only with a clear error', async () => {
    const t = keras.tensor([[1, 2]]);
    t.dispose();
    await expect(t.data()).rejects.toThrow(/disposed tensor/);
    await expect(smallModel().predict(t)).rejects.toThrow(/disposed tensor/);
  });
});

/**
 * Options objects from JavaScript: every public options object refuses names it does not know (with a
 * did-you-mean hint that maps Keras's snake_case), Keras options that are not implemented say so, `null`
 * where options go is refused, and Keras's positional forms mean what Keras means.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';

const { ValueError } = keras.errors;
const L = keras.layers;
const O = keras.optimizers;
const C = keras.callbacks;

const X = [[0, 1], [1, 0], [1, 1], [0, 0]];
const Y = [[1], [0], [1], [0]];

function compiled(): keras.Sequential {
  const model = new keras.Sequential([new L.Dense(1, { inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  return model;
}

beforeAll(async () => {
  await keras.setBackend('cpu');
});

/** [what, a call that must throw synchronously or reject, the message it must match]. */
type Case = [string, () => unknown, RegExp];

async function expectRefused(call: () => unknown, pattern: RegExp): Promise<void> {
  let error: unknown = null;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, 'no error was thrown').toBeInstanceOf(ValueError);
  expect((error as Error).message).toMatch(pattern);
}

const SNAKE = /did you mean '(\w+)'\?/;

describe('unknown option names are refused, snake_case mapped to camelCase in the hint', () => {
  const cases: Case[] = [
    ['fit batch_size', () => compiled().fit(X, Y, { batch_size: 4 } as never), /option 'batch_size' for fit.*\nhint: did you mean 'batchSize'\?/s],
    ['evaluate batch_size', () => compiled().evaluate(X, Y, { batch_size: 4 } as never), /option 'batch_size' for evaluate.*did you mean 'batchSize'/s],
    ['predict batch_size', () => compiled().predict(X, { batch_size: 4 } as never), /option 'batch_size' for predict.*did you mean 'batchSize'/s],
    ['compile optimiser', () => new keras.Sequential().compile({ optimiser: 'adam', loss: 'mse' } as never), /option 'optimiser' for compile.*did you mean 'optimizer'/s],
    ['Adam learning_rate', () => new O.Adam({ learning_rate: 0.5 } as never), /option 'learning_rate' for Adam.*did you mean 'learningRate'/s],
    ['Adam beta_1', () => new O.Adam({ beta_1: 0.5 } as never), /did you mean 'beta1'/],
    ['SGD nesterow', () => new O.SGD({ nesterow: true } as never), /did you mean 'nesterov'/],
    ['RMSprop, Adagrad, Adadelta, AdamW', () => new O.AdamW({ weight_decay: 0.1, x: 1 } as never), /option 'weight_decay' for AdamW.*did you mean 'weightDecay'/s],
    ['Dense activaton', () => new L.Dense(2, { activaton: 'relu' } as never), /option 'activaton' for Dense.*did you mean 'activation'/s],
    ['Dense use_bias', () => new L.Dense(2, { use_bias: false } as never), /did you mean 'useBias'/],
    ['Dropout seeed', () => new L.Dropout(0.2, { seeed: 1 } as never), /did you mean 'seed'/],
    ['BatchNormalization momentun', () => new L.BatchNormalization({ momentun: 0.9 } as never), /did you mean 'momentum'/],
    ['Activation input_shape', () => new L.Activation('relu', { input_shape: [2] } as never), /did you mean 'inputShape'/],
    ['Flatten', () => new L.Flatten({ nme: 'f' } as never), /did you mean 'name'/],
    ['Input', () => new L.Input({ shape: [2], batch_size: 3 } as never), /option 'batch_size' for Input.*not implemented/s],
    ['Sequential', () => new keras.Sequential([], { nam: 'x' } as never), /did you mean 'name'/],
    ['BinaryCrossentropy from_logits', () => new keras.losses.BinaryCrossentropy({ from_logit: true } as never), /did you mean 'fromLogits'/],
    ['Huber', () => new keras.losses.Huber({ delat: 2 } as never), /did you mean 'delta'/],
    ['BinaryAccuracy', () => new keras.metrics.BinaryAccuracy({ treshold: 0.3 } as never), /did you mean 'threshold'/],
    ['EarlyStopping', () => new C.EarlyStopping({ patiense: 2 } as never), /did you mean 'patience'/],
    ['ReduceLROnPlateau', () => new C.ReduceLROnPlateau({ min_lr: 1e-3 } as never), /did you mean 'minLr'/],
    ['ModelCheckpoint', () => new C.ModelCheckpoint('m', { save_best_only: true } as never), /did you mean 'saveBestOnly'/],
    ['CSVLogger', () => new C.CSVLogger('log.csv', { seperator: ';' } as never), /did you mean 'separator'/],
    ['StepLR', () => new C.StepLR(2, { gama: 0.5 } as never), /did you mean 'gamma'/],
    ['LearningRateScheduler', () => new C.LearningRateScheduler((_e, lr) => lr, { verbos: 1 } as never), /did you mean 'verbose'/],
    ['ExponentialDecay', () => new O.schedules.ExponentialDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5, stair_case: true } as never), /did you mean 'staircase'/],
    ['save', () => compiled().save(undefined, { include_optimizer: true } as never), /did you mean 'includeOptimizer'/],
    ['saveModel', () => keras.saveModel(compiled(), undefined, { weights_only: true } as never), /did you mean 'weightsOnly'/],
    ['loadModel', () => keras.loadModel({} as never, { compil: false } as never), /did you mean 'compile'/],
    ['setBackend', () => keras.setBackend('cpu', { devise: null } as never), /did you mean 'device'/],
    ['plotHistory', () => keras.plotHistory({ loss: [1] }, { colums: 2, path: false } as never), /did you mean 'columns'/],
    ['plotDecisionBoundary', () => keras.plotDecisionBoundary(new keras.Sequential([new L.Dense(1, { inputShape: [2] })]), X, [1, 0, 1, 0], { resolutin: 3, path: false } as never), /did you mean 'resolution'/],
    ['initializer', () => new keras.initializers.RandomNormal({ std_dev: 1 } as never), /did you mean 'stddev'/],
  ];
  it.each(cases)('%s', async (_, call, pattern) => {
    await expectRefused(call, pattern);
  });

  it('the hint names the camelCase option for every snake_case Keras spelling it recognises', async () => {
    await expectRefused(() => compiled().fit(X, Y, { validation_split: 0.5 } as never), SNAKE);
    await expectRefused(() => compiled().fit(X, Y, { initial_epoch: 1 } as never), /did you mean 'initialEpoch'/);
  });
});

describe("Keras options that are not implemented say so", () => {
  const NOT = /exists in Keras but is not implemented in webgpu-keras yet/;
  const cases: Case[] = [
    ...['useEma', 'emaMomentum', 'emaOverwriteFrequency', 'gradientAccumulationSteps', 'lossScaleFactor', 'excludeFromWeightDecay'].map(
      (k): Case => [`Adam ${k}`, () => new O.Adam({ [k]: 1 } as never), NOT],
    ),
    ['SGD use_ema (snake_case)', () => new O.SGD({ use_ema: true } as never), /'useEma' exists in Keras but is not implemented/],
    ...['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint'].map(
      (k): Case => [`Dense ${k}`, () => new L.Dense(2, { [k]: 'l2' } as never), NOT],
    ),
    ...['betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'].map(
      (k): Case => [`BatchNormalization ${k}`, () => new L.BatchNormalization({ [k]: 'l2' } as never), NOT],
    ),
    ['fit sampleWeight', () => compiled().fit(X, Y, { sampleWeight: [1, 1, 1, 1] } as never), NOT],
    ['fit class_weight', () => compiled().fit(X, Y, { class_weight: { 0: 1 } } as never), NOT],
    ['evaluate sampleWeight', () => compiled().evaluate(X, Y, { sampleWeight: [1, 1, 1, 1] } as never), NOT],
    ['compile weightedMetrics', () => new keras.Sequential().compile({ loss: 'mse', weightedMetrics: ['mae'] } as never), NOT],
    ['SparseCategoricalCrossentropy ignoreClass', () => new keras.losses.SparseCategoricalCrossentropy({ ignoreClass: 0 } as never), NOT],
    ["a loss's reduction 'sum' (refused, not stored)", () => new keras.losses.MeanSquaredError({ reduction: 'sum' } as never), /reduction 'sum' exists in Keras but is not implemented/],
    ["a loss's reduction 'none'", () => new keras.losses.BinaryCrossentropy({ reduction: 'none' } as never), /not implemented/],
  ];
  it.each(cases)('%s', async (_, call, pattern) => {
    await expectRefused(call, pattern);
  });

  it("a loss's default reduction is accepted", () => {
    expect(new keras.losses.MeanSquaredError({ reduction: 'sum_over_batch_size' }).kind).toBe('mean_squared_error');
  });
});

describe('null where options go is refused, with what to pass instead', () => {
  const cases: [string, () => unknown][] = [
    ['Dense', () => new L.Dense(4, null as never)],
    ['Dropout', () => new L.Dropout(0.5, null as never)],
    ['BatchNormalization', () => new L.BatchNormalization(null as never)],
    ['Activation', () => new L.Activation('relu', null as never)],
    ['Flatten', () => new L.Flatten(null as never)],
    ['Input', () => new L.Input(null as never)],
    ['Adam', () => new O.Adam(null as never)],
    ['SGD', () => new O.SGD(null as never)],
    ['compile', () => new keras.Sequential().compile(null as never)],
    ['fit', () => compiled().fit(X, Y, null as never)],
    ['EarlyStopping', () => new C.EarlyStopping(null as never)],
    ['BinaryCrossentropy', () => new keras.losses.BinaryCrossentropy(null as never)],
  ];
  it.each(cases)('%s', async (_, call) => {
    await expectRefused(call, /Invalid options for \w+: expected an options object \(or nothing\)\. Received: null\.\nhint: pass an object of named options.*or leave the argument out/s);
  });
});

describe("positional forms mean what Keras's positional arguments mean", () => {
  it("new Dense(4, 'relu') has activation relu (Keras's second positional argument)", () => {
    expect(new L.Dense(4, 'relu').activation.name).toBe('relu');
  });

  it('new SGD(0.1) and new Adam(0.01) take the learning rate (the first positional argument)', () => {
    expect(new O.SGD(0.1).learningRate).toBe(0.1);
    expect(new O.Adam(0.01).learningRate).toBe(0.01);
    expect(new O.RMSprop(0.2).learningRate).toBe(0.2);
    expect(new O.AdamW(0.3).learningRate).toBe(0.3);
  });

  it('an optimizer takes a schedule as its first positional argument', () => {
    const schedule = new O.schedules.ExponentialDecay({ initialLearningRate: 0.5, decaySteps: 1, decayRate: 0.5 });
    expect(new O.Adagrad(schedule).learningRateSchedule).toBe(schedule);
  });

  it('new Input([2]) is Keras\'s Input(shape)', () => {
    expect(new L.Input([2]).declaredInputShape).toEqual([2]);
  });

  it('other non-objects where options go are refused', async () => {
    await expectRefused(() => new L.Dense(4, 3 as never), /expected an options object/);
    await expectRefused(() => new O.Adam('fast' as never), /expected an options object/);
    await expectRefused(() => new L.Dropout(0.2, [1, 2] as never), /expected an options object/);
    await expectRefused(() => new L.Dense({ units: 4 } as never), /hint: pass units first/);
  });
});

describe('layer names', () => {
  it("refuses a name with '/' as Keras does, and accepts '' as Keras does", () => {
    expect(() => new L.Dense(2, { name: 'a/b' })).toThrow(/Invalid name for Dense: expected a string without '\/'/);
    expect(new L.Dense(2, { name: '' }).name).toBe('');
  });
});

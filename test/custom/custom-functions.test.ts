/**
 * Users' own activations, losses, metrics and optimizers written with keras.ops (the issue's example):
 * each trains exactly as the built-in with the same formula does (the same expression, hence the same
 * generated code, so the numbers are equal, not close), on every backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { describeEachBackend } from '../setup/each-backend';

const { ops } = keras;

// Registered names join the typed identifiers (src/identifiers.ts).
declare module '../../src/identifiers' {
  interface CustomActivationNames {
    my_mish: true;
  }
}

function data(n: number): { x: number[][]; y: number[][] } {
  const x = Array.from({ length: n }, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7), ((i % 5) - 2) / 2]);
  return { x, y: x.map(([a, b, c]) => [a * b - c, a + 0.5 * c]) };
}

async function trainWith(activation: keras.activations.ActivationIdentifier, loss: Parameters<keras.Sequential['compile']>[0]['loss'], optimizer: keras.CompileArgs['optimizer'] = 'adam') {
  keras.utils.setRandomSeed(7);
  const model = new keras.Sequential([
    new keras.layers.Dense(8, { inputShape: [3], activation }),
    new keras.layers.Dense(2),
  ]);
  model.compile({ optimizer, loss });
  const { x, y } = data(40);
  const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, seed: 3 });
  const weights = await Promise.all(model.weights.map(async (v) => Array.from(await v.value.data())));
  model.dispose();
  return { losses: history.history.loss, weights };
}

const mish = (x: keras.Expr) => ops.multiply(x, ops.tanh(ops.softplus(x)));
const mse = (yTrue: keras.Expr, yPred: keras.Expr) => ops.mean(ops.square(ops.subtract(yPred, yTrue)), -1);

describeEachBackend('custom functions', () => {
  it('a user mish trains to exactly the weights of the built-in mish', async () => {
    const builtIn = await trainWith('mish', 'mse');
    const user = await trainWith(mish, 'mse');
    expect(user).toEqual(builtIn);
  });

  it('a user mean squared error trains to exactly what the built-in gives', async () => {
    const builtIn = await trainWith('relu', 'mean_squared_error');
    const user = await trainWith('relu', mse);
    expect(user).toEqual(builtIn);
  });

  it('a registered activation is usable by name', async () => {
    keras.activations.register('my_mish', mish);
    expect(await trainWith('my_mish', 'mse')).toEqual(await trainWith('mish', 'mse'));
  });

  it('a custom metric is accumulated over the epoch and logged under its name', async () => {
    keras.utils.setRandomSeed(1);
    const logCosh = (yTrue: keras.Expr, yPred: keras.Expr) => ops.mean(ops.log(ops.cosh(ops.subtract(yPred, yTrue))), -1);
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: logCosh, metrics: ['mae', logCosh] });
    const { x, y } = data(16);
    const logs = await model.evaluate(x, y, { batchSize: 5 });
    expect(Object.keys(logs).sort()).toEqual(['log_cosh', 'loss', 'mae']);
    expect(logs.log_cosh).toBeCloseTo(logs.loss, 6);
    model.dispose();
  });
});

afterAll(async () => {
  await keras.setBackend('cpu');
});

describe('what a traced function cannot do fails at construction or compile', () => {
  it('data-dependent control flow', () => {
    expect(() => new keras.layers.Dense(2, { activation: ((x: keras.Expr) => ((x as unknown as number) > 0 ? x : 0)) as never })).toThrow(/ops\.where\(ops\.greater\(x, 0\), a, b\)/);
  });

  it('a wrong number of arguments', () => {
    expect(() => new keras.layers.Dense(2, { activation: ((a: keras.Expr, b: keras.Expr) => ops.add(a, b)) as never })).toThrow(/expected a function of 1 argument, \(x\) =>/);
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [3] })]);
    expect(() => model.compile({ loss: ((y: keras.Expr) => y) as never })).toThrow(/expected a function of 2 arguments, \(yTrue, yPred\)/);
  });

  it('an operation that is not elementwise, naming what to use instead', () => {
    expect(() => new keras.layers.Dense(2, { activation: (x: keras.Expr) => ops.mean(x) })).toThrow(/Invalid reduction for the activation .*expected an elementwise expression/);
    expect(() => new keras.layers.Dense(2, { activation: ((x: keras.Expr) => (ops.softmax as (v: unknown) => never)(x)) as never })).toThrow(/ops\.softmax.*activation: 'softmax'/s);
  });

  it('a JavaScript error while tracing, in the library’s template', () => {
    expect(() => new keras.layers.Dense(2, { activation: ((x: { foo(): unknown }) => x.foo()) as never })).toThrow(/Invalid activation function for Dense: expected a function written with keras\.ops\. Received: one whose tracing threw TypeError/);
  });
});

describe('describe', () => {
  it('gives the forward formula and its derived derivative', () => {
    const silu = keras.activations.describe('silu');
    expect(silu.forward).toBe('x * sigmoid(x)');
    expect(silu.derivative).toBe('sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))');
    expect(keras.activations.describe('tanh').derivative).toBe('1 - y * y');
    expect(keras.activations.describe(mish).forward).toBe('x * tanh(softplus(x))');
    expect(keras.activations.describe('relu').derivative).toBe('x > 0');
  });
});

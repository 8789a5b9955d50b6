/**
 * Custom functions in saved models: registered ones saved by name (Keras's 'package>name' keys) and
 * loaded where they are registered; with includeExpressions their traced expressions travel in the file
 * and the model loads without them; an unknown custom name fails saying what to register.
 */
import { describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { Lion } from './lion';

const { ops } = keras;

declare module '../../src/identifiers' {
  interface CustomActivationNames {
    softsq: true;
  }
  interface CustomLossNames {
    log_cosh_loss: true;
  }
  interface CustomMetricNames {
    max_error: true;
  }
}
const x = Array.from({ length: 20 }, (_, i) => [Math.sin(i), Math.cos(1.7 * i), (i % 4) / 4]);
const y = x.map(([a, b, c]) => [a - b * c]);

async function trained(activation: keras.activations.ActivationIdentifier, loss: keras.CompileArgs['loss'], metrics: keras.CompileArgs['metrics'], optimizer: keras.optimizers.Optimizer) {
  keras.utils.setRandomSeed(11);
  const model = new keras.Sequential([new keras.layers.Dense(5, { inputShape: [3], activation, name: 'hidden' }), new keras.layers.Dense(1, { name: 'out' })]);
  model.compile({ optimizer, loss, metrics });
  await model.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0, seed: 1 });
  return model;
}

async function predictions(model: keras.Sequential): Promise<number[]> {
  const t = await model.predict(x);
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

/** Train both one more epoch with the same seed: a restored training state gives the same history. */
async function nextEpoch(model: keras.Sequential): Promise<number[]> {
  return (await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0, seed: 4 })).history.loss;
}

describe('saving custom functions', () => {
  it('saves registered ones by name and loads them, training state included', async () => {
    const softsq = (v: keras.Expr) => ops.divide(ops.multiply(v, v), ops.add(1, ops.abs(v)));
    const huberish = (t: keras.Expr, p: keras.Expr) => ops.mean(ops.log(ops.cosh(ops.subtract(p, t))), -1);
    const maxErr = (t: keras.Expr, p: keras.Expr) => ops.max(ops.abs(ops.subtract(p, t)), -1);
    expect(keras.activations.register('softsq', softsq)).toBe('Custom>softsq');
    expect(keras.losses.register('log_cosh_loss', huberish)).toBe('Custom>log_cosh_loss');
    keras.metrics.register('max_error', maxErr, { package: 'mine' });
    expect(keras.optimizers.register(Lion)).toBe('Custom>Lion');
    const model = await trained('softsq', 'log_cosh_loss', ['mae', 'max_error'], new Lion({ learningRate: 0.01, beta1: 0.8 }));
    const { artifacts } = await keras.saveModel(model, undefined, { includeOptimizer: true });
    const hidden = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
    expect(hidden.activation).toBe('Custom>softsq');
    expect(JSON.stringify(artifacts.userDefinedMetadata)).not.toContain('"expressions"');
    const loaded = await keras.loadModel(artifacts);
    expect(await predictions(loaded)).toEqual(await predictions(model));
    expect(loaded.optimizer).toBeInstanceOf(Lion);
    expect((loaded.optimizer as Lion).beta1).toBe(0.8);
    expect(loaded.optimizer.iterations).toBe(model.optimizer.iterations);
    expect(await nextEpoch(loaded)).toEqual(await nextEpoch(model));
    model.dispose();
    loaded.dispose();
  });

  it('stores the expressions with includeExpressions, so unregistered ones load', async () => {
    const cube = (v: keras.Expr) => ops.multiply(ops.tanh(v), ops.multiply(v, v));
    const absLoss = (t: keras.Expr, p: keras.Expr) => ops.mean(ops.abs(ops.subtract(p, t)), -1);
    const sqMetric = (t: keras.Expr, p: keras.Expr) => ops.mean(ops.square(ops.subtract(p, t)), -1);
    class Signum extends Lion {}
    const model = await trained(cube, absLoss, [sqMetric], new Signum({ learningRate: 0.02 }));
    await expect(keras.saveModel(model, undefined, { includeOptimizer: true })).rejects.toThrow(
      /Invalid custom activation 'cube' for saveModel: .*\nhint: call keras\.activations\.register\('cube', fn\) before saving, or save with \{ includeExpressions: true \}/,
    );
    const { artifacts } = await keras.saveModel(model, undefined, { includeOptimizer: true, includeExpressions: true });
    const text = JSON.stringify(artifacts.userDefinedMetadata);
    for (const key of ['Custom>cube', 'Custom>abs_loss', 'Custom>sq_metric', 'Custom>Signum']) expect(text).toContain(key);
    const back = await keras.loadModel(artifacts);
    expect(await predictions(back)).toEqual(await predictions(model));
    expect(back.optimizer.name).toBe('Lion'); // its config's name; the class is not registered here, its rule came from the file
    expect(await nextEpoch(back)).toEqual(await nextEpoch(model));
    const logs = await back.evaluate(x, y);
    expect(Object.keys(logs).sort()).toEqual(['loss', 'sq_metric']);
    model.dispose();
    back.dispose();
  });

  it('refuses to load an unknown custom name, saying what to register', async () => {
    keras.utils.setRandomSeed(2);
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [3], activation: 'relu' })]);
    const { artifacts } = await keras.saveModel(model);
    const topology = artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } };
    topology.config.layers[0].config.activation = 'Custom>never_registered';
    await expect(keras.loadModel(artifacts)).rejects.toThrow(
      /'Custom>never_registered' is a custom activation: register it with keras\.activations\.register\('never_registered', fn\) before loading, or save the model with \{ includeExpressions: true \}/,
    );
    model.dispose();
  });

  it('refuses hostile stored expressions with the library’s errors', async () => {
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [3] })]);
    const { artifacts } = await keras.saveModel(model);
    for (const expressions of [
      { activations: { 'Custom>bad': { format: 'webgpu-keras-expression', version: 1, nodes: [['input', 'z']], outputs: [0] } } },
      { activations: { 'no spaces allowed': {} } },
      { programs: {} },
    ]) {
      artifacts.userDefinedMetadata = { webgpu_keras: { format_version: 1, expressions } };
      await expect(keras.loadModel(artifacts)).rejects.toThrow(keras.errors.ValueError);
    }
    model.dispose();
  });
});

/** Small models, data and a hook driver shared by the callback tests (CPU backend). */
import * as keras from '../../src';
import type { Callback, Logs } from '../../src/callbacks';

/** 16 samples of `y = 2a − b + 0.5`. */
export const X = Array.from({ length: 16 }, (_, i) => [((i * 7) % 16) / 8 - 1, ((i * 5) % 16) / 8 - 1]);
export const Y = X.map(([a, b]) => [2 * a - b + 0.5]);

/** A compiled one-unit Dense model with SGD at `learningRate`, on the CPU backend. */
export async function tinyModel(learningRate = 0.05): Promise<keras.Sequential> {
  await keras.setBackend('cpu');
  const model = new keras.Sequential([new keras.layers.Dense(1, { inputShape: [2] })]);
  model.compile({ optimizer: new keras.optimizers.SGD({ learningRate }), loss: 'mse' });
  return model;
}

/** The weights' values as plain arrays. */
export async function weightValues(model: keras.Sequential): Promise<number[][]> {
  const tensors = model.getWeights();
  const values = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
  for (const t of tensors) t.dispose();
  return values;
}

/**
 * Feed a copy of `logs[i]` to the epoch hooks as epoch `i`, the way `fit` does, stopping when the model
 * asks to. Returns the logs of the epochs run, as the callback left them.
 */
export async function drive(callback: Callback, model: keras.Sequential, logs: Logs[]): Promise<Logs[]> {
  callback.setModel(model);
  callback.setParams({ epochs: logs.length, steps: 1, verbose: 0, doValidation: false });
  model.stopTraining = false;
  await callback.onTrainBegin();
  const seen: Logs[] = [];
  for (let epoch = 0; epoch < logs.length && !model.stopTraining; epoch++) {
    await callback.onEpochBegin(epoch);
    seen.push({ ...logs[epoch] });
    await callback.onEpochEnd(epoch, seen[epoch]);
  }
  await callback.onTrainEnd();
  return seen;
}

/** `values` as logs under one key. */
export function series(key: string, values: number[]): Logs[] {
  return values.map((v) => ({ [key]: v }));
}

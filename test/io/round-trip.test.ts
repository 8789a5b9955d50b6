import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { StateError, ValueError } from '../../src/errors';
import { loadModel, loadWeights, saveModel } from '../../src/io';
import { Activation, Dense, Flatten, Input } from '../../src/layers';
import { Sequential } from '../../src/models/sequential';
import { setRandomSeed } from '../../src/random';
import { X, Y_SPARSE, everyLayerModel, predictFlat, weightValues } from './helpers';

let dir: string;
beforeAll(async () => {
  await setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'webgpu-keras-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function trainedModel(): Promise<Sequential> {
  setRandomSeed(11);
  const model = everyLayerModel();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(X, Y_SPARSE, { epochs: 3, batchSize: 4, verbose: 0, seed: 1 });
  return model;
}

describe('saving and loading in this library', () => {
  it('returns TF.js ModelArtifacts when no target is given', async () => {
    const model = await trainedModel();
    const { artifacts, modelArtifactsInfo } = await saveModel(model);
    expect(artifacts.format).toBe('layers-model');
    expect((artifacts.modelTopology as { class_name: string }).class_name).toBe('Sequential');
    expect(artifacts.weightSpecs!.map((s) => s.name)).toEqual(model.weights.map((v) => v.name));
    expect(artifacts.weightSpecs!.every((s) => s.dtype === 'float32' && s.group === undefined)).toBe(true);
    expect(modelArtifactsInfo.weightDataBytes).toBe(model.countParams() * 4);
  });

  it('loads back with identical predictions, weights and config', async () => {
    const model = await trainedModel();
    const { artifacts } = await saveModel(model);
    const back = await loadModel(artifacts);
    expect(await predictFlat(back)).toEqual(await predictFlat(model));
    expect(await weightValues(back)).toEqual(await weightValues(model));
    expect(back.getConfig()).toEqual(model.getConfig());
  });

  it('writes model.json and a weights file named by its content into a new folder and loads them back', async () => {
    const model = await trainedModel();
    const target = join(dir, 'nested', 'model-a');
    const result = await saveModel(model, `file://${target}`);
    const files = (await readdir(target)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('model.json');
    expect(files[1]).toMatch(/^weights\.[0-9a-f]{16}\.bin$/);
    expect(result.paths).toEqual([join(target, files[1]), join(target, 'model.json')]);
    const json = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    expect(json.weightsManifest).toEqual([{ paths: [files[1]], weights: result.artifacts.weightSpecs }]);
    expect((await readFile(join(target, files[1]))).byteLength).toBe(model.countParams() * 4);
    const expected = await predictFlat(model);
    expect(await predictFlat(await loadModel(target))).toEqual(expected);
    expect(await predictFlat(await loadModel(join(target, 'model.json')))).toEqual(expected);
  });

  it('saves and loads a model without weights', async () => {
    const model = new Sequential([new Flatten({ inputShape: [2, 3] })]);
    const target = join(dir, 'flatten-only');
    const { artifacts } = await saveModel(model, target);
    expect(artifacts.weightSpecs).toEqual([]);
    const weightsFile = JSON.parse(await readFile(join(target, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
    expect((await readFile(join(target, weightsFile))).byteLength).toBe(0);
    const back = await loadModel(target);
    const x = [[[1, 2, 3], [4, 5, 6]]];
    const out = await back.predict(x);
    expect(Array.from(await out.data())).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps activations TF.js lacks under this library names and loads them back', async () => {
    const model = new Sequential([
      new Input({ shape: [3] }),
      new Dense(4, { activation: { name: 'leaky_relu', negativeSlope: 0.1 } }),
      new Dense(4, { activation: 'hardsigmoid' }),
      new Dense(4, { activation: 'gelu' }),
      new Dense(4, { activation: { name: 'gelu', approximate: true } }),
      new Activation({ name: 'elu', alpha: 0.5 }),
      new Dense(2, { activation: 'silu' }),
    ]);
    const { artifacts } = await saveModel(model);
    const layers = (artifacts.modelTopology as { config: { layers: { config: { activation?: unknown } }[] } }).config.layers;
    expect(layers.slice(1).map((l) => l.config.activation)).toEqual([
      { class_name: 'leaky_relu', config: { negative_slope: 0.1 } },
      'hardsigmoid',
      'gelu',
      'gelu_new',
      { class_name: 'elu', config: { alpha: 0.5 } },
      'swish',
    ]);
    const back = await loadModel(artifacts);
    expect(await predictFlat(back)).toEqual(await predictFlat(model));
    expect(back.getConfig()).toEqual(model.getConfig());
  });

  it('saves weights only, and loadWeights fills a model whose layers are named differently', async () => {
    const model = await trainedModel();
    const target = join(dir, 'weights-only');
    const { artifacts } = await saveModel(model, target, { weightsOnly: true });
    expect(artifacts.modelTopology).toBeUndefined();
    await expect(loadModel(target)).rejects.toThrow(/loadWeights\(model, source\)/);
    const other = everyLayerModel();
    expect(other.weights[0].name).not.toBe(model.weights[0].name);
    await loadWeights(other, target);
    expect(await predictFlat(other)).toEqual(await predictFlat(model));
  });

  it('refuses includeOptimizer for a model that was never compiled', async () => {
    await expect(saveModel(everyLayerModel(), undefined, { includeOptimizer: true })).rejects.toThrow(StateError);
  });

  it('refuses two layers with one name, since weights are stored under layer names', async () => {
    const model = new Sequential([new Dense(2, { inputShape: [2], name: 'twin' }), new Dense(2, { name: 'twin' })]);
    await expect(saveModel(model)).rejects.toThrow(/unique layer names/);
  });

  it('refuses http(s) as a save target and a non-model as the model', async () => {
    await expect(saveModel(everyLayerModel(), 'https://example.com/model')).rejects.toThrow(/can only be loaded from/);
    await expect(saveModel({} as Sequential)).rejects.toThrow(ValueError);
  });
});

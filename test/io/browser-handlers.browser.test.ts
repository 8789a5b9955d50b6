/**
 * The browser-only targets, in Chromium: `indexeddb://` shares TF.js's store both ways, `downloads://`
 * produces `name.json` + `name.weights.bin` that load back, and a relative URL loads over http.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { loadModel, saveModel, type ModelArtifacts } from '../../src/io';
import { setRandomSeed } from '../../src/random';
import { X, everyLayerModel, expectClose, predictFlat } from './helpers';

beforeAll(async () => {
  await setBackend('cpu');
  await tf.setBackend('cpu');
});
afterEach(() => {
  vi.restoreAllMocks();
});

function tfPredict(model: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor(X)) as tf.Tensor).dataSync()));
}

describe('browser targets', () => {
  it('saves to indexeddb:// where TF.js finds it, and loads what TF.js stored there', async () => {
    setRandomSeed(5);
    const model = everyLayerModel();
    await saveModel(model, 'indexeddb://webgpu-keras-test');
    const inTfjs = await tf.loadLayersModel('indexeddb://webgpu-keras-test');
    expectClose(tfPredict(inTfjs), await predictFlat(model), 1e-5);
    expect(Object.keys(await tf.io.listModels())).toContain('indexeddb://webgpu-keras-test');

    const theirs = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [3], activation: 'tanh' })] });
    await theirs.save('indexeddb://from-tfjs');
    expectClose(await predictFlat(await loadModel('indexeddb://from-tfjs')), tfPredict(theirs), 1e-5);
    await expect(loadModel('indexeddb://never-saved')).rejects.toThrow(/nothing stored under that name/);
  });

  it('downloads name.json and name.weights.bin, which load back over http', async () => {
    const clicked: { name: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ name: this.download, href: this.href });
    });
    const model = everyLayerModel();
    await saveModel(model, 'downloads://my-model');
    expect(clicked.map((c) => c.name)).toEqual(['my-model.json', 'my-model.weights.bin']);
    const files = new Map(await Promise.all(clicked.map(async (c) => [c.name, await (await fetch(c.href)).arrayBuffer()] as const)));
    const json = JSON.parse(new TextDecoder().decode(files.get('my-model.json')));
    expect(json.weightsManifest[0].paths).toEqual(['./my-model.weights.bin']);
    const fetchFunc = async (url: string) => new Response(files.get(url.slice(url.lastIndexOf('/') + 1)) ?? null, { status: files.has(url.slice(url.lastIndexOf('/') + 1)) ? 200 : 404 });
    const back = await loadModel('models/my-model.json', { fetchFunc });
    expect(await predictFlat(back)).toEqual(await predictFlat(model));
  });

  it('refuses a file path in the browser, pointing at browser targets', async () => {
    await expect(saveModel(everyLayerModel(), 'file:///tmp/model')).rejects.toThrow(/downloads:\/\/name/);
    const artifacts: ModelArtifacts = (await saveModel(everyLayerModel())).artifacts;
    expect(artifacts.format).toBe('layers-model');
  });
});

/**
 * Malformed, truncated and hostile input: each fails with a clear error, and nothing changes (no model
 * is half-built, no tensors leak, an existing model keeps its weights, no file outside the model's folder
 * is read and no request leaves it).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { ShapeError, ValueError } from '../../src/errors';
import { loadModel, loadWeights, saveModel, type ModelArtifacts, type WeightsManifestEntry } from '../../src/io';
import { Dense } from '../../src/layers';
import { Sequential } from '../../src/models/sequential';
import { memory } from '../../src/tensor/memory';
import { weightValues } from './helpers';

let dir: string;
let good: ModelArtifacts;

beforeAll(async () => {
  await setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'webgpu-keras-hostile-'));
  const model = new Sequential([new Dense(4, { inputShape: [3], name: 'd1', activation: 'relu' }), new Dense(2, { name: 'd2' })]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit([[1, 2, 3], [3, 2, 1]], [[1, 0], [0, 1]], { epochs: 1, verbose: 0 });
  good = (await saveModel(model, undefined, { includeOptimizer: true })).artifacts;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A deep copy of the good artifacts with some fields replaced. */
function variant(edit: (a: ModelArtifacts & { weightSpecs: WeightsManifestEntry[] }) => void): ModelArtifacts {
  const copy = JSON.parse(JSON.stringify({ ...good, weightData: undefined }));
  copy.weightData = (good.weightData as ArrayBuffer).slice(0);
  edit(copy);
  return copy;
}

/** Expect a load to fail with `pattern` and to leave no tensors behind. */
async function expectRejected(source: Parameters<typeof loadModel>[0], pattern: RegExp, options = {}): Promise<void> {
  const before = memory().numTensors;
  await expect(loadModel(source, options)).rejects.toThrow(pattern);
  expect(memory().numTensors).toBe(before);
}

/** A folder with a model.json (text or object) and optionally a weights file. */
async function folder(name: string, json: unknown, weights?: ArrayBuffer): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  await writeFile(join(path, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  if (weights) await writeFile(join(path, 'weights.bin'), new Uint8Array(weights));
  return path;
}

function modelJSON(paths: string[], specs = good.weightSpecs!): Record<string, unknown> {
  const { weightData: _, weightSpecs: __, ...rest } = good;
  return { ...rest, weightsManifest: [{ paths, weights: specs }] };
}

describe('files that are broken', () => {
  it('rejects model.json that is not JSON', async () => {
    await expectRejected(await folder('not-json', '{"modelTopology": '), /expected JSON text/);
  });

  it('rejects a weightsManifest of the wrong shape', async () => {
    await expectRejected(await folder('bad-manifest', { modelTopology: good.modelTopology, weightsManifest: { paths: 'x' } }), /weightsManifest/);
  });

  it('rejects a missing weights file', async () => {
    await expectRejected(await folder('no-weights', modelJSON(['weights.bin'])), /readable file/);
  });

  it('rejects a truncated weights file, and one with extra bytes', async () => {
    const data = good.weightData as ArrayBuffer;
    await expectRejected(await folder('short', modelJSON(['weights.bin']), data.slice(0, data.byteLength - 3)), /truncated/);
    await expectRejected(await folder('long', modelJSON(['weights.bin']), new Uint8Array([...new Uint8Array(data), 0, 0, 0, 0]).buffer), /more than its manifest/);
  });

  it('rejects a path that is not a model', async () => {
    await expectRejected(join(dir, 'does-not-exist'), /not found/);
  });
});

describe('weight paths that leave the model folder', () => {
  const HOSTILE = ['../../etc/passwd', '../secret.bin', 'sub/../../secret.bin', '/etc/passwd', 'file:///etc/passwd', 'C:/secret.bin', '..\\secret.bin', '%2e%2e/secret.bin', 'http://evil.test/w.bin', '//evil.test/w.bin', ''];

  it.each(HOSTILE)('refuses %j from a folder, before reading anything', async (path) => {
    await writeFile(join(dir, 'secret.bin'), new Uint8Array(good.weightData as ArrayBuffer));
    await expectRejected(await folder(`escape-${HOSTILE.indexOf(path)}`, modelJSON([path])), /weights path/);
  });

  it.each(HOSTILE)('refuses %j over http, fetching nothing but model.json', async (path) => {
    const fetched: string[] = [];
    const fetchFunc = async (url: string) => {
      fetched.push(url);
      return new Response(JSON.stringify(modelJSON([path])));
    };
    await expectRejected('https://models.test/m/model.json', /weights path/, { fetchFunc });
    expect(fetched).toEqual(['https://models.test/m/model.json']);
  });
});

describe('contents that do not fit', () => {
  it('rejects an unknown layer class and a non-Sequential model', async () => {
    await expectRejected(variant((a) => ((a.modelTopology as any).config.layers[1].class_name = 'Conv2D')), /one of InputLayer, Dense/);
    await expectRejected(variant((a) => ((a.modelTopology as any).class_name = 'Functional')), /only Sequential/);
  });

  it('rejects an InputLayer after the first layer, freeing the layers already built', async () => {
    const input = { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], name: 'late_input' } };
    await expectRejected(variant((a) => (a.modelTopology as any).config.layers.push(input)), /Input only as the first layer/);
  });

  it('rejects a bad layer config, naming the layer', async () => {
    await expectRejected(variant((a) => ((a.modelTopology as any).config.layers[1].config.units = 'many')), /layers\[1\] \(Dense 'd2'\).*units/s);
    await expectRejected(variant((a) => ((a.modelTopology as any).config.layers[0].config.batch_input_shape = [null, null])), /input shape/);
  });

  it('rejects weights whose shapes do not match the layers', async () => {
    await expectRejected(variant((a) => (a.weightSpecs[0].shape = [4, 3])), ShapeError as never);
  });

  it('rejects wrong dtypes and quantized weights', async () => {
    await expectRejected(variant((a) => (a.weightSpecs[0].dtype = 'int32')), /expected float32/);
    await expectRejected(variant((a) => ((a.weightSpecs[0] as any).dtype = 'float64')), /dtype of weight 'd1\/kernel'/);
    await expectRejected(variant((a) => (a.weightSpecs[0].quantization = { dtype: 'uint8', scale: 1, min: 0 })), /quantization/);
  });

  it('rejects missing, extra, duplicated and malformed weight specs', async () => {
    const drop = (a: ModelArtifacts & { weightSpecs: WeightsManifestEntry[] }) => {
      a.weightSpecs.splice(1, 1);
      a.weightData = (a.weightData as ArrayBuffer).slice(0, (a.weightData as ArrayBuffer).byteLength - 16);
    };
    await expectRejected(variant(drop), /missing d1\/bias/);
    await expectRejected(variant((a) => (a.weightSpecs[1].name = 'd1/kernel')), /unique weight names/);
    await expectRejected(variant((a) => (a.weightSpecs[1].name = 'd9/bias')), /no target for d9\/bias/);
    await expectRejected(variant((a) => (a.weightSpecs[0].shape = [-3, 4])), /non-negative integers/);
    await expectRejected(variant((a) => (a.weightSpecs[0].shape = [1e9, 1e9])), /fits in memory/);
    await expectRejected(variant((a) => (a.weightSpecs[0].shape = [1e5, 1e5])), /expected 4000\d+ bytes/);
    await expectRejected(variant((a) => delete a.weightData), /weightSpecs and weightData together/);
  });

  it('rejects optimizer state that does not fit the optimizer', async () => {
    await expectRejected(
      variant((a) => {
        const last = a.weightSpecs.length - 1;
        a.weightSpecs.splice(last, 1);
        a.weightData = (a.weightData as ArrayBuffer).slice(0, (a.weightData as ArrayBuffer).byteLength - 8);
      }),
      /slot tensors/,
    );
  });

  it('rejects things that are not artifacts at all', async () => {
    await expectRejected(42 as never, ValueError as never);
    await expectRejected({ modelTopology: 'nope' } as never, /modelTopology/);
    await expectRejected({ weightsManifest: [] } as never, /contents of a model.json/);
    await expectRejected('ftp://models.test/model.json', /expected a path or a URL/);
  });

  it('leaves an existing model unchanged when loadWeights fails on its last weight', async () => {
    const model = new Sequential([new Dense(4, { inputShape: [3], name: 'd1', activation: 'relu' }), new Dense(2, { name: 'd2' })]);
    const before = await weightValues(model);
    await expect(loadWeights(model, variant((a) => (a.weightSpecs[3].shape = [1, 2])))).rejects.toThrow(ShapeError);
    expect(await weightValues(model)).toEqual(before);
  });
});

/**
 * Hostile model folders (Node): links leading out of the folder, files that are not regular files (a
 * FIFO must not hang the load, a device must not be read), sizes that do not fit (refused before any
 * layer is built or any weight byte read), one file named many times, and JSON that is deep, sparse or
 * not plain. Each gets a library error, promptly, and leaves no tensor behind.
 */
import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as keras from '../../src';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend';
import { loadModel, saveModel, type ModelArtifacts } from '../../src/io';

const { ValueError } = keras.errors;
let dir: string;
let good: ModelArtifacts;
let n = 0;

beforeAll(async () => {
  await keras.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'webgpu-keras-hostile-folders-'));
  const model = new keras.Sequential([new keras.layers.Dense(4, { inputShape: [3], name: 'd1', activation: 'relu' }), new keras.layers.Dense(2, { name: 'd2' })]);
  good = (await saveModel(model)).artifacts;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The model.json of the good model with its weights at `paths` and (optionally) another topology. */
function modelJSON(paths: string[], topology: unknown = good.modelTopology, specs = good.weightSpecs): Record<string, unknown> {
  return { modelTopology: topology, format: 'layers-model', weightsManifest: [{ paths, weights: specs }] };
}

/** A new folder holding `json` as model.json; returns its path. */
async function folderWith(json: unknown): Promise<string> {
  const path = join(dir, `case-${n++}`);
  await mkdir(path, { recursive: true });
  await writeFile(join(path, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

const weightBytes = () => new Uint8Array(good.weightData as ArrayBuffer);

/** Expect a load to fail with a ValueError matching `pattern`, leaving no tensor behind. */
async function expectRefused(source: string | ModelArtifacts, pattern: RegExp): Promise<void> {
  const before = keras.memory().numTensors;
  const error = await loadModel(source).then(() => null, (e: unknown) => e);
  expect(error, 'the load succeeded').toBeInstanceOf(ValueError);
  expect((error as Error).message).toMatch(pattern);
  expect(keras.memory().numTensors).toBe(before);
}

describe('links that lead out of the model folder', () => {
  it('refuses a weights file that is a symbolic link to a file outside', async () => {
    await writeFile(join(dir, 'outside.bin'), weightBytes());
    const folder = await folderWith(modelJSON(['weights.bin']));
    await symlink(join(dir, 'outside.bin'), join(folder, 'weights.bin'));
    await expectRefused(folder, /Invalid weights path for loadModel: expected a file inside '.*'\. Received: 'weights\.bin' \(a link to '.*outside\.bin'\)/);
  });

  it('refuses a weights file in a sub-folder that is a link to a folder outside', async () => {
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere, { recursive: true });
    await writeFile(join(elsewhere, 'weights.bin'), weightBytes());
    const folder = await folderWith(modelJSON(['sub/weights.bin']));
    await symlink(elsewhere, join(folder, 'sub'));
    await expectRefused(folder, /expected a file inside .*Received: 'sub\/weights\.bin' \(a link to/);
  });

  it('refuses a model.json that is a link to a file outside', async () => {
    await writeFile(join(dir, 'outside.json'), JSON.stringify(modelJSON(['weights.bin'])));
    const folder = join(dir, `case-${n++}`);
    await mkdir(folder);
    await symlink(join(dir, 'outside.json'), join(folder, 'model.json'));
    await expectRefused(folder, /Invalid model\.json for loadModel: expected a file inside/);
  });

  it('still loads a folder reached through a link, and links that stay inside it', async () => {
    const folder = await folderWith(modelJSON(['data/w.bin']));
    await mkdir(join(folder, 'real'));
    await writeFile(join(folder, 'real', 'w.bin'), weightBytes());
    await symlink(join(folder, 'real'), join(folder, 'data'));
    await symlink(folder, join(dir, `link-${n}`));
    expect((await loadModel(join(dir, `link-${n}`))).countParams()).toBe(26);
  });
});

describe('files that are not regular files', () => {
  it('refuses a FIFO as the weights file at once, without waiting for a writer', async () => {
    const folder = await folderWith(modelJSON(['weights.bin']));
    execFileSync('mkfifo', [join(folder, 'weights.bin')]);
    await expectRefused(folder, /Invalid weights path for loadModel: expected a regular file\. Received: 'weights\.bin' \(a FIFO \(named pipe\)\)/);
  }, 5_000);

  it('refuses four FIFOs at once (they would block every thread of libuv)', async () => {
    const folders = await Promise.all([0, 1, 2, 3].map(async () => {
      const folder = await folderWith(modelJSON(['weights.bin']));
      execFileSync('mkfifo', [join(folder, 'weights.bin')]);
      return folder;
    }));
    await Promise.all(folders.map((f) => expectRefused(f, /a FIFO/)));
  }, 5_000);

  it('refuses a FIFO as model.json', async () => {
    const folder = join(dir, `case-${n++}`);
    await mkdir(folder);
    execFileSync('mkfifo', [join(folder, 'model.json')]);
    await expectRefused(folder, /Invalid model\.json for loadModel: expected a regular file\. Received: .* \(a FIFO/);
  }, 5_000);

  it('refuses /dev/zero as the model path, and a weights link to it, without reading', async () => {
    await expectRefused('/dev/zero', /Invalid path for loadModel: expected a folder with model\.json, or a model\.json file\. Received: '\/dev\/zero' \(a device\)/);
    const folder = await folderWith(modelJSON(['weights.bin']));
    await symlink('/dev/zero', join(folder, 'weights.bin'));
    await expectRefused(folder, /a link to '\/dev\/zero'/);
  }, 5_000);

  it('refuses a folder named as a weights file', async () => {
    const folder = await folderWith(modelJSON(['weights.bin']));
    await mkdir(join(folder, 'weights.bin'));
    await expectRefused(folder, /expected a regular file\. Received: 'weights\.bin' \(a folder\)/);
  });
});

describe('declared sizes are checked before anything is allocated or read', () => {
  /** A topology like the good one with one layer config changed. */
  function topologyWith(edit: (layers: Record<string, Record<string, unknown>>[]) => void): unknown {
    const t = JSON.parse(JSON.stringify(good.modelTopology));
    edit(t.config.layers);
    return t;
  }

  it('refuses units: 1e6 that the weights do not have, before building a layer', async () => {
    const upload = vi.spyOn(CpuBackend.prototype, 'upload');
    const alloc = vi.spyOn(CpuBackend.prototype, 'alloc');
    const folder = await folderWith(modelJSON(['weights.bin'], topologyWith((l) => (l[0].config.units = 1e6))));
    await writeFile(join(folder, 'weights.bin'), weightBytes());
    await expectRefused(folder, /Invalid shape of weight 'd1\/kernel' for loadModel: expected \[3,1000000\] \(d1\/kernel\)\. Received: \[3,4\]/);
    expect(upload).not.toHaveBeenCalled();
    expect(alloc).not.toHaveBeenCalled();
  });

  it('refuses an input of 10⁸ features with a library error, not a RangeError', async () => {
    const upload = vi.spyOn(CpuBackend.prototype, 'upload');
    const folder = await folderWith(modelJSON(['weights.bin'], topologyWith((l) => (l[0].config.batch_input_shape = [null, 1e8]))));
    await writeFile(join(folder, 'weights.bin'), weightBytes());
    await expectRefused(folder, /Invalid shape of weight 'd1\/kernel' .*expected \[100000000,4\]/);
    expect(upload).not.toHaveBeenCalled();
  });

  it('refuses in-memory artifacts whose topology does not fit their weights, before building', async () => {
    const upload = vi.spyOn(CpuBackend.prototype, 'upload');
    await expectRefused({ ...good, modelTopology: topologyWith((l) => (l[1].config.units = 5e6)) } as ModelArtifacts, /d2\/kernel.*expected \[4,5000000\]/);
    expect(upload).not.toHaveBeenCalled();
  });

  it('refuses a manifest that names one weights file many times, before reading it', async () => {
    const folder = await folderWith(modelJSON(Array<string>(200).fill('weights.bin')));
    await writeFile(join(folder, 'weights.bin'), weightBytes());
    await expectRefused(folder, /expected each weights file named once in the manifest\. Received: 'weights\.bin' \(the same file as 'weights\.bin'\)/);
  });

  it('refuses one file under two names (a hard link)', async () => {
    const half = (good.weightData as ArrayBuffer).byteLength / 2;
    const folder = await folderWith(modelJSON(['a.bin', 'b.bin']));
    await writeFile(join(folder, 'a.bin'), weightBytes().slice(0, half));
    await link(join(folder, 'a.bin'), join(folder, 'b.bin'));
    await expectRefused(folder, /'b\.bin' \(the same file as 'a\.bin'\)/);
  });

  it('compares the files’ sizes with the manifest before reading them', async () => {
    const folder = await folderWith(modelJSON(['weights.bin']));
    await writeFile(join(folder, 'weights.bin'), new Uint8Array(weightBytes().length + 4096));
    await expectRefused(folder, /expected \d+ bytes for 4 weights\. Received: \d+ bytes\.\nhint: the weights file holds more than its manifest describes/);
  });
});

describe('JSON that is not plain', () => {
  it('refuses units nested 5,000 deep, in a file and in memory', async () => {
    let deep: unknown = 4;
    for (let i = 0; i < 5000; i++) deep = [deep];
    const topology = JSON.parse(JSON.stringify(good.modelTopology));
    topology.config.layers[0].config.units = 'DEEP';
    // Written out by hand: JSON.stringify itself cannot nest 5,000 deep.
    const text = JSON.stringify(modelJSON(['weights.bin'], topology)).replace('"DEEP"', `${'['.repeat(5000)}4${']'.repeat(5000)}`);
    const folder = await folderWith(text);
    await writeFile(join(folder, 'weights.bin'), weightBytes());
    topology.config.layers[0].config.units = deep;
    await expectRefused(folder, /expected JSON nested at most 64 deep/);
    await expectRefused({ ...good, modelTopology: topology } as ModelArtifacts, /expected JSON nested at most 64 deep/);
  });

  it('refuses a sparse layers array', async () => {
    const topology = JSON.parse(JSON.stringify(good.modelTopology));
    topology.config.layers.length = 5; // holes at 2, 3, 4
    await expectRefused({ ...good, modelTopology: topology } as ModelArtifacts, /Invalid modelTopology\.config\.layers\[4\] for loadModel: expected a dense array \(no holes\)/);
  });

  it('refuses null-prototype objects', async () => {
    const topology = JSON.parse(JSON.stringify(good.modelTopology));
    topology.config.layers[0].config = Object.assign(Object.create(null), topology.config.layers[0].config);
    await expectRefused({ ...good, modelTopology: topology } as ModelArtifacts, /config\.layers\[0\]\.config for loadModel: expected a plain JSON object\. Received: an object with a null prototype/);
  });
});

describe("a layer named ''", () => {
  it('is accepted as Keras accepts it, and saves and loads', async () => {
    const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [3], name: '' })]);
    const folder = join(dir, `case-${n++}`);
    await model.save(folder);
    const back = await loadModel(folder);
    expect(back.layers[0].name).toBe('');
    const [a, b] = [await model.predict([[1, 2, 3]]), await back.predict([[1, 2, 3]])];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
  });
});

/**
 * Saving over a model folder is atomic: a child process saving model B over model A is killed right
 * after each file-system step of the save in turn (fs-patch.mjs counts them), and each time the folder
 * then loads as exactly A or exactly B, never a mix. A save that fails (a file in the way, a file size
 * limit, a full disk, a folder that cannot be written) throws an IOError naming the path and the cause,
 * leaves no temporary behind, and A still loads. TF.js's own loader reads the saved folder.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { seededModel } from './fixtures/seeded-model';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const X = Array.from({ length: 4 }, (_, i) => Array.from({ length: 16 }, (_, j) => Math.sin(i * 16 + j)));
let dir: string;
let bundle: string;
let folderA: string;
const predictions: Record<'A' | 'B', number[]> = { A: [], B: [] };

interface ChildResult {
  signal: NodeJS.Signals | null;
  lines: Record<string, unknown>[];
}

/** Run the save child: save the model of `seed` to `folder`, with `patch` (see fs-patch.mjs); `shell` prefixes it (ulimit). */
function runChild(folder: string, seed: number, patch: string, shell = ''): Promise<ChildResult> {
  const command = `${shell}exec "${process.execPath}" "${join(FIXTURES, 'fs-patch.mjs')}" "${bundle}" "${folder}" ${seed}`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { env: { ...process.env, FS_PATCH: patch }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`save child exited with ${code}: ${err}`));
      else resolve({ signal, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l)) });
    });
  });
}

async function predict(model: keras.Sequential): Promise<number[]> {
  const out = await model.predict(X);
  const values = Array.from(await out.data());
  out.dispose();
  return values;
}

/** A copy of the folder holding model A. */
async function copyOfA(name: string): Promise<string> {
  const target = join(dir, name);
  await cp(folderA, target, { recursive: true });
  return target;
}

/** Which model a folder loads as: 'A', 'B', or a description of something else. */
async function loadsAs(folder: string): Promise<string> {
  const values = await predict(await keras.loadModel(folder));
  for (const name of ['A', 'B'] as const) if (values.every((v, i) => v === predictions[name][i])) return name;
  return `neither A nor B: ${values.slice(0, 3).join(', ')}…`;
}

beforeAll(async () => {
  await keras.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'webgpu-keras-atomic-'));
  bundle = join(dir, 'save-child.mjs');
  // Vite's `?raw` imports (the WGSL shaders) as text, so the bundle builds as vite does.
  const raw = {
    name: 'raw',
    setup(b: import('esbuild').PluginBuild) {
      b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: join(args.resolveDir, args.path.slice(0, -4)), namespace: 'raw' }));
      b.onLoad({ filter: /.*/, namespace: 'raw' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
    },
  };
  await build({
    entryPoints: [join(FIXTURES, 'save-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle,
    logLevel: 'silent', external: ['webgpu', '@resvg/resvg-js', 'sharp'], plugins: [raw],
  });
  folderA = join(dir, 'model-a');
  await seededModel(1).save(folderA);
  predictions.A = await predict(seededModel(1));
  predictions.B = await predict(seededModel(2));
  expect(predictions.A).not.toEqual(predictions.B);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a save killed at any step', () => {
  it('leaves the old model or the new one, never a mix', async () => {
    const counted = await runChild(await copyOfA('count'), 2, 'count');
    const steps = (counted.lines.find((l) => 'mutations' in l) as { mutations: number }).mutations;
    expect(steps).toBeGreaterThanOrEqual(4);
    const states: string[] = [];
    for (let k = 1; k <= steps; k++) {
      const folder = await copyOfA(`kill-${k}`);
      const { signal } = await runChild(folder, 2, `kill:${k}`);
      expect(signal, `killed after step ${k}`).toBe('SIGKILL');
      states.push(await loadsAs(folder));
    }
    expect(states.every((s) => s === 'A' || s === 'B'), states.join(' / ')).toBe(true);
    // The switch happens once: A until model.json is replaced, B from then on.
    expect(states.join('')).toMatch(/^A+B+$/);
  }, 120_000);

  it('an uninterrupted save leaves model.json and one weights file, which TF.js loads', async () => {
    const folder = await copyOfA('complete');
    expect((await runChild(folder, 2, 'count')).lines[0]).toEqual({ ok: true });
    const files = (await readdir(folder)).sort();
    expect(files).toHaveLength(2);
    expect(files[1]).toMatch(/^weights\.[0-9a-f]{16}\.bin$/);
    expect(await loadsAs(folder)).toBe('B');
    // TF.js's http loader follows the manifest's path to the content-named file.
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const fetchFunc = async (url: URL | RequestInfo) => new Response(await readFile(join(folder, new URL(String(url)).pathname.slice(1))));
    const model = await tf.loadLayersModel('http://models.test/model.json', { fetchFunc });
    const out = model.predict(tf.tensor(X)) as import('@tensorflow/tfjs').Tensor;
    const values = Array.from(await out.data());
    values.forEach((v, i) => expect(Math.abs(v - predictions.B[i])).toBeLessThanOrEqual(1e-6));
  }, 60_000);
});

describe('a save that fails', () => {
  /** The failure reported by a child, checked: an IOError naming `folder` and `code`, no temporaries, A intact. */
  async function expectFailedCleanly(folder: string, result: ChildResult, code: string): Promise<void> {
    const line = result.lines[0] as { ok: boolean; name: string; message: string; cause: string };
    expect(line.ok).toBe(false);
    expect(line.name).toBe('IOError');
    expect(line.message).toMatch(new RegExp(`^Invalid target for saveModel: expected a folder the model can be written to\\. Received: '${folder}' \\(${code}: `));
    expect(line.cause).toBe(code);
    expect((await readdir(folder)).sort()).toEqual((await readdir(folderA)).sort());
    expect(await loadsAs(folder)).toBe('A');
  }

  it('over the file size limit (ulimit -f): EFBIG', async () => {
    const folder = await copyOfA('efbig');
    // 4 blocks of 512 bytes; the weights are 4.3 KB. XFSZ ignored, so the write fails instead of the process.
    const result = await runChild(folder, 2, 'count', "trap '' XFSZ; ulimit -f 4; ");
    await expectFailedCleanly(folder, result, 'EFBIG');
  }, 30_000);

  it('on a full disk (ENOSPC injected into the write)', async () => {
    const folder = await copyOfA('enospc');
    await expectFailedCleanly(folder, await runChild(folder, 2, 'fail:write:ENOSPC'), 'ENOSPC');
  }, 30_000);

  it('when the rename is refused (EACCES injected)', async () => {
    const folder = await copyOfA('eacces');
    await expectFailedCleanly(folder, await runChild(folder, 2, 'fail:rename:EACCES'), 'EACCES');
  }, 30_000);

  it('into a folder that cannot be written: immutable (chattr +i), which stops root too', async () => {
    const folder = await copyOfA('immutable');
    const chattr = (flag: string) => new Promise<number>((resolve) => spawn('chattr', [flag, folder]).on('close', (c) => resolve(c ?? 1)).on('error', () => resolve(1)));
    const immutable = (await chattr('+i')) === 0;
    try {
      // Where the file system has no immutable flag (overlay file systems), the refusal is injected instead.
      const result = immutable ? await runChild(folder, 2, 'count') : await runChild(folder, 2, 'fail:open:EPERM');
      await expectFailedCleanly(folder, result, 'EPERM');
    } finally {
      if (immutable) await chattr('-i');
    }
  }, 30_000);

  it('onto an existing file: EEXIST', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const error = await seededModel(2).save(file).catch((e: Error) => e);
    expect(error).toBeInstanceOf(keras.errors.IOError);
    expect((error as Error).message).toMatch(/Received: '.*a-file' \(EEXIST: .*\nhint: a file of that name is in the way/s);
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('EEXIST');
    expect(await readFile(file, 'utf8')).toBe('not a folder');
  });
});

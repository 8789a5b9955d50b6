/**
 * The built package, installed where the optional `webgpu` package is absent: importing never fails and
 * never touches `navigator`, `auto` falls back to the CPU saying why in one line, asking for WebGPU
 * explicitly says what to install, and training works. Error class names survive the build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let dir = '';

const script = `
let touched = false;
Object.defineProperty(globalThis, 'navigator', { configurable: true, get() { touched = true; return undefined; } });
const keras = await import('./dist/webgpu-keras.js');
console.log('navigator touched at import:', touched);
console.log('auto:', await keras.setBackend('auto'));
try { await keras.setBackend('webgpu'); } catch (e) { console.log('webgpu error:', e.name, e instanceof keras.errors.BackendUnavailableError, JSON.stringify(e.message)); }
await keras.setBackend('cpu');
const model = new keras.Sequential([new keras.layers.Dense(1, { inputShape: [2] })]);
model.compile({ optimizer: 'sgd', loss: 'mse' });
const h = await model.fit([[0, 1], [1, 0]], [1, 0], { epochs: 2, verbose: 0 });
console.log('trained epochs:', h.history.loss.length, model.layers[0].className, model.layers[0].name);
try { new keras.layers.Dense(0); } catch (e) { console.log('error name:', e.name); }
`;

describe('the built package without the optional webgpu dependency', () => {
  beforeAll(async () => {
    // Outside the repository, so no node_modules above it can provide 'webgpu'.
    dir = mkdtempSync(join(tmpdir(), 'webgpu-keras-package-'));
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports, falls back to the CPU with one line, and names what to install', () => {
    const env = { ...process.env };
    delete env.LD_LIBRARY_PATH;
    delete env.VK_ICD_FILENAMES;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    const out = result.stdout + result.stderr;
    expect(result.status, out).toBe(0);
    expect(out).toContain('navigator touched at import: false');
    expect(out).toContain('auto: cpu');
    expect(out.match(/webgpu-keras: using the 'cpu' backend \(webgpu unavailable: .*'webgpu'.*\)\./g)).toHaveLength(1);
    expect(out).toMatch(/webgpu error: BackendUnavailableError true ".*hint: npm install webgpu/);
    expect(out).toContain('trained epochs: 2 Dense dense');
    expect(out).toContain('error name: ValueError');
  });
});

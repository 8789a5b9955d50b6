/**
 * The package as a new user gets it: `npm pack` (which builds through `prepare`), installed from the
 * tarball into a throw-away project without the optional `webgpu` package, then imported from ESM and
 * CommonJS, type-checked under three module resolutions, and bundled for the browser by esbuild,
 * webpack, Rollup and vite. One file, so the package is packed once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../setup/chromium';
import * as bundlers from './bundlers';
import { packAndInstall, plainEnv, root, runNode, typeCheck, type Consumer } from './consumer';

const CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
let consumer: Consumer;

beforeAll(() => {
  consumer = packAndInstall();
}, 300_000);

describe('the tarball', () => {
  it('holds the builds, one declaration file per module format, README, LICENSE and package.json only', () => {
    const files = consumer.files.map((f) => f.replace(/^package\//, '')).sort();
    expect(files.filter((f) => !f.startsWith('dist/'))).toEqual(['LICENSE', 'README.md', 'package.json']);
    expect(files).toEqual(expect.arrayContaining(['dist/browser/webgpu-keras.js', 'dist/node/webgpu-keras.js', 'dist/node/require.cjs', 'dist/webgpu-keras.d.ts', 'dist/webgpu-keras.d.cts']));
    // No source maps pointing at sources it does not ship, no tests, no WGSL beside the inlined copies.
    expect(files.filter((f) => /\.map$|\.wgsl$|test|bench|\.ts$/.test(f) && !/\.d\.c?ts$/.test(f))).toEqual([]);
  });

  it('names its licence, repository, homepage, keywords and Node version', () => {
    const pkg = JSON.parse(readFileSync(join(consumer.dir, 'node_modules/webgpu-keras/package.json'), 'utf8'));
    expect(readFileSync(join(consumer.dir, 'node_modules/webgpu-keras/LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} webgpu-keras contributors/);
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository.url).toMatch(/^git\+https:\/\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['keras', 'webgpu']));
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.sideEffects).toBe(false);
  });

  it('keeps @internal members out of the declarations and needs no other type package', () => {
    const types = readFileSync(join(consumer.dir, 'node_modules/webgpu-keras/dist/webgpu-keras.d.ts'), 'utf8');
    expect(types).not.toContain('@internal');
    expect(types).not.toMatch(/^import /m);
    expect(types).not.toContain('/// <reference');
  });
});

describe('Node', () => {
  it('imports from ESM without webgpu: falls back to wasm in one line, names what to install, trains on wasm and the CPU', () => {
    const { status, out } = runNode(['train.mjs'], consumer.dir);
    expect(status, out).toBe(0);
    expect(out).toContain('navigator touched at import: false');
    expect(out).toContain('auto: wasm');
    expect(out.match(/webgpu-keras: using the 'wasm' backend \(webgpu unavailable: .*'webgpu'.*\)\./g)).toHaveLength(1);
    expect(out).toMatch(/webgpu error: BackendUnavailableError true ".*hint: npm install webgpu/);
    expect(out).toContain('trained epochs on wasm: 2 Dense dense');
    expect(out).toContain('trained epochs on cpu: 2 Dense dense_1');
    expect(out).toContain('error name: ValueError');
  });

  it('requires from CommonJS: the same module instance as import, no warning', () => {
    const { status, out } = runNode(['train.cjs'], consumer.dir);
    expect(status, out).toBe(0);
    expect(out).toBe('require trained epochs: 2 same module as import: true\n');
  });

  it('says why require() cannot work where Node cannot require ES modules', () => {
    // Node before 20.19 fails such a require() with ERR_REQUIRE_ESM; the same error, simulated here.
    const script = `
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, parent, isMain) {
        if (request === './webgpu-keras.js') throw Object.assign(new Error('require() of ES Module'), { code: 'ERR_REQUIRE_ESM' });
        return load.call(this, request, parent, isMain);
      };
      try { require('webgpu-keras'); } catch (e) { console.log(e.message); }`;
    const { out } = runNode(['-e', script], consumer.dir);
    expect(out).toMatch(/^webgpu-keras is an ES module, and this Node \(\d+\.\d+\.\d+\) cannot require\(\) ES modules: that needs Node 20\.19\+ or 22\.12\+\.\nhint: .*import\('webgpu-keras'\)/);
  });

  // A machine with a system-wide Vulkan loader cannot run a process without one; CI has none.
  const noLoader = runNode(['-e', "try { process.dlopen({ exports: {} }, 'libvulkan.so.1') } catch (e) { console.log(e.message) }"], root).out.includes('cannot open shared object file');
  it.skipIf(!noLoader && !CI)("prints only the library's fallback line where Node has no Vulkan loader, not Dawn's warning", () => {
    // From the repository, where the optional webgpu package is installed: Dawn is there, Vulkan is not.
    const script = `const keras = await import('./dist/node/webgpu-keras.js'); await keras.setBackend('auto');`;
    const { status, out, stderr } = runNode(['--input-type=module', '-e', script], root, plainEnv());
    expect(status, out).toBe(0);
    expect(stderr).not.toMatch(/Couldn't load Vulkan|BackendVk/);
    expect(out.trim().split('\n')).toEqual([
      expect.stringMatching(/^webgpu-keras: using the 'wasm' backend \(webgpu unavailable: WebGPU is not available in Node: Dawn needs the Vulkan loader, which is not installed \(libvulkan\.so\.1: cannot open shared object file.*\)\)\.$/),
    ]);
  });
});

describe('TypeScript, strict, without skipLibCheck', () => {
  /** Lines of user-errors.mts marked `// error:`. */
  const expectedErrorLines = () =>
    readFileSync(join(consumer.dir, 'user-errors.mts'), 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.includes('// error:') ? [i + 1] : []));

  for (const resolution of ['bundler', 'node16', 'nodenext'] as const) {
    it(`compiles a user's file under moduleResolution ${resolution}, and rejects misspelt options and names`, () => {
      const files = ['user.mts', 'user-errors.mts', ...(resolution === 'bundler' ? [] : ['user.cts'])];
      const { status, errors } = typeCheck(consumer.dir, resolution, files);
      expect(status).not.toBe(0);
      // Every error is one of the marked lines of user-errors.mts, and every marked line is an error.
      const lines = errors.map((e) => /^user-errors\.mts\((\d+),/.exec(e)?.[1] ?? e);
      expect([...new Set(lines)], errors.join('\n')).toEqual(expectedErrorLines().map(String));
    }, 120_000);
  }
});

describe('bundlers, for the browser', () => {
  const bundles = new Map<string, bundlers.Bundle>();

  for (const name of ['esbuild', 'webpack', 'rollup', 'vite'] as const) {
    it(`${name} bundles an app importing the library with no warning and no Node module`, async () => {
      const bundle = await bundlers[name](consumer.dir);
      bundles.set(name, bundle);
      expect(bundle.warnings).toEqual([]);
      expect(bundle.code).not.toMatch(/["'`]node:[a-z/_]+["'`]/);
      expect(bundle.code).not.toMatch(/(?<![.\w$])process\s*\.\s*(stdout|versions|platform|dlopen)/);
      expect(bundle.code.length).toBeGreaterThan(10_000);
    }, 120_000);
  }

  it.skipIf(!existsSync(CHROMIUM) && !CI)('each bundle loads and trains in Chromium', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      for (const name of ['esbuild', 'webpack', 'rollup', 'vite'] as const) {
        const { outDir } = bundles.get(name) ?? (await bundlers[name](consumer.dir));
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        // The bundle's folder served under a made-up origin, straight from disk (no server, no network).
        await page.route('http://bundle.test/**', (route) => {
          const file = join(outDir, new URL(route.request().url()).pathname);
          return existsSync(file) ? route.fulfill({ path: file }) : route.fulfill({ status: 404 });
        });
        await page.goto('http://bundle.test/index.html');
        await page.waitForFunction(() => 'trainInBrowser' in globalThis);
        // wasm from the bundle: its lazily imported chunk and its kernels load wherever the bundler put them.
        for (const backend of ['cpu', 'wasm']) {
          const epochs = await page.evaluate((b) => (globalThis as unknown as { trainInBrowser(b: string): Promise<number> }).trainInBrowser(b), backend);
          expect({ name, backend, epochs, errors }).toEqual({ name, backend, epochs: 3, errors: [] });
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});

/**
 * A browser app's entry (fixtures/browser-entry.js, importing 'webgpu-keras' from the installed tarball)
 * bundled for the web by each bundler with its defaults for that target: no polyfills, no aliases, no
 * warnings silenced. Each resolves to the bundle's JavaScript and every warning the bundler gave.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Bundle {
  /** The output folder, with an `index.html` that loads the app. */
  outDir: string;
  /** All emitted JavaScript, concatenated. */
  code: string;
  warnings: string[];
}

export type Bundler = (dir: string) => Promise<Bundle>;

const entry = (dir: string) => join(dir, 'browser-entry.js');

/** The folder's JavaScript, after an index.html loading `main.js` was written beside it. */
function finish(outDir: string, warnings: string[]): Bundle {
  writeFileSync(join(outDir, 'index.html'), '<!doctype html><script src="main.js"></script>\n');
  const code = readdirSync(outDir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n');
  return { outDir, code, warnings };
}

export const esbuild: Bundler = async (dir) => {
  const { build } = await import('esbuild');
  const outDir = join(dir, 'out-esbuild');
  const result = await build({ entryPoints: [entry(dir)], absWorkingDir: dir, bundle: true, platform: 'browser', format: 'iife', minify: true, outfile: join(outDir, 'main.js'), logLevel: 'silent' });
  return finish(outDir, result.warnings.map((w) => w.text));
};

export const webpack: Bundler = async (dir) => {
  const { default: webpackFn } = await import('webpack');
  const outDir = join(dir, 'out-webpack');
  const compiler = webpackFn({ mode: 'production', target: 'web', context: dir, entry: entry(dir), output: { path: outDir, filename: 'main.js' } });
  const stats = await new Promise<import('webpack').Stats>((done, fail) => compiler.run((error, s) => (error || !s ? fail(error) : done(s))));
  await new Promise((done) => compiler.close(done));
  const info = stats.toJson({ all: false, warnings: true, errors: true });
  if (stats.hasErrors()) throw new Error(info.errors!.map((e) => e.message).join('\n'));
  return finish(outDir, (info.warnings ?? []).map((w) => w.message));
};

export const rollup: Bundler = async (dir) => {
  const { rollup: rollupFn } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const warnings: string[] = [];
  const bundle = await rollupFn({ input: entry(dir), plugins: [nodeResolve({ browser: true })], onwarn: (w) => void warnings.push(w.message) });
  const outDir = join(dir, 'out-rollup');
  await bundle.write({ file: join(outDir, 'main.js'), format: 'iife', inlineDynamicImports: true });
  await bundle.close();
  return finish(outDir, warnings);
};

export const vite: Bundler = async (dir) => {
  const { build, createLogger } = await import('vite');
  const warnings: string[] = [];
  const logger = createLogger('silent');
  logger.warn = (message) => void warnings.push(message);
  logger.warnOnce = (message) => void warnings.push(message);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./browser-entry.js"></script>\n');
  const outDir = join(dir, 'out-vite');
  mkdirSync(outDir, { recursive: true });
  await build({ root: dir, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir, emptyOutDir: true, rollupOptions: { onwarn: (w) => void warnings.push(w.message) } } });
  const assets = join(outDir, 'assets');
  const code = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
  return { outDir, code, warnings };
};

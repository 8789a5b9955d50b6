import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { platformPlugin } from './scripts/platform-plugin';

/**
 * The library's two builds (`npm run build` runs both, see scripts/build.mjs):
 *
 * - `vite build --mode browser` → `dist/browser/`: for bundlers and browsers (the package's `browser` and
 *   `default` export conditions); no `node:` module, no `process`, no file handler.
 * - `vite build --mode node` → `dist/node/`: for Node (`node` condition); Node built-ins stay imports.
 * - `vite-node` (examples, bench, scripts) runs the sources in Node, so it gets the Node platform.
 *
 * The `webgpu` package (Dawn's Node bindings) is loaded lazily at run time by the Node build and never
 * bundled. Readable output: applications minify when they bundle; class names stay as written.
 */
export default defineConfig(({ command, mode }) => {
  // vite-node (`npm run example`, `npm run bench`, scripts) serves the sources to Node: the Node platform.
  const target = mode === 'node' || (command === 'serve' && mode !== 'browser') ? 'node' : 'browser';
  return {
    plugins: [platformPlugin(target)],
    build: {
      lib: {
        entry: resolve(import.meta.dirname, 'src/index.ts'),
        formats: ['es'],
        fileName: 'webgpu-keras',
      },
      outDir: `dist/${target}`,
      target: 'es2022',
      // Left out: maps would point at sources the package does not ship.
      sourcemap: false,
      minify: false,
      rollupOptions: {
        external: target === 'node' ? ['webgpu', /^node:/] : [],
      },
    },
  };
});

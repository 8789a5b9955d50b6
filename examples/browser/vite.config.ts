import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { platformPlugin } from '../../scripts/platform-plugin';

/**
 * The teaching page (`npx vite examples/browser`). It imports the library from `../../src`, outside this
 * folder, so the dev server is allowed to serve the whole repository; the shaders come in through Vite's
 * `?raw` imports as they do in the library build, and the browser platform replaces the Node one.
 */
const repository = resolve(import.meta.dirname, '../..');

export default defineConfig({
  plugins: [platformPlugin('browser')],
  server: { fs: { allow: [repository] } },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
});

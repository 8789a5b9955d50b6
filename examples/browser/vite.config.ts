import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The teaching page (`npx vite examples/browser`). It imports the library from `../../src`, outside this
 * folder, so the dev server is allowed to serve the whole repository; the shaders come in through Vite's
 * `?raw` imports as they do in the library build.
 */
const repository = resolve(import.meta.dirname, '../..');

export default defineConfig({
  server: { fs: { allow: [repository] } },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
});

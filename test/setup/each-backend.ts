/**
 * Run a suite once per available backend: tests are written once. The CPU and wasm always run (wasm
 * needs only WebAssembly SIMD, which Node 20 and Chromium have: a failure to start it fails the suite);
 * WebGPU joins when an adapter exists, with the same rules as `describeGpu` (test/README.md): skipped
 * with one line saying how to enable it when there is none, failed when CI=true.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { Backend } from '../../src/backend/backend';
import { getBackendInstance, setBackend } from '../../src/backend/registry';
import { describeGpu } from './webgpu-env';

export interface BackendContext {
  name: 'cpu' | 'wasm' | 'webgpu';
  /** The started backend (valid inside tests and hooks). */
  backend: () => Backend;
}

/** `describe(title [backend])` for each backend, with `keras.setBackend(name)` done before the suite. */
export function describeEachBackend(title: string, fn: (ctx: BackendContext) => void): void {
  describe(`${title} [cpu]`, () => {
    let backend: Backend;
    beforeAll(async () => {
      await setBackend('cpu');
      backend = await getBackendInstance('cpu');
    });
    afterAll(async () => {
      await setBackend('cpu');
    });
    fn({ name: 'cpu', backend: () => backend });
  });

  describe(`${title} [wasm]`, () => {
    let backend: Backend;
    beforeAll(async () => {
      await setBackend('wasm');
      backend = await getBackendInstance('wasm');
    });
    afterAll(async () => {
      await setBackend('cpu');
    });
    fn({ name: 'wasm', backend: () => backend });
  });

  // The WebGPU backend runs on describeGpu's device, so its uncaptured-error check covers the suite.
  describeGpu(`${title} [webgpu]`, (gpu) => {
    let backend: Backend;
    beforeAll(async () => {
      await setBackend('webgpu', { device: gpu.device });
      backend = await getBackendInstance('webgpu');
    });
    afterAll(async () => {
      await setBackend('cpu');
      backend?.dispose();
    });
    fn({ name: 'webgpu', backend: () => backend });
  });
}

/**
 * Run a suite once per available backend: tests are written once. The CPU always runs; other backends
 * join when they can start here (see test/README.md for how GPU tests are enabled, skipped or failed).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { Backend } from '../../src/backend/backend';
import { getBackendInstance, setBackend } from '../../src/backend/registry';

export interface BackendContext {
  name: 'cpu' | 'webgpu';
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
}

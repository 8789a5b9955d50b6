/**
 * The platform of browsers (and workers): no file system, no standard output, WebGPU only through
 * `navigator.gpu`. It imports nothing from Node, so bundlers for the web need no polyfill and print
 * no warning.
 */
import { BackendUnavailableError, ValueError } from '../errors';
import type { Platform } from './platform';

/** True when this browser build runs in Node after all (a bundle made for the web, run by Node). */
function inNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

function noFiles(where: string): never {
  const hint = inNode()
    ? "this is webgpu-keras's browser build; Node picks the Node build by itself (the package's 'node' export condition), so bundle for Node (platform/target 'node') to read and write files."
    : "in a browser use 'downloads://name', 'indexeddb://name' or an http(s) URL.";
  throw new ValueError(`Invalid target for ${where}: expected a file path only in Node. Received: a path in a browser.\nhint: ${hint}`);
}

export const platform: Platform = {
  name: 'browser',
  isNode: () => false,
  nodeFs: async (where) => noFiles(where),
  fileHandler: () => ({
    save: async () => noFiles('saveModel'),
    load: async () => noFiles('loadModel'),
  }),
  stdout: () => null,
  loadDawn: async () => {
    throw new BackendUnavailableError(
      "WebGPU is not available here: navigator.gpu is missing, and this browser build of webgpu-keras cannot load Node's 'webgpu' package.\n" +
        "hint: use a browser with WebGPU, or run in Node, which picks the Node build by itself; or setBackend('cpu').",
    );
  },
  rasterizer: async () => null,
};

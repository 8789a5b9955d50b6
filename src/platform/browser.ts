/**
 * The platform of browsers (and workers): no file system, no standard output, WebGPU only through
 * `navigator.gpu`. It imports nothing from Node, so bundlers for the web need no polyfill and print
 * no warning.
 */
import { BackendUnavailableError, ValueError } from '../errors';
import type { Platform, PlatformWorker } from './platform';

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

/** A Web Worker on `source` (from a Blob URL, so no file or bundler support is needed); its data is the first message. */
async function startWorker(source: string, data: unknown, name: string): Promise<PlatformWorker> {
  const bootstrap = `
self.onmessage = (event) => {
  self.onmessage = null;
  start(event.data, (message) => self.postMessage(message));
};`;
  const url = URL.createObjectURL(new Blob([`'use strict';\n${source}\n${bootstrap}`], { type: 'text/javascript' }));
  const worker = new Worker(url, { name });
  URL.revokeObjectURL(url);
  worker.postMessage(data);
  return {
    listen({ message, error }) {
      const onMessage = (e: MessageEvent) => message(e.data);
      const onError = (e: ErrorEvent) => error(e.error ?? new Error(e.message || 'the worker script failed'));
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      return () => (worker.removeEventListener('message', onMessage), worker.removeEventListener('error', onError));
    },
    unref: () => {},
    terminate: () => worker.terminate(),
  };
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
  hardwareThreads: async () => (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  startWorker,
};

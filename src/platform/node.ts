/**
 * The platform of Node: files through `node:fs`, progress on `process.stdout`, WebGPU through the
 * optional npm package `webgpu` (Dawn), PNG plots through `@resvg/resvg-js` or `sharp` when installed.
 */
import { BackendUnavailableError } from '../errors';
import { fileHandler } from '../io/handlers/file';
import { isNode, nodeFs } from '../io/node-fs';
import type { DawnModule, Platform, PlatformWorker, Rasterizer } from './platform';
import { missingVulkanLoader } from './vulkan-probe';

/**
 * Imports an optional package by a name kept out of bundlers' sight, so a Node bundle of an app does not
 * try to include it (or warn that it cannot).
 */
function importOptional(name: string): Promise<Record<string, unknown>> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ name);
}

async function loadDawn(): Promise<DawnModule> {
  let dawn: DawnModule;
  try {
    dawn = (await importOptional('webgpu')) as unknown as DawnModule;
  } catch (error) {
    throw new BackendUnavailableError(
      `WebGPU is not available in Node: the optional npm package 'webgpu' (Dawn) could not be loaded ` +
        `(${(error as Error).message.split('\n')[0]}).\nhint: npm install webgpu, or setBackend('cpu').`,
    );
  }
  // Without a Vulkan loader Dawn prints a warning of its own to stderr when asked for an adapter; say
  // why once, here, and do not ask.
  const noLoader = missingVulkanLoader();
  if (noLoader) {
    throw new BackendUnavailableError(
      `WebGPU is not available in Node: Dawn needs the Vulkan loader, which is not installed (${noLoader}).\n` +
        "hint: install your GPU's Vulkan driver and loader (Debian/Ubuntu: apt-get install libvulkan1 mesa-vulkan-drivers), or setBackend('cpu').",
    );
  }
  return dawn;
}

async function rasterizer(): Promise<Rasterizer | null> {
  const load = (name: string) => importOptional(name).catch(() => null);
  const resvg = (await load('@resvg/resvg-js')) as { Resvg?: new (svg: string, options: object) => { render(): { asPng(): Uint8Array } } } | null;
  if (resvg?.Resvg) {
    const Resvg = resvg.Resvg;
    return async (svg) => new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white' }).render().asPng();
  }
  const sharp = (await load('sharp')) as { default?: unknown } | null;
  const sharpFn = (sharp?.default ?? sharp) as ((input: Uint8Array, options: object) => { png(): { toBuffer(): Promise<Uint8Array> } }) | null;
  if (typeof sharpFn === 'function') return async (svg) => sharpFn(new TextEncoder().encode(svg), { density: 144 }).png().toBuffer();
  return null;
}

async function hardwareThreads(): Promise<number> {
  const os = (await importOptional('node:os')) as unknown as typeof import('node:os');
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * A `worker_threads` worker on `source`. It inherits the process's execArgv, so under
 * `--input-type=module` the text runs as an ES module, without `require`: the bootstrap then takes
 * worker_threads from `process.getBuiltinModule`.
 */
async function startWorker(source: string, data: unknown, name: string): Promise<PlatformWorker> {
  const { Worker } = (await importOptional('node:worker_threads')) as unknown as typeof import('node:worker_threads');
  const bootstrap = `
const load = typeof require === 'function' ? require : process.getBuiltinModule;
const { parentPort, workerData } = load('node:worker_threads');
start(workerData, (message) => parentPort.postMessage(message));`;
  const worker = new Worker(`'use strict';\n${source}\n${bootstrap}`, { eval: true, workerData: data, name });
  return {
    listen({ message, error, exit }) {
      worker.on('message', message);
      worker.on('error', error);
      worker.on('exit', exit);
      // A 'message' listener refs the worker's port: only remove them to let unref() take effect.
      return () => (worker.off('message', message), worker.off('error', error), worker.off('exit', exit));
    },
    unref: () => worker.unref(),
    terminate: () => void worker.terminate(),
  };
}

export const platform: Platform = {
  name: 'node',
  isNode,
  nodeFs,
  fileHandler,
  stdout: () => {
    const out = typeof process !== 'undefined' ? process.stdout : undefined;
    if (!out || typeof out.write !== 'function') return null;
    const isTTY = Boolean(out.isTTY);
    return { write: (text) => void out.write(text), isTTY, colors: isTTY && typeof out.hasColors === 'function' && out.hasColors() };
  },
  loadDawn,
  rasterizer,
  hardwareThreads,
  startWorker,
};

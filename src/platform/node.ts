/**
 * The platform of Node: files through `node:fs`, progress on `process.stdout`, WebGPU through the
 * optional npm package `webgpu` (Dawn), PNG plots through `@resvg/resvg-js` or `sharp` when installed.
 */
import { BackendUnavailableError } from '../errors';
import { fileHandler } from '../io/handlers/file';
import { isNode, nodeFs } from '../io/node-fs';
import type { DawnModule, Platform, Rasterizer } from './platform';
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
};

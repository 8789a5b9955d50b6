/**
 * WebGPU for tests, the same way in Node (Dawn, npm `webgpu`) and in the browser project
 * (headless Chromium). The Vulkan/SwiftShader environment Dawn needs is set by
 * vitest.config.ts (`test.env` of the forked node workers), not here: see test/README.md.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** CI=true: a missing adapter fails GPU suites instead of skipping them. */
    webgpuRequired: boolean;
    /**
     * Why vitest.config.ts found no adapter for this project ('' = it found one). The config
     * has printed it already, and workers then skip loading Dawn.
     */
    webgpuUnavailable: string;
  }
}

export const GPU_TEST_TIMEOUT = 60_000;

export const isBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';

const HOW_TO_ENABLE =
  'To enable: apt-get install chromium, then run `npm test` (vitest.config.ts starts the Node workers with ' +
  'LD_LIBRARY_PATH=/usr/lib/chromium and VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).';

// Module-level on purpose: Dawn's GPU object must stay referenced while any of its devices
// is used. Once it is garbage-collected, the process segfaults or aborts.
let gpuPromise: Promise<GPU | null> | undefined;
let adapterPromise: Promise<GPUAdapter | null> | undefined;
let announced = false;

/** true when a missing adapter must fail the run (CI=true). */
export function gpuRequired(): boolean {
  return inject('webgpuRequired') === true;
}

async function loadGPU(): Promise<GPU | null> {
  if (isBrowser) return navigator.gpu ?? null;
  if (inject('webgpuUnavailable')) return null;
  // Hidden from Vite's import analysis, so the browser build never tries to bundle Dawn.
  const specifier = 'webgpu';
  let dawn: { create(flags: string[]): GPU; globals: object };
  try {
    dawn = await import(/* @vite-ignore */ specifier);
  } catch {
    return null; // optional dependency not installed
  }
  // GPUBufferUsage, GPUMapMode, GPUShaderStage, … are globals in browsers; Dawn exports them.
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  // Extra Dawn options, whitespace-separated, e.g.
  // WEBGPU_DAWN_FLAGS="enable-dawn-features=dump_shaders backend=vulkan"
  const flags = (process.env.WEBGPU_DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean);
  return dawn.create(flags);
}

/** `navigator.gpu` in the browser; Dawn's GPU object in Node (created once per worker); null if neither. */
export function getTestGPU(): Promise<GPU | null> {
  gpuPromise ??= loadGPU();
  return gpuPromise;
}

/** The adapter of getTestGPU(), requested once per test file; null if there is none. */
export function getTestAdapter(): Promise<GPUAdapter | null> {
  adapterPromise ??= getTestGPU().then((gpu) => gpu?.requestAdapter() ?? null);
  return adapterPromise;
}

export interface GpuSuiteContext {
  readonly gpu: GPU;
  readonly adapter: GPUAdapter;
  /** A fresh device for this suite, destroyed after it. Read it inside tests and hooks only. */
  readonly device: GPUDevice;
}

/**
 * `describe` for suites that need WebGPU. With an adapter: requests a device before the
 * suite (destroyed after it) and fails the test during which the device reported an
 * uncaptured error. Without one: CI=true makes every test of the suite fail; otherwise the
 * tests are reported as skipped and one line says how to enable them.
 */
export function describeGpu(
  name: string,
  fn: (ctx: GpuSuiteContext) => void,
  deviceDescriptor?: GPUDeviceDescriptor | ((adapter: GPUAdapter) => GPUDeviceDescriptor),
): void {
  describe(name, { timeout: GPU_TEST_TIMEOUT }, async () => {
    const adapter = await getTestAdapter();
    let gpu: GPU | undefined;
    let device: GPUDevice | undefined;
    const missing = (what: string) => new Error(`describeGpu(${JSON.stringify(name)}): no ${what}.`);
    const ctx: GpuSuiteContext = {
      get gpu() { if (!gpu) throw missing('GPU'); return gpu; },
      get adapter() { if (!adapter) throw missing('adapter'); return adapter; },
      get device() { if (!device) throw missing('device (read ctx.device inside a test or hook)'); return device; },
    };

    if (!adapter) {
      if (gpuRequired()) {
        // beforeEach, not beforeAll: every test of the suite is then reported as failed.
        beforeEach(() => {
          const why = inject('webgpuUnavailable') || 'requestAdapter() returned null';
          throw new Error(`CI=true requires WebGPU, but ${isBrowser ? 'the browser' : 'Node (Dawn)'} has no adapter: ${why}. ${HOW_TO_ENABLE}`);
        });
        fn(ctx);
        return;
      }
      if (!announced && !inject('webgpuUnavailable')) console.warn(`[webgpu] no WebGPU adapter, GPU suites skipped. ${HOW_TO_ENABLE} CI=true makes this an error.`);
      announced = true;
      describe.skip('(no WebGPU adapter)', () => fn(ctx));
      return;
    }

    gpu = (await getTestGPU()) ?? undefined;
    const errors: string[] = [];
    beforeAll(async () => {
      const desc = typeof deviceDescriptor === 'function' ? deviceDescriptor(adapter) : deviceDescriptor;
      const dev = await adapter.requestDevice(desc);
      dev.addEventListener('uncapturederror', (event) => {
        errors.push((event as GPUUncapturedErrorEvent).error.message);
      });
      void dev.lost.then((info) => {
        if (info.reason !== 'destroyed') errors.push(`device lost: ${info.message}`);
      });
      device = dev;
    });
    afterEach(async () => {
      if (device) await device.queue.onSubmittedWorkDone();
      if (errors.length > 0) {
        const list = errors.splice(0).join('\n---\n');
        throw new Error(`uncaptured WebGPU error(s):\n${list}`);
      }
    });
    afterAll(() => {
      device?.destroy();
      device = undefined;
    });
    fn(ctx);
  });
}

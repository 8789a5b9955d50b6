/**
 * Adapter and device acquisition, and the device's health: a lost device, an out-of-memory or a
 * validation error becomes a DeviceError that rejects the next `read`/`sync` (WebGPU reports them
 * asynchronously, so there is nothing to throw at the call that caused them).
 *
 * Nothing here runs at import time: `navigator.gpu` is read and the `webgpu` npm package (Dawn, for
 * Node) is imported only when a backend is created.
 */
import { BackendUnavailableError, DeviceError } from '../../errors';
import { platform } from '../../platform';
import type { BackendOptions } from '../registry';

/** WebGPU's flag values, spelled out so this code does not depend on the globals Dawn leaves undefined. */
export const BUFFER_USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
export const SHADER_STAGE_COMPUTE = 0x4;
export const MAP_MODE_READ = 0x1;

/** Limits requested at the adapter's real values instead of WebGPU's defaults. */
const WANTED_LIMITS = [
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
] as const;

/** What the backend needs to know about where it runs. */
export interface AcquiredDevice {
  device: GPUDevice;
  /** `vendor architecture device description`, for messages and the kernel heuristics. */
  description: string;
  /** A software adapter (SwiftShader, llvmpipe, WARP): barriers and workgroup memory are slow there. */
  isCpuAdapter: boolean;
  /** True when this module created the device (and so destroys it on dispose). */
  ownsDevice: boolean;
}

// Module-level on purpose: Dawn's GPU object must stay referenced for as long as any of its devices is
// used; once it is garbage-collected the Node process crashes.
let dawnGpu: Promise<GPU> | undefined;

/** True in Node (where WebGPU is Dawn's Node binding). */
export const isNode = platform.isNode();

/** CPU threads of this machine as the platform reports them (`navigator.hardwareConcurrency`), or null (Node 20). */
export function hardwareThreads(): number | null {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? null;
}

async function loadDawn(): Promise<GPU> {
  // The Node platform imports the optional package; the browser build has no Dawn at all.
  const dawn = await platform.loadDawn();
  // Browsers define GPUBufferUsage, GPUMapMode, … as globals; Dawn exports them. Define the missing ones.
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  return dawn.create([]);
}

async function findGpu(options: BackendOptions): Promise<GPU> {
  if (options.gpu) return options.gpu as GPU;
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (isNode) {
    dawnGpu ??= loadDawn();
    try {
      return await dawnGpu;
    } catch (error) {
      dawnGpu = undefined;
      throw error;
    }
  }
  throw new BackendUnavailableError(
    'WebGPU is not available in this browser (navigator.gpu is missing).\n' +
      'hint: use a browser with WebGPU (Chrome/Edge 113+, Safari 26, Firefox 141+) on a secure context ' +
      "(https or localhost), or setBackend('cpu').",
  );
}

/** True for software adapters, whose "GPU" is the CPU. */
export function isCpuAdapterInfo(info: Partial<GPUAdapterInfo> | undefined, isFallback: boolean): boolean {
  // Some implementations also report an adapter type ('cpu', 'integrated gpu', 'discrete gpu').
  if (isFallback || /^cpu$/i.test(String((info as { type?: unknown } | undefined)?.type ?? ''))) return true;
  const text = describeInfo(info).toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b|\bcpu\b/.test(text);
}

function describeInfo(info: Partial<GPUAdapterInfo> | undefined): string {
  if (!info) return 'unknown adapter';
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
}

/** BackendUnavailableError for a software adapter that `requireHardwareAdapter` refuses. */
function refuseSoftware(info: Partial<GPUAdapterInfo> | undefined): never {
  throw new BackendUnavailableError(
    `the only WebGPU adapter is a software renderer (${describeInfo(info)}), slower than the CPU backends; ` +
      "setBackend('webgpu') uses it anyway.",
  );
}

/**
 * The device to run on: `options.device` as given, or a new one with the adapter's real limits. With
 * `requireHardwareAdapter`, a software adapter is refused (before any device is created).
 */
export async function acquireDevice(options: BackendOptions & { requireHardwareAdapter?: boolean }): Promise<AcquiredDevice> {
  if (options.device) {
    const device = options.device as GPUDevice;
    const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    const fallback = (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? false;
    const isCpuAdapter = isCpuAdapterInfo(info, fallback);
    if (isCpuAdapter && options.requireHardwareAdapter) refuseSoftware(info);
    return { device, description: describeInfo(info), isCpuAdapter, ownsDevice: false };
  }
  const gpu = await findGpu(options);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new BackendUnavailableError(
      'WebGPU found no adapter (requestAdapter() returned null).\n' +
        'hint: in Node, Dawn needs a Vulkan driver (Linux: a GPU driver, or SwiftShader through ' +
        'VK_ICD_FILENAMES); in a browser, enable hardware acceleration or WebGPU; or setBackend(\'cpu\').',
    );
  }
  const info = adapter.info;
  const fallback =
    (info as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false;
  const isCpuAdapter = isCpuAdapterInfo(info, fallback);
  if (isCpuAdapter && options.requireHardwareAdapter) refuseSoftware(info);
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ label: 'webgpu-keras', requiredLimits });
  return { device, description: describeInfo(info), isCpuAdapter, ownsDevice: true };
}

/**
 * Collects what WebGPU reports asynchronously (device loss, uncaptured errors, error scopes) and
 * hands it to the next `read`/`sync` as a DeviceError. A lost device stays failed; other errors are
 * reported once.
 */
export class DeviceHealth {
  private failure: Error | null = null;
  private lost = false;
  private disposing = false;
  private pending: Promise<void>[] = [];

  constructor(
    device: GPUDevice,
    private readonly description: string,
    /** Called on an out-of-memory error (the backend drops its cached free buffers). */
    private readonly onOutOfMemory: () => void = () => {},
  ) {
    void device.lost.then((info) => {
      if (this.disposing) return;
      this.lost = true;
      const why = info.reason === 'destroyed' ? 'destroyed by other code' : info.message || 'no reason given';
      this.fail(new DeviceError(`The WebGPU device (${description}) was lost: ${why}.\nhint: the GPU was reset, its driver crashed or the device was destroyed; create the backend again (setBackend('webgpu')).`));
    });
    device.addEventListener('uncapturederror', (event) => this.report((event as GPUUncapturedErrorEvent).error, 'WebGPU work'));
  }

  /** The backend is destroying the device itself: that loss is no failure. */
  disposeStarted(): void {
    this.disposing = true;
  }

  /** Record a failure; the first one wins (later ones are usually its consequences). */
  fail(error: Error): void {
    this.failure ??= error;
  }

  /** Turn a GPUError into a failure. */
  report(error: GPUError, what: string): void {
    const oom = typeof GPUOutOfMemoryError !== 'undefined' && error instanceof GPUOutOfMemoryError;
    const outOfMemory = oom || /out of memory/i.test(error.message);
    if (outOfMemory) this.onOutOfMemory();
    const kind = outOfMemory ? 'ran out of memory' : 'reported an error';
    const hint = outOfMemory ? '\nhint: use a smaller batch size or model, or dispose tensors you no longer need.' : '';
    this.fail(new DeviceError(`The WebGPU device (${this.description}) ${kind} during ${what}: ${error.message}${hint}`));
  }

  /** Wait for an error scope's result and record what it caught. */
  watch(scope: Promise<GPUError | null>, what: string): void {
    this.pending.push(scope.then((error) => void (error && this.report(error, what))));
  }

  /** True once the device is lost. */
  get isLost(): boolean {
    return this.lost;
  }

  /** Throw the loss's DeviceError if the device is lost (known once `device.lost` has resolved). */
  throwIfLost(): void {
    if (this.lost && this.failure) throw this.failure;
  }

  /** Resolve if nothing went wrong so far; otherwise reject with the recorded DeviceError. */
  async check(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
    const failure = this.failure;
    if (!failure) return;
    if (!this.lost) this.failure = null;
    throw failure;
  }
}

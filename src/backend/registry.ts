/**
 * Choosing and starting backends. The CPU backend is always there; others (WebGPU, wasm) are registered
 * as lazily imported factories so that importing the library never loads a GPU binding or compiles
 * WebAssembly. `auto` picks the first backend in priority order that starts (a real GPU adapter, then
 * wasm, then the CPU), and says once, in one line, what it chose and why.
 */
import { BackendUnavailableError, UnknownIdentifierError, describe } from '../errors';
import type { CustomBackendNames, CustomNames } from '../identifiers';
import type { Backend } from './backend';
import type { WasmFlags } from './wasm/flags';
import type { WebGpuFlags } from './webgpu/flags';
import type { WebGpuBackend } from './webgpu/webgpu-backend';
import { CpuBackend, type CpuFlags } from './cpu/cpu-backend';
import { checkOptions } from '../utils/options';

/** A backend name for `setBackend`: `'auto'`, the built-in ones, and those added to {@link CustomBackendNames}. */
export type BackendName = 'auto' | 'webgpu' | 'wasm' | 'cpu' | CustomNames<CustomBackendNames>;

/** How a backend is being started. */
export interface StartContext {
  /**
   * Started by `setBackend('auto')`: a backend that would run but is a poor choice (WebGPU on a software
   * adapter such as SwiftShader, slower than the CPU backends) throws BackendUnavailableError saying so.
   */
  auto: boolean;
}

/** Starts a backend or throws BackendUnavailableError saying what to install or enable. */
export type BackendFactory = (options: BackendOptions, context?: StartContext) => Promise<Backend>;

/**
 * A WebGPU `GPU` object (`navigator.gpu`, or what the `webgpu` package's `create()` returns), typed by
 * the one method the backend calls, so the package's types need no WebGPU type package; any real `GPU`
 * fits.
 */
export interface GpuLike {
  requestAdapter(options?: object): Promise<object | null>;
}

/** A WebGPU `GPUDevice`, typed structurally like {@link GpuLike}; any real `GPUDevice` fits. */
export interface GpuDeviceLike {
  readonly queue: object;
  readonly limits: object;
  createBuffer(descriptor: object): object;
  createComputePipeline(descriptor: object): object;
  destroy(): void;
}

/** Options for starting a backend. */
export interface BackendOptions {
  /** WebGPU: a `GPU` object to use instead of `navigator.gpu` or the `webgpu` package. */
  gpu?: GpuLike;
  /** WebGPU: an already created device to use. */
  device?: GpuDeviceLike;
  /**
   * Tunables of the backend being started: WebGPU's such as `{ matmulKernel: 'tiled' }` (see
   * `WebGpuFlags`), wasm's such as `{ threads: 1 }` (see `WasmFlags`), the CPU's `{ printCode: true }`
   * (see `CpuFlags`). Each backend reads its own and accepts the others' names.
   */
  flags?: Partial<WebGpuFlags> & Partial<WasmFlags> & Partial<CpuFlags>;
}

interface Entry {
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
  /** What `instance` was started with, to start a replacement the same way. */
  options?: BackendOptions;
}

const entries = new Map<string, Entry>();
let current: Backend | null = null;
let chosenExplicitly = false;
let log: (message: string) => void = (m) => console.warn(m);
let fallbackReason: string | null = null;

/** Register a backend factory under a name; higher priority wins under `auto`. */
export function registerBackend(name: string, factory: BackendFactory, priority: number): void {
  entries.set(name, { factory, priority });
}

registerBackend('cpu', async (options) => new CpuBackend(options.flags), 0);
// Imported only when started: importing the library never loads webgpu-backend.ts, `navigator.gpu` or Dawn,
// nor compiles the wasm kernels.
registerBackend('webgpu', async (options, context) =>
  (await import('./webgpu/webgpu-backend')).createWebGpuBackend({ ...options, requireHardwareAdapter: context?.auto ?? false }), 10);
registerBackend('wasm', async (options) => (await import('./wasm/wasm-backend')).createWasmBackend(options), 5);

/** @internal Redirect the one-line fallback notice (tests). */
export function setBackendLogger(fn: (message: string) => void): void {
  log = fn;
}

/** Names of the registered backends, highest priority first. */
export function backendNames(): string[] {
  return [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
}

function checkBackendName(name: string, where: string): void {
  if (!entries.has(name)) {
    throw new UnknownIdentifierError(
      `Invalid backend for ${where}: expected one of ${['auto', ...backendNames()].map((n) => `'${n}'`).join(', ')}. Received: ${describe(name)}.`,
    );
  }
}

/**
/** A WebGPU backend on a software adapter (SwiftShader, llvmpipe, a fallback adapter), which `auto` skips. */
function onSoftwareAdapter(backend: Backend): boolean {
  return backend.name === 'webgpu' && (backend as WebGpuBackend).isCpuAdapter === true;
}

/**
 * The started backend of `name`: the one already running, or a new one when options are given or the
 * running one is lost (a lost GPU device). A replacement for a lost one is made as it was (same `gpu` and
 * `flags`) but on a new device, even where the lost one ran on a device handed in.
 */
async function start(name: string, options: BackendOptions, context: StartContext = { auto: false }): Promise<Backend> {
  const entry = entries.get(name)!;
  const given = Boolean(options.gpu || options.device || options.flags);
  const lost = entry.instance?.isLost === true;
  // Under auto, a WebGPU backend started earlier on a software adapter is asked again (and refuses).
  const software = context.auto && entry.instance !== undefined && onSoftwareAdapter(entry.instance);
  if (!entry.instance || given || lost || software) {
    const old = lost ? entry.instance : undefined;
    const how = given ? options : { gpu: entry.options?.gpu, flags: entry.options?.flags };
    entry.instance = await entry.factory(how, context);
    entry.options = how;
    if (old) {
      try {
        old.dispose(); // frees what the host still holds for the dead device
      } catch {
        // a lost device may refuse even that; nothing more to release
      }
    }
    if (current === old) current = entry.instance;
  }
  return entry.instance;
}

/**
 * Select the backend every model uses from now on: `'webgpu'`, `'wasm'`, `'cpu'`, or `'auto'` (WebGPU
 * on a real GPU adapter, else wasm, else the CPU, saying once what it chose and why; never WebGPU on a
 * software adapter such as SwiftShader, which is slower than the CPU backends, though
 * `setBackend('webgpu')` uses one when asked). Resolves to the backend's name.
 */
export async function setBackend(name: BackendName = 'auto', backendOptions?: BackendOptions): Promise<string> {
  const options = checkOptions(backendOptions, 'setBackend', { known: ['gpu', 'device', 'flags'] });
  if (typeof name !== 'string') checkBackendName(name, 'setBackend');
  if (name !== 'auto') checkBackendName(name, 'setBackend');
  if (name !== 'auto') {
    current = await start(name, options);
    chosenExplicitly = true;
    return current.name;
  }
  const reasons: string[] = [];
  fallbackReason = null;
  for (const candidate of backendNames()) {
    try {
      current = await start(candidate, options, { auto: true });
      if (reasons.length > 0) {
        fallbackReason = `webgpu-keras: using the '${candidate}' backend (${reasons.join('; ')}).`;
        log(fallbackReason);
      }
      chosenExplicitly = true;
      return current.name;
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      reasons.push(`${candidate} unavailable: ${error.message.split('\n')[0].replace(/\.$/, '')}`);
    }
  }
  throw new BackendUnavailableError('No backend could be started.');
}

/**
 * Why the last `setBackend('auto')` did not pick the preferred backend (the line it printed once), or
 * null when it did.
 */
export function backendFallbackReason(): string | null {
  return fallbackReason;
}

/** Name of the current backend (`'cpu'` until another is selected). */
export function getBackend(): string {
  return currentBackend().name;
}

/** @internal The backend in use now, synchronously: the CPU until `setBackend`/`ready` chose another. */
export function currentBackend(): Backend {
  if (!current) current = new CpuBackend();
  return current;
}

/** @internal The backend to train on: runs `auto` selection once if the user never chose. */
export async function ready(): Promise<Backend> {
  if (!chosenExplicitly) await setBackend('auto');
  return currentBackend();
}

/** @internal Every backend started so far, by name (the current one included). */
export function startedBackends(): Map<string, Backend> {
  const started = new Map<string, Backend>();
  for (const [name, entry] of entries) if (entry.instance) started.set(name, entry.instance);
  const now = currentBackend();
  if (!started.has(now.name)) started.set(now.name, now);
  return started;
}

/** @internal A started backend by name (for tests comparing backends). */
export async function getBackendInstance(name: string, options: BackendOptions = {}): Promise<Backend> {
  checkBackendName(name, 'getBackendInstance');
  return start(name, options);
}

/**
 * What differs between Node and browsers, behind one interface, so that a browser bundle holds no Node
 * code at all: the package's `exports` map sends Node to a build where `src/platform/index.ts` is
 * `node.ts`, and bundlers for the web (`browser`, `default`) to one where it is `browser.ts` (the swap is
 * `platformPlugin` in vite.config.ts; the browser test project uses it too). Only this folder's
 * `node.ts` may import `node:` modules or read `process`.
 */
import type { IOHandler } from '../io/types';

/** Node's `fs/promises` and `path`. */
export interface NodeFs {
  fs: typeof import('node:fs/promises');
  path: typeof import('node:path');
}

/** A text sink: `isTTY` allows carriage-return redraws, `colors` ANSI colours. */
export interface TextSink {
  write(text: string): void;
  readonly isTTY: boolean;
  readonly colors: boolean;
}

/** The parts of the npm package `webgpu` (Dawn's Node bindings) the WebGPU backend uses. */
export interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/**
 * A worker thread of the wasm backend (Node `worker_threads`, or a Web Worker), started on a script
 * text that defines `start(data, post)`; the platform adds the lines that hand it its data.
 */
export interface PlatformWorker {
  /** Listen to the worker's messages, errors and exit; returns the function that stops listening. */
  listen(handlers: { message(data: unknown): void; error(error: unknown): void; exit(code: number): void }): () => void;
  /** Let the process exit while the worker lives (Node; nothing in a browser). */
  unref(): void;
  terminate(): void;
}

/** Renders an SVG document to PNG bytes. */
export type Rasterizer = (svg: string) => Promise<Uint8Array>;

export interface Platform {
  /** Which implementation this build carries. */
  readonly name: 'node' | 'browser';
  /** True when running in Node (or a runtime that mimics it). */
  isNode(): boolean;
  /** `fs/promises` and `path`; throws a ValueError naming `where` where there is no file system. */
  nodeFs(where: string): Promise<NodeFs>;
  /** The IO handler for a file path or `file://` URL; throws a ValueError where there is no file system. */
  fileHandler(target: string): IOHandler;
  /** Standard output, or null where there is none (a browser: progress goes to `console.log`). */
  stdout(): TextSink | null;
  /** Dawn, for WebGPU in Node; throws BackendUnavailableError saying why it cannot be loaded. */
  loadDawn(): Promise<DawnModule>;
  /** A PNG rasterizer from an installed package (`@resvg/resvg-js` or `sharp`), or null. */
  rasterizer(): Promise<Rasterizer | null>;
  /** CPU threads of the machine: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in a browser. */
  hardwareThreads(): Promise<number>;
  /**
   * Start a worker running `source` (which defines `function start(data, post)`) and call
   * `start(data, post)` in it, `post` sending a message back. Throws where workers cannot start.
   */
  startWorker(source: string, data: unknown, name: string): Promise<PlatformWorker>;
}

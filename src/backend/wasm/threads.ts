/**
 * Threads for the wasm backend: workers that instantiate the same kernel module on the same shared
 * memory and run their share of a task when the calling thread says so. Node uses `worker_threads`;
 * browsers use Web Workers, which can share a memory only where the page is `crossOriginIsolated`.
 *
 * The contract's operations are synchronous for the caller, so a task is too: the calling thread posts
 * it through control words in the shared memory (`Atomics.notify`), computes share 0 itself, and then
 * waits until every worker has finished. Node's main thread may block in `Atomics.wait`; a browser's main
 * thread may not, so there it spins on `Atomics.load` (only for the end of a task whose shares are
 * equal). Workers wait in `Atomics.wait`, after a short spin that catches the next task of a training
 * step without a sleep and a wake-up. A trap in a worker's share is caught, reported through the control
 * words, and thrown on the calling thread.
 */
import { BackendUnavailableError } from '../../errors';
import { platform, type PlatformWorker } from '../../platform';
import { ADDR } from './kernels/layout';
import { WORKER_SOURCE, CONTROL } from './worker-source';

/** Threads that run tasks, the calling one included. */
export interface ThreadPool {
  /** Number of threads, the calling one included (1: no workers). */
  readonly size: number;
  /**
   * Run task `task` (an index into the task list the pool was created with) as `fn(arg, thread,
   * threads)` on the first `threads` threads, and return when all are done.
   */
  run(task: number, arg: number, threads: number): void;
  /** Stop the workers. */
  dispose(): void;
}

/** True where `Atomics.wait` may block this thread (Node, or a browser's worker; not a page's main thread). */
export function canBlock(): boolean {
  if (platform.isNode()) return true;
  const g = globalThis as { WorkerGlobalScope?: new () => unknown };
  return typeof g.WorkerGlobalScope === 'function' && globalThis instanceof g.WorkerGlobalScope;
}

/**
 * Start `count − 1` workers, each instantiating `module` on `memory` and looking up `tasks` among its
 * exports. `local` are the calling thread's own task functions.
 */
export async function startThreadPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  tasks: readonly string[],
  local: readonly ((arg: number, thread: number, threads: number) => void)[],
  count: number,
): Promise<ThreadPool> {
  if (count <= 1) return { size: 1, run: (task, arg) => local[task](arg, 0, 1), dispose() {} };
  // Shared memory never detaches: this view stays valid when the memory grows.
  const control = new Int32Array(memory.buffer, ADDR.control, 16);
  control.fill(0);
  const workers: PlatformWorker[] = [];
  try {
    const starts: Promise<void>[] = [];
    for (let id = 1; id < count; id++) {
      const data = { module, memory, id, control: ADDR.control, tasks };
      const worker = await platform.startWorker(WORKER_SOURCE, data, `webgpu-keras wasm ${id}`);
      workers.push(worker);
      starts.push(ready(worker));
    }
    await Promise.all(starts);
  } catch (error) {
    for (const w of workers) w.terminate();
    throw new BackendUnavailableError(`The wasm backend could not start its worker threads: ${(error as Error).message}`);
  }
  const block = canBlock();
  let disposed = false;
  return {
    size: count,
    run(task, arg, threads) {
      if (threads <= 1 || disposed) {
        local[task](arg, 0, 1);
        return;
      }
      control[CONTROL.task] = task;
      control[CONTROL.arg] = arg;
      control[CONTROL.threads] = threads;
      control[CONTROL.failed] = 0;
      Atomics.store(control, CONTROL.pending, threads - 1);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      try {
        local[task](arg, 0, threads);
      } finally {
        for (let left = Atomics.load(control, CONTROL.pending); left !== 0; left = Atomics.load(control, CONTROL.pending)) {
          if (block) Atomics.wait(control, CONTROL.pending, left);
        }
      }
      if (control[CONTROL.failed] !== 0) {
        throw new Error(`wasm backend: a worker thread failed in task ${tasks[task]} (a library bug); see the worker's console message.`);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      Atomics.store(control, CONTROL.stop, 1);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      for (const w of workers) w.terminate();
    },
  };
}

/**
 * Resolves on the worker's 'ready' message, rejects on anything else, an error or an early exit; then
 * stops listening and unrefs the worker, so an idle pool does not keep the process alive.
 */
function ready(worker: PlatformWorker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (fn: () => void) => (stop(), worker.unref(), fn());
    const stop = worker.listen({
      message: (m) => settle(() => (m === 'ready' ? resolve() : reject(new Error(String(m))))),
      error: (e) => settle(() => reject(e instanceof Error ? e : new Error(String(e)))),
      exit: (code) => settle(() => reject(new Error(`a worker exited (code ${code}) before it started`))),
    });
  });
}

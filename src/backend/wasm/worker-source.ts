/**
 * The worker threads' program, as source text (so it needs no file of its own, no bundler support and
 * no URL): `start(data, post)` instantiates the kernel module on the shared memory, says 'ready', then
 * loops on the control words: wait for the next task, run this thread's share, count down `pending`,
 * wake the caller. The platform (src/platform) starts it as a Node `worker_threads` script or a Web
 * Worker and adds the lines that hand it its data.
 */

/** Indices of the control words (Int32Array at ADDR.control) shared by threads.ts and the workers. */
export const CONTROL = {
  /** Incremented for every task (and for stop); workers wait on it. */
  generation: 0,
  /** Workers still running the current task; the caller waits on it. */
  pending: 1,
  /** Index of the task function. */
  task: 2,
  /** Its argument (a parameter block's address). */
  arg: 3,
  /** Threads taking part; workers with a higher id skip the task. */
  threads: 4,
  /** Set by a worker whose share threw. */
  failed: 5,
  /** Set when the pool is disposed. */
  stop: 6,
} as const;

/**
 * Spin iterations before a worker sleeps in Atomics.wait: 0.3–0.4 ms on the 2-core test machine
 * (measured), enough to span the JavaScript between two matmuls of a training step (the interim
 * formulas: activations, loss, optimizer) so the next one starts without a futex wake-up, short enough
 * to give the core back soon when the caller is idle.
 */
const SPIN = 20000;

const body = `
const C = ${JSON.stringify(CONTROL)};
function start(data, post) {
  const instance = new WebAssembly.Instance(data.module, { env: { memory: data.memory } });
  const fns = data.tasks.map((name) => instance.exports[name]);
  const ctl = new Int32Array(data.memory.buffer, data.control, 16);
  const id = data.id;
  // Read before saying 'ready': the first task may be posted the moment the caller hears it.
  let seen = Atomics.load(ctl, C.generation);
  post('ready');
  for (;;) {
    let spin = ${SPIN};
    while (Atomics.load(ctl, C.generation) === seen && spin-- > 0);
    if (Atomics.load(ctl, C.generation) === seen) Atomics.wait(ctl, C.generation, seen);
    seen = Atomics.load(ctl, C.generation);
    if (Atomics.load(ctl, C.stop)) return;
    const threads = ctl[C.threads];
    if (id >= threads) continue;
    try {
      fns[ctl[C.task]](ctl[C.arg], id, threads);
    } catch (error) {
      console.error('webgpu-keras wasm worker ' + id + ':', error);
      Atomics.store(ctl, C.failed, 1);
    }
    if (Atomics.sub(ctl, C.pending, 1) === 1) Atomics.notify(ctl, C.pending);
  }
}
`;

/** The worker program's source text. */
export const WORKER_SOURCE: string = body;

/**
 * The wasm backend's tunables, each named and documented in one place. Pass some as
 * `setBackend('wasm', { flags })`; they are read when the backend starts.
 */
import { invalid, received } from '../../errors';
import { checkOptions } from '../../utils/options';
import { DEFAULT_FLAGS as WEBGPU_FLAGS } from '../webgpu/flags';

export interface WasmFlags {
  /**
   * Threads that share the work, the calling one included. `'auto'` (default): the machine's threads
   * (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in a browser) where threads
   * can run: always in Node, in a browser only on a `crossOriginIsolated` page; one elsewhere (the
   * backend says once why). A number asks for exactly that many (1: no workers); more than one where
   * threads cannot run is an error.
   */
  threads: 'auto' | number;
  /**
   * The SIMD instruction set of the matmul. `'auto'` (default): relaxed SIMD (its fused multiply-add,
   * `f32x4.relaxed_madd`) where the engine validates it, else plain SIMD. `'plain'` forces plain SIMD
   * (the results then never depend on the hardware's FMA); `'relaxed'` requires relaxed SIMD.
   */
  simd: 'auto' | 'plain' | 'relaxed';
  /**
   * Products with fewer multiply-adds than this run on the calling thread alone (default 2¹⁸ = 262,144).
   * Why: waking the workers and waiting for them costs about 10–30 µs here, a 2¹⁸ product takes
   * about 6 µs a thread at 45 GFLOP/s… so below this size a split cannot pay.
   */
  minParallelWork: number;
}

export const DEFAULT_WASM_FLAGS: Readonly<WasmFlags> = {
  threads: 'auto',
  simd: 'auto',
  minParallelWork: 1 << 18,
};

const KNOWN = Object.keys(DEFAULT_WASM_FLAGS);

/**
 * The flags with defaults filled in, checked. Keys of the WebGPU backend's flags are accepted and
 * ignored (`setBackend('auto', { flags })` hands the same object to every backend it tries).
 */
export function resolveWasmFlags(flags: object | undefined): WasmFlags {
  const given = checkOptions(flags as Record<string, unknown> | undefined, 'the wasm backend flags', {
    known: [...KNOWN, ...Object.keys(WEBGPU_FLAGS), 'printCode'],
  });
  const out: WasmFlags = { ...DEFAULT_WASM_FLAGS };
  for (const key of KNOWN) if (given[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = given[key];
  const where = 'the wasm backend flags';
  if (out.threads !== 'auto' && !(Number.isInteger(out.threads) && out.threads >= 1 && out.threads <= 256)) {
    invalid({ what: 'threads', where, expected: "'auto' or an integer from 1 to 256", received: received('threads', out.threads) });
  }
  if (!['auto', 'plain', 'relaxed'].includes(out.simd)) {
    invalid({ what: 'simd', where, expected: "'auto', 'plain' or 'relaxed'", received: received('simd', out.simd) });
  }
  if (!(Number.isInteger(out.minParallelWork) && out.minParallelWork >= 0)) {
    invalid({ what: 'minParallelWork', where, expected: 'a non-negative integer', received: received('minParallelWork', out.minParallelWork) });
  }
  return out;
}

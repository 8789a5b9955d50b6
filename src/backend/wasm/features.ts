/**
 * What this engine's WebAssembly can do, decided at start-up by validating tiny modules (no
 * user-agent guessing): 128-bit SIMD (required), relaxed SIMD (its fused multiply-add is used where
 * present), and threads (a shared memory, and workers to run on it).
 */
import { f32x4, seq, v128 } from './emitter/instructions';
import { WasmModule } from './emitter/wasm-module';
import { platform } from '../../platform';

/** A module with one function `() -> v128` whose body is `code` (the memory import left out). */
function probe(code: number[]): Uint8Array<ArrayBuffer> {
  const body = [0x00, ...code, 0x0b]; // no locals, code, end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body, // code section
  ]);
}

/** True when the engine validates 128-bit SIMD. */
export function hasSimd(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(probe(v128.zero()));
}

/** True when the engine validates relaxed SIMD (f32x4.relaxed_madd). */
export function hasRelaxedSimd(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(probe(seq(f32x4.relaxed_madd(v128.zero(), v128.zero(), v128.zero()))));
}

/**
 * Whether threads can run here, and if not, why (for the one line the backend prints): Node always
 * can; a browser page needs `crossOriginIsolated` (COOP/COEP headers) for a shared memory.
 */
export function threadSupport(): { ok: true } | { ok: false; why: string } {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
    return {
      ok: false,
      why: platform.isNode() || isolated !== false
        ? 'SharedArrayBuffer is not available'
        : 'the page is not crossOriginIsolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    };
  }
  if (!platform.isNode() && typeof Worker === 'undefined') return { ok: false, why: 'Web Workers are not available here' };
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
  } catch (error) {
    return { ok: false, why: `a shared WebAssembly.Memory cannot be created (${(error as Error).message})` };
  }
  // The kernel module must compile with a shared memory import: a module built here checks that.
  const module = new WasmModule({ initial: 1, maximum: 1, shared: true }).toBytes();
  if (!WebAssembly.validate(module)) return { ok: false, why: 'the engine does not accept shared memory imports' };
  return { ok: true };
}

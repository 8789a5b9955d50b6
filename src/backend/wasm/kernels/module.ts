/**
 * The kernel module of the wasm backend: every kernel in one module that imports `env.memory`, in four
 * variants (plain or relaxed SIMD × shared or unshared memory). `npm run build:wasm` encodes the two
 * unshared ones into binaries.generated.ts (inlined, so no bundler needs to know about .wasm files); a
 * shared one differs only in one flag byte of the memory import, set by `shareMemory`. A test checks
 * that the inlined bytes, and the shared ones made from them, equal a fresh build.
 */
import { WasmModule } from '../emitter/wasm-module';
import { emitBatchNormKernels } from './batchnorm';
import { emitGemm } from './gemm';
import { GEMM_BLOCKING, type GemmBlocking } from './layout';
import { emitRowKernels } from './rows';

/** Largest memory the backend asks for: 65,536 pages of 64 KiB = 4 GiB, all of wasm32's address space. */
export const MAX_PAGES = 65536;

/** Which build of the kernel module. */
export interface KernelVariant {
  /** f32x4.relaxed_madd in the matmul (needs relaxed SIMD); else f32x4.mul + f32x4.add. */
  relaxed: boolean;
  /** Imports a shared memory (threads); else an ordinary one. */
  shared: boolean;
}

/** A variant's name in messages and tests. */
export function variantName({ relaxed, shared }: KernelVariant): string {
  return `${relaxed ? 'relaxed' : 'plain'}_${shared ? 'shared' : 'unshared'}`;
}

/** Every variant. */
export const VARIANTS: readonly KernelVariant[] = [
  { relaxed: false, shared: false },
  { relaxed: false, shared: true },
  { relaxed: true, shared: false },
  { relaxed: true, shared: true },
];

/** `env` `memory`, import kind memory, limits flag "minimum and maximum" (0x01); shared sets bit 1 (0x03). */
const MEMORY_IMPORT = [0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x01];

/** The same module importing a shared memory: the memory import's limits flag 0x01 becomes 0x03. */
export function shareMemory(unshared: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const at: number[] = [];
  for (let i = 0; i + MEMORY_IMPORT.length <= unshared.length; i++) {
    if (MEMORY_IMPORT.every((b, j) => unshared[i + j] === b)) at.push(i + MEMORY_IMPORT.length - 1);
  }
  if (at.length !== 1) throw new Error(`shareMemory: expected one memory import, found ${at.length} (a library bug)`);
  const shared = unshared.slice();
  shared[at[0]] = 0x03;
  return shared;
}

/** The matmul blocking a variant is built with. */
export function blockingOf(variant: KernelVariant): GemmBlocking {
  return variant.relaxed ? GEMM_BLOCKING.relaxed : GEMM_BLOCKING.plain;
}

/**
 * Encode one variant. `blocking` overrides the matmul blocking (to compare tiles, as layout.ts records; the
 * backend always uses `blockingOf(variant)`).
 */
export function buildKernelModule(variant: KernelVariant, blocking: GemmBlocking = blockingOf(variant)): Uint8Array<ArrayBuffer> {
  const mod = new WasmModule({ initial: 1, maximum: MAX_PAGES, shared: variant.shared });
  emitGemm(mod, variant.relaxed, blocking);
  emitRowKernels(mod);
  emitBatchNormKernels(mod);
  return mod.toBytes();
}

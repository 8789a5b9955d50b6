/**
 * The kernel module of the wasm backend: every kernel in one module that imports `env.memory`, in four
 * variants (plain or relaxed SIMD × shared or unshared memory). `npm run build:wasm` encodes them into
 * binaries.generated.ts (inlined, so no bundler needs to know about .wasm files); a test checks that the
 * inlined bytes equal a fresh build.
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

/** The names binaries.generated.ts stores the variants under. */
export function variantName({ relaxed, shared }: KernelVariant): string {
  return `${relaxed ? 'relaxed' : 'plain'}_${shared ? 'shared' : 'unshared'}`;
}

/** Every variant, in the order binaries.generated.ts lists them. */
export const VARIANTS: readonly KernelVariant[] = [
  { relaxed: false, shared: false },
  { relaxed: false, shared: true },
  { relaxed: true, shared: false },
  { relaxed: true, shared: true },
];

/** The matmul blocking a variant is built with. */
export function blockingOf(variant: KernelVariant): GemmBlocking {
  return variant.relaxed ? GEMM_BLOCKING.relaxed : GEMM_BLOCKING.plain;
}

/**
 * Encode one variant. `blocking` overrides the matmul blocking (bench/wasm-matmul.ts compares tiles; the
 * backend always uses `blockingOf(variant)`).
 */
export function buildKernelModule(variant: KernelVariant, blocking: GemmBlocking = blockingOf(variant)): Uint8Array<ArrayBuffer> {
  const mod = new WasmModule({ initial: 1, maximum: MAX_PAGES, shared: variant.shared });
  emitGemm(mod, variant.relaxed, blocking);
  emitRowKernels(mod);
  emitBatchNormKernels(mod);
  return mod.toBytes();
}

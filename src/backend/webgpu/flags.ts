/**
 * The WebGPU backend's tunables, each named and documented in one place. Pass some in
 * `createWebGpuBackend({ flags })`, or change `matmulKernel` and `printShaders` on `backend.flags`
 * between steps.
 */
import type { MatmulKernel } from './kernels/matmul';

export interface WebGpuFlags {
  /**
   * Which matmul kernel runs (kernels/matmul.ts). `'auto'` (default): `'blocked'` on CPU adapters
   * (SwiftShader, llvmpipe, fallback adapters), `'tiled'` on GPUs. `'blocked'`: register blocks, no
   * workgroup memory, no barriers. `'tiled'`: 64×64 tiles in workgroup memory.
   */
  matmulKernel: 'auto' | MatmulKernel;
  /** Print every specialised WGSL shader as it is compiled (default false). */
  printShaders: boolean;
  /**
   * Bytes of released GPU buffers the pool keeps for reuse; older ones are destroyed (default 128 MiB;
   * read when the backend is created, staging buffers keep a quarter of it).
   */
  poolMaxFreeBytes: number;
}

export const DEFAULT_FLAGS: Readonly<WebGpuFlags> = {
  matmulKernel: 'auto',
  printShaders: false,
  poolMaxFreeBytes: 128 * 1024 * 1024,
};

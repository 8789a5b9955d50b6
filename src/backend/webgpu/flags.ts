/**
 * The WebGPU backend's tunables, each named and documented in one place. Pass some in
 * `createWebGpuBackend({ flags })`, or change any but `poolMaxFreeBytes` on `backend.flags` between
 * steps.
 */
import type { MatmulKernel } from './kernels/matmul';
import type { SplitKMode } from './kernels/split-k';

export interface WebGpuFlags {
  /**
   * Which matmul kernel runs (kernels/matmul.ts). `'auto'` (default): `'blocked'` on CPU adapters
   * (SwiftShader, llvmpipe, fallback adapters), `'tiled'` on GPUs. `'blocked'`: register blocks, no
   * workgroup memory, no barriers. `'tiled'`: 64×64 tiles in workgroup memory.
   */
  matmulKernel: 'auto' | MatmulKernel;
  /**
   * Split-k for products with a small output and a long inner dimension (kernels/split-k.ts):
   * k is cut into slices summed by separate workgroups, then a second pass adds the slices in a fixed
   * order and applies the epilogue. `'auto'` (default): where the heuristic says it pays (few output
   * tiles, long k: the weight gradients of large batches). `'always'`: wherever k allows two slices.
   * `'never'`: one pass over all of k.
   */
  matmulSplitK: SplitKMode;
  /**
   * How fit, evaluate and predict compile the kernels their steps need, before the first batch
   * (`WebGpuBackend.compileAhead`). `'parallel'`: all at once with createComputePipelineAsync.
   * `'serial'`: one by one with createComputePipeline (the same cost as compiling in the first step, but
   * before it, so the first step takes as long as the others). `'off'`: not ahead; the first step
   * compiles each kernel as it meets it. `'auto'` (default): `'parallel'`, except in Node on fewer than
   * 4 CPU threads or where it cannot tell (Node 20): `'serial'`. Why: Dawn's Node binding polls its
   * event loop while an asynchronous call is pending, which took about a core here. Measured, first
   * epoch of a 784-128-64-10 MLP (384 + 128 samples, batches of 64), compile included, 2–5 runs each:
   * - SwiftShader in Node, 2 cores: under load, parallel 5.5–8.2 s against 2.0–2.4 s lazily (12 matmul
   *   and loss pipelines alone: 4.6–16 s in parallel, 2.0–4.5 s one by one); idle, parallel 1.5–2.0 s,
   *   serial 1.6–1.7, off 1.5.
   * - Chromium, same 2 cores: parallel 1.6–2.1 s, off 1.7–2.1, serial 1.9–2.1.
   * - 16 cores (an H200 machine), Node: NVIDIA through Vulkan, parallel 0.36–0.38 s against off
   *   0.54–0.58 and serial 0.62–0.80; SwiftShader, parallel 1.5–1.7, serial 1.6, off 1.7–2.2.
   */
  compileAhead: 'auto' | 'parallel' | 'serial' | 'off';
  /**
   * Workgroups per grid dimension, at most the device's `maxComputeWorkgroupsPerDimension` (default 0:
   * that limit, 65,535 on most devices). Wider grids are folded into more dimensions; lower it to test
   * the folding on small data. Read when the backend is created.
   */
  maxWorkgroupsPerDimension: number;
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
  matmulSplitK: 'auto',
  compileAhead: 'auto',
  maxWorkgroupsPerDimension: 0,
  printShaders: false,
  poolMaxFreeBytes: 128 * 1024 * 1024,
};

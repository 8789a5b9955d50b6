/**
 * Matrix products with the fused epilogue `act(op(A)·op(B) + bias)` (+ preActivation, + accumulate),
 * in two variants chosen by the `matmulKernel` flag (flags.ts; `'auto'` picks by adapter), each of
 * which may split k (split-k.ts, the `matmulSplitK` flag):
 *
 * - `blocked` (shaders/matmul_blocked.wgsl): an 8×8 block of outputs per invocation in registers, no
 *   workgroup memory, no barriers. The default on CPU adapters (SwiftShader, llvmpipe). Measured there
 *   before us: 16×16 shared-memory tiles 0.14 GFLOP/s, naive 0.24, 64×64 shared 0.99, register blocks
 *   1.44 (4×4), 2.41 (8×8), 2.66 (16×8). Measured here (SwiftShader on a busy 2-core machine, bounds
 *   checks on): this kernel 1.0–1.4 GFLOP/s at 256³–512³, the tiled one 0.15–0.22.
 * - `tiled` (shaders/matmul_tiled.wgsl): 64×64 tiles staged through workgroup memory, a 4×4 block per
 *   invocation: the default on real GPUs, where barriers are cheap and memory bandwidth is the limit.
 *
 * Softmax is row-wise, so it cannot live in a per-element epilogue: the product (plus bias) goes to the
 * preActivation (or a scratch buffer) and a row-softmax kernel follows.
 */
import type { ElementwiseFn } from '../../../expr/functions';
import type { Binding, GpuBuffer, Runner } from '../kernel-runner';
import type { Defines } from '../pipeline-cache';
import { SHADERS } from '../shaders';
import { activationUniforms, forwardCode, softmaxForward } from './activation';
import { splitK, type SplitK, type SplitKMode } from './split-k';

/** Outputs per invocation of the blocked kernel, rows and columns (written out in its WGSL). */
const BLOCK = 8;
/**
 * Invocations per workgroup of the blocked kernel: 64, 4 wide by 16 tall, so that a narrow output (10
 * classes: 2 column blocks) still fills half of each workgroup where 8×8 left 3/4 of it idle. Measured
 * on a 256×128·128×10 product: 1.6–3.7 ms against 3.6 ms for 8×8; the machine was too noisy to call
 * it more than "no worse", and the same at 256³.
 */
const BLOCKED_WG: readonly [number, number] = [4, 16];
/** Output tile of one workgroup of the tiled kernel. */
const TILE = 64;

export type MatmulKernel = 'blocked' | 'tiled';
/** The split of k (split-k.ts) for an m×n product on `kernel`, its output counted in that kernel's tiles. */
export function splitFor(kernel: MatmulKernel, m: number, n: number, k: number, mode: SplitKMode, threads?: number): SplitK {
  const tile = kernel === 'blocked' ? BLOCK : TILE;
  return splitK(kernel, Math.ceil(m / tile) * Math.ceil(n / tile), k, mode, threads);
}

/** Workgroups of the plain (unsplit) kernel for an m×n output. */
function plainGroups(kernel: MatmulKernel, m: number, n: number): [number, number] {
  return kernel === 'blocked'
    ? [Math.ceil(n / (BLOCK * BLOCKED_WG[0])), Math.ceil(m / (BLOCK * BLOCKED_WG[1]))]
    : [Math.ceil(n / TILE), Math.ceil(m / TILE)];
}

export interface MatmulCall {
  a: GpuBuffer;
  b: GpuBuffer;
  out: GpuBuffer;
  bias: GpuBuffer | null;
  pre: GpuBuffer | null;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Null (or the identity) for none. */
  activation: ElementwiseFn | null;
  accumulate: boolean;
}

/** Record `call` on `k` with `kernel`: one pass over k, or split-k's two (split-k.ts decides). */
export function matmul(k: Runner, call: MatmulCall, kernel: MatmulKernel, split: SplitKMode = 'auto'): void {
  const act = call.activation && !call.activation.identity ? call.activation : null;
  if (act?.rowwise === 'softmax') {
    const logits = call.pre ?? k.temp(call.m * call.n * 4);
    matmul(k, { ...call, out: logits, pre: null, activation: null }, kernel, split);
    softmaxForward(k, logits, call.out, call.m, call.n);
    if (!call.pre) k.release(logits);
    return;
  }
  const { slices, kSlice } = splitFor(kernel, call.m, call.n, call.k, split);
  const code = forwardCode(act);
  const epilogue = { ACT_CODE: code.code, UNIFORMS: code.fields, HAS_BIAS: call.bias !== null, HAS_PRE: call.pre !== null, ACCUMULATE: call.accumulate };
  const outputs = [
    ...(call.bias ? [{ binding: 3, ...call.bias }] : []),
    { binding: 4, ...call.out, write: true },
    ...(call.pre ? [{ binding: 5, ...call.pre, write: true }] : []),
  ];
  const values = [call.m, call.n, call.k, kSlice, ...activationUniforms(code, act)];
  const format = 'uuuu' + 'f'.repeat(code.program.uniforms.length);
  if (slices === 1) {
    product(k, call, kernel, { ...epilogue, SPLIT_K: false }, outputs, values, format, 1);
    return;
  }
  // Split-k: the product kernel writes each slice's partial sums, a second pass adds them in order.
  const partials = k.temp(slices * call.m * call.n * 4);
  const linear = forwardCode(null);
  const plain = { ACT_CODE: linear.code, UNIFORMS: linear.fields, HAS_BIAS: false, HAS_PRE: false, ACCUMULATE: false, SPLIT_K: true };
  product(k, call, kernel, plain, [{ binding: 4, ...partials, write: true }], values.slice(0, 4), 'uuuu', slices);
  k.run({
    source: SHADERS.matmulSplitK,
    defines: { ...epilogue, SPLIT_K: false },
    bindings: [{ binding: 1, ...partials }, ...outputs],
    format,
    values,
    groups: k.grid1d(call.m * call.n),
  });
  k.release(partials);
}

/**
 * The product kernel, with `outputs` and the epilogue's defines as given. Split into `slices` slices of
 * k, the tiled kernel stacks the slices' tiles in y, and the blocked one runs a 1-D grid of 64-wide
 * workgroups over (block, slice) pairs.
 */
function product(k: Runner, call: MatmulCall, kernel: MatmulKernel, epilogue: Defines, outputs: Binding[], values: number[], format: string, slices: number): void {
  const blocked = kernel === 'blocked';
  const [gx, gy] = plainGroups(kernel, call.m, call.n);
  const split = slices > 1;
  const blocks = Math.ceil(call.m / BLOCK) * Math.ceil(call.n / BLOCK);
  const [wgX, wgY] = split ? [64, 1] : BLOCKED_WG;
  k.run({
    source: blocked ? SHADERS.matmulBlocked : SHADERS.matmulTiled,
    defines: {
      ...epilogue,
      TRANSPOSE_A: call.transposeA,
      TRANSPOSE_B: call.transposeB,
      // vec4 loads: A along k when row-major with K % 4 == 0; B along n when row-major with N % 4 == 0.
      A_VEC4: blocked && !call.transposeA && call.k % 4 === 0 && call.k > 0,
      B_VEC4: blocked && !call.transposeB && call.n % 4 === 0 && call.k > 0,
      WG_X: wgX,
      WG_Y: wgY,
    },
    bindings: [{ binding: 1, ...call.a }, { binding: 2, ...call.b }, ...outputs],
    format,
    values,
    // Rows of workgroups past the per-dimension limit (9 million rows: 70,313) fold into z.
    groups: blocked && split ? k.grid1d(blocks * slices, 64) : k.grid2d(gx, gy * slices),
  });
}

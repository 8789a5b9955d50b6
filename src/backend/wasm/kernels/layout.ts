/**
 * What the JavaScript side and the generated kernels agree on: the fixed addresses in the first bytes of
 * the memory, the layout of the matmul's parameter block, and the blocking of the matmul. Kept in one file
 * so that a change here changes both sides (the build embeds these numbers in the binary; the inlined
 * binary's freshness test catches a stale one).
 */

/** Fixed addresses (bytes) below the heap. Address 0 is never handed out, so 0 can mean "none". */
export const ADDR = {
  /** Stand-in address of zero-size tensors. */
  empty: 64,
  /** The thread pool's control words (threads.ts), 64 bytes. */
  control: 128,
  /** The matmul's parameter block (GEMM_PARAMS), 64 bytes. */
  gemmParams: 256,
  /** First byte of the heap (allocator.ts); 64-byte aligned. */
  heapStart: 1024,
} as const;

/** Byte offsets of the fields of the matmul parameter block (all i32). */
export const GEMM_PARAMS = {
  a: 0,
  b: 4,
  c: 8,
  /** 0 when there is no bias. */
  bias: 12,
  m: 16,
  n: 20,
  k: 24,
  /** GEMM_FLAGS bits. */
  flags: 28,
  /** Per-thread scratch: thread t uses [scratch + t·scratchStride, … + scratchStride). */
  scratch: 32,
  scratchStride: 36,
} as const;

export const GEMM_FLAGS = {
  transposeA: 1,
  transposeB: 2,
  accumulate: 4,
  /** Threads split the columns of C (else its rows). */
  splitColumns: 8,
} as const;

/** The matmul's register tile and cache blocks (see gemm.ts for the loop nest). */
export interface GemmBlocking {
  /** Rows of the register tile. */
  MR: number;
  /** Columns of the register tile in vectors of 4 floats (NR = 4·NV). */
  NV: number;
  /** Steps of the shared dimension per packed block. */
  KC: number;
  /** Rows of op(A) per packed block. */
  MC: number;
  /** Columns of op(B) per packed block. */
  NC: number;
  /** Unrolling of the micro-kernel's loop over the shared dimension. */
  UNROLL: number;
}

/**
 * The blocking of each variant. Measured at 1024³ on one thread of the 2-core AMD EPYC Zen 5 (Node 20,
 * V8 11.3), building the module with each blocking (`buildKernelModule(variant, blocking)`) and timing
 * `gemm` alone, median of 9 (GFLOP/s; the machine shared, so ±10 %):
 *
 * | tile (MR×NR) | plain SIMD | relaxed SIMD |
 * |---|---|---|
 * | 4×8  | 40   | 47   |
 * | 5×8  | 46   | 48   |
 * | 6×8  | 27   | 50   |
 * | 3×12 | 45   | 47   |
 * | 2×16 | 40   |      |
 * | 4×8, loop unrolled 2× / 4× / 8× | 31 / 30 / 24 | |
 *
 * V8 allocates 15 SIMD registers on x64. Plain SIMD needs a register for each product before its add,
 * so 6×8 (12 accumulators + 2 B vectors + the A broadcast + the product) spills; the fused relaxed
 * multiply-add does not, and 6×8 wins there. Unrolling the loop over k made TurboFan's code slower
 * (one step per iteration is already 10–12 multiply-adds against a compare and a branch), so it is off.
 * KC = 256: a B strip (KC × 8 floats, 8 KiB) stays in L1 (48 KiB) while the micro-kernel sweeps the A
 * block, whose MC × KC floats (160–192 KiB) stay in L2 (1 MiB); KC 128/512 and MC 64/256 measured
 * within 5 %. NC = 1024: the KC × NC B block (1 MiB) is read from L2/L3 once per MC block.
 */
export const GEMM_BLOCKING: { plain: GemmBlocking; relaxed: GemmBlocking } = {
  plain: { MR: 5, NV: 2, KC: 256, MC: 160, NC: 1024, UNROLL: 1 },
  relaxed: { MR: 6, NV: 2, KC: 256, MC: 192, NC: 1024, UNROLL: 1 },
};

/** Where a thread's scratch holds the packed A block, the packed B block and the edge tile (bytes). */
export function gemmScratchLayout({ MR, NV, KC, MC, NC }: GemmBlocking): { a: number; b: number; tile: number; total: number } {
  const NR = 4 * NV;
  const aBytes = align64(Math.ceil(MC / MR) * MR * KC * 4);
  const bBytes = align64(Math.ceil(NC / NR) * NR * KC * 4);
  return { a: 0, b: aBytes, tile: aBytes + bBytes, total: aBytes + bBytes + align64(MR * NR * 4) };
}

export function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

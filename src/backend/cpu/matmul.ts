/**
 * The CPU backend's matrix product, written for V8 (plain JavaScript, no SIMD, no workers).
 *
 * Scheme (the classic GotoBLAS / BLIS layering, scaled down to what pays off in JS):
 *
 *   for each block of NC columns of op(B)                       (j0)
 *     for each block of KC steps of the shared dimension         (p0)
 *       pack op(B)[p0.., j0..] into bPanel: strips 4 columns wide, each kc×4, contiguous
 *       for each block of MC rows of op(A)                       (i0)
 *         pack op(A)[i0.., p0..] into aPanel: strips 4 rows tall, each kc×4, contiguous
 *         for each 4-column strip of B, for each 4-row strip of A:
 *           micro-kernel: a 4×4 tile of out accumulated over kc in 16 local variables
 *
 * Why each layer (measured on a 2-core AMD EPYC Zen 5, float32, MLP-sized shapes):
 *   - a naive triple loop runs at ~0.6 GFLOP/s; cache blocking alone gets ~1.3;
 *   - packing plus a 4×4 register tile in locals gets ~4.5. The tile needs 8 loads per 16
 *     multiply-adds instead of 2 per 1, and V8 keeps the accumulators in registers (or cheap stack
 *     slots). Every typed-array load costs an index add plus a bounds check, so loads, not
 *     arithmetic, are the bottleneck. Other tiles (2×4 … 8×4) measured within noise of 4×4.
 *   - packing makes the four transpose variants the same problem: the strided reads happen once,
 *     in pack(), and the kernel only ever reads two unit-stride panels.
 *   - panels are always Float64Array, whatever the input type: JS arithmetic is double anyway, and
 *     one panel type keeps the kernel monomorphic. With a Float32Array panel set as well, the kernel
 *     saw two array types once both float32 and float64 had been used in one process, and dropped
 *     to ~3.2 GFLOP/s.
 *   - sizes: a 4-wide strip is 4·KC doubles = 8 KiB and stays in L1 while the kernel sweeps the
 *     MC×KC A block (256 KiB, L2); the KC×NC B block (up to 2 MiB) sits in L3. In practice KC in
 *     128–384, MC in 64–256 and NC in 256–1024 all measured within about 10 % (the noise level): the loads'
 *     bounds checks, not the caches, set the speed.
 *
 * Accumulation is in double precision; a float32 out is rounded once per KC block (ceil(k / 256)
 * times), so float32 results are about as accurate as a float32 rounding of the exact product.
 */
import { ShapeError, invalid } from '../../errors';

export type FloatArray = Float32Array | Float64Array;

/** Register tile: MR rows × NR columns of out per micro-kernel call (the kernel is written for 4×4). */
const MR = 4;
const NR = 4;
/** Cache blocks: KC steps of the shared dimension, MC rows of op(A), NC columns of op(B). */
const KC = 256;
const MC = 128;
const NC = 1024;

// Scratch, grown on demand and reused: no allocation per call in steady state.
let aPanel = new Float64Array(0);
let bPanel = new Float64Array(0);
/** The micro-kernel's result, MR×NR row-major, before it is added into out. */
const tile = new Float64Array(MR * NR);

/**
 * Matrix product `out[m×n] = op(A) · op(B)`, or `out += op(A) · op(B)` when `accumulate` is true.
 *
 * `A` is stored row-major as `[m, k]`, or as `[k, m]` when `transposeA` (so op(A) = Aᵀ);
 * `B` as `[k, n]`, or as `[n, k]` when `transposeB`. All arrays are dense, row-major, start at
 * offset 0 and have the same element type; `out` must not alias `a` or `b`. Only the first
 * `m·n` elements of `out` are written.
 *
 * Any dimension may be 0: then the result is all zeros (or `out` is left unchanged when accumulating).
 * Not reentrant (module-level scratch panels), which is fine for single-threaded JS.
 *
 * @returns `out`
 */
export function matmul(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  m: number,
  n: number,
  k: number,
  transposeA = false,
  transposeB = false,
  accumulate = false,
): FloatArray {
  checkArgs(a, b, out, m, n, k);
  if (!accumulate) out.fill(0, 0, m * n);
  if (m === 0 || n === 0 || k === 0) return out;
  ensurePanels(Math.min(m, MC), Math.min(n, NC), Math.min(k, KC));
  // Strides of op(A)[i, p] = a[i·aRow + p·aStep] and op(B)[p, j] = b[j·bCol + p·bStep].
  const aRow = transposeA ? 1 : k;
  const aStep = transposeA ? m : 1;
  const bCol = transposeB ? k : 1;
  const bStep = transposeB ? 1 : n;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      pack(b, bCol, bStep, j0, nc, p0, kc, bPanel);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        pack(a, aRow, aStep, i0, mc, p0, kc, aPanel);
        macroKernel(out, n, i0, mc, j0, nc, kc);
      }
    }
  }
  return out;
}

/** Cheap validation (no allocation unless it throws): a wrong size would otherwise read NaN silently. */
function checkArgs(a: FloatArray, b: FloatArray, out: FloatArray, m: number, n: number, k: number): void {
  if (!(Number.isInteger(m) && Number.isInteger(n) && Number.isInteger(k) && m >= 0 && n >= 0 && k >= 0)) {
    const received = `m=${m}, n=${n}, k=${k}`;
    invalid({ what: 'dimensions', where: 'matmul', expected: 'non-negative integers', received }, ShapeError);
  }
  if (a.length < m * k || b.length < k * n || out.length < m * n) {
    const received = `a.length=${a.length}, b.length=${b.length}, out.length=${out.length} with m=${m}, n=${n}, k=${k}`;
    invalid({ what: 'array sizes', where: 'matmul', expected: 'at least m·k, k·n and m·n elements', received }, ShapeError);
  }
  if (out === a || out === b) {
    invalid({ what: 'out', where: 'matmul', expected: 'an array distinct from a and b', received: 'out is the same array as an input' });
  }
}

/** Grow the panels to hold an mc×kc block of op(A) and a kc×nc block of op(B), padded to whole strips. */
function ensurePanels(mc: number, nc: number, kc: number): void {
  const aSize = Math.ceil(mc / MR) * MR * kc;
  const bSize = Math.ceil(nc / NR) * NR * kc;
  if (aPanel.length < aSize) aPanel = new Float64Array(aSize);
  if (bPanel.length < bSize) bPanel = new Float64Array(bSize);
}

/**
 * Copy the block X[x0 .. x0+xc, p0 .. p0+kc] of a strided matrix X[x, p] = src[x·sx + p·sp] into
 * dst as strips of 4 consecutive x: strip s holds, for each p in order, its 4 values of x
 * (zero-padded past xc). op(A) is packed with x = row, op(B) with x = column; MR = NR = 4.
 */
function pack(src: FloatArray, sx: number, sp: number, x0: number, xc: number, p0: number, kc: number, dst: Float64Array): void {
  let d = 0;
  const xEnd = x0 + xc;
  const pEnd = p0 + kc;
  for (let x = x0; x < xEnd; x += 4) {
    if (x + 4 <= xEnd) {
      for (let p = p0; p < pEnd; p++) {
        const s = x * sx + p * sp;
        dst[d] = src[s];
        dst[d + 1] = src[s + sx];
        dst[d + 2] = src[s + 2 * sx];
        dst[d + 3] = src[s + 3 * sx];
        d += 4;
      }
    } else {
      const w = xEnd - x;
      for (let p = p0; p < pEnd; p++) {
        const s = x * sx + p * sp;
        for (let i = 0; i < 4; i++) dst[d + i] = i < w ? src[s + i * sx] : 0;
        d += 4;
      }
    }
  }
}

/** Multiply the packed panels (mc×kc times kc×nc) and add the product into out at (i0, j0). */
function macroKernel(out: FloatArray, n: number, i0: number, mc: number, j0: number, nc: number, kc: number): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = Math.min(MR, mc - ir);
      microKernel(aPanel, ir * kc, bPanel, jr * kc, kc);
      addTile(out, (i0 + ir) * n + j0 + jr, n, rows, cols);
    }
  }
}

/** tile = (4×kc A strip at ap[ia..]) · (kc×4 B strip at bp[ib..]), accumulated in 16 locals. */
function microKernel(ap: Float64Array, ia: number, bp: Float64Array, ib: number, kc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = ap[ia], a1 = ap[ia + 1], a2 = ap[ia + 2], a3 = ap[ia + 3];
    const b0 = bp[ib], b1 = bp[ib + 1], b2 = bp[ib + 2], b3 = bp[ib + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ia += 4;
    ib += 4;
  }
  const t = tile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
}

/** out[o + r·n + c] += tile[r][c] for the rows×cols part of the tile that lies inside out. */
function addTile(out: FloatArray, o: number, n: number, rows: number, cols: number): void {
  const t = tile;
  if (rows === 4 && cols === 4) {
    for (let r = 0; r < 16; r += 4, o += n) {
      out[o] += t[r];
      out[o + 1] += t[r + 1];
      out[o + 2] += t[r + 2];
      out[o + 3] += t[r + 3];
    }
    return;
  }
  for (let r = 0; r < rows; r++, o += n) {
    for (let c = 0; c < cols; c++) out[o + c] += t[r * NR + c];
  }
}

/**
 * The matmul kernels, generated: `gemm(params, thread, threads)` computes one thread's share of
 * `C = op(A)·op(B)` (+ bias, or += C) with the blocking of layout.ts:
 *
 *   for each NC-column block of the thread's columns                       (j0)
 *     for each KC block of the shared dimension                            (p0)
 *       pack op(B)[p0.., j0..] into strips NR columns wide, kc×NR each
 *       for each MC-row block of the thread's rows                         (i0)
 *         pack op(A)[i0.., p0..] into strips MR rows tall, kc×MR each
 *         for each NR strip of B, for each MR strip of A: the micro-kernel on one MR×NR tile of C
 *
 * Packing makes the four transpose variants one problem: strided reads happen once, in `pack`, and the
 * micro-kernel reads two unit-stride panels. The micro-kernel starts its accumulators from zero, from
 * C (accumulate, or a later KC block), from the bias row (the fused bias: free, it is the initial
 * value) or from both, so no separate pass touches C. Edge tiles run through a scratch tile.
 */
import {
  call, f32, f32x4, forRange, i32, if_, local, loop, br_if, ret, seq, shuffle32, v128, type Code, type Local, type Value,
} from '../emitter/instructions';
import type { FunctionDef, WasmModule } from '../emitter/wasm-module';
import { GEMM_FLAGS, GEMM_PARAMS, gemmScratchLayout, type GemmBlocking } from './layout';

/** How the micro-kernel's accumulators start: zero, C, the bias row, or C plus the bias row. */
const INIT = { zero: 0, c: 1, bias: 2, cBias: 3 } as const;

/**
 * Add the matmul functions to `mod`; exports `gemm`. `relaxed`: f32x4.relaxed_madd instead of
 * f32x4.mul + f32x4.add. The scratch layout must be `gemmScratchLayout(blocking)`.
 */
export function emitGemm(mod: WasmModule, relaxed: boolean, blocking: GemmBlocking): void {
  const { MR, NV, KC, MC, NC, UNROLL } = blocking;
  const NR = 4 * NV;
  const ukernel = emitMicroKernel(mod, MR, NV, UNROLL, relaxed);
  const packA = emitPack(mod, 'pack_a', MR);
  const packB = emitPack(mod, 'pack_b', NR);
  const tile = emitEdgeTile(mod, ukernel, MR, NR);
  const scratch = gemmScratchLayout(blocking);

  mod.func('gemm', ['i32', 'i32', 'i32'], [], ([params, tid, nt], L) => {
    const [a, b, c, bias, m, n, k, flags] = Array.from({ length: 8 }, () => L('i32'));
    const [xsA, psA, xsB, psB, row0, row1, col0, col1, strips, s0, s1] = Array.from({ length: 11 }, () => L('i32'));
    const [aPanel, bPanel, cTile, init, mode, j0, nc, p0, kc, i0, mc, jr, ir] = Array.from({ length: 13 }, () => L('i32'));
    const field = (f: keyof typeof GEMM_PARAMS) => i32.load(params, GEMM_PARAMS[f]);
    const bit = (mask: number) => i32.ne(i32.and(flags, mask), 0);
    const select = (cond: Code, yes: Value, no: Value): Code => seq(i32.add(i32.mul(cond, i32.sub(yes, no)), no));
    // A share of `count` items in strips of `width`: [from, to) for this thread.
    const share = (count: Local, width: number, from: Local, to: Local) => seq(
      local.set(strips, i32.div_u(i32.add(count, width - 1), width)),
      local.set(s0, i32.div_u(i32.mul(tid, strips), nt)),
      local.set(s1, i32.div_u(i32.mul(i32.add(tid, 1), strips), nt)),
      local.set(from, i32.mul(s0, width)),
      local.set(to, i32.mul(s1, width)),
      local.set(to, i32.min_u(to, count)),
    );
    return seq(
      local.set(a, field('a')), local.set(b, field('b')), local.set(c, field('c')), local.set(bias, field('bias')),
      local.set(m, field('m')), local.set(n, field('n')), local.set(k, field('k')), local.set(flags, field('flags')),
      // op(A)[i, p] = a[i·xsA + p·psA]; op(B)[p, j] = b[j·xsB + p·psB] (element strides).
      local.set(xsA, select(bit(GEMM_FLAGS.transposeA), 1, k)),
      local.set(psA, select(bit(GEMM_FLAGS.transposeA), m, 1)),
      local.set(xsB, select(bit(GEMM_FLAGS.transposeB), k, 1)),
      local.set(psB, select(bit(GEMM_FLAGS.transposeB), 1, n)),
      if_(bit(GEMM_FLAGS.splitColumns),
        seq(local.set(row0, 0), local.set(row1, m), share(n, NR, col0, col1)),
        seq(local.set(col0, 0), local.set(col1, n), share(m, MR, row0, row1))),
      if_(i32.or(i32.ge_u(row0, row1), i32.ge_u(col0, col1)), ret()),
      local.set(aPanel, i32.add(field('scratch'), i32.mul(tid, field('scratchStride')))),
      local.set(bPanel, i32.add(aPanel, scratch.b)),
      local.set(cTile, i32.add(aPanel, scratch.tile)),
      // zero + 2·[bias] + [accumulate] = zero, c, bias or cBias.
      local.set(init, i32.add(i32.shl(i32.ne(bias, 0), 1), bit(GEMM_FLAGS.accumulate))),
      forRange(j0, col0, col1, NC,
        local.set(nc, i32.sub(col1, j0)), local.set(nc, i32.min_u(nc, NC)),
        forRange(p0, 0, k, KC,
          local.set(kc, i32.sub(k, p0)), local.set(kc, i32.min_u(kc, KC)),
          call(packB, b, xsB, psB, j0, nc, p0, kc, bPanel),
          local.set(mode, select(i32.eqz(p0), init, INIT.c)),
          forRange(i0, row0, row1, MC,
            local.set(mc, i32.sub(row1, i0)), local.set(mc, i32.min_u(mc, MC)),
            call(packA, a, xsA, psA, i0, mc, p0, kc, aPanel),
            forRange(jr, 0, nc, NR,
              forRange(ir, 0, mc, MR,
                call(tile,
                  i32.add(aPanel, i32.shl(i32.mul(ir, kc), 2)),
                  i32.add(bPanel, i32.shl(i32.mul(jr, kc), 2)),
                  kc,
                  i32.add(c, i32.shl(i32.add(i32.mul(i32.add(i0, ir), n), i32.add(j0, jr)), 2)),
                  i32.shl(n, 2),
                  i32.sub(mc, ir), i32.sub(nc, jr),
                  mode,
                  i32.add(bias, i32.shl(i32.add(j0, jr), 2)),
                  cTile)))))),
    );
  }, { exported: true });
}

/**
 * `ukernel(ap, bp, kc, c, ldc, init, bias)`: the MR×NR tile at `c` (row stride `ldc` bytes) from the
 * packed strips `ap` (kc×MR) and `bp` (kc×NR). The accumulators are locals (TurboFan keeps them in
 * registers); each step loads NV vectors of B, broadcasts MR values of A from memory (one load each, no
 * shuffle) and does MR·NV multiply-adds. The loop is unrolled UNROLL times with constant load offsets.
 */
function emitMicroKernel(mod: WasmModule, MR: number, NV: number, UNROLL: number, relaxed: boolean): FunctionDef {
  const NR = 4 * NV;
  return mod.func('ukernel', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], ([ap, bp, kc, c, ldc, init, bias], L) => {
    const acc = Array.from({ length: MR }, () => Array.from({ length: NV }, () => L('v128')));
    const bv = Array.from({ length: NV }, () => L('v128'));
    const av = L('v128');
    const rows = Array.from({ length: MR }, () => L('i32'));
    const count = L('i32');
    const madd = (x: Value, y: Value, z: Value) => (relaxed ? f32x4.relaxed_madd(x, y, z) : f32x4.add(f32x4.mul(x, y), z));
    const step = (u: number): Code => seq(
      ...bv.map((v, j) => local.set(v, v128.load(bp, (u * NR + 4 * j) * 4))),
      ...acc.map((row, r) => seq(
        local.set(av, v128.load32_splat(ap, (u * MR + r) * 4)),
        ...row.map((x, j) => local.set(x, madd(av, bv[j], x))),
      )),
    );
    const steps = (n: number): Code => seq(
      ...Array.from({ length: n }, (_, u) => step(u)),
      local.set(ap, i32.add(ap, n * MR * 4)),
      local.set(bp, i32.add(bp, n * NR * 4)),
    );
    const forEachAcc = (f: (x: Local, r: number, j: number) => Code) => seq(...acc.flatMap((row, r) => row.map((x, j) => f(x, r, j))));
    return seq(
      ...rows.map((row, r) => local.set(row, r === 0 ? local.get(c) : i32.add(rows[r - 1], ldc))),
      if_(i32.eq(init, INIT.c),
        forEachAcc((x, r, j) => local.set(x, v128.load(rows[r], 16 * j))),
        if_(i32.eq(init, INIT.bias),
          forEachAcc((x, _r, j) => local.set(x, v128.load(bias, 16 * j))),
          if_(i32.eq(init, INIT.cBias),
            forEachAcc((x, r, j) => local.set(x, f32x4.add(v128.load(rows[r], 16 * j), v128.load(bias, 16 * j)))),
            forEachAcc((x) => local.set(x, v128.zero()))))),
      // kc / UNROLL unrolled steps, then the remaining kc % UNROLL one by one.
      local.set(count, i32.shr_u(kc, Math.log2(UNROLL))),
      if_(count, loop(steps(UNROLL), local.set(count, i32.sub(count, 1)), br_if(0, count))),
      local.set(count, i32.and(kc, UNROLL - 1)),
      if_(count, loop(steps(1), local.set(count, i32.sub(count, 1)), br_if(0, count))),
      forEachAcc((x, r, j) => v128.store(rows[r], x, 16 * j)),
    );
  });
}

/**
 * `pack(src, xs, ps, x0, xc, p0, kc, dst)`: the block X[x0 .. x0+xc, p0 .. p0+kc] of a strided matrix
 * X[x, p] = src[x·xs + p·ps] (element strides) as strips of W consecutive x: strip s holds, for each p
 * in order, its W values (zeros past xc). op(A) is packed with x = row, op(B) with x = column. Three
 * ways, fastest first:
 * - a full strip with xs = 1 (Aᵀ, or B): W contiguous floats per p, copied with vector loads;
 * - a full strip with ps = 1 (A, or Bᵀ): 4 x at a time, 4×4 blocks transposed in registers (8 shuffles
 *   for 16 values instead of 16 scalar loads and stores). Counted with callgrind (TurboFan code, one
 *   thread), a 256×1024 · (1024×1024)ᵀ product went from 261 M to 243 M instructions, where the
 *   micro-kernels alone take about 239 M: packing Bᵀ fell from 8 % of the work to under 2 %;
 * - anything else (edge strips): each x walked along p, zeros past the edge.
 */
function emitPack(mod: WasmModule, name: string, W: number): FunctionDef {
  return mod.func(name, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], ([src, xs, ps, x0, xc, p0, kc, dst], L) => {
    const [x, xEnd, w, sp, p, r, d, psBytes, kc4] = Array.from({ length: 9 }, () => L('i32'));
    const rowPtr = Array.from({ length: 4 }, () => L('i32'));
    const rv = Array.from({ length: 4 }, () => L('v128'));
    const tv = Array.from({ length: 4 }, () => L('v128'));
    const copyW: Code[] = [];
    for (let o = 0; o + 4 <= W; o += 4) copyW.push(v128.store(d, v128.load(sp, o * 4), o * 4));
    for (let o = W - (W % 4); o < W; o++) copyW.push(f32.store(d, f32.load(sp, o * 4), o * 4));
    /** Start of x = strip + r along p (element p0). */
    const xStart = (r: Value) => i32.add(src, i32.shl(i32.add(i32.mul(i32.add(x, r), xs), i32.mul(p0, ps)), 2));
    /** Copy x = strip + r for every p, or zeros when `zero`: d walks dst[p·W + r]. */
    const walk = (rIndex: Value, zero: boolean) => seq(
      local.set(d, i32.add(dst, i32.shl(rIndex, 2))),
      zero
        ? forRange(p, 0, kc, 1, f32.store(d, f32.const(0)), local.set(d, i32.add(d, W * 4)))
        : seq(local.set(sp, xStart(rIndex)),
          forRange(p, 0, kc, 1, f32.store(d, f32.load(sp)), local.set(sp, i32.add(sp, psBytes)), local.set(d, i32.add(d, W * 4)))),
    );
    // 4×4 transposes for the groups of 4 x of a full strip (ps = 1), then the W % 4 leftover x.
    const transposed: Code[] = [];
    for (let g = 0; g + 4 <= W; g += 4) {
      transposed.push(
        ...rowPtr.map((ptr, i) => local.set(ptr, xStart(g + i))),
        local.set(d, i32.add(dst, g * 4)),
        forRange(p, 0, kc4, 4,
          ...rv.map((v, i) => local.set(v, v128.load(rowPtr[i]))),
          local.set(tv[0], shuffle32(rv[0], rv[1], [0, 4, 1, 5])),
          local.set(tv[1], shuffle32(rv[2], rv[3], [0, 4, 1, 5])),
          local.set(tv[2], shuffle32(rv[0], rv[1], [2, 6, 3, 7])),
          local.set(tv[3], shuffle32(rv[2], rv[3], [2, 6, 3, 7])),
          v128.store(d, shuffle32(tv[0], tv[1], [0, 1, 4, 5]), 0),
          v128.store(d, shuffle32(tv[0], tv[1], [2, 3, 6, 7]), W * 4),
          v128.store(d, shuffle32(tv[2], tv[3], [0, 1, 4, 5]), 2 * W * 4),
          v128.store(d, shuffle32(tv[2], tv[3], [2, 3, 6, 7]), 3 * W * 4),
          ...rowPtr.map((ptr) => local.set(ptr, i32.add(ptr, 16))),
          local.set(d, i32.add(d, 4 * W * 4)),
        ),
        forRange(p, kc4, kc, 1,
          ...rowPtr.map((ptr, i) => f32.store(d, f32.load(ptr), i * 4)),
          ...rowPtr.map((ptr) => local.set(ptr, i32.add(ptr, 4))),
          local.set(d, i32.add(d, W * 4)),
        ),
      );
    }
    for (let g = W - (W % 4); g < W; g++) transposed.push(walk(g, false));
    return seq(
      local.set(xEnd, i32.add(x0, xc)),
      local.set(psBytes, i32.shl(ps, 2)),
      local.set(kc4, i32.and(kc, ~3)),
      forRange(x, x0, xEnd, W,
        local.set(w, i32.sub(xEnd, x)), local.set(w, i32.min_u(w, W)),
        if_(i32.and(i32.eq(w, W), i32.eq(xs, 1)),
          seq(
            local.set(sp, xStart(0)),
            local.set(d, dst),
            forRange(p, 0, kc, 1, ...copyW, local.set(sp, i32.add(sp, psBytes)), local.set(d, i32.add(d, W * 4))),
          ),
          if_(i32.and(i32.eq(w, W), i32.eq(ps, 1)),
            seq(...transposed),
            forRange(r, 0, W, 1, if_(i32.lt_u(r, w), walk(r, false), walk(r, true))))),
        local.set(dst, i32.add(dst, i32.mul(kc, W * 4))),
      ),
    );
  });
}

/**
 * `tile(ap, bp, kc, c, ldc, rows, cols, init, bias, scratch)`: a full MR×NR tile goes straight to the
 * micro-kernel; an edge tile (rows < MR or cols < NR) is copied into `scratch`, computed there, and its
 * valid part copied back. Bias columns past the edge read padding and land in discarded columns.
 */
function emitEdgeTile(mod: WasmModule, ukernel: FunctionDef, MR: number, NR: number): FunctionDef {
  const args = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'] as const;
  return mod.func('tile', args, [], ([ap, bp, kc, c, ldc, rows, cols, init, bias, scratch], L) => {
    const [r, q, cRow, sRow] = Array.from({ length: 4 }, () => L('i32'));
    const rowsClamped = i32.min_u(rows, MR);
    const colsClamped = i32.min_u(cols, NR);
    // Copy the valid rows×cols part between C and the scratch tile, one way or the other.
    const copy = (toScratch: boolean) => forRange(r, 0, rowsClamped, 1,
      local.set(cRow, i32.add(c, i32.mul(r, ldc))),
      local.set(sRow, i32.add(scratch, i32.mul(r, NR * 4))),
      forRange(q, 0, colsClamped, 1,
        toScratch
          ? f32.store(i32.add(sRow, i32.shl(q, 2)), f32.load(i32.add(cRow, i32.shl(q, 2))))
          : f32.store(i32.add(cRow, i32.shl(q, 2)), f32.load(i32.add(sRow, i32.shl(q, 2))))),
    );
    return seq(
      if_(i32.and(i32.ge_u(rows, MR), i32.ge_u(cols, NR)), seq(call(ukernel, ap, bp, kc, c, ldc, init, bias), ret())),
      if_(i32.and(init, 1), copy(true)), // INIT.c and INIT.cBias read C
      call(ukernel, ap, bp, kc, scratch, NR * 4, init, bias),
      copy(false),
    );
  });
}

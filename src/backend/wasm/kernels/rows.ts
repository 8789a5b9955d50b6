/**
 * Row-wise kernels, generated: the bias gradient's column sums and dropout. Both give the CPU backend's
 * results bit for bit:
 *
 * - `sum_rows` adds row after row into the output in float32, as cpu-backend.ts does (a float32 sum of
 *   two float32 values equals the float64 sum rounded to float32, so the order is all that matters);
 * - `dropout` draws the counter-based RNG of src/random/counter-rng.ts four lanes at a time (uint32
 *   multiplies, shifts and xors are the same in i32x4), compares the 24-bit draw with the rate as an
 *   integer (`u·2⁻²⁴ ≥ rate` ⇔ `u ≥ ⌈rate·2²⁴⌉`, exact), and scales kept values in float64 before rounding
 *   to float32, as the CPU's `x[i] * scale` does.
 */
import {
  call, f32, f32x4, f64, f64x2, forRange, i32, i32x4, if_, local, seq, shuffle32, v128, type Code, type Local, type Value,
} from '../emitter/instructions';
import type { WasmModule } from '../emitter/wasm-module';

/** The RNG's constants (counter-rng.ts: MurmurHash3's finaliser and the key offsets). */
const M1 = 0x85ebca6b | 0;
const M2 = 0xc2b2ae35 | 0;
const SEED_OFFSET = 0x9e3779b9 | 0;
const STREAM_OFFSET = 0x7f4a7c15 | 0;

/** Add `sum_rows` and `dropout` to `mod` (both exported). */
export function emitRowKernels(mod: WasmModule): void {
  // sum_rows(x, out, rows, cols): out[c] = Σ_r x[r, c], accumulated row by row in float32.
  mod.func('sum_rows', ['i32', 'i32', 'i32', 'i32'], [], ([x, out, rows, cols], L) => {
    const [r, c, row, vecEnd] = Array.from({ length: 4 }, () => L('i32'));
    const at = (base: Value, index: Value) => i32.add(base, i32.shl(index, 2));
    return seq(
      local.set(vecEnd, i32.and(cols, ~3)),
      forRange(c, 0, vecEnd, 4, v128.store(at(out, c), v128.zero())),
      forRange(c, vecEnd, cols, 1, f32.store(at(out, c), f32.const(0))),
      local.set(row, x),
      forRange(r, 0, rows, 1,
        forRange(c, 0, vecEnd, 4, v128.store(at(out, c), f32x4.add(v128.load(at(out, c)), v128.load(at(row, c))))),
        forRange(c, vecEnd, cols, 1, f32.store(at(out, c), f32.add(f32.load(at(out, c)), f32.load(at(row, c))))),
        local.set(row, at(row, cols)),
      ),
    );
  }, { exported: true });

  const mix = mod.func('rng_mix', ['i32'], ['i32'], ([x]) => seq(
    local.set(x, i32.xor(x, i32.shr_u(x, 16))),
    local.set(x, i32.mul(x, M1)),
    local.set(x, i32.xor(x, i32.shr_u(x, 13))),
    local.set(x, i32.mul(x, M2)),
    i32.xor(x, i32.shr_u(x, 16)),
  ));
  const callMix = (v: Value): Code => call(mix, v);
  const mixV = (v: Value, t: Local) => seq(
    local.set(t, v),
    local.set(t, v128.xor(t, i32x4.shr_u(t, 16))),
    local.set(t, i32x4.mul(t, i32x4.splat(M1))),
    local.set(t, v128.xor(t, i32x4.shr_u(t, 13))),
    local.set(t, i32x4.mul(t, i32x4.splat(M2))),
    local.set(t, v128.xor(t, i32x4.shr_u(t, 16))),
  );

  // dropout(x, out, n, seed, stream, threshold, scale): out[i] = u(seed, stream, i) ≥ threshold ? x[i]·scale : 0.
  mod.func('dropout', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f64'], [], ([x, out, n, seed, stream, threshold, scale], L) => {
    const [k, s, i, vecEnd, h] = Array.from({ length: 5 }, () => L('i32'));
    const [idx, hv, xv, keep] = Array.from({ length: 4 }, () => L('v128'));
    const at = (base: Value, index: Value) => i32.add(base, i32.shl(index, 2));
    const scaled = (lanes: Code) => f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(lanes), f64x2.splat(scale)));
    const iota = [0, 1, 2, 3].flatMap((v) => [v, 0, 0, 0]);
    return seq(
      local.set(k, callMix(i32.add(seed, SEED_OFFSET))),
      local.set(s, callMix(i32.xor(k, i32.add(stream, STREAM_OFFSET)))),
      local.set(vecEnd, i32.and(n, ~3)),
      local.set(idx, v128.const(iota)),
      forRange(i, 0, vecEnd, 4,
        mixV(v128.xor(i32x4.splat(s), idx), hv),
        mixV(i32x4.add(hv, i32x4.splat(k)), hv),
        local.set(keep, i32x4.ge_s(i32x4.shr_u(hv, 8), i32x4.splat(threshold))),
        local.set(xv, v128.load(at(x, i))),
        v128.store(at(out, i), v128.and(shuffle32(scaled(local.get(xv)), scaled(shuffle32(xv, xv, [2, 3, 0, 1])), [0, 1, 4, 5]), keep)),
        local.set(idx, i32x4.add(idx, i32x4.splat(4))),
      ),
      forRange(i, vecEnd, n, 1,
        local.set(h, callMix(i32.add(callMix(i32.xor(s, i)), k))),
        if_(i32.ge_u(i32.shr_u(h, 8), threshold),
          f32.store(at(out, i), f32.demote_f64(f64.mul(f64.promote_f32(f32.load(at(x, i))), scale))),
          f32.store(at(out, i), f32.const(0))),
      ),
    );
  }, { exported: true });
}

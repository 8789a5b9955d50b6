/**
 * Batch normalization over the batch axis of a `[rows, cols]` matrix, generated: the skeleton of
 * cpu/batchnorm-math.ts, two columns at a time in float64x2 (an odd last column runs the same code on
 * one lane). Every sum runs over the rows in the CPU's order and in float64, with the same operations in
 * the same order, so the results equal the CPU backend's bit for bit (wasm never fuses a multiply-add).
 * The statistics are per column, so the kernels walk each column pair down the rows; a batch of a few
 * hundred rows keeps the matrix in L2.
 */
import { f32x4, f64, f64x2, forRange, i32, if_, local, seq, v128, type Code, type Local, type Value } from '../emitter/instructions';
import type { WasmModule } from '../emitter/wasm-module';

/** Loads and stores of one column pair (`pair`) or of the odd last column (lane 0 only). */
function lanes(pair: boolean) {
  return {
    /** float32 values at `addr` as float64x2. */
    load: (addr: Value): Code => f64x2.promote_low_f32x4(pair ? v128.load64_zero(addr) : v128.load32_zero(addr)),
    /** float64x2 rounded to float32 and stored at `addr`. */
    store: (addr: Value, v: Code): Code => {
      const narrowed = f32x4.demote_f64x2_zero(v);
      return pair ? v128.store64_lane(addr, narrowed, 0) : v128.store32_lane(addr, narrowed, 0);
    },
  };
}

/** `for c in column pairs: body(c, pair=true)`, then `body(cols − 1, pair=false)` when cols is odd. */
function columns(c: Local, cols: Local, pairsEnd: Local, body: (pair: boolean) => Code): Code {
  return seq(
    local.set(pairsEnd, i32.and(cols, ~1)),
    forRange(c, 0, pairsEnd, 2, body(true)),
    if_(i32.ne(pairsEnd, cols), seq(local.set(c, pairsEnd), body(false))),
  );
}

/** Add `bn_forward` and `bn_backward` to `mod` (both exported). */
export function emitBatchNormKernels(mod: WasmModule): void {
  const forwardParams = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f64', 'f64', 'f64'] as const;
  // bn_forward(x, out, gamma, beta, movingMean, movingVar, savedMean, savedInvStd, rows, cols, training,
  //            momentum, 1 − momentum, epsilon)
  mod.func('bn_forward', forwardParams, [], (params, L) => {
    const [x, out, gamma, beta, mMean, mVar, sMean, sInv, rows, cols, training, momentum, rest, epsilon] = params;
    const [c, r, off, p, q, stride, pairsEnd] = Array.from({ length: 7 }, () => L('i32'));
    const [sum, mean, sq, d, variance, inv, g, b, n] = Array.from({ length: 9 }, () => L('v128'));
    const col = (base: Local) => i32.add(base, off);
    const down = (from: Local, ...body: Code[]) => seq(local.set(p, col(from)), forRange(r, 0, rows, 1, ...body, local.set(p, i32.add(p, stride))));
    const one = f64x2.splat(f64.const(1));
    const body = (pair: boolean): Code => {
      const { load, store } = lanes(pair);
      return seq(
        local.set(off, i32.shl(c, 2)),
        if_(training,
          seq(
            local.set(sum, v128.zero()),
            down(x, local.set(sum, f64x2.add(sum, load(p)))),
            local.set(mean, f64x2.div(sum, n)),
            local.set(sq, v128.zero()),
            down(x, local.set(d, f64x2.sub(load(p), mean)), local.set(sq, f64x2.add(sq, f64x2.mul(d, d)))),
            local.set(variance, f64x2.div(sq, n)),
            local.set(inv, f64x2.div(one, f64x2.sqrt(f64x2.add(variance, f64x2.splat(epsilon))))),
            store(col(mMean), f64x2.add(f64x2.mul(load(col(mMean)), f64x2.splat(momentum)), f64x2.mul(mean, f64x2.splat(rest)))),
            store(col(mVar), f64x2.add(f64x2.mul(load(col(mVar)), f64x2.splat(momentum)), f64x2.mul(variance, f64x2.splat(rest)))),
          ),
          seq(
            local.set(mean, load(col(mMean))),
            local.set(inv, f64x2.div(one, f64x2.sqrt(f64x2.add(load(col(mVar)), f64x2.splat(epsilon))))),
          )),
        store(col(sMean), local.get(mean)),
        store(col(sInv), local.get(inv)),
        local.set(g, f64x2.mul(load(col(gamma)), inv)),
        local.set(b, f64x2.sub(load(col(beta)), f64x2.mul(mean, g))),
        local.set(q, col(out)),
        down(x, store(q, f64x2.add(f64x2.mul(load(p), g), b)), local.set(q, i32.add(q, stride))),
      );
    };
    return seq(
      local.set(stride, i32.shl(cols, 2)),
      local.set(n, f64x2.splat(f64.convert_i32_u(rows))),
      columns(c, cols, pairsEnd, body),
    );
  }, { exported: true });

  // bn_backward(dy, x, gamma, savedMean, savedInvStd, dx (0: none), dGamma, dBeta, rows, cols, training)
  const backwardParams = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'] as const;
  mod.func('bn_backward', backwardParams, [], (params, L) => {
    const [dy, x, gamma, sMean, sInv, dx, dGamma, dBeta, rows, cols, training] = params;
    const [c, r, off, p, q, o, stride, pairsEnd] = Array.from({ length: 8 }, () => L('i32'));
    const [mean, inv, sumDy, sumDyXhat, g, k, n] = Array.from({ length: 7 }, () => L('v128'));
    const col = (base: Local) => i32.add(base, off);
    // Walk x (p), dy (q) and dx (o) down one column pair.
    const down = (...body: Code[]) => seq(
      local.set(p, col(x)), local.set(q, col(dy)), local.set(o, col(dx)),
      forRange(r, 0, rows, 1, ...body, local.set(p, i32.add(p, stride)), local.set(q, i32.add(q, stride)), local.set(o, i32.add(o, stride))),
    );
    const body = (pair: boolean): Code => {
      const { load, store } = lanes(pair);
      return seq(
        local.set(off, i32.shl(c, 2)),
        local.set(mean, load(col(sMean))),
        local.set(inv, load(col(sInv))),
        local.set(sumDy, v128.zero()),
        local.set(sumDyXhat, v128.zero()),
        down(
          local.set(g, load(q)),
          local.set(sumDy, f64x2.add(sumDy, g)),
          local.set(sumDyXhat, f64x2.add(sumDyXhat, f64x2.mul(f64x2.mul(g, f64x2.sub(load(p), mean)), inv))),
        ),
        store(col(dBeta), local.get(sumDy)),
        store(col(dGamma), local.get(sumDyXhat)),
        if_(dx, if_(training,
          seq(
            local.set(k, f64x2.div(f64x2.mul(load(col(gamma)), inv), n)),
            // dx = k·(N·dy − Σdy − x̂·Σdy·x̂), x̂ = (x − μ)·σ⁻¹
            down(store(o, f64x2.mul(k, f64x2.sub(f64x2.sub(f64x2.mul(n, load(q)), sumDy), f64x2.mul(f64x2.mul(f64x2.sub(load(p), mean), inv), sumDyXhat))))),
          ),
          seq(
            local.set(k, f64x2.mul(load(col(gamma)), inv)),
            down(store(o, f64x2.mul(k, load(q)))),
          ))),
      );
    };
    return seq(
      local.set(stride, i32.shl(cols, 2)),
      local.set(n, f64x2.splat(f64.convert_i32_u(rows))),
      columns(c, cols, pairsEnd, body),
    );
  }, { exported: true });
}

/**
 * The wasm matmul against the CPU backend, written once and run in Node (matmul.test.ts: plain SIMD on
 * Node 20, threads over worker_threads) and in Chromium (matmul.browser.test.ts: relaxed SIMD, one
 * thread): every transpose combination on sizes of 1, odd sizes, sizes that are not multiples of the
 * register tile or the cache blocks, large ones; the fused epilogue; accumulate; k = 0; and the same
 * bits whatever the number of threads. Tolerance: matmulTolerance (helpers.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getActivation } from '../../../src/activations';
import type { WasmFlags } from '../../../src/backend/wasm/flags';
import type { WasmBackend } from '../../../src/backend/wasm/wasm-backend';
import { Twins, expectTransposesClose, expectTwinsClose, matmulTolerance as tol, twinMatmul, wasmBackend } from './helpers';

const SHAPES: [m: number, n: number, k: number][] = [
  [1, 1, 1],
  [7, 5, 3],
  [33, 17, 65],
  [130, 12, 36],
  [37, 29, 300],
  // More rows than one MC block, more k than one KC block, columns not a multiple of 8.
  [257, 131, 1023],
  [200, 1030, 260],
];

const relu = getActivation('relu');

/** The suite for one set of flags; `expectSimd` is what the backend must have chosen. */
export function describeWasmMatmul(flags: Partial<WasmFlags>, expectSimd: 'plain' | 'relaxed'): void {
  describe(`wasm matmul (${JSON.stringify(flags)})`, () => {
    let twins: Twins;
    let backend: WasmBackend;
    beforeAll(async () => {
      backend = await wasmBackend(flags);
      twins = new Twins(backend);
    });

    it(`runs ${expectSimd} SIMD`, () => {
      expect(backend.info.simd).toBe(expectSimd);
    });

    for (const [m, n, k] of SHAPES) {
      it(`matches the CPU for [${m}×${k}]·[${k}×${n}] in every transpose combination`, () => expectTransposesClose(twins, m, n, k, tol(k)));
    }

    it('fuses the bias, applies relu after it and stores the preActivation', async () => {
      for (const [m, n, k] of [[33, 20, 17], [130, 1030, 70]]) {
        const { out, pre } = twinMatmul(twins, m, n, k, false, false, { bias: true, pre: true, activation: relu });
        await expectTwinsClose(out[0], out[1], tol(k), `out ${m}×${n}`);
        await expectTwinsClose(pre[0]!, pre[1]!, tol(k), `preActivation ${m}×${n}`);
      }
    });

    it('applies a row-wise softmax after the product, with and without a preActivation', async () => {
      const softmax = getActivation('softmax');
      for (const pre of [false, true]) {
        const { out } = twinMatmul(twins, 9, 10, 12, false, false, { bias: true, pre, activation: softmax });
        await expectTwinsClose(out[0], out[1], { rtol: 1e-5, atol: 1e-6 }, `softmax, preActivation=${pre}`);
      }
    });

    it('accumulates into the output, and with a bias into the preActivation', async () => {
      const { out } = twinMatmul(twins, 70, 10, 50, true, false, { accumulate: true });
      await expectTwinsClose(out[0], out[1], tol(50), 'accumulate');
      const both = twinMatmul(twins, 23, 19, 300, false, true, { accumulate: true, bias: true, pre: true, activation: relu });
      await expectTwinsClose(both.pre[0]!, both.pre[1]!, tol(300), 'accumulate + bias: preActivation');
      await expectTwinsClose(both.out[0], both.out[1], tol(300), 'accumulate + bias: out');
    });

    it('gives the bias alone (or zeros, or the unchanged output) when k = 0', async () => {
      for (const extra of [{ bias: true }, {}, { accumulate: true }]) {
        const { out } = twinMatmul(twins, 5, 6, 0, false, false, extra);
        expect(Array.from(await out[1].data()), JSON.stringify(extra)).toEqual(Array.from(await out[0].data()));
      }
    });
  });
}

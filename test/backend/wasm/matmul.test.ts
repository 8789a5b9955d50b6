/**
 * The wasm matmul in Node (see matmul-suite.ts): on one thread and on three (worker_threads), with
 * plain SIMD forced, and with relaxed SIMD where this Node has it. Then the thread count changes no bit.
 */
import { describe, expect, it } from 'vitest';
import { hasRelaxedSimd } from '../../../src/backend/wasm/features';
import { describeWasmMatmul } from './matmul-suite';
import { seeded, uniform, wasmBackend } from './helpers';

describeWasmMatmul({ threads: 1, simd: 'plain' }, 'plain');
// minParallelWork 0: even the small products are split, so every shape exercises the shares.
describeWasmMatmul({ threads: 3, simd: 'plain', minParallelWork: 0 }, 'plain');
if (hasRelaxedSimd()) describeWasmMatmul({ threads: 2, simd: 'relaxed', minParallelWork: 0 }, 'relaxed');

describe('wasm matmul threads', () => {
  it('give the same bits on 1, 2 and 3 threads, splitting rows or columns', async () => {
    const backends = await Promise.all([1, 2, 3].map((threads) => wasmBackend({ threads, simd: 'plain', minParallelWork: 0 })));
    const r = seeded(3);
    for (const [m, n, k] of [[257, 131, 1023], [31, 700, 90]]) {
      for (const transposeA of [false, true]) {
        const a = uniform(r, m * k);
        const b = uniform(r, k * n);
        const bias = uniform(r, n);
        const results = await Promise.all(backends.map(async (w) => {
          const out = w.alloc([m, n], 'float32');
          w.matmul(w.upload(a, transposeA ? [k, m] : [m, k], 'float32'), w.upload(b, [k, n], 'float32'), out, { transposeA, bias: w.upload(bias, [n], 'float32') });
          return out.data();
        }));
        expect(results[1], `${m}×${n}×${k}, 2 threads`).toEqual(results[0]);
        expect(results[2], `${m}×${n}×${k}, 3 threads`).toEqual(results[0]);
      }
    }
  });
});

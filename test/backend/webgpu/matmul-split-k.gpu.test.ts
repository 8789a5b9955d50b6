/**
 * Split-k matmul (kernels/matmul.ts): products with a small output and a long k, such as the weight
 * gradient xᵀ·dy of a large batch, are cut into slices of k whose partial sums a second pass adds in a
 * fixed order. Checked against the CPU for both product kernels (the `matmulSplitK: 'always'` flag forces
 * the split), in every transpose combination, on odd sizes, with the fused epilogue; and the heuristic
 * picks it for the backward shapes it was measured on.
 *
 * Tolerance: |gpu − cpu| ≤ 1e-5·|cpu| + 1e-6·√k with inputs in [−1, 1), the bound of matmul.gpu.test.ts.
 * Split, each float32 sum is shorter (a slice of at most ⌈k / slices⌉ products, then one sum over the
 * slices), so the rounding error is smaller than one pass over k: measured on SwiftShader over these
 * shapes and transposes, worst output 3.6e-7·√k (blocked) and 3.4e-7·√k (tiled) split, against
 * 1.15e-6·√k for the same products unsplit, which would not pass this bound at these k.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { splitFor } from '../../../src/backend/webgpu/kernels/matmul';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, expectTransposesClose, expectTwinsClose, gpuBackend, twinMatmul, type MatmulExtras } from './helpers';
import { getActivation } from '../../../src/activations';

/** [m, n, k]: odd sizes, outputs of 1 to several tiles, k from the smallest split to a few thousand. */
const SHAPES: [m: number, n: number, k: number][] = [
  [1, 1, 17],
  [10, 1, 2047],
  [13, 3, 1000],
  [37, 10, 515],
  [5, 70, 301],
];
const tol = (k: number) => ({ rtol: 1e-5, atol: 1e-6 * Math.sqrt(k) });
const seed = (m: number, n: number, k: number) => m * 7919 + n * 104729 + k;

describe('the split-k heuristic', () => {
  it('splits the weight gradients of large batches on the blocked kernel (shapes measured on 2 cores)', () => {
    for (const [m, n, k] of [[128, 10, 4096], [10, 1, 8192], [64, 10, 2048], [128, 10, 128]] as const) {
      expect(splitFor('blocked', m, n, k, 'auto', 2).slices, `${m}×${n}×${k}`).toBeGreaterThan(1);
    }
  });

  it('leaves large outputs and short k alone', () => {
    for (const [m, n, k] of [[128, 64, 4096], [784, 128, 256], [512, 512, 64], [10, 1, 64]] as const) {
      expect(splitFor('blocked', m, n, k, 'auto', 2).slices, `${m}×${n}×${k}`).toBe(1);
    }
    expect(splitFor('tiled', 512, 512, 1024, 'auto').slices).toBe(1);
  });

  it('splits larger outputs where there are more CPU threads, and few GPU tiles', () => {
    expect(splitFor('blocked', 128, 64, 4096, 'auto', 16).slices).toBe(8); // best measured: 8–32
    const tiled = splitFor('tiled', 128, 10, 4096, 'auto').slices; // best measured on an H200: 32–64
    expect(tiled).toBeGreaterThanOrEqual(32);
    expect(tiled).toBeLessThanOrEqual(64);
  });

  it('cuts k into slices that are multiples of 8 and cover k exactly', () => {
    for (const kernel of ['blocked', 'tiled'] as const) {
      for (const [m, n, k] of SHAPES) {
        const { slices, kSlice } = splitFor(kernel, m, n, k, 'always');
        expect(slices, `${kernel} ${m}×${n}×${k}`).toBeGreaterThan(1);
        expect(kSlice % 8).toBe(0);
        expect((slices - 1) * kSlice < k && slices * kSlice >= k).toBe(true);
      }
    }
    expect(splitFor('tiled', 4, 4, 8, 'always').slices).toBe(1); // k = 8: one slice is all there is
  });
});

describeGpu('WebGPU split-k matmul', (ctx) => {
  for (const kernel of ['blocked', 'tiled'] as const) {
    describe(`on the ${kernel} kernel`, () => {
      let twins: Twins;
      beforeAll(async () => {
        twins = new Twins(await gpuBackend(ctx, { matmulKernel: kernel, matmulSplitK: 'always' }));
      });

      const both = (m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, extra?: MatmulExtras) =>
        twinMatmul(twins, m, n, k, transposeA, transposeB, extra, seed(m, n, k));

      for (const [m, n, k] of SHAPES) {
        it(`matches the CPU for [${m}×${k}]·[${k}×${n}] in every transpose combination`, () => expectTransposesClose(twins, m, n, k, tol(k), seed(m, n, k)));
      }

      it('accumulates into the output once, after adding the slices (the weight gradient xᵀ·dy)', async () => {
        const { out } = both(12, 10, 777, true, false, { accumulate: true });
        await expectTwinsClose(out[0], out[1], tol(777));
      });

      it('applies bias, activation and preActivation in the second pass', async () => {
        const { out, pre } = both(9, 20, 403, false, false, { bias: true, pre: true, activation: getActivation({ name: 'elu', alpha: 0.5 }) });
        await expectTwinsClose(out[0], out[1], tol(403), 'out');
        await expectTwinsClose(pre[0]!, pre[1]!, tol(403), 'preActivation');
      });

      it('feeds a row-wise softmax', async () => {
        const { out } = both(6, 10, 300, false, true, { bias: true, activation: getActivation('softmax') });
        await expectTwinsClose(out[0], out[1], { rtol: 1e-5, atol: 1e-6 }, 'softmax');
      });
    });
  }
});

/**
 * matmul on WebGPU against the CPU backend, for BOTH kernels (the `matmulKernel` flag forces each one,
 * whatever the adapter): every transpose combination on shapes of size 1, odd sizes, sizes that are not
 * multiples of the blocks (8×8 per invocation, 64×64 per workgroup) and sizes that take the vec4 paths;
 * then the fused epilogue (bias, activations, preActivation, softmax, accumulate).
 *
 * Tolerance: |gpu − cpu| ≤ 1e-5·|cpu| + 1e-6·√k with inputs in [−1, 1). The CPU accumulates in float64
 * and rounds once, so it is the exact product to float32 rounding; the GPU accumulates k products in
 * float32, each add rounding by up to 2⁻²⁴ of a partial sum of typical size √k/3, so its error grows
 * roughly like k. Measured on SwiftShader, worst over all outputs: 1.8e-7·√k (blocked) and 3.6e-7·√k
 * (tiled) for the k ≤ 130 used here, but 6.6e-7·√k at k = 256: keep k small, do not loosen the bound.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getActivation, type ActivationSpec } from '../../../src/activations';
import type { WebGpuBackend } from '../../../src/backend/webgpu/webgpu-backend';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, expectTransposesClose, expectTwinsClose, gpuBackend, twinMatmul, type MatmulExtras } from './helpers';

const SHAPES: [m: number, n: number, k: number][] = [
  [1, 1, 1],
  [7, 5, 3],
  [33, 17, 65],
  [64, 64, 64],
  [130, 12, 36],
];
const tol = (k: number) => ({ rtol: 1e-5, atol: 1e-6 * Math.sqrt(k) });

describeGpu('WebGPU matmul', (ctx) => {
  for (const kernel of ['blocked', 'tiled'] as const) {
    describe(`the ${kernel} kernel`, () => {
      let twins: Twins;
      beforeAll(async () => {
        twins = new Twins(await gpuBackend(ctx, { matmulKernel: kernel }));
      });

      const both = (m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, extra?: MatmulExtras) =>
        twinMatmul(twins, m, n, k, transposeA, transposeB, extra);

      for (const [m, n, k] of SHAPES) {
        it(`matches the CPU for [${m}×${k}]·[${k}×${n}] in every transpose combination`, () => expectTransposesClose(twins, m, n, k, tol(k)));
      }

      it('fuses bias + relu and stores the preActivation', async () => {
        const { out, pre } = both(33, 20, 17, false, false, { bias: true, pre: true, activation: getActivation('relu') });
        await expectTwinsClose(out[0], out[1], tol(17), 'out');
        await expectTwinsClose(pre[0]!, pre[1]!, tol(17), 'preActivation');
      });

      it('applies a row-wise softmax after the product, with and without a preActivation', async () => {
        const softmax: ActivationSpec = getActivation('softmax');
        for (const pre of [false, true]) {
          const { out } = both(9, 10, 12, false, false, { bias: true, pre, activation: softmax });
          await expectTwinsClose(out[0], out[1], { rtol: 1e-5, atol: 1e-6 }, `softmax, preActivation=${pre}`);
        }
      });

      it('accumulates into the output (the weight gradient xᵀ·dy)', async () => {
        const { out } = both(12, 10, 50, true, false, { accumulate: true });
        await expectTwinsClose(out[0], out[1], tol(50));
      });

      if (kernel === 'blocked') {
        it('passes activation parameters through the uniform (elu α = 0.5, exact gelu)', async () => {
          for (const activation of [getActivation({ name: 'elu', alpha: 0.5 }), getActivation({ name: 'gelu', approximate: 0 })]) {
            const { out, pre } = both(16, 8, 8, false, false, { bias: true, pre: true, activation });
            await expectTwinsClose(out[0], out[1], tol(8), activation.name);
            await expectTwinsClose(pre[0]!, pre[1]!, tol(8), `${activation.name} preActivation`);
          }
        });
      }
    });
  }

  it("picks 'blocked' on CPU adapters and 'tiled' elsewhere under matmulKernel 'auto'", async () => {
    const gpu: WebGpuBackend = await gpuBackend(ctx);
    expect(gpu.matmulKernel).toBe(gpu.isCpuAdapter ? 'blocked' : 'tiled');
  });
});

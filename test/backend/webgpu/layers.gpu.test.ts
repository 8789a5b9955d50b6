/**
 * The layers' fused kernels on WebGPU against the CPU backend: dropout (masks identical bit for bit),
 * batch normalization forward (training and inference, moving statistics) and backward, gatherRows and
 * the column sums of the bias gradient.
 *
 * Tolerance for batch norm and column sums: 1e-5 relative + 1e-6 absolute (float32 sums over ≤ 37 rows,
 * against float64 sums rounded once).
 */
import { beforeAll, expect, it } from 'vitest';
import type { BatchNormState } from '../../../src/backend/backend';
import type { Tensor } from '../../../src/tensor/tensor';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, expectClose, expectTwinsClose, gpuBackend, seeded, uniform } from './helpers';

const TOL = { rtol: 1e-5, atol: 1e-6 };

describeGpu('WebGPU layer kernels', (ctx) => {
  let twins: Twins;
  beforeAll(async () => {
    twins = new Twins(await gpuBackend(ctx));
  });

  it('drops exactly the elements the CPU drops, bit for bit', async () => {
    // Ones in: every kept value is 1/(1 − rate) rounded once on both sides, so outputs compare exactly.
    for (const [rate, seed, step] of [[0.5, 7, 0], [0.1, 7, 1], [0.9, 123456789, 4000000000], [1 / 3, 0xffffffff, 5]]) {
      const n = 1000;
      const [xc, xg] = twins.upload(new Float32Array(n).fill(1), [n]);
      const [oc, og] = twins.alloc([n]);
      twins.cpu.dropout(xc, oc, { rate, seed, step });
      twins.gpu.dropout(xg, og, { rate, seed, step });
      const cpu = await oc.data();
      expect(await og.data(), `rate ${rate} seed ${seed} step ${step}`).toEqual(cpu);
      const kept = cpu.filter((v) => v !== 0).length;
      expect(Math.abs(kept / n - (1 - rate))).toBeLessThan(0.06);
    }
  });

  it('scales kept values, draws a new mask per step and applies the same mask backward', async () => {
    const x = uniform(seeded(3), 3 * 41);
    const [xc, xg] = twins.upload(x, [3, 41]);
    const out = async (step: number, backward: boolean) => {
      const [oc, og] = twins.alloc([3, 41]);
      const options = { rate: 0.3, seed: 42, step };
      if (backward) {
        twins.cpu.dropoutBackward(xc, oc, options);
        twins.gpu.dropoutBackward(xg, og, options);
      } else {
        twins.cpu.dropout(xc, oc, options);
        twins.gpu.dropout(xg, og, options);
      }
      const [c, g] = [await oc.data(), await og.data()];
      expect(g.map((v) => (v === 0 ? 0 : 1))).toEqual(c.map((v) => (v === 0 ? 0 : 1)));
      expectClose(g, c, { rtol: 2 ** -23, atol: 0 }); // x·scale rounded once in float32 vs from float64
      return g;
    };
    const step1 = await out(1, false);
    expect(await out(1, true)).toEqual(step1);
    expect(await out(2, false)).not.toEqual(step1);
  });

  /** Batch-norm state on both backends: gamma, beta and moving statistics random, saved zero. */
  function bnState(cols: number, seed: number): [BatchNormState, BatchNormState] {
    const r = seeded(seed);
    const pairs = [uniform(r, cols, 0.5, 1.5), uniform(r, cols), uniform(r, cols), uniform(r, cols, 0.5, 2)].map((v) => twins.upload(v, [cols]));
    const [savedMean, savedInvStd] = [twins.alloc([cols]), twins.alloc([cols])];
    const side = (i: 0 | 1): BatchNormState => ({
      gamma: pairs[0][i], beta: pairs[1][i], movingMean: pairs[2][i], movingVariance: pairs[3][i],
      savedMean: savedMean[i], savedInvStd: savedInvStd[i],
    });
    return [side(0), side(1)];
  }

  it('normalises a batch in training mode (updating the moving statistics), then in inference mode', async () => {
    for (const [rows, cols] of [[1, 1], [37, 13]]) {
      const [sc, sg] = bnState(cols, rows + cols);
      const [xc, xg] = twins.upload(uniform(seeded(rows), rows * cols, -2, 3), [rows, cols]);
      for (const training of [true, false]) {
        const [oc, og] = twins.alloc([rows, cols]);
        const options = { training, momentum: 0.9, epsilon: 1e-3 };
        twins.cpu.batchNormForward(xc, oc, sc, options);
        twins.gpu.batchNormForward(xg, og, sg, options);
        await expectTwinsClose(oc, og, TOL, `out, training=${training}`);
        for (const key of ['movingMean', 'movingVariance', 'savedMean', 'savedInvStd'] as const) {
          await expectTwinsClose(sc[key], sg[key], TOL, `${key}, training=${training}`);
        }
      }
    }
  });

  for (const training of [true, false]) {
    it(`computes dx, dGamma and dBeta after a ${training ? 'training' : 'inference'} forward pass (dx optional)`, async () => {
      const [rows, cols] = [37, 13];
      const [sc, sg] = bnState(cols, 9);
      const [xc, xg] = twins.upload(uniform(seeded(10), rows * cols, -2, 3), [rows, cols]);
      const [oc, og] = twins.alloc([rows, cols]);
      const options = { training, momentum: 0.9, epsilon: 1e-3 };
      twins.cpu.batchNormForward(xc, oc, sc, options);
      twins.gpu.batchNormForward(xg, og, sg, options);
      const [dyc, dyg] = twins.upload(uniform(seeded(11), rows * cols), [rows, cols]);
      for (const withDx of [true, false]) {
        const [dxc, dxg] = twins.alloc([rows, cols]);
        const [dgc, dgg] = twins.alloc([cols]);
        const [dbc, dbg] = twins.alloc([cols]);
        twins.cpu.batchNormBackward(dyc, xc, sc, withDx ? dxc : null, dgc, dbc, { training });
        twins.gpu.batchNormBackward(dyg, xg, sg, withDx ? dxg : null, dgg, dbg, { training });
        if (withDx) await expectTwinsClose(dxc, dxg, TOL, 'dx');
        await expectTwinsClose(dgc, dgg, TOL, 'dGamma');
        await expectTwinsClose(dbc, dbg, TOL, 'dBeta');
      }
    });
  }

  it('gathers rows by int32 index from an offset', async () => {
    const [sc, sg] = twins.upload(uniform(seeded(12), 10 * 3), [10, 3]);
    const order = [9, 0, 4, 4, 7, 1, 2];
    const [ic, ig] = twins.upload(order, [order.length], 'int32');
    const [oc, og] = twins.alloc([4, 3]);
    twins.cpu.gatherRows(sc, ic, 2, oc);
    twins.gpu.gatherRows(sg, ig, 2, og);
    expect(await og.data()).toEqual(await oc.data());
  });

  it('sums the rows of a matrix into its column sums (the bias gradient)', async () => {
    for (const [rows, cols] of [[1, 1], [1, 9], [37, 5], [200, 3]]) {
      const [xc, xg] = twins.upload(uniform(seeded(rows * cols), rows * cols), [rows, cols]);
      const [oc, og]: Tensor[] = twins.alloc([cols]);
      twins.cpu.sumRows(xc, oc);
      twins.gpu.sumRows(xg, og);
      await expectTwinsClose(oc, og, TOL, `[${rows}×${cols}]`);
    }
  });
});

/**
 * The WebGPU backend over a long life: buffers released outside any training step are freed without
 * waiting for a submit that may never come, and `memory()` counts what is pending; dispatches wider
 * than the per-dimension workgroup limit are folded (the matmul's rows into z); after a lost device,
 * `setBackend('webgpu')` starts a fresh one.
 *
 * Matmul tolerance as in matmul.gpu.test.ts: 1e-5 relative + 1e-6·√k absolute.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as keras from '../../../src';
import { getBackendInstance } from '../../../src/backend/registry';
import type { WebGpuBackend } from '../../../src/backend/webgpu/webgpu-backend';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, expectTransposesClose, expectTwinsClose, gpuBackend, twinMatmul } from './helpers';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describeGpu('the WebGPU backend over a long life', (ctx) => {
  afterAll(async () => {
    await keras.setBackend('cpu');
  });

  describe('released buffers', () => {
    it('1,000 models built and disposed without training leave nothing pending, and memory() said what was', async () => {
      const gpu = await gpuBackend(ctx);
      await keras.setBackend('webgpu', { device: ctx.device });
      const backend = (await getBackendInstance('webgpu')) as WebGpuBackend;
      const before = backend.stats().buffers;
      let sawPending = 0;
      for (let i = 0; i < 1000; i++) {
        const model = new keras.Sequential([new keras.layers.Dense(16, { inputShape: [8] }), new keras.layers.Dense(4)]);
        model.dispose();
        sawPending = Math.max(sawPending, keras.memory().numBytesPending);
      }
      // Reused buffers are zeroed by a recorded dispatch, so some releases had to wait: memory() says so.
      expect(sawPending).toBeGreaterThan(0);
      await tick(); // no submit, no read: the backend submits by itself
      const after = backend.stats().buffers;
      expect(after.pending).toBe(0);
      expect(keras.memory().numBytesPending).toBe(0);
      expect(after.inUse).toBe(before.inUse);
      expect(keras.memory().numBytesCached).toBeLessThanOrEqual(backend.flags.poolMaxFreeBytes);
      gpu.dispose();
    });

    it('a buffer released with nothing recorded is reusable at once', async () => {
      const gpu = await gpuBackend(ctx);
      await gpu.sync();
      const t = gpu.upload(new Float32Array(1000), [1000], 'float32');
      const created = gpu.stats().buffers.created;
      t.dispose();
      expect(gpu.stats().buffers.pending).toBe(0);
      gpu.upload(new Float32Array(1000), [1000], 'float32').dispose();
      expect(gpu.stats().buffers.created).toBe(created);
      gpu.dispose();
    });
  });

  describe('grids wider than the per-dimension workgroup limit', () => {
    // With the limit lowered to 8 workgroups a dimension, every product below needs folding: 1,300 rows
    // are 11 workgroup rows of the blocked kernel (128 rows each) and 21 of the tiled one (64 each).
    for (const kernel of ['blocked', 'tiled'] as const) {
      for (const split of ['never', 'always'] as const) {
        it(`the ${kernel} matmul (split-k ${split}) folds its rows into z and matches the CPU`, async () => {
          const twins = new Twins(await gpuBackend(ctx, { matmulKernel: kernel, matmulSplitK: split, maxWorkgroupsPerDimension: 8 }));
          await expectTransposesClose(twins, 1300, 9, 24, { rtol: 1e-5, atol: 1e-6 * Math.sqrt(24) });
          const { out } = twinMatmul(twins, 1300, 5, 16, false, false, { bias: true, activation: keras.activations.getActivation('relu') });
          await expectTwinsClose(out[0], out[1], { rtol: 1e-5, atol: 4e-6 }, 'bias + relu');
        });
      }
    }

    it('a model trains and predicts the same with the limit lowered to 8', async () => {
      const x = Array.from({ length: 1200 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 7) / 7]);
      const y = x.map(([a, b]) => (a + b > 0 ? 1 : 0));
      const run = async (flags: Partial<keras.WebGpuFlags>) => {
        await keras.setBackend('webgpu', { device: ctx.device, flags });
        keras.utils.setRandomSeed(3);
        const model = new keras.Sequential([new keras.layers.Dense(8, { inputShape: [3], activation: 'relu' }), new keras.layers.Dense(2, { activation: 'softmax' })]);
        model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
        const history = await model.fit(x, y, { epochs: 2, batchSize: 1200, verbose: 0, shuffle: false });
        const out = await model.predict(x, { batchSize: 1200 });
        const values = Array.from(await out.data());
        out.dispose();
        model.dispose();
        return { loss: history.history.loss, values };
      };
      const folded = await run({ maxWorkgroupsPerDimension: 8 });
      const plain = await run({});
      expect(folded.loss).toEqual(plain.loss);
      expect(folded.values).toEqual(plain.values);
    });

    it('the matmul of a batch of 8.5 million rows (66,407 rows of workgroups, past 65,535) is right at both ends', async () => {
      // The product alone (predict adds a gather and a copy of as many invocations): x·[2] + 0.5.
      const gpu = await gpuBackend(ctx, { matmulKernel: 'blocked' });
      const n = 8_500_000;
      const x = gpu.upload(Float32Array.from({ length: n }, (_, i) => i % 1000), [n, 1], 'float32');
      const w = gpu.upload([2], [1, 1], 'float32');
      const b = gpu.upload([0.5], [1], 'float32');
      const out = gpu.alloc([n, 1], 'float32');
      gpu.matmul(x, w, out, { bias: b });
      const values = await out.data();
      for (const i of [0, 1, 999, 4_194_303, 8_388_607, 8_388_608, n - 1]) expect(values[i], `row ${i}`).toBe(2 * (i % 1000) + 0.5);
      gpu.dispose();
    });
  });

  describe('a lost device', () => {
    it("setBackend('webgpu') after the loss starts a fresh device, on which a model runs", async () => {
      await keras.setBackend('webgpu', { gpu: ctx.gpu });
      const first = (await getBackendInstance('webgpu')) as WebGpuBackend;
      first.device.destroy();
      await first.device.lost;
      expect(first.isLost).toBe(true);
      await keras.setBackend('webgpu');
      const second = (await getBackendInstance('webgpu')) as WebGpuBackend;
      expect(second).not.toBe(first);
      expect(second.isLost).toBe(false);
      const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [3], kernelInitializer: 'ones' })]);
      const out = await model.predict([[1, 2, 3]]);
      expect(Array.from(await out.data())).toEqual([6, 6]);
      out.dispose();
      model.dispose();
      second.dispose();
    });
  });
});

/**
 * Storage of the WebGPU backend: alloc/upload/write/copy/fill/read against the CPU backend, zero-size
 * tensors, int32, the buffer pool's reuse and release, the size limit, aliasing, and one dispatch wider
 * than 65,535 workgroups. Data movement is exact: every comparison here is bit for bit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getActivation } from '../../../src/activations';
import type { WebGpuBackend } from '../../../src/backend/webgpu/webgpu-backend';
import { ShapeError, ValueError } from '../../../src/errors';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, gpuBackend, seeded, uniform } from './helpers';

describeGpu('WebGPU backend storage', (ctx) => {
  let gpu: WebGpuBackend;
  let twins: Twins;
  beforeAll(async () => {
    gpu = await gpuBackend(ctx);
    twins = new Twins(gpu);
  });

  it('uploads and reads float32 and int32 values unchanged', async () => {
    const values = uniform(seeded(1), 37, -1e3, 1e3);
    expect(await gpu.upload(values, [37], 'float32').data()).toEqual(values);
    const ints = Int32Array.from([0, -1, 2147483647, -2147483648, 7]);
    const t = gpu.upload(ints, [5], 'int32');
    const back = await t.data();
    expect(back).toBeInstanceOf(Int32Array);
    expect(back).toEqual(ints);
  });

  it('allocates zero-filled tensors, also from recycled buffers', async () => {
    const first = gpu.upload(new Float32Array(64).fill(3), [8, 8], 'float32');
    await first.data();
    first.dispose();
    await gpu.sync(); // the release becomes reusable after a submit
    const created = gpu.stats().buffers.created;
    const again = gpu.alloc([8, 8], 'float32');
    expect(gpu.stats().buffers.created).toBe(created); // the same bucket was reused…
    expect(await again.data()).toEqual(new Float32Array(64)); // …and cleared
  });

  it('writes at an offset, ordered after queued work that read the old values', async () => {
    const [, src] = twins.upload([1, 2, 3, 4, 5], [5]);
    const dst = gpu.alloc([5], 'float32');
    gpu.copy(src, dst); // queued, reads src = 1..5
    gpu.write(src, [9, 9], 3); // must not overtake the copy
    expect(Array.from(await dst.data())).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(await src.data())).toEqual([1, 2, 3, 9, 9]);
    expect(() => gpu.write(src, [1, 2], 4)).toThrow(ShapeError);
  });

  it('copies into a destination offset and fills float32 and int32 tensors', async () => {
    const [cs, gs] = twins.upload([1.5, -2.5, 3.25], [3]);
    const [cd, gd] = twins.alloc([7]);
    twins.cpu.copy(cs, cd, 2);
    gpu.copy(gs, gd, 2);
    expect(await gd.data()).toEqual(await cd.data());
    gpu.fill(gd, -0.1);
    expect(await gd.data()).toEqual(new Float32Array(7).fill(-0.1));
    const ints = gpu.alloc([3], 'int32');
    gpu.fill(ints, -7);
    expect(Array.from(await ints.data())).toEqual([-7, -7, -7]);
  });

  it('gives zero-size tensors a shared stand-in and skips their work', async () => {
    const before = gpu.stats().buffers.inUse;
    const empty = gpu.alloc([0, 4], 'float32');
    const other = gpu.upload([], [3, 0], 'float32');
    expect(gpu.stats().buffers.inUse).toBe(before);
    gpu.fill(empty, 1);
    gpu.copy(other, gpu.alloc([2], 'float32'), 2);
    expect((await empty.data()).length).toBe(0);
    empty.dispose();
    other.dispose();
  });

  it('counts live tensors and bytes in memory()', () => {
    const live = () => ({ numTensors: gpu.memory().numTensors, numBytes: gpu.memory().numBytes });
    const start = live();
    const a = gpu.alloc([10, 3], 'float32');
    const b = gpu.alloc([5], 'int32');
    expect(live()).toEqual({ numTensors: start.numTensors + 2, numBytes: start.numBytes + 140 });
    a.dispose();
    b.dispose();
    expect(live()).toEqual(start);
  });

  it('releases free buffers beyond poolMaxFreeBytes instead of keeping every size', async () => {
    const pooled = await gpuBackend(ctx, { poolMaxFreeBytes: 64 * 1024 });
    for (let i = 0; i < 8; i++) pooled.alloc([16 * 1024 * (i + 1)], 'float32').dispose(); // 64 KiB … 512 KiB
    await pooled.sync();
    const { freeBytes, destroyed } = pooled.stats().buffers;
    expect(freeBytes).toBeLessThanOrEqual(64 * 1024);
    expect(destroyed).toBeGreaterThanOrEqual(7);
    pooled.dispose();
  });

  it('refuses a tensor larger than maxStorageBufferBindingSize, naming the limit and the size', () => {
    const limit = ctx.device.limits.maxStorageBufferBindingSize;
    const elements = limit / 4 + 1;
    expect(() => gpu.alloc([elements], 'float32')).toThrow(ValueError);
    expect(() => gpu.alloc([elements], 'float32')).toThrow(new RegExp(`maxStorageBufferBindingSize = ${limit}.*${elements * 4} bytes`));
  });

  it('refuses float64 with a hint', () => {
    expect(() => gpu.alloc([2], 'float64')).toThrow(/float32/);
  });

  it('handles an output that aliases its input (activation in place)', async () => {
    const x = gpu.upload([-1, 2, -3, 4], [2, 2], 'float32');
    gpu.activation(x, x, getActivation('relu'));
    expect(Array.from(await x.data())).toEqual([0, 2, 0, 4]);
  });

  describe('a dispatch wider than 65,535 workgroups', () => {
    // 70,000 × 64 words: 70,000 workgroups of 64, folded into a 2-D grid by KernelRunner.grid1d.
    const n = 70_000 * 64;
    it('copies every element to its offset and fills every element', async () => {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = i;
      const src = gpu.upload(values, [n], 'float32');
      const dst = gpu.alloc([n + 3], 'float32');
      gpu.copy(src, dst, 3);
      const out = await dst.data();
      expect(out[0] + out[1] + out[2]).toBe(0);
      let bad = -1;
      for (let i = 0; i < n && bad < 0; i++) if (out[i + 3] !== i) bad = i;
      expect(bad).toBe(-1);
      gpu.fill(dst, 2);
      expect((await dst.data()).every((v) => v === 2)).toBe(true);
      src.dispose();
      dst.dispose();
    });
  });
});

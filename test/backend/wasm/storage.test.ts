/**
 * Storage of the wasm backend: alloc/upload/write/copy/fill/read against the CPU backend (exact), zero-
 * size tensors, int32, the memory counters, tensors and kernels staying right across `memory.grow`, the
 * allocator's reuse and its coalescing when the memory is full, float64 refused, the flags, and how it
 * says what it runs on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { WasmHeap, sizeClass } from '../../../src/backend/wasm/heap';
import { hasRelaxedSimd } from '../../../src/backend/wasm/features';
import { createWasmBackend, type WasmBackend } from '../../../src/backend/wasm/wasm-backend';
import { BackendUnavailableError, DeviceError, ShapeError, ValueError } from '../../../src/errors';
import { Twins, seeded, uniform, wasmBackend } from './helpers';

describe('wasm backend storage', () => {
  let wasm: WasmBackend;
  let twins: Twins;
  beforeAll(async () => {
    wasm = await wasmBackend({ threads: 2 });
    twins = new Twins(wasm);
  });

  it('uploads and reads float32 and int32 values unchanged', async () => {
    const values = uniform(seeded(1), 37, -1e3, 1e3);
    expect(await wasm.upload(values, [37], 'float32').data()).toEqual(values);
    const ints = Int32Array.from([0, -1, 2147483647, -2147483648, 7]);
    const back = await wasm.upload(ints, [5], 'int32').data();
    expect(back).toBeInstanceOf(Int32Array);
    expect(back).toEqual(ints);
  });

  it('allocates zero-filled tensors, also from reused blocks', async () => {
    const first = wasm.upload(new Float32Array(64).fill(3), [8, 8], 'float32');
    first.dispose();
    const reserved = wasm.heapStats().reservedBytes;
    const again = wasm.alloc([8, 8], 'float32');
    expect(wasm.heapStats().reservedBytes).toBe(reserved); // the freed block was reused…
    expect(await again.data()).toEqual(new Float32Array(64)); // …and cleared
  });

  it('writes at an offset, copies to an offset and fills, as the CPU does', async () => {
    const [cs, ws] = twins.upload([1, 2, 3, 4, 5], [5]);
    twins.cpu.write(cs, [9, 9], 3);
    wasm.write(ws, [9, 9], 3);
    expect(await ws.data()).toEqual(await cs.data());
    expect(() => wasm.write(ws, [1, 2], 4)).toThrow(ShapeError);
    const [cd, wd] = twins.alloc([8]);
    twins.cpu.copy(cs, cd, 2);
    wasm.copy(ws, wd, 2);
    expect(await wd.data()).toEqual(await cd.data());
    wasm.fill(wd, -0.1);
    expect(await wd.data()).toEqual(new Float32Array(8).fill(-0.1));
    const ints = wasm.alloc([3], 'int32');
    wasm.fill(ints, -7);
    expect(Array.from(await ints.data())).toEqual([-7, -7, -7]);
  });

  it('gives zero-size tensors a shared stand-in that holds no memory', async () => {
    const blocks = wasm.heapStats().liveBlocks;
    const empty = wasm.alloc([0, 4], 'float32');
    const other = wasm.upload([], [3, 0], 'float32');
    expect(wasm.heapStats().liveBlocks).toBe(blocks);
    wasm.fill(empty, 1);
    wasm.copy(other, wasm.alloc([2], 'float32'), 2);
    expect((await empty.data()).length).toBe(0);
    empty.dispose();
    other.dispose();
    expect(wasm.heapStats().liveBlocks).toBe(blocks + 1);
  });

  it('counts live tensors and bytes in memory(), and freed blocks as cached for reuse', () => {
    const start = wasm.memory();
    const a = wasm.alloc([10, 3], 'float32');
    const b = wasm.alloc([5], 'int32');
    const live = wasm.memory();
    expect(live).toMatchObject({ numTensors: start.numTensors + 2, numBytes: start.numBytes + 140, numBytesPending: 0 });
    a.dispose();
    b.dispose();
    // Two 64-byte-class blocks (120 and 20 bytes) back in the free lists.
    expect(wasm.memory()).toEqual({ ...start, numBytesCached: live.numBytesCached + 128 + 64 });
  });

  it('keeps tensors and kernels right when the memory grows under them', async () => {
    const x = uniform(seeded(2), 64 * 33);
    const [xc, xw] = twins.upload(x, [64, 33]);
    const before = wasm.heapStats().memoryBytes;
    const big = wasm.alloc([before / 4 + 1024], 'float32'); // more than the whole memory: it must grow
    expect(wasm.heapStats().memoryBytes).toBeGreaterThan(before);
    expect(await xw.data()).toEqual(x);
    const [oc, ow] = twins.alloc([33]);
    twins.cpu.sumRows(xc, oc);
    wasm.sumRows(xw, ow);
    expect(await ow.data()).toEqual(await oc.data());
    big.dispose();
  });

  it('refuses float64 with a hint', () => {
    expect(() => wasm.alloc([2], 'float64')).toThrow(ValueError);
    expect(() => wasm.alloc([2], 'float64')).toThrow(/computes in float32.*setBackend\('cpu'\) for float64/);
  });
});

describe('the wasm heap', () => {
  it('rounds sizes up to classes of at most 12.5 % slack, 64-byte aligned', () => {
    for (const bytes of [1, 64, 65, 500, 513, 4097, 1e6, 3.3e8]) {
      const c = sizeClass(bytes);
      expect(c % 64, `${bytes}`).toBe(0);
      expect(c).toBeGreaterThanOrEqual(bytes);
      if (bytes > 512) expect(c / bytes).toBeLessThanOrEqual(1.125);
    }
  });

  it('merges free neighbours when the memory is full, then fails saying what is in use', () => {
    const heap = new WasmHeap(false, 32); // 2 MiB at most
    const blocks = Array.from({ length: 6 }, () => heap.alloc(300_000));
    // Free two neighbours: together they hold 600,000 bytes, neither alone does.
    heap.release(blocks[2].offset, blocks[2].block);
    heap.release(blocks[3].offset, blocks[3].block);
    const merged = heap.alloc(600_000);
    expect(merged.offset).toBe(blocks[2].offset);
    expect(() => heap.alloc(1_000_000)).toThrow(DeviceError);
    expect(() => heap.alloc(1_000_000)).toThrow(/Allocation of 1000000 bytes failed on the wasm backend.*in use.*\nhint: use a smaller batch/s);
  });
});

describe('the wasm backend start-up', () => {
  it("uses the machine's threads under 'auto' (worker_threads in Node) and the number a flag gives", async () => {
    const auto = await createWasmBackend();
    expect(auto.info.threads).toBe(availableParallelism());
    expect(auto.info.threading).toBe(availableParallelism() > 1 ? 'worker_threads' : 'none');
    expect(auto.info.singleThreadReason).toBe('');
    auto.dispose();
    expect((await wasmBackend({ threads: 1 })).info).toMatchObject({ threads: 1, threading: 'none' });
    expect((await wasmBackend({ threads: 3 })).info).toMatchObject({ threads: 3, threading: 'worker_threads' });
  });

  it("picks relaxed SIMD where the engine has it, and plain when the flag says so", async () => {
    expect((await wasmBackend()).info.simd).toBe(hasRelaxedSimd() ? 'relaxed' : 'plain');
    expect((await wasmBackend({ simd: 'plain' })).info.simd).toBe('plain');
    if (!hasRelaxedSimd()) {
      await expect(createWasmBackend({ flags: { simd: 'relaxed' } })).rejects.toThrow(BackendUnavailableError);
      await expect(createWasmBackend({ flags: { simd: 'relaxed' } })).rejects.toThrow(/--experimental-wasm-relaxed-simd/);
    }
  });

  it('refuses unknown and invalid flags, naming them', async () => {
    await expect(createWasmBackend({ flags: { thread: 2 } as never })).rejects.toThrow(/option 'thread'.*\n?.*threads/);
    await expect(createWasmBackend({ flags: { threads: 0 } })).rejects.toThrow(/Invalid threads for the wasm backend flags/);
    await expect(createWasmBackend({ flags: { simd: 'fast' } as never })).rejects.toThrow(/Invalid simd/);
    // The WebGPU backend's flags are accepted (auto hands one object to every backend).
    const withGpuFlags = await createWasmBackend({ flags: { threads: 1, matmulKernel: 'tiled' } });
    expect(withGpuFlags.info.threads).toBe(1);
  });
});

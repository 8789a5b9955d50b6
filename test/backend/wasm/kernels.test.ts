/**
 * The wasm backend's own kernels against the CPU backend, bit for bit: they follow the CPU's arithmetic
 * (float64 where it computes in float64, its summation order everywhere), so every comparison here is
 * exact. Dropout's masks and values, the column sums of the bias gradient, batch normalization forward
 * and backward (training and inference, even and odd column counts), and gatherRows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BatchNormState } from '../../../src/backend/backend';
import type { Tensor } from '../../../src/tensor/tensor';
import { Twins, seeded, uniform, wasmBackend } from './helpers';

/** Both twins' values of `pair`, read. */
const read = async ([c, w]: readonly [Tensor, Tensor]) => [await c.data(), await w.data()] as const;

describe('wasm layer kernels', () => {
  let twins: Twins;
  beforeAll(async () => {
    twins = new Twins(await wasmBackend({ threads: 1 }));
  });

  it('drops exactly the elements the CPU drops and scales the kept ones to the same bits', async () => {
    const r = seeded(11);
    for (const [n, rate, seed, step] of [[1, 0.5, 7, 0], [3, 0.1, 7, 1], [1001, 0.9, 123456789, 4000000000], [4096, 1 / 3, 0xffffffff, 5], [37, 0, 1, 2], [64, 0.2, 0, 0]]) {
      const [xc, xw] = twins.upload(uniform(r, n, -3, 3), [n]);
      const [oc, ow] = twins.alloc([n]);
      twins.cpu.dropout(xc, oc, { rate, seed, step });
      twins.gpu.dropout(xw, ow, { rate, seed, step });
      const [cpu, wasm] = await read([oc, ow]);
      expect(wasm, `n ${n} rate ${rate} seed ${seed} step ${step}`).toEqual(cpu);
    }
  });

  it('applies the same mask backward, and a new one at the next step', async () => {
    const [dyc, dyw] = twins.upload(uniform(seeded(4), 3 * 41), [3, 41]);
    const run = (b: Backend, dy: Tensor, step: number, backward: boolean) => {
      const out = b.alloc([3, 41], 'float32');
      (backward ? b.dropoutBackward : b.dropout).call(b, dy, out, { rate: 0.3, seed: 42, step });
      return out;
    };
    const [cpu, wasm] = await read([run(twins.cpu, dyc, 1, true), run(twins.gpu, dyw, 1, true)]);
    expect(wasm).toEqual(cpu);
    expect(await run(twins.gpu, dyw, 1, false).data()).toEqual(wasm);
    expect(await run(twins.gpu, dyw, 2, false).data()).not.toEqual(wasm);
  });

  it('sums the columns of the bias gradient to the same bits', async () => {
    const r = seeded(5);
    for (const [rows, cols] of [[1, 1], [37, 13], [256, 1024], [5, 3]]) {
      const [xc, xw] = twins.upload(uniform(r, rows * cols, -10, 10), [rows, cols]);
      const [oc, ow] = twins.alloc([cols]);
      twins.cpu.sumRows(xc, oc);
      twins.gpu.sumRows(xw, ow);
      const [cpu, wasm] = await read([oc, ow]);
      expect(wasm, `${rows}×${cols}`).toEqual(cpu);
    }
  });

  /** One batch-norm state on both twins, with random statistics. */
  function bnState(cols: number, seed: number): [BatchNormState, BatchNormState] {
    const r = seeded(seed);
    const names = ['gamma', 'beta', 'movingMean', 'movingVariance', 'savedMean', 'savedInvStd'] as const;
    const pairs = names.map((name) => twins.upload(uniform(r, cols, name === 'movingVariance' ? 0.1 : -1, name === 'movingVariance' ? 2 : 1), [cols]));
    const side = (i: 0 | 1) => Object.fromEntries(names.map((name, j) => [name, pairs[j][i]])) as unknown as BatchNormState;
    return [side(0), side(1)];
  }

  async function expectStatesEqual(c: BatchNormState, w: BatchNormState, what: string): Promise<void> {
    for (const name of Object.keys(c) as (keyof BatchNormState)[]) {
      expect(await w[name].data(), `${what}: ${name}`).toEqual(await c[name].data());
    }
  }

  it('normalizes a batch (training and inference) and updates the moving statistics to the same bits', async () => {
    for (const cols of [1, 6, 13]) {
      for (const training of [true, false]) {
        const [sc, sw] = bnState(cols, cols);
        const [xc, xw] = twins.upload(uniform(seeded(cols + 100), 37 * cols, -4, 6), [37, cols]);
        const [oc, ow] = twins.alloc([37, cols]);
        const options = { training, momentum: 0.99, epsilon: 1e-3 };
        twins.cpu.batchNormForward(xc, oc, sc, options);
        twins.gpu.batchNormForward(xw, ow, sw, options);
        const what = `cols ${cols}, training ${training}`;
        const [cpu, wasm] = await read([oc, ow]);
        expect(wasm, what).toEqual(cpu);
        await expectStatesEqual(sc, sw, what);
      }
    }
  });

  it('gives the gradients of the last forward pass to the same bits, with and without dx', async () => {
    for (const cols of [1, 6, 13]) {
      for (const training of [true, false]) {
        const [sc, sw] = bnState(cols, cols + 7);
        const r = seeded(cols + 200);
        const [xc, xw] = twins.upload(uniform(r, 29 * cols, -4, 6), [29, cols]);
        const [dyc, dyw] = twins.upload(uniform(r, 29 * cols), [29, cols]);
        const forward = { training, momentum: 0.9, epsilon: 1e-3 };
        twins.cpu.batchNormForward(xc, twins.cpu.alloc([29, cols], 'float32'), sc, forward);
        twins.gpu.batchNormForward(xw, twins.gpu.alloc([29, cols], 'float32'), sw, forward);
        for (const withDx of [true, false]) {
          const [dxc, dxw] = twins.alloc([29, cols]);
          const [gc, gw] = twins.alloc([cols]);
          const [bc, bw] = twins.alloc([cols]);
          twins.cpu.batchNormBackward(dyc, xc, sc, withDx ? dxc : null, gc, bc, { training });
          twins.gpu.batchNormBackward(dyw, xw, sw, withDx ? dxw : null, gw, bw, { training });
          const what = `cols ${cols}, training ${training}, dx ${withDx}`;
          expect(await dxw.data(), `${what}: dx`).toEqual(await dxc.data());
          expect(await gw.data(), `${what}: dGamma`).toEqual(await gc.data());
          expect(await bw.data(), `${what}: dBeta`).toEqual(await bc.data());
        }
      }
    }
  });

  it('gathers rows by index, and refuses an index outside the source', async () => {
    const [sc, sw] = twins.upload(uniform(seeded(9), 10 * 7), [10, 7]);
    const [ic, iw] = twins.upload([9, 0, 3, 3, 8, 1], [6], 'int32');
    const [oc, ow] = twins.alloc([4, 7]);
    twins.cpu.gatherRows(sc, ic, 2, oc);
    twins.gpu.gatherRows(sw, iw, 2, ow);
    const [cpu, wasm] = await read([oc, ow]);
    expect(wasm).toEqual(cpu);
    const bad = twins.gpu.upload([0, 10], [2], 'int32');
    expect(() => twins.gpu.gatherRows(sw, bad, 0, twins.gpu.alloc([2, 7], 'float32'))).toThrow(/indices\[1\]=10/);
  });
});

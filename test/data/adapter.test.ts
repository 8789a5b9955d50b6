import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetAdapter, type HostBatch } from '../../src/data/adapter';
import { fromArrays, fromCSV, fromGenerator, type Dataset } from '../../src/data';
import { ShapeError, ValueError } from '../../src/errors';
import { countingRange, plain } from './helpers';

/** The batches of one epoch. */
async function epoch(adapter: DatasetAdapter): Promise<HostBatch[]> {
  await adapter.onEpochBegin();
  const out: HostBatch[] = [];
  for (let b = await adapter.nextBatch(); b !== null; b = await adapter.nextBatch()) out.push(b);
  await adapter.onEpochEnd();
  return out;
}

const tenRows = () => fromArrays(Array.from({ length: 10 }, (_, i) => [i, -i]), Array.from({ length: 10 }, (_, i) => i % 3));

describe('DatasetAdapter', () => {
  it('converts batches to the compute dtype as [rows, features], [rows, cols] and [rows]', async () => {
    const adapter = new DatasetAdapter(fromArrays([[1, 2], [3, 4], [5, 6]], [0, 1, 1], [1, 2, 3]).batch(2), { dtype: 'float32' });
    const [b0, b1] = await epoch(adapter);
    expect(b0.x.values).toBeInstanceOf(Float32Array);
    expect([b0.rows, b0.x.shape, b0.y!.shape, b0.sampleWeight!.shape]).toEqual([2, [2, 2], [2, 1], [2]]);
    expect(plain(b1.x.values)).toEqual([5, 6]);
    expect(adapter.batchSize).toBe(2);
  });

  it('converts to float64 when asked, keeping float64 precision', async () => {
    const adapter = new DatasetAdapter(fromArrays([[0.1]]).batch(1), { dtype: 'float64' });
    const [b] = await epoch(adapter);
    expect(b.x.values).toBeInstanceOf(Float64Array);
    expect(b.x.values[0]).toBe(0.1);
    expect(b.y).toBeNull();
  });

  it('flattens each sample and remembers its shape', async () => {
    const adapter = new DatasetAdapter(fromArrays({ values: new Float32Array(24), shape: [3, 2, 4] }).batch(3));
    const [b] = await epoch(adapter);
    expect(b.x.shape).toEqual([3, 8]);
    expect(adapter.sampleShape).toEqual([2, 4]);
  });

  it('hands out copies, so a generator may reuse its buffers', async () => {
    const shared = new Float32Array(4);
    const adapter = new DatasetAdapter(
      fromGenerator(function* () {
        for (let i = 0; i < 3; i++) {
          shared.fill(i);
          yield [{ values: shared, shape: [2, 2] }];
        }
      }),
    );
    const batches = await epoch(adapter);
    expect(batches.map((b) => b.x.values[0])).toEqual([0, 1, 2]);
  });

  it('refuses a value that becomes Infinity in float32, naming the row and the value', async () => {
    const adapter = new DatasetAdapter(fromArrays([[1, 2], [3, 1e39]]).batch(2), { dtype: 'float32' });
    await adapter.onEpochBegin();
    await expect(adapter.nextBatch()).rejects.toThrow("Invalid x of batch 0 for fit: expected finite numbers (no NaN or Infinity). Received: Infinity at row 1, column 1 (1e+39 is beyond float32's range).");
  });

  it('refuses a missing CSV value (NaN) with a hint to impute it', async () => {
    const adapter = new DatasetAdapter(fromCSV(new Blob(['a,b\n1,2\n,4\n'])).batch(2));
    await adapter.onEpochBegin();
    await expect(adapter.nextBatch()).rejects.toThrow(/NaN at row 1, column 0.*\nhint: clean or impute missing values/s);
  });

  it('knows the steps of a dataset of known cardinality', () => {
    expect(new DatasetAdapter(tenRows().batch(4)).numBatches).toBe(3);
  });

  it('learns the steps of a stream at the end of its first pass', async () => {
    const adapter = new DatasetAdapter(tenRows().filter(() => true).batch(4));
    expect(adapter.numBatches).toBeNull();
    expect((await epoch(adapter)).length).toBe(3);
    expect(adapter.numBatches).toBe(3);
    expect(adapter.interrupted).toBe(false);
  });

  it('starts a fresh pass each epoch without stepsPerEpoch', async () => {
    const { dataset, log } = countingRange(6);
    const adapter = new DatasetAdapter(dataset.map((i) => [[[i]]]));
    expect((await epoch(adapter)).length).toBe(6);
    expect((await epoch(adapter)).map((b) => b.x.values[0])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(log.opened).toBe(2);
  });

  it('continues one pass across epochs with stepsPerEpoch, as Keras does', async () => {
    const adapter = new DatasetAdapter(tenRows().batch(1), { stepsPerEpoch: 4 });
    const firsts = async () => (await epoch(adapter)).map((b) => b.x.values[0]);
    expect(await firsts()).toEqual([0, 1, 2, 3]);
    expect(await firsts()).toEqual([4, 5, 6, 7]);
    expect(await firsts()).toEqual([8, 9]);
    expect(adapter.interrupted).toBe(true);
    expect(await firsts()).toEqual([0, 1, 2, 3]);
    expect(adapter.interrupted).toBe(false);
  });

  it('runs endless data for stepsPerEpoch batches an epoch', async () => {
    const adapter = new DatasetAdapter(tenRows().repeat().batch(3), { stepsPerEpoch: 5 });
    expect(adapter.numBatches).toBe(5);
    expect((await epoch(adapter)).length).toBe(5);
    expect((await epoch(adapter))[0].x.values[0]).toBe(5);
  });

  it('flags an epoch cut short when a stream runs out before stepsPerEpoch', async () => {
    const adapter = new DatasetAdapter(tenRows().filter(() => true).batch(4), { stepsPerEpoch: 5 });
    expect((await epoch(adapter)).length).toBe(3);
    expect(adapter.interrupted).toBe(true);
    expect((await epoch(adapter)).length).toBe(3);
  });

  it('requires stepsPerEpoch for an endless dataset', () => {
    expect(() => new DatasetAdapter(tenRows().repeat().batch(2))).toThrow(/Invalid stepsPerEpoch for fit: expected a number of steps for an endless dataset.*\nhint: pass stepsPerEpoch/s);
  });

  it('refuses a dataset known to be empty at once, and a stream that turns out empty at its first pull', async () => {
    expect(() => new DatasetAdapter(tenRows().batch(2).take(0), { stepsPerEpoch: 2 })).toThrow(/expected a dataset that yields at least one batch/);
    const adapter = new DatasetAdapter(tenRows().batch(2).filter(() => false));
    await adapter.onEpochBegin();
    await expect(adapter.nextBatch()).rejects.toThrow(/expected a dataset that yields at least one batch/);
  });

  it('refuses samples, pointing at batch()', async () => {
    const adapter = new DatasetAdapter(fromArrays([1, 2, 3]) as Dataset<unknown>);
    await adapter.onEpochBegin();
    await expect(adapter.nextBatch()).rejects.toThrow(/call .batch\(batchSize\) on a dataset of samples/);
  });

  it('refuses a batch whose sample shape changes mid-epoch', async () => {
    const adapter = new DatasetAdapter(
      fromGenerator(function* () {
        yield [[[1, 2]], [1]];
        yield [[[1, 2, 3]], [1]];
      }),
    );
    await adapter.onEpochBegin();
    await adapter.nextBatch();
    const next = adapter.nextBatch();
    await expect(next).rejects.toThrow(ShapeError);
    await expect(next).rejects.toThrow('Invalid x of batch 1 for fit: expected samples of shape (2,), as the first batch has. Received: (3,)');
  });

  it('refuses x and y of different row counts, and per-row weights of another shape', async () => {
    const rows = new DatasetAdapter(fromGenerator(() => [[[[1], [2]], [1]]].values()));
    await rows.onEpochBegin();
    await expect(rows.nextBatch()).rejects.toThrow('Invalid y of batch 0 for fit: expected 2 rows, as x has. Received: shape [1].');
    const weights = new DatasetAdapter(fromGenerator(() => [[[[1], [2]], [1, 0], [[1, 1], [1, 1]]]].values()));
    await weights.onEpochBegin();
    await expect(weights.nextBatch()).rejects.toThrow(/Invalid sampleWeight of batch 0 for fit: expected one weight per row/);
  });

  it('reads { xs, sampleWeight } by role, without ys', async () => {
    const adapter = new DatasetAdapter(fromGenerator(() => [{ xs: [[1], [2]], sampleWeight: [3, 4] }].values()));
    const [b] = await epoch(adapter);
    expect(b.y).toBeNull();
    expect(plain(b.sampleWeight!.values)).toEqual([3, 4]);
  });

  it('lets an error thrown by a generator surface as it is, and closes the pipeline', async () => {
    const error = new Error('disk on fire');
    let released = 0;
    const adapter = new DatasetAdapter(
      fromGenerator(function* () {
        try {
          yield [[[1]]];
          throw error;
        } finally {
          released++;
        }
      }),
    );
    await adapter.onEpochBegin();
    await expect(adapter.nextBatch()).resolves.not.toBeNull();
    await expect(adapter.nextBatch()).rejects.toBe(error);
    expect(released).toBe(1);
    await adapter.close();
  });

  it('converts batches ahead of the consumer, up to its prefetch depth', async () => {
    const { dataset, log } = countingRange();
    const adapter = new DatasetAdapter(dataset.map((i) => [[[i]]]), { stepsPerEpoch: 100, prefetch: 3 });
    await adapter.onEpochBegin();
    await adapter.nextBatch();
    await new Promise((r) => setTimeout(r, 10));
    expect(log.pulled).toBe(4);
    await adapter.close();
    expect(log.closed).toBe(1);
  });

  it('refuses what is not a Dataset, and bad options', () => {
    expect(() => new DatasetAdapter([[1]] as never)).toThrow(/Invalid data for fit: expected a keras.data.Dataset/);
    expect(() => new DatasetAdapter(tenRows().batch(2), { stepsPerEpoch: 0 })).toThrow(/Invalid stepsPerEpoch for fit: expected a positive integer/);
    expect(() => new DatasetAdapter(tenRows().batch(2), { steps: 3 } as never)).toThrow(ValueError);
  });

  describe('over a file', () => {
    let dir = '';
    let path = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'webgpu-keras-adapter-'));
      path = join(dir, 'data.csv');
      writeFileSync(path, 'a,b,y\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i / 2},${i % 2}\n`).join(''));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const openFiles = () => readdirSync('/proc/self/fd').length;

    it('closes the file when training stops early (close mid-epoch)', async () => {
      const before = openFiles();
      const adapter = new DatasetAdapter(fromCSV(path, { columnConfigs: { y: { isLabel: true } } }).batch(32));
      await adapter.onEpochBegin();
      const b = await adapter.nextBatch();
      expect(b!.y!.shape).toEqual([32, 1]);
      expect(openFiles()).toBe(before + 1);
      await adapter.close();
      expect(openFiles()).toBe(before);
    });

    it('closes the file when a batch fails its checks', async () => {
      const before = openFiles();
      const adapter = new DatasetAdapter(fromCSV(path).map((r) => ((r as Float64Array)[0] === 50 ? Float64Array.of(NaN, 0, 0) : r)).batch(50), { dtype: 'float32' });
      await adapter.onEpochBegin();
      await adapter.nextBatch();
      await expect(adapter.nextBatch()).rejects.toThrow(/NaN at row 0/);
      expect(openFiles()).toBe(before);
    });
  });
});

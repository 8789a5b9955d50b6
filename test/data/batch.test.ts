import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { fromArrays, fromGenerator, type BatchArray } from '../../src/data';
import { ShapeError, ValueError } from '../../src/errors';
import { tensor } from '../../src/tensor/convert';
import { countingRange, plain } from './helpers';

beforeAll(async () => {
  await setBackend('cpu');
});

const gen = <T>(items: T[]) =>
  fromGenerator(function* () {
    yield* items;
  });

describe('Dataset.batch', () => {
  it('stacks [x, y] rows into contiguous arrays with a batch dimension, the last batch smaller', async () => {
    const batches = await fromArrays([[1, 2], [3, 4], [5, 6]], [7, 8, 9]).batch(2).toArray();
    expect(batches).toHaveLength(2);
    const [x0, y0] = batches[0];
    expect(x0.shape).toEqual([2, 2]);
    expect(plain(x0.values)).toEqual([1, 2, 3, 4]);
    expect(y0.shape).toEqual([2]);
    expect(plain(batches[1][0].values)).toEqual([5, 6]);
    expect(batches[1][0].shape).toEqual([1, 2]);
  });

  it('drops a smaller last batch with dropRemainder', async () => {
    const batches = await fromArrays([1, 2, 3, 4, 5]).batch(2, { dropRemainder: true }).toArray();
    expect(batches.map((b) => plain(b.values))).toEqual([[1, 2], [3, 4]]);
  });

  it('keeps the { xs, ys, sampleWeight } form of the elements', async () => {
    const [b] = await gen([{ xs: [1, 2], ys: 1, sampleWeight: 0.5 }, { xs: [3, 4], ys: 0, sampleWeight: 2 }]).batch(4).toArray();
    expect(Object.keys(b)).toEqual(['xs', 'ys', 'sampleWeight']);
    const { xs, ys, sampleWeight } = b as { xs: BatchArray; ys: BatchArray; sampleWeight: BatchArray };
    expect([xs.shape, ys.shape, sampleWeight.shape]).toEqual([[2, 2], [2], [2]]);
    expect(plain(sampleWeight.values)).toEqual([0.5, 2]);
  });

  it('keeps the [x, y, sampleWeight] form of the elements', async () => {
    const [b] = await fromArrays([[1], [2]], [3, 4], [1, 0]).batch(2).toArray();
    expect(b.map((part) => plain(part.values))).toEqual([[1, 2], [3, 4], [1, 0]]);
  });

  it('is float32 when every sample was float32, and float64 otherwise', async () => {
    const f32 = new Float32Array([1, 2, 3, 4]);
    const [b32] = await fromArrays({ values: f32, shape: [2, 2] }).batch(2).toArray();
    expect(b32.values).toBeInstanceOf(Float32Array);
    const [b64] = await gen([new Float32Array([1, 2]), [3, 4]] as never[]).map((x) => [x] as [number[]]).batch(2).toArray();
    expect(b64[0].values).toBeInstanceOf(Float64Array);
    expect(plain(b64[0].values)).toEqual([1, 2, 3, 4]);
  });

  it('keeps float64 precision of number rows', async () => {
    const [b] = await fromArrays([0.1, 1 + 2 ** -40]).batch(2).toArray();
    expect(Array.from(b.values)).toEqual([0.1, 1 + 2 ** -40]);
  });

  it('batches samples of rank 2 into [rows, h, w]', async () => {
    const x = Array.from({ length: 3 }, (_, i) => [[i, i], [i, i]]);
    const [b] = await fromArrays(x).batch(3).toArray();
    expect(b.shape).toEqual([3, 2, 2]);
    expect(plain(b.values)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('reads tensors inside elements', async () => {
    const ds = gen([[tensor([1, 2]), tensor([1])], [tensor([3, 4]), tensor([0])]]);
    const [[x, y]] = (await ds.batch(2).toArray()) as [BatchArray, BatchArray][];
    expect(plain(x.values)).toEqual([1, 2, 3, 4]);
    expect(y.shape).toEqual([2, 1]);
  });

  it('refuses ragged rows within a batch with a ShapeError naming the element', async () => {
    const ds = gen([[[1, 2], 0], [[3, 4, 5], 1]]).batch(2);
    await expect(ds.toArray()).rejects.toThrow(ShapeError);
    await expect(ds.toArray()).rejects.toThrow(/Invalid x of element 1 for Dataset.batch: expected shape \(2,\), as every element of a batch has. Received: shape \(3,\)/);
  });

  it('refuses a sample shape that changes after the first batch', async () => {
    const rows = [[1, 2], [3, 4], [5, 6, 7], [8, 9, 10]];
    const ds = gen(rows.map((r) => [r] as [number[]])).batch(2);
    await expect(ds.toArray()).rejects.toThrow(/Invalid x of element 2 for Dataset.batch: expected shape \(2,\), the shape of the samples of the first batch. Received: shape \(3,\), in batch 1/);
  });

  it('refuses an element whose form differs from the ones before it', async () => {
    const ds = gen([[1, 2], [3]] as never[]).batch(2);
    await expect(ds.toArray()).rejects.toThrow(/Invalid element 1 for Dataset.batch: expected the form \[x, y\] of the elements before it. Received: \[x\]/);
  });

  it('refuses elements that are not one of the forms, with a hint', async () => {
    await expect(gen([[1, 2, 3, 4]]).batch(1).toArray()).rejects.toThrow(/a JavaScript array at the top of an element is a tuple/);
    await expect(gen([{ x: [1], y: 1 }]).batch(1).toArray()).rejects.toThrow(/named xs, ys and sampleWeight.*'x' is not one of them/);
    await expect(gen(['text']).batch(1).toArray()).rejects.toThrow(ValueError);
  });

  it('refuses a non-numeric part', async () => {
    await expect(gen([[['a', 'b'], 1]]).batch(1).toArray()).rejects.toThrow(/expected numbers only/);
  });

  it('closes its source and drops the rows it held when the consumer stops', async () => {
    const { dataset, log } = countingRange();
    const it = dataset.batch(4).iterator();
    expect(plain((await it.next()).value!.values)).toEqual([0, 1, 2, 3]);
    await it.return();
    expect(log).toEqual({ pulled: 4, opened: 1, closed: 1 });
  });
});

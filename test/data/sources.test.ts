import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { fromArrays, fromAsyncIterable, fromGenerator, type ShapedArray } from '../../src/data';
import { ShapeError, StateError, ValueError } from '../../src/errors';
import { tensor } from '../../src/tensor/convert';
import { plain } from './helpers';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('fromArrays', () => {
  it('yields the rows of x as numbers (1-D) or typed-array rows (2-D)', async () => {
    expect(await fromArrays([5, 6, 7]).toArray()).toEqual([5, 6, 7]);
    const rows = await fromArrays([[1, 2], [3, 4]]).toArray();
    expect(rows.map((r) => plain(r))).toEqual([[1, 2], [3, 4]]);
    expect(rows[0]).toBeInstanceOf(Float64Array);
  });

  it('yields [x, y] and [x, y, sampleWeight] tuples', async () => {
    expect(await fromArrays([1, 2], [3, 4]).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(await fromArrays([1, 2], [3, 4], [0.5, 1]).toArray()).toEqual([[1, 3, 0.5], [2, 4, 1]]);
  });

  it('reads a typed array with a shape, and its rows are views (no copy)', async () => {
    const values = new Float32Array([1, 2, 3, 4, 5, 6]);
    const rows = await fromArrays({ values, shape: [3, 2] }).toArray();
    expect(rows[2]).toBeInstanceOf(Float32Array);
    expect((rows[2] as Float32Array).buffer).toBe(values.buffer);
    expect(plain(rows[2] as Float32Array)).toEqual([5, 6]);
  });

  it('gives rank-3 data { values, shape } rows', async () => {
    const [row] = await fromArrays({ values: new Float64Array(8), shape: [2, 2, 2] }).take(1).toArray();
    expect((row as ShapedArray).shape).toEqual([2, 2]);
  });

  it('reads a tensor once, on the first pass', async () => {
    const x = tensor([[1, 2], [3, 4]]);
    const ds = fromArrays(x, tensor([0, 1]));
    const [first] = await ds.toArray();
    expect(plain(first[0] as Float32Array)).toEqual([1, 2]);
    x.dispose();
    expect((await ds.toArray()).length).toBe(2);
  });

  it('knows its cardinality', () => {
    expect(fromArrays(new Float32Array(12)).cardinality()).toBe(12);
  });

  it('refuses x and y of different lengths', () => {
    expect(() => fromArrays([1, 2, 3], [1, 2])).toThrow(ShapeError);
    expect(() => fromArrays([1, 2, 3], [1, 2])).toThrow('Invalid y for fromArrays: expected 3 samples, as x has. Received: 2 samples.');
  });

  it('refuses sampleWeight without y, scalars, and other types', () => {
    expect(() => fromArrays([1], undefined as never, [1])).toThrow(/expected targets when sampleWeight is given/);
    expect(() => fromArrays({ values: new Float32Array(1), shape: [] })).toThrow(/expected samples along a first dimension/);
    expect(() => fromArrays('abc' as never)).toThrow(ValueError);
  });

  it('refuses ragged nested data when it is first read', async () => {
    await expect(fromArrays([[1, 2], [3]]).toArray()).rejects.toThrow(/expected a rectangular \(non-ragged\) array/);
  });

  it('refuses a shaped array whose shape does not hold its values', async () => {
    await expect(fromArrays({ values: new Float32Array(5), shape: [2, 2] }).toArray()).rejects.toThrow(ShapeError);
  });
});

describe('fromGenerator', () => {
  it('takes a sync generator function and calls it again for each pass', async () => {
    let calls = 0;
    const ds = fromGenerator(function* () {
      calls++;
      yield* [1, 2, 3];
    });
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(calls).toBe(2);
  });

  it('takes an async generator function', async () => {
    const ds = fromGenerator(async function* () {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 1));
        yield { xs: [i], ys: i };
      }
    });
    expect((await ds.toArray()).map((e) => e.ys)).toEqual([0, 1, 2]);
  });

  it('takes a function that returns an iterator or an iterable', async () => {
    expect(await fromGenerator(() => [4, 5].values()).toArray()).toEqual([4, 5]);
    expect(await fromGenerator(() => new Set([6, 7])).toArray()).toEqual([6, 7]);
    let i = 0;
    const iterator = { next: () => (i < 2 ? { value: i++, done: false } : { value: undefined, done: true }) };
    expect(await fromGenerator(() => iterator as Iterator<number>).toArray()).toEqual([0, 1]);
  });

  it('surfaces an error the generator throws as it is (not wrapped), after the elements before it', async () => {
    const error = new RangeError('sensor offline');
    const seen: number[] = [];
    const ds = fromGenerator(function* () {
      yield 1;
      throw error;
    });
    await expect(ds.forEachAsync((x) => void seen.push(x))).rejects.toBe(error);
    expect(seen).toEqual([1]);
  });

  it("runs the generator's finally when the consumer stops early", async () => {
    let released = false;
    const ds = fromGenerator(function* () {
      try {
        for (;;) yield 0;
      } finally {
        released = true;
      }
    });
    await ds.take(2).toArray();
    expect(released).toBe(true);
  });

  it('refuses a generator object, asking for the function', () => {
    function* g() {
      yield 1;
    }
    expect(() => fromGenerator(g() as never)).toThrow(/pass the function itself/);
  });

  it('refuses a function that returns no iterator', async () => {
    await expect(fromGenerator(() => 42 as never).toArray()).rejects.toThrow(/expected a function that returns an iterator/);
  });
});

describe('fromAsyncIterable', () => {
  it('iterates an async iterable that starts over, once per pass', async () => {
    const source = {
      async *[Symbol.asyncIterator]() {
        yield 'a';
        yield 'b';
      },
    };
    const ds = fromAsyncIterable(source);
    expect(await ds.toArray()).toEqual(['a', 'b']);
    expect(await ds.toArray()).toEqual(['a', 'b']);
  });

  it('iterates a sync iterable, awaiting promised values', async () => {
    expect(await fromAsyncIterable([Promise.resolve(1), 2]).toArray()).toEqual([1, 2]);
  });

  it('refuses a second pass over a one-shot iterator instead of yielding nothing', async () => {
    async function* once() {
      yield 1;
    }
    const ds = fromAsyncIterable(once());
    expect(await ds.toArray()).toEqual([1]);
    await expect(ds.toArray()).rejects.toThrow(StateError);
    await expect(ds.toArray()).rejects.toThrow(/a one-shot source .* already read by an earlier pass/);
  });

  it('closes the iterator when the consumer stops early', async () => {
    let closed = false;
    async function* endless() {
      try {
        for (;;) yield 1;
      } finally {
        closed = true;
      }
    }
    await fromAsyncIterable(endless()).take(3).toArray();
    expect(closed).toBe(true);
  });

  it('refuses something that is not iterable', () => {
    expect(() => fromAsyncIterable({} as never)).toThrow(/expected an object with \[Symbol.asyncIterator\]/);
  });
});

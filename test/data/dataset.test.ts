import { describe, expect, it } from 'vitest';
import { Dataset, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, fromArrays, fromGenerator } from '../../src/data';
import { ValueError } from '../../src/errors';
import { countingRange } from './helpers';

const range = (n: number) => fromArrays(Array.from({ length: n }, (_, i) => i));

describe('Dataset methods', () => {
  it('map transforms each element, awaiting async functions', async () => {
    expect(await range(4).map((x) => x * 10).toArray()).toEqual([0, 10, 20, 30]);
    expect(await range(3).map(async (x) => x + 1).toArray()).toEqual([1, 2, 3]);
  });

  it('filter keeps the elements for which the predicate holds, sync or async', async () => {
    expect(await range(6).filter((x) => x % 2 === 0).toArray()).toEqual([0, 2, 4]);
    expect(await range(6).filter(async (x) => x > 3).toArray()).toEqual([4, 5]);
  });

  it('take stops after count elements and never reads past them', async () => {
    const { dataset, log } = countingRange();
    expect(await dataset.take(3).toArray()).toEqual([0, 1, 2]);
    expect(log).toEqual({ pulled: 3, opened: 1, closed: 1 });
  });

  it('take of a negative count keeps everything and take(0) reads nothing', async () => {
    expect(await range(3).take(-1).toArray()).toEqual([0, 1, 2]);
    const { dataset, log } = countingRange(5);
    expect(await dataset.take(0).toArray()).toEqual([]);
    expect(log.opened).toBe(0);
  });

  it('skip drops the first count elements, and a negative count drops all', async () => {
    expect(await range(5).skip(2).toArray()).toEqual([2, 3, 4]);
    expect(await range(5).skip(9).toArray()).toEqual([]);
    expect(await range(5).skip(-1).toArray()).toEqual([]);
  });

  it('repeat makes count passes, each a fresh call of the generator', async () => {
    const { dataset, log } = countingRange(2);
    expect(await dataset.repeat(3).toArray()).toEqual([0, 1, 0, 1, 0, 1]);
    expect(log.opened).toBe(3);
  });

  it('repeat without a count is endless until the consumer stops, which closes the pass', async () => {
    const { dataset, log } = countingRange(2);
    expect(await dataset.repeat().take(5).toArray()).toEqual([0, 1, 0, 1, 0]);
    expect(log.opened).toBe(3);
    expect(log.closed).toBe(3);
  });

  it('an endless repeat of a dataset that turns out empty ends instead of spinning', async () => {
    expect(await range(3).filter(() => false).repeat().take(1).toArray()).toEqual([]);
  });

  it('prefetch keeps order and requests at most bufferSize elements ahead', async () => {
    const { dataset, log } = countingRange(100);
    const it = dataset.prefetch(3).iterator();
    expect((await it.next()).value).toBe(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(log.pulled).toBe(4);
    const rest: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
  });

  it('prefetch closes its source when the consumer stops early', async () => {
    const { dataset, log } = countingRange();
    expect(await dataset.prefetch(2).take(2).toArray()).toEqual([0, 1]);
    expect(log.closed).toBe(1);
  });

  it('prefetch surfaces an upstream error at its position, after the elements before it', async () => {
    const boom = new Error('boom at 2');
    const ds = fromGenerator(function* () {
      yield 0;
      yield 1;
      throw boom;
    }).prefetch(4);
    const seen: number[] = [];
    await expect(ds.forEachAsync((x) => void seen.push(x))).rejects.toBe(boom);
    expect(seen).toEqual([0, 1]);
  });

  it('cache replays a completed pass without reading the source again', async () => {
    const { dataset, log } = countingRange(3);
    const cached = dataset.map((x) => ({ x })).cache();
    const first = await cached.toArray();
    const second = await cached.toArray();
    expect(second).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }]);
    expect(second[0]).toBe(first[0]);
    expect(log.opened).toBe(1);
  });

  it('cache keeps nothing from a pass stopped early', async () => {
    const { dataset, log } = countingRange(3);
    const cached = dataset.cache();
    expect(await cached.take(1).toArray()).toEqual([0]);
    expect(await cached.toArray()).toEqual([0, 1, 2]);
    expect(log.opened).toBe(2);
  });

  it('forEachAsync awaits the callback for each element in order', async () => {
    const seen: number[] = [];
    await range(3).forEachAsync(async (x) => {
      await new Promise((r) => setTimeout(r, 1));
      seen.push(x);
    });
    expect(seen).toEqual([0, 1, 2]);
  });

  it('is lazy: nothing is read until it is iterated, and each iteration starts over', async () => {
    const { dataset, log } = countingRange(3);
    const pipeline = dataset.map((x) => x + 1).filter(() => true).batch(2);
    expect(log.opened).toBe(0);
    await pipeline.toArray();
    await pipeline.toArray();
    expect(log.opened).toBe(2);
  });

  it('toArray refuses an endless dataset', async () => {
    await expect(range(2).repeat().toArray()).rejects.toThrow(/Invalid dataset for Dataset.toArray: expected a finite dataset/);
  });

  it('an error thrown by a map function surfaces as it is and closes the source', async () => {
    const { dataset, log } = countingRange();
    const error = new TypeError('bad row');
    const ds = dataset.map((x) => {
      if (x === 4) throw error;
      return x;
    });
    await expect(ds.toArray()).rejects.toBe(error);
    expect(log.closed).toBe(1);
  });

  it('refuses bad arguments in the one template', () => {
    const ds = range(3);
    expect(() => ds.batch(0)).toThrow('Invalid batchSize for Dataset.batch: expected a positive integer. Received: batchSize=0.');
    expect(() => ds.batch(2, { drop_remainder: true } as never)).toThrow(/did you mean 'dropRemainder'/);
    expect(() => ds.batch(2, { numParallelCalls: 4 } as never)).toThrow(/not implemented in webgpu-keras yet/);
    expect(() => ds.shuffle(1.5)).toThrow(/Invalid bufferSize for Dataset.shuffle/);
    expect(() => ds.shuffle(4, { seed: -1 })).toThrow(/Invalid seed for Dataset.shuffle/);
    expect(() => ds.take(1.5)).toThrow(/Invalid count for Dataset.take: expected an integer/);
    expect(() => ds.prefetch(0)).toThrow(/Invalid bufferSize for Dataset.prefetch/);
    expect(() => ds.map(3 as never)).toThrow(/Invalid fn for Dataset.map: expected a function/);
    expect(() => ds.cache('/tmp/cache')).toThrow(ValueError);
  });
});

describe('Dataset cardinality', () => {
  const finite = range(10);
  const unknown = fromGenerator(function* () {
    yield 1;
  });
  const endless = finite.repeat();

  it.each([
    ['fromArrays', finite, 10],
    ['fromGenerator', unknown, UNKNOWN_CARDINALITY],
    ['map', finite.map((x) => x), 10],
    ['filter', finite.filter(() => true), UNKNOWN_CARDINALITY],
    ['batch', finite.batch(3), 4],
    ['batch dropRemainder', finite.batch(3, { dropRemainder: true }), 3],
    ['batch of endless', endless.batch(3), INFINITE_CARDINALITY],
    ['shuffle', finite.shuffle(4, { seed: 1 }), 10],
    ['repeat(3)', finite.repeat(3), 30],
    ['repeat()', endless, INFINITE_CARDINALITY],
    ['repeat of unknown', unknown.repeat(2), UNKNOWN_CARDINALITY],
    ['repeat(0)', finite.repeat(0), 0],
    ['take of endless', endless.take(7), 7],
    ['take more than there is', finite.take(20), 10],
    ['take of unknown', unknown.take(3), UNKNOWN_CARDINALITY],
    ['skip', finite.skip(4), 6],
    ['skip of endless', endless.skip(4), INFINITE_CARDINALITY],
    ['prefetch', finite.prefetch(2), 10],
    ['cache', finite.cache(), 10],
  ] as [string, Dataset<unknown>, number][])('%s has cardinality %i', (_, ds, n) => {
    expect(ds.cardinality()).toBe(n);
  });

  it('size follows TF.js: Infinity when endless, null when unknown', () => {
    expect(finite.size).toBe(10);
    expect(endless.size).toBe(Infinity);
    expect(unknown.size).toBeNull();
  });

  it('a known cardinality matches the elements a pass yields', async () => {
    for (const ds of [finite.batch(3), finite.skip(4).take(3), finite.repeat(2).batch(4, { dropRemainder: true })]) {
      expect((await ds.toArray()).length).toBe(ds.cardinality());
    }
  });
});

import { describe, expect, it } from 'vitest';
import { fromArrays, fromGenerator } from '../../src/data';
import { setRandomSeed } from '../../src/random';

const range = (n: number) => fromArrays(Array.from({ length: n }, (_, i) => i));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('Dataset.shuffle', () => {
  it('yields every element exactly once', async () => {
    const out = await range(50).shuffle(8, { seed: 3 }).toArray();
    expect(sorted(out)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(out).not.toEqual(sorted(out));
  });

  it('gives the same order for the same seed, in a new pipeline too', async () => {
    const a = await range(40).shuffle(40, { seed: 7 }).toArray();
    const b = await range(40).shuffle(40, { seed: 7 }).toArray();
    expect(b).toEqual(a);
  });

  it('gives different orders for different seeds', async () => {
    const a = await range(40).shuffle(40, { seed: 7 }).toArray();
    const b = await range(40).shuffle(40, { seed: 8 }).toArray();
    expect(b).not.toEqual(a);
  });

  it('reshuffles each pass by default, with the same sequence of epochs for one seed', async () => {
    const epochs = async () => {
      const ds = range(30).shuffle(30, { seed: 11 });
      return [await ds.toArray(), await ds.toArray(), await ds.toArray()];
    };
    const first = await epochs();
    expect(first[1]).not.toEqual(first[0]);
    expect(first[2]).not.toEqual(first[1]);
    expect(await epochs()).toEqual(first);
  });

  it('reshuffles across the passes of repeat()', async () => {
    const out = await range(20).shuffle(20, { seed: 2 }).repeat(2).toArray();
    expect(out.slice(20)).not.toEqual(out.slice(0, 20));
  });

  it('repeats its first order with reshuffleEachIteration: false', async () => {
    const ds = range(30).shuffle(30, { seed: 5, reshuffleEachIteration: false });
    expect(await ds.toArray()).toEqual(await ds.toArray());
  });

  it('is reproducible from the global seed when no seed is given', async () => {
    setRandomSeed(42);
    const a = await range(30).shuffle(30).toArray();
    setRandomSeed(42);
    const b = await range(30).shuffle(30).toArray();
    expect(b).toEqual(a);
  });

  it('with a buffer of one keeps the order', async () => {
    expect(await range(10).shuffle(1, { seed: 1 }).toArray()).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('holds at most bufferSize elements ahead of the consumer', async () => {
    let pulled = 0;
    const source = fromGenerator(function* () {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield i;
      }
    });
    let yielded = 0;
    let held = 0;
    for await (const _ of source.shuffle(16, { seed: 9 })) {
      yielded++;
      held = Math.max(held, pulled - yielded);
    }
    expect(yielded).toBe(1000);
    expect(held).toBe(16);
  });

  it('moves every element around the buffer: the first output is uniform over it', async () => {
    // 400 seeds, a buffer of 4 over 4 elements: each first element should come out about 100 times.
    const counts = [0, 0, 0, 0];
    for (let seed = 0; seed < 400; seed++) counts[(await range(4).shuffle(4, { seed }).take(1).toArray())[0]]++;
    for (const c of counts) expect(c).toBeGreaterThan(60);
  });
});

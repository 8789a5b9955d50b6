/**
 * `keras.data.Dataset`: a lazy, re-iterable sequence of elements, in tf.data's and TF.js's vocabulary.
 * Nothing is read until the dataset is iterated; each iteration (each epoch) starts the pipeline over.
 */
import { checkPositiveInt, invalid, received, ValueError } from '../errors';
import { SeedGenerator, checkSeed, getGlobalSeedGenerator } from '../random';
import { checkOptions } from '../utils/options';
import { batchElements } from './batching';
import type { BatchOf } from './elements';
import {
  cacheElements,
  filterElements,
  mapElements,
  prefetchElements,
  repeatElements,
  shuffleElements,
  skipElements,
  takeElements,
  type CacheState,
} from './transforms';

/** {@link Dataset.cardinality} of an endless dataset (tf.data's `INFINITE_CARDINALITY`). */
export const INFINITE_CARDINALITY = -1;
/** {@link Dataset.cardinality} of a dataset whose length is known only once it ends (tf.data's `UNKNOWN_CARDINALITY`). */
export const UNKNOWN_CARDINALITY = -2;

/** Options of {@link Dataset.batch}. */
export interface BatchOptions {
  /** Drop the last batch when it has fewer than `batchSize` elements (default false). */
  dropRemainder?: boolean;
}

/** Options of {@link Dataset.shuffle}. */
export interface ShuffleOptions {
  /** Seed of the order, an integer in [0, 2^32 − 1] (default: drawn from the global seed generator when `shuffle` is called, so `keras.utils.setRandomSeed` makes it reproducible). */
  seed?: number;
  /** Draw a new order on every iteration (every epoch) (default true); false repeats the first order. */
  reshuffleEachIteration?: boolean;
}

function checkCount(count: unknown, name: string, where: string): number {
  if (typeof count !== 'number' || !Number.isInteger(count)) {
    invalid({ what: name, where, expected: 'an integer (negative: all elements)', received: received(name, count) });
  }
  return count;
}

function checkFunction(fn: unknown, name: string, where: string): void {
  if (typeof fn !== 'function') invalid({ what: name, where, expected: 'a function', received: received(name, fn) });
}

/**
 * A lazy sequence of elements. Make one with `keras.data.fromArrays`, `fromGenerator`,
 * `fromAsyncIterable` or `fromCSV`; chain the methods below; iterate it with `for await`.
 *
 * Elements are `x`, `[x]`, `[x, y]`, `[x, y, sampleWeight]` or `{ xs, ys?, sampleWeight? }` (see
 * `batch`). A dataset is iterated again for each pass (epoch): a generator function is called again, a
 * file is read again. A consumer that stops early closes the iteration, which closes its files.
 *
 * Errors thrown by user code (a generator, a `map` function) surface as they are, unwrapped, as TF.js and
 * Keras let them through; errors about the data itself are `keras.errors` (`ShapeError`, `ValueError`).
 */
export class Dataset<T> implements AsyncIterable<T> {
  /** @internal Datasets are made by `keras.data.from*` and by the methods of other datasets. */
  constructor(
    private readonly open: () => AsyncGenerator<T, void, undefined>,
    private readonly knownCardinality: number,
  ) {}

  /**
   * Number of elements: a count, {@link INFINITE_CARDINALITY} (-1) for an endless dataset, or
   * {@link UNKNOWN_CARDINALITY} (-2) when it is known only once the data ends (a generator, a file, a
   * filter), as tf.data's `cardinality()`.
   */
  cardinality(): number {
    return this.knownCardinality;
  }

  /** Number of elements as TF.js's `Dataset.size`: a count, `Infinity` when endless, `null` when unknown. */
  get size(): number | null {
    const n = this.knownCardinality;
    return n === INFINITE_CARDINALITY ? Infinity : n === UNKNOWN_CARDINALITY ? null : n;
  }

  /** A fresh iteration over the elements (one pass); close it with `return()` to stop early. */
  iterator(): AsyncGenerator<T, void, undefined> {
    return this.open();
  }

  /** A fresh iteration, for `for await (const element of dataset)`. */
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    return this.open();
  }

  private derive<U>(open: (source: Dataset<T>) => AsyncGenerator<U, void, undefined>, cardinality: number): Dataset<U> {
    return new Dataset(() => open(this), cardinality);
  }

  /** Each element transformed by `fn` (sync or async; a rejected promise surfaces as it is). Same cardinality. */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    checkFunction(fn, 'fn', 'Dataset.map');
    return this.derive((s) => mapElements(s, fn), this.knownCardinality);
  }

  /** The elements for which `predicate` (sync or async) is true. Cardinality unknown, as in tf.data. */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    checkFunction(predicate, 'predicate', 'Dataset.filter');
    return this.derive((s) => filterElements(s, predicate), UNKNOWN_CARDINALITY);
  }

  /**
   * Consecutive elements stacked into batches, part by part: `[x, y]` elements give `[xBatch, yBatch]`,
   * `{ xs, ys }` give `{ xs, ys }`, each part a contiguous Float32Array (when every sample was float32)
   * or Float64Array with shape `[rows, ...sampleShape]`. Every sample of a part must have one shape,
   * within a batch and across batches (`ShapeError` otherwise).
   *
   * @param batchSize Elements per batch, a positive integer.
   * @param options `dropRemainder` (default false): drop a smaller last batch.
   */
  batch(batchSize: number, options?: BatchOptions): Dataset<BatchOf<T>> {
    const where = 'Dataset.batch';
    checkPositiveInt(batchSize, 'batchSize', where);
    const o = checkOptions(options, where, {
      known: ['dropRemainder'],
      notImplemented: { numParallelCalls: 'batches are built in order on the calling thread', deterministic: 'batches are always in order' },
    });
    const dropRemainder = o.dropRemainder ?? false;
    if (typeof dropRemainder !== 'boolean') invalid({ what: 'dropRemainder', where, expected: 'a boolean', received: received('dropRemainder', dropRemainder) });
    const n = this.knownCardinality;
    const cardinality = n < 0 ? n : dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
    return this.derive((s) => batchElements(s, batchSize, dropRemainder), cardinality);
  }

  /**
   * Elements in random order through a buffer of `bufferSize` (tf.data's algorithm: a buffer as large as
   * the dataset gives a uniform shuffle; a smaller one shuffles locally and holds only that many elements).
   *
   * @param bufferSize Elements held, a positive integer.
   * @param options `seed` (default: from the global seed generator, drawn now), `reshuffleEachIteration`
   *   (default true: a new order each pass).
   */
  shuffle(bufferSize: number, options?: ShuffleOptions): Dataset<T> {
    const where = 'Dataset.shuffle';
    checkPositiveInt(bufferSize, 'bufferSize', where);
    const o = checkOptions(options, where, { known: ['seed', 'reshuffleEachIteration'] });
    const reshuffle = o.reshuffleEachIteration ?? true;
    if (typeof reshuffle !== 'boolean') invalid({ what: 'reshuffleEachIteration', where, expected: 'a boolean', received: received('reshuffleEachIteration', reshuffle) });
    const seeds = new SeedGenerator(o.seed === undefined ? getGlobalSeedGenerator().next() : checkSeed(o.seed, where));
    const first = seeds.next();
    let passes = 0;
    // Pass k shuffles with the k-th seed of this shuffle's own generator: one seed gives the same epochs.
    const seedOfPass = () => (reshuffle && passes++ > 0 ? seeds.next() : first);
    return this.derive((s) => shuffleElements(s, bufferSize, seedOfPass()), this.knownCardinality);
  }

  /**
   * The dataset `count` times over, each pass a fresh iteration (a generator is called again; a shuffle
   * reshuffles). No count, or a negative one, repeats endlessly (an empty pass ends it).
   */
  repeat(count?: number): Dataset<T> {
    const times = count === undefined ? -1 : checkCount(count, 'count', 'Dataset.repeat');
    const n = this.knownCardinality;
    let cardinality: number;
    if (times < 0) cardinality = n === 0 ? 0 : INFINITE_CARDINALITY;
    else if (times === 0 || n === 0) cardinality = 0;
    else cardinality = n < 0 ? n : n * times;
    return this.derive((s) => repeatElements(s, times < 0 ? null : times), cardinality);
  }

  /** The first `count` elements (all of them when `count` is negative, as in TF.js and tf.data). */
  take(count: number): Dataset<T> {
    const k = checkCount(count, 'count', 'Dataset.take');
    if (k < 0) return this;
    const n = this.knownCardinality;
    const cardinality = n === INFINITE_CARDINALITY ? k : n === UNKNOWN_CARDINALITY ? (k === 0 ? 0 : n) : Math.min(n, k);
    return this.derive((s) => takeElements(s, k), cardinality);
  }

  /** All but the first `count` elements (none when `count` is negative, as in TF.js and tf.data). */
  skip(count: number): Dataset<T> {
    const k = checkCount(count, 'count', 'Dataset.skip');
    const n = this.knownCardinality;
    if (k < 0) return this.derive((s) => takeElements(s, 0), 0);
    const cardinality = n < 0 ? n : Math.max(0, n - k);
    return this.derive((s) => skipElements(s, k), cardinality);
  }

  /** Up to `bufferSize` elements prepared ahead of the consumer (default 1), so the pipeline overlaps its work. */
  prefetch(bufferSize = 1): Dataset<T> {
    checkPositiveInt(bufferSize, 'bufferSize', 'Dataset.prefetch');
    return this.derive((s) => prefetchElements(s, bufferSize), this.knownCardinality);
  }

  /**
   * Elements kept in memory by the first pass that runs to the end; later passes replay them without
   * reading the source (a file, a generator) again. A pass stopped early keeps nothing.
   */
  cache(filename?: string): Dataset<T> {
    if (filename !== undefined && filename !== '') {
      throw new ValueError(
        `Invalid filename for Dataset.cache: expected nothing (an in-memory cache). Received: ${received('filename', filename)}.` +
          `\nhint: caching to a file, as tf.data's cache(filename) does, is not implemented in webgpu-keras yet.`,
      );
    }
    const state: CacheState<T> = { elements: null };
    return this.derive((s) => cacheElements(s, state), this.knownCardinality);
  }

  /** Every element, in an array (refused for an endless dataset). */
  async toArray(): Promise<T[]> {
    if (this.knownCardinality === INFINITE_CARDINALITY) {
      invalid({ what: 'dataset', where: 'Dataset.toArray', expected: 'a finite dataset', received: 'an endless one (cardinality INFINITE)', hint: 'take(n) first.' });
    }
    const out: T[] = [];
    for await (const element of this) out.push(element);
    return out;
  }

  /** Call `fn` on each element in turn, awaiting it (TF.js's `forEachAsync`). */
  async forEachAsync(fn: (element: T) => void | Promise<void>): Promise<void> {
    checkFunction(fn, 'fn', 'Dataset.forEachAsync');
    for await (const element of this) await fn(element);
  }
}

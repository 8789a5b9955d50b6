/**
 * Datasets from memory, generators and async iterables (`fromCSV` is in csv.ts).
 */
import type { TypedArray } from '../backend/backend';
import { ShapeError, ValueError, describe } from '../errors';
import { toHostArray } from '../tensor/convert';
import { sizeOf } from '../tensor/shape';
import { Tensor, type NestedArray } from '../tensor/tensor';
import { badState } from '../utils/options';
import { Dataset, UNKNOWN_CARDINALITY } from './dataset';
import { isShapedArray, type ShapedArray } from './elements';

/** Data that `fromArrays` slices along its first dimension. */
export type ArrayData = Tensor | NestedArray | TypedArray | ShapedArray;

/**
 * One row of `fromArrays` data: a number for 1-D data, a typed-array view (no copy) for 2-D data, a
 * `{ values, shape }` view for higher ranks.
 */
export type Row = number | TypedArray | ShapedArray;

/** The row type of `fromArrays` data of type `D` (by its rank, where the type shows it). */
export type RowOf<D> = D extends readonly number[]
  ? number
  : D extends readonly (readonly number[])[]
    ? Float64Array
    : D extends readonly unknown[]
      ? ShapedArray
      : D extends TypedArray
        ? number
        : Row;

/** What a generator function may return: a generator, or any (async) iterator or iterable. */
export type GeneratorResult<T> = Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

/** The number of samples (first dimension) of `data`, checked without reading it. */
function samplesOf(data: unknown, what: string): number {
  let shape: readonly number[] | null = null;
  if (data instanceof Tensor) {
    data.assertLive('fromArrays');
    shape = data.shape;
  } else if (isShapedArray(data)) shape = data.shape;
  else if (ArrayBuffer.isView(data)) shape = [(data as TypedArray).length];
  else if (Array.isArray(data)) shape = [data.length];
  if (shape === null) {
    throw new ValueError(`Invalid ${what} for fromArrays: expected a Tensor, a nested array of numbers, a typed array or a { values, shape } array. Received: ${describe(data)}.`);
  }
  if (shape.length === 0) {
    throw new ShapeError(`Invalid ${what} for fromArrays: expected samples along a first dimension. Received: a scalar (shape []).\nhint: wrap it in an array: [value].`);
  }
  return shape[0];
}

/** Reads `data` once, on the first pass (a tensor may live on a GPU), and slices rows out of it. */
function rowSource(data: ArrayData, what: string): () => Promise<(i: number) => Row> {
  let reader: Promise<(i: number) => Row> | null = null;
  return () =>
    (reader ??= (async () => {
      const host = isShapedArray(data) ? { values: data.values, shape: data.shape } : await toHostArray(data as Tensor | NestedArray | TypedArray, what, 'fromArrays');
      if (sizeOf(host.shape) !== host.values.length) {
        throw new ShapeError(`Invalid ${what} for fromArrays: expected a shape that holds its ${host.values.length} values. Received: shape [${host.shape}].`);
      }
      const values = host.values as TypedArray;
      const sample = host.shape.slice(1);
      const size = sizeOf(sample);
      if (sample.length === 0) return (i: number) => values[i];
      if (sample.length === 1) return (i: number) => values.subarray(i * size, (i + 1) * size);
      return (i: number) => ({ values: values.subarray(i * size, (i + 1) * size), shape: sample });
    })());
}

/**
 * A dataset of the rows of in-memory data, as tf.data's `from_tensor_slices((x, y))`: element `i` is
 * `x[i]`, or `[x[i], y[i]]`, or `[x[i], y[i], sampleWeight[i]]`. Rows are views into the data (no
 * copy): a 1-D array gives numbers, a 2-D one typed-array rows, higher ranks `{ values, shape }` rows.
 *
 * @param x Inputs: a nested array, a typed array (1-D), a `{ values, shape }` array, or a Tensor (read
 *   once, on the first pass).
 * @param y Optional targets, as many samples as `x`.
 * @param sampleWeight Optional per-sample weights, as many samples as `x` (needs `y`).
 */
export function fromArrays<X extends ArrayData>(x: X): Dataset<RowOf<X>>;
export function fromArrays<X extends ArrayData, Y extends ArrayData>(x: X, y: Y): Dataset<[RowOf<X>, RowOf<Y>]>;
export function fromArrays<X extends ArrayData, Y extends ArrayData, W extends ArrayData>(x: X, y: Y, sampleWeight: W): Dataset<[RowOf<X>, RowOf<Y>, RowOf<W>]>;
export function fromArrays(x: ArrayData, y?: ArrayData, sampleWeight?: ArrayData): Dataset<Row | Row[]> {
  if (sampleWeight !== undefined && y === undefined) {
    throw new ValueError('Invalid y for fromArrays: expected targets when sampleWeight is given. Received: y=undefined.');
  }
  const named: [string, ArrayData][] = [['x', x]];
  if (y !== undefined) named.push(['y', y]);
  if (sampleWeight !== undefined) named.push(['sampleWeight', sampleWeight]);
  const n = samplesOf(x, 'x');
  for (const [what, data] of named.slice(1)) {
    const m = samplesOf(data, what);
    if (m !== n) throw new ShapeError(`Invalid ${what} for fromArrays: expected ${n} samples, as x has. Received: ${m} samples.\nhint: x, y and sampleWeight hold one row per sample.`);
  }
  const sources = named.map(([what, data]) => rowSource(data, what));
  return new Dataset(async function* () {
    const rows = await Promise.all(sources.map((s) => s()));
    if (rows.length === 1) for (let i = 0; i < n; i++) yield rows[0](i);
    else for (let i = 0; i < n; i++) yield rows.map((row) => row(i));
  }, n);
}

function asAsyncIterable<T>(produced: unknown, where: string): AsyncIterable<T> | Iterable<T> {
  const p = produced as Record<symbol | string, unknown> | null;
  if (p != null && (typeof p[Symbol.asyncIterator] === 'function' || typeof p[Symbol.iterator] === 'function')) return p as unknown as AsyncIterable<T>;
  if (p != null && typeof p.next === 'function') return { [Symbol.asyncIterator]: () => p as unknown as AsyncIterator<T> };
  throw new ValueError(
    `Invalid generator for ${where}: expected a function that returns an iterator (a generator function). Received: a function that returned ${describe(produced)}.` +
      `\nhint: write function* () { yield … } or async function* () { yield … }.`,
  );
}

/**
 * A dataset of what a generator function yields, as TF.js's `tf.data.generator`. `fn` (a sync or async
 * generator function, or any function returning an iterator) is called again for every pass, so each
 * epoch starts over. An error it throws surfaces as it is (not wrapped), as in TF.js and Keras; the
 * generator's `finally` blocks run when a consumer stops early. Cardinality unknown.
 *
 * @param fn Called with no arguments at the start of each pass.
 */
export function fromGenerator<T>(fn: () => GeneratorResult<T>): Dataset<T> {
  if (typeof fn !== 'function') {
    throw new ValueError(
      `Invalid generator for fromGenerator: expected a generator function. Received: ${describe(fn)}.` +
        `\nhint: pass the function itself (function* () { … }), not what calling it returned, so each epoch can start over; fromAsyncIterable takes a one-shot source.`,
    );
  }
  return new Dataset(async function* () {
    yield* asAsyncIterable<T>(fn(), 'fromGenerator');
  }, UNKNOWN_CARDINALITY);
}

function isStream(source: object): boolean {
  const s = source as { pipe?: unknown; getReader?: unknown };
  return typeof s.pipe === 'function' || typeof s.getReader === 'function';
}

/**
 * A dataset of the elements of an async (or sync) iterable. Each pass asks the iterable for a new
 * iterator; a source that cannot start over (an iterator, a generator object, a stream) is read by the
 * first pass only, and a second pass throws a StateError rather than yield nothing. Cardinality unknown.
 */
export function fromAsyncIterable<T>(iterable: AsyncIterable<T> | Iterable<T>): Dataset<T> {
  const it = iterable as Partial<AsyncIterable<T> & Iterable<T>> | null;
  if (it == null || (typeof it[Symbol.asyncIterator] !== 'function' && typeof it[Symbol.iterator] !== 'function')) {
    throw new ValueError(`Invalid iterable for fromAsyncIterable: expected an object with [Symbol.asyncIterator] or [Symbol.iterator]. Received: ${describe(iterable)}.`);
  }
  let previous: unknown = null;
  let passes = 0;
  const isAsync = typeof it[Symbol.asyncIterator] === 'function';
  return new Dataset(async function* () {
    const iterator = isAsync ? it[Symbol.asyncIterator]!() : it[Symbol.iterator]!();
    if (passes++ > 0 && (iterator === previous || isStream(it))) {
      badState(
        'pass',
        'fromAsyncIterable',
        'a source that starts over on each pass',
        'a one-shot source (an iterator or a stream) already read by an earlier pass',
        'use fromGenerator(() => makeSource()) to make a new source per pass, or .cache() to replay the first pass.',
      );
    }
    previous = iterator;
    // A sync iterator goes through the language's async-from-sync wrapper, which awaits promised values.
    yield* (isAsync ? { [Symbol.asyncIterator]: () => iterator as AsyncIterator<T> } : { [Symbol.iterator]: () => iterator as Iterator<T> });
  }, UNKNOWN_CARDINALITY);
}

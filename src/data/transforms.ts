/**
 * The element-wise stages of a dataset pipeline, each an async generator over the stage before it.
 * A stage iterates its source with `for await`, so when the consumer stops early (`return()`), or a
 * stage throws, every source before it is closed in turn: a file being read gets closed.
 */
import { randomU32 } from '../random';

/** `fn` applied to each element (a returned promise is awaited: `yield` in an async generator awaits). */
export async function* mapElements<T, U>(source: AsyncIterable<T>, fn: (element: T) => U | Promise<U>): AsyncGenerator<U, void, undefined> {
  for await (const element of source) yield fn(element);
}

/** The elements for which `predicate` holds (awaited only when it returns a promise: no tick per element otherwise). */
export async function* filterElements<T>(source: AsyncIterable<T>, predicate: (element: T) => boolean | Promise<boolean>): AsyncGenerator<T, void, undefined> {
  for await (const element of source) {
    const keep = predicate(element);
    if (keep instanceof Promise ? await keep : keep) yield element;
  }
}

/** The first `count` elements; the source is closed right after the last one, never read past it. */
export async function* takeElements<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T, void, undefined> {
  if (count <= 0) return;
  let taken = 0;
  for await (const element of source) {
    yield element;
    if (++taken >= count) return;
  }
}

/** All but the first `count` elements. */
export async function* skipElements<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T, void, undefined> {
  let seen = 0;
  for await (const element of source) if (seen++ >= count) yield element;
}

/**
 * `count` passes over `source` (each a fresh iteration, so a generator is called again), or endless ones
 * when `count` is null. A pass that yields nothing ends an endless repeat, as in tf.data (else an empty
 * dataset would spin forever).
 */
export async function* repeatElements<T>(source: AsyncIterable<T>, count: number | null): AsyncGenerator<T, void, undefined> {
  for (let pass = 0; count === null || pass < count; pass++) {
    let any = false;
    for await (const element of source) {
      any = true;
      yield element;
    }
    if (!any) return;
  }
}

/** A uniform integer in `[0, bound)` from draw `draw` of `seed` (rejection sampling: no modulo bias). */
function uniformIndex(seed: number, draw: number, bound: number): number {
  const limit = 4294967296 - (4294967296 % bound);
  let r = randomU32(seed, 0, draw);
  for (let attempt = 1; r >= limit; attempt++) r = randomU32(seed, attempt, draw);
  return r % bound;
}

/**
 * tf.data's shuffle buffer: the first `bufferSize` elements fill it, then each new element takes the place
 * of one drawn uniformly at random, which is yielded; at the end the buffer drains in random order. The
 * draws come from the counter RNG keyed by `seed`, so one seed gives one order. At most `bufferSize`
 * elements are held.
 */
export async function* shuffleElements<T>(source: AsyncIterable<T>, bufferSize: number, seed: number): AsyncGenerator<T, void, undefined> {
  let buffer: T[] = [];
  let draw = 0;
  try {
    for await (const element of source) {
      if (buffer.length < bufferSize) {
        buffer.push(element);
        continue;
      }
      const j = uniformIndex(seed, draw++, buffer.length);
      const out = buffer[j];
      buffer[j] = element;
      yield out;
    }
    while (buffer.length > 0) {
      const j = uniformIndex(seed, draw++, buffer.length);
      const out = buffer[j];
      buffer[j] = buffer[buffer.length - 1];
      buffer.pop();
      yield out;
    }
  } finally {
    buffer = [];
  }
}

/**
 * Up to `bufferSize` elements requested ahead of the consumer, so the stages before this one work while
 * the consumer handles the current element. Order and errors are kept: an error upstream surfaces when
 * the consumer reaches its position. Closing this stage closes the source after its pending requests.
 */
export async function* prefetchElements<T>(source: AsyncIterable<T>, bufferSize: number): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  const fill = () => {
    while (queue.length < bufferSize) {
      const request = iterator.next();
      // Handled where it is awaited; this keeps a request abandoned by an early stop from being "unhandled".
      request.catch(() => {});
      queue.push(request);
    }
  };
  try {
    fill();
    for (;;) {
      const result = await queue.shift()!;
      if (result.done) return;
      fill();
      yield result.value;
    }
  } finally {
    queue.length = 0;
    await iterator.return?.();
  }
}

/** Where `cache()` keeps a finished pass. */
export interface CacheState<T> {
  elements: T[] | null;
}

/**
 * The source's elements, kept as they pass; once a pass has run to its end, later passes replay the
 * kept elements without touching the source. A pass stopped early keeps nothing (as in tf.data, a
 * partial cache is discarded) and the next pass reads the source again.
 */
export async function* cacheElements<T>(source: AsyncIterable<T>, state: CacheState<T>): AsyncGenerator<T, void, undefined> {
  if (state.elements !== null) {
    yield* state.elements;
    return;
  }
  const filling: T[] = [];
  for await (const element of source) {
    filling.push(element);
    yield element;
  }
  state.elements = filling;
}

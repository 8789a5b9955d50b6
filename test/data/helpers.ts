/** Small helpers for the dataset tests. */
import { fromGenerator } from '../../src/data';

/** Plain numbers of a typed array (or a number) for toEqual. */
export function plain(values: ArrayLike<number> | number): number[] | number {
  return typeof values === 'number' ? values : Array.from(values);
}

/**
 * A dataset of 0, 1, 2, … (`count` of them, or endless) that records what was pulled from it and when
 * its generator was closed, to test laziness and early closing.
 */
export function countingRange(count = Infinity) {
  const log = { pulled: 0, opened: 0, closed: 0 };
  const dataset = fromGenerator(function* () {
    log.opened++;
    try {
      for (let i = 0; i < count; i++) {
        log.pulled++;
        yield i;
      }
    } finally {
      log.closed++;
    }
  });
  return { dataset, log };
}

/**
 * The page's 2-D problems: the seed's blobs (linearly separable) and two that need a hidden layer, XOR and
 * two moons. Each is deterministic for a seed and shuffled once, because `validationSplit` takes the last
 * samples and the blobs come ordered by class.
 */
import * as keras from '../../src';
import { blobs } from '../data/blobs';

export interface Toy {
  x: number[][];
  y: number[];
  classNames: [string, string];
}

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32). */
function uniformFrom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Standard normal numbers (Box–Muller) from a uniform source. */
function normalFrom(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Four clusters at (±1, ±1); a point is class 1 when its coordinates differ in sign. */
function xor(seed: number): { x: number[][]; y: number[] } {
  const normal = normalFrom(uniformFrom(seed));
  const x: number[][] = [];
  const y: number[] = [];
  for (const [cx, cy] of [[1, 1], [-1, -1], [1, -1], [-1, 1]]) {
    for (let i = 0; i < 50; i++) {
      x.push([cx + 0.4 * normal(), cy + 0.4 * normal()]);
      y.push(cx * cy < 0 ? 1 : 0);
    }
  }
  return { x, y };
}

/** Two interleaving half circles, 100 points each, with Gaussian noise of 0.12. */
function moons(seed: number): { x: number[][]; y: number[] } {
  const uniform = uniformFrom(seed);
  const normal = normalFrom(uniform);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 200; i++) {
    const upper = i < 100;
    const a = Math.PI * uniform();
    const point = upper ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
    x.push([point[0] + 0.12 * normal(), point[1] + 0.12 * normal()]);
    y.push(upper ? 0 : 1);
  }
  return { x, y };
}

const MAKERS = {
  blobs: { make: blobs, classNames: ['around (−1, −1)', 'around (1, 1)'] },
  xor: { make: xor, classNames: ['same sign', 'signs differ'] },
  moons: { make: moons, classNames: ['upper moon', 'lower moon'] },
} as const;

export type ToyName = keyof typeof MAKERS;

/** The named problem, shuffled once. */
export function toy(name: ToyName, seed = 0): Toy {
  const { make, classNames } = MAKERS[name];
  const data = make(seed);
  const order = keras.utils.shuffleIndices(data.x.length, seed);
  return {
    x: Array.from(order, (i) => data.x[i]),
    y: Array.from(order, (i) => data.y[i]),
    classNames: [...classNames],
  };
}

/**
 * Inverted dropout with masks drawn from the counter-based RNG: element i of step `step` is kept when
 * uniform01(seed, step, i) ≥ rate, and kept values are scaled by 1/(1 − rate). Nothing is stored between
 * forward and backward: the backward pass draws the same mask again. The WGSL kernel draws the very same
 * numbers, so both backends drop the same elements.
 */
import { randomUniform01 } from '../../random/counter-rng';
import type { DropoutOptions, FloatArray } from '../backend';

export function dropoutForward(x: FloatArray, out: FloatArray, { rate, seed, step }: DropoutOptions): void {
  const scale = 1 / (1 - rate);
  for (let i = 0; i < x.length; i++) out[i] = randomUniform01(seed, step, i) >= rate ? x[i] * scale : 0;
}

/** The same mask applied to the incoming gradient. */
export function dropoutBackward(dy: FloatArray, out: FloatArray, options: DropoutOptions): void {
  dropoutForward(dy, out, options);
}

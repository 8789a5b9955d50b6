/** Shared fixtures of the io tests: small models, data and comparisons. */
import { expect } from 'vitest';
import { Sequential } from '../../src/models/sequential';
import { Activation, BatchNormalization, Dense, Dropout, Input } from '../../src/layers';
import type { Tensor } from '../../src/tensor/tensor';

/** 16 samples of 3 features, deterministic. */
export const X = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(1.3 * i), ((i % 5) - 2) / 2]);
/** Class labels (3 classes) for X. */
export const Y_SPARSE = X.map((r) => (r[0] + r[1] > 0.3 ? 2 : r[2] > 0 ? 1 : 0));

/** An MLP using every supported layer. */
export function everyLayerModel(name?: string): Sequential {
  return new Sequential(
    [
      new Input({ shape: [3] }),
      new Dense(8, { activation: 'relu' }),
      new BatchNormalization(),
      new Dropout(0.25, { seed: 7 }),
      new Dense(6, { activation: 'silu' }),
      new Activation('tanh'),
      new Dense(3, { activation: 'softmax' }),
    ],
    name ? { name } : {},
  );
}

/** Flat predictions of a model on X. */
export async function predictFlat(model: Sequential, x: number[][] = X): Promise<number[]> {
  const out: Tensor = await model.predict(x);
  const values = Array.from(await out.data());
  out.dispose();
  return values;
}

/** Every element within `tol`. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

/** The model's weights as flat arrays. */
export async function weightValues(model: Sequential): Promise<number[][]> {
  return Promise.all(model.weights.map(async (v) => Array.from(await v.value.data())));
}



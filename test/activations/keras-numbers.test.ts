/**
 * Activations against Keras 3's own definitions (keras/src/activations/activations.py and the TensorFlow
 * backend's nn.py), on every backend, through a model in float32. Expected values are Keras's code
 * transcribed here with Math.fround after each float32 operation, as Keras computes: parameters are cast
 * to the input's dtype before they are compared or used.
 *
 * Tolerance: 2 float32 ulps (4e-7 relative, 1e-7 absolute near 0), since the library may round once
 * where Keras rounds after each operation.
 */
import { expect, it } from 'vitest';
import * as keras from '../../src';
import { describeEachBackend } from '../setup/each-backend';

const f = Math.fround;

/** The activation applied by a one-layer model to `xs` (float32), as a plain array. */
async function apply(activation: keras.activations.ActivationIdentifier, xs: number[]): Promise<number[]> {
  const model = new keras.Sequential([new keras.layers.Activation(activation, { inputShape: [xs.length] })]);
  const out = await model.predict([xs]);
  const values = Array.from(await out.data());
  out.dispose();
  model.dispose();
  return values;
}

function expectFloat32Close(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(4e-7 * Math.abs(want[i]) + 1e-7));
}

/** Keras 3's `ReLU.static_call`, branch for branch, in float32. */
function kerasRelu(x: number, negativeSlope = 0, maxValue: number | null = null, threshold = 0): number {
  const s = f(negativeSlope);
  const t = f(threshold);
  let negativePart = 1;
  if (negativeSlope !== 0) {
    if (maxValue === null && threshold === 0) return x > 0 ? x : f(s * x); // backend.nn.leaky_relu
    negativePart = threshold !== 0 ? Math.max(f(-x + t), 0) : Math.max(-x, 0);
  }
  let clipMax = maxValue !== null;
  let y: number;
  if (threshold !== 0) y = x > t ? x : 0;
  else if (maxValue === 6) {
    y = Math.min(Math.max(x, 0), 6);
    clipMax = false;
  } else y = Math.max(x, 0);
  if (clipMax) y = Math.min(Math.max(y, 0), f(maxValue!));
  if (negativeSlope !== 0) y = f(y - f(s * negativePart));
  return y;
}

/** x·Φ(x) with Φ(x) = ½·erfc(−x/√2), from high-precision values of erfc (mpmath, 40 digits). */
const GELU_EXACT: [number, number][] = [[-3, -0.0040496940948902835], [-1.5, -0.1002108019032871], [-0.1, -0.0460172162722971], [0.7, 0.5306254434438489]];

describeEachBackend('activations with Keras 3 numbers', () => {
  it("gelu defaults to Keras 3's exact erf form (approximate=False)", async () => {
    expect(keras.activations.getActivation('gelu').params.approximate).toBe(0);
    const got = await apply('gelu', GELU_EXACT.map(([x]) => x));
    expectFloat32Close(got, GELU_EXACT.map(([, y]) => f(y)));
  });

  it("gelu keeps the tanh approximation under { name: 'gelu', approximate: true }", async () => {
    const xs = [-1.5, 0.7, 2];
    const tanhForm = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    expectFloat32Close(await apply({ name: 'gelu', approximate: true }, xs), xs.map((x) => f(tanhForm(x))));
  });

  it("relu takes Keras 3's negative_slope, max_value and threshold, with Keras's docstring values", async () => {
    const xs = [-10, -5, 0, 5, 10];
    expect(await apply('relu', xs)).toEqual([0, 0, 0, 5, 10]);
    expect(await apply({ name: 'relu', negative_slope: 0.5 }, xs)).toEqual([-5, -2.5, 0, 5, 10]);
    expect(await apply({ name: 'relu', max_value: 5 }, xs)).toEqual([0, 0, 0, 5, 5]);
    expect((await apply({ name: 'relu', threshold: 5 }, xs)).map((v) => v + 0)).toEqual([0, 0, 0, 0, 10]);
  });

  it("relu with all three parameters follows Keras 3's ReLU.static_call", async () => {
    const xs = [-3, -1, -0.5, 0, 0.5, 3, 6].map(f);
    const cases: [number, number | null, number][] = [[0.1, 4, -1], [0.3, null, 0.5], [0.2, 6, 0], [0.25, 2, 1], [0, 3, -2]];
    for (const [s, m, t] of cases) {
      const got = await apply({ name: 'relu', negativeSlope: s, maxValue: m, threshold: t }, xs);
      expectFloat32Close(got, xs.map((x) => kerasRelu(x, s, m, t)));
    }
  });

  it("hard_shrink and soft_shrink take Keras's threshold and compare it in float32 (0.3 at x = 0.3 gives 0)", async () => {
    const t = f(0.3);
    const xs = [t, -t, f(0.30000004), -f(0.31), 0.1, 2];
    // keras hard_shrink: where(|x| > threshold, x, 0); soft_shrink: where(x > t, x − t, where(x < −t, x + t, 0)).
    expect(await apply({ name: 'hard_shrink', threshold: 0.3 }, xs)).toEqual(xs.map((x) => (Math.abs(x) > t ? x : 0)));
    const soft = xs.map((x) => (x > t ? f(x - t) : x < -t ? f(x + t) : 0));
    expectFloat32Close(await apply({ name: 'soft_shrink', threshold: 0.3 }, xs), soft);
    expect((await apply({ name: 'soft_shrink', threshold: 0.3 }, [t, -t])).map((v) => v + 0)).toEqual([0, 0]);
  });

  it("threshold takes Keras's default_value and compares in float32", async () => {
    const t = f(0.3);
    const xs = [t, f(0.30000004), -1, 2];
    // keras threshold(x, threshold, default_value): where(x > threshold, x, default_value).
    expect(await apply({ name: 'threshold', threshold: 0.3, default_value: -1.5 }, xs)).toEqual(xs.map((x) => (x > t ? x : -1.5)));
  });
});

it('relu parameters round-trip through serialization, with maxValue none as null', () => {
  const spec = keras.activations.getActivation({ name: 'relu', negativeSlope: 0.1, threshold: 0.5 });
  expect(spec.params).toEqual({ negativeSlope: 0.1, maxValue: Infinity, threshold: 0.5 });
  const saved = keras.activations.serializeActivation(spec);
  expect(saved).toEqual({ name: 'relu', negativeSlope: 0.1, maxValue: null, threshold: 0.5 });
  expect(keras.activations.getActivation(JSON.parse(JSON.stringify(saved)))).toEqual(spec);
  expect(() => keras.activations.getActivation({ name: 'relu', max_value: -1 })).toThrow(/maxValue/);
});

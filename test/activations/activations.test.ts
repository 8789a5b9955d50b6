import { describe, expect, it } from 'vitest';
import {
  activationNames, getActivation, serializeActivation, type ActivationIdentifier, type ActivationSpec,
} from '../../src/activations';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend';
import { erf, erfc } from '../../src/expr/special-functions';
import { ShapeError, UnknownIdentifierError, ValueError } from '../../src/errors';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type FloatArray = Float32Array | Float64Array;
const cpu = new CpuBackend();
const dtypeOf = (a: FloatArray) => (a instanceof Float32Array ? 'float32' : 'float64');

/** `out = f(x)` through the CPU backend on `rows × cols` (out may be x itself); returns out. */
function activationForward(spec: ActivationSpec, x: FloatArray, out: FloatArray, rows: number, cols: number): FloatArray {
  const xt = cpu.upload(x, [rows, cols], dtypeOf(x));
  const ot = out === x ? xt : cpu.upload(out, [out.length], dtypeOf(out));
  cpu.activation(xt, ot, spec);
  out.set(ot.handle as FloatArray);
  return out;
}

/** `out = dy·f′(z)` through the CPU backend (out may be dy itself); returns out. */
function activationBackward(spec: ActivationSpec, dy: FloatArray, z: FloatArray, y: FloatArray, out: FloatArray, rows: number, cols: number): FloatArray {
  const t = (a: FloatArray) => cpu.upload(a, a.length === rows * cols ? [rows, cols] : [a.length], dtypeOf(a));
  const dyt = t(dy);
  const ot = out === dy ? dyt : t(out);
  cpu.activationBackward(dyt, t(z), t(y), ot, spec);
  out.set(ot.handle as FloatArray);
  return out;
}

const fwd = (spec: ActivationSpec, xs: number[]) =>
  Array.from(activationForward(spec, Float64Array.from(xs), new Float64Array(xs.length), 1, xs.length));

/** Every elementwise activation with default and non-default params, plus where its derivative jumps. */
const CASES: Array<[ActivationIdentifier, (p: Record<string, number>) => number[]]> = [
  ['linear', () => []], ['elu', () => [0]], [{ name: 'elu', alpha: 0.4 }, () => [0]],
  ['hardshrink', (p) => [-p.lambd, p.lambd]], [{ name: 'hardshrink', lambd: 1.3 }, (p) => [-p.lambd, p.lambd]],
  ['hardsigmoid', () => [-3, 3]], ['hardtanh', (p) => [p.minVal, p.maxVal]],
  [{ name: 'hardtanh', minVal: -2, maxVal: 0.5 }, (p) => [p.minVal, p.maxVal]],
  ['leaky_relu', () => [0]], [{ name: 'leaky_relu', alpha: -0.7 }, () => [0]], ['log_sigmoid', () => []],
  ['relu', () => [0]], [{ name: 'relu', negativeSlope: 0.1, maxValue: 4, threshold: -1 }, () => [-1, 0, 4]],
  [{ name: 'relu', negativeSlope: 0.3 }, () => [0]], [{ name: 'relu', maxValue: 2, threshold: 0.5 }, () => [0.5, 2]],
  ['relu6', () => [0, 6]], ['selu', () => [0]], ['celu', () => [0]],
  [{ name: 'celu', alpha: 2.5 }, () => [0]], [{ name: 'celu', alpha: -1.5 }, () => [0]], ['sigmoid', () => []],
  ['softplus', (p) => [p.threshold / p.beta]], [{ name: 'softplus', beta: 2, threshold: 5 }, (p) => [p.threshold / p.beta]],
  ['softshrink', (p) => [-p.lambd, p.lambd]], [{ name: 'softshrink', lambd: 0 }, () => [0]],
  ['softsign', () => [0]], ['tanh', () => []], ['hardswish', () => [-3, 3]], ['gelu', () => []],
  [{ name: 'gelu', approximate: 1 }, () => []], ['silu', () => []], ['mish', () => []], ['tanhshrink', () => []],
  ['threshold', (p) => [p.threshold]], [{ name: 'threshold', threshold: 0.5, value: -2 }, (p) => [p.threshold]],
];

describe('forward values against reference formulas (float64)', () => {
  const xs = [-7.5, -3.2, -1, -0.4, 0, 0.25, 0.9, 2.2, 4, 8.5];
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const sp = (x: number) => Math.log(1 + Math.exp(x));
  const refs: Array<[ActivationIdentifier, (x: number) => number]> = [
    ['linear', (x) => x], ['elu', (x) => (x > 0 ? x : Math.exp(x) - 1)],
    [{ name: 'elu', alpha: 0.4 }, (x) => (x > 0 ? x : 0.4 * (Math.exp(x) - 1))],
    ['hardshrink', (x) => (Math.abs(x) > 0.5 ? x : 0)], ['hardsigmoid', (x) => Math.min(Math.max(x + 3, 0), 6) / 6],
    [{ name: 'hardtanh', minVal: -2, maxVal: 0.5 }, (x) => Math.min(Math.max(x, -2), 0.5)],
    ['leaky_relu', (x) => (x > 0 ? x : 0.2 * x)], ['log_sigmoid', (x) => Math.log(sig(x))],
    ['relu', (x) => Math.max(x, 0)], ['relu6', (x) => Math.min(Math.max(x, 0), 6)],
    ['selu', (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1))],
    [{ name: 'celu', alpha: 2.5 }, (x) => Math.max(0, x) + Math.min(0, 2.5 * (Math.exp(x / 2.5) - 1))],
    ['sigmoid', sig], ['softplus', sp], [{ name: 'softplus', beta: 2, threshold: 5 }, (x) => (2 * x > 5 ? x : sp(2 * x) / 2)],
    ['softshrink', (x) => (x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0)], ['softsign', (x) => x / (1 + Math.abs(x))],
    ['tanh', Math.tanh], ['hardswish', (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6],
    [{ name: 'gelu', approximate: true }, (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))],
    [{ name: 'relu', negativeSlope: 0.1, maxValue: 4, threshold: -1 }, (x) => Math.min(Math.max(x > -1 ? x : 0, 0), 4) - 0.1 * Math.max(-1 - x, 0)],
    [{ name: 'relu', negativeSlope: 0.3 }, (x) => (x > 0 ? x : 0.3 * x)],
    ['silu', (x) => x * sig(x)], ['mish', (x) => x * Math.tanh(sp(x))], ['tanhshrink', (x) => x - Math.tanh(x)],
    [{ name: 'threshold', threshold: 0.5, value: -2 }, (x) => (x > 0.5 ? x : -2)],
  ];
  it.each(refs.map(([id, f]) => [JSON.stringify(id), id, f] as const))('%s', (_, id, f) => {
    const got = fwd(getActivation(id), xs);
    xs.forEach((x, i) => expect(got[i]).toBeCloseTo(f(x), 12));
  });

  it('exact gelu and erf/erfc match high-precision values', () => {
    // x·Φ(x) and erf/erfc computed with mpmath at 40 digits; gelu allows for rounding of x/√2 (~2t²·ε).
    const gelu: Array<[number, number]> = [[-6, -5.9195258702261885e-9], [-3, -0.0040496940948902835],
      [-1.5, -0.1002108019032871], [-0.1, -0.0460172162722971], [0.7, 0.5306254434438489], [4.5, 4.4999847104709385]];
    const got = fwd(getActivation({ name: 'gelu', approximate: false }), gelu.map((g) => g[0]));
    gelu.forEach(([, want], i) => expect(Math.abs(got[i] - want)).toBeLessThanOrEqual(1e-14 * Math.abs(want)));
    const table: Array<[number, number, number]> = [[1e-8, 1.1283791670955126e-8, 0.9999999887162083],
      [0.3, 0.3286267594591274, 0.6713732405408726], [-1.1, -0.8802050695740817, 1.8802050695740817],
      [1.9, 0.9927904292352575, 0.0072095707647425325], [2.1, 0.997020533343667, 0.002979466656332984],
      [3.7, 0.9999998328489421, 1.6715105790914599e-7], [-5.2, -0.9999999999998075, 1.9999999999998075]];
    for (const [x, e, c] of table) {
      expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(1e-15 * Math.abs(e));
      expect(Math.abs(erfc(x) - c)).toBeLessThanOrEqual(1e-13 * c);
    }
    expect(erfc(30)).toBe(0);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });
});

describe('large |z| stays finite and exact', () => {
  it.each(CASES.concat([['softmax', () => []]]).map(([id]) => [JSON.stringify(id), id] as const))('%s', (_, id) => {
    const spec = getActivation(id);
    const z = Float64Array.of(-1000, -750, 750, 1000);
    const y = activationForward(spec, z, new Float64Array(4), 1, 4);
    const g = activationBackward(spec, Float64Array.of(1, 1, 1, 1), z, y, new Float64Array(4), 1, 4);
    expect([...y, ...g].every(Number.isFinite)).toBe(true);
  });
  it('has the right limits', () => {
    const at = (id: string, v: number) => fwd(getActivation(id), [v])[0];
    expect(at('sigmoid', -1000)).toBe(0);
    expect(at('sigmoid', 1000)).toBe(1);
    expect(at('log_sigmoid', -1000)).toBe(-1000);
    expect(at('log_sigmoid', 40)).toBeCloseTo(-Math.exp(-40), 30);
    expect(at('softplus', -1000)).toBe(0);
    expect(at('softplus', 1000)).toBe(1000);
    expect(at('mish', 1000)).toBe(1000);
    expect(at('silu', -1000)).toBeCloseTo(0, 300);
  });
});

describe('derivatives against central finite differences (float64, h = 1e-6, tol 1e-6·(1+|d|))', () => {
  it.each(CASES.map(([id, k]) => [JSON.stringify(id), id, k] as const))('%s', (_, id, kinks) => {
    const spec = getActivation(id);
    const rand = rng(1234);
    const h = 1e-6;
    const zs: number[] = [];
    while (zs.length < 300) {
      const z = -8 + 16 * rand();
      if (kinks(spec.params as Record<string, number>).every((k) => Math.abs(z - k) > 1e-3)) zs.push(z);
    }
    const n = zs.length;
    const z = Float64Array.from(zs);
    const y = activationForward(spec, z, new Float64Array(n), 1, n);
    const dy = Float64Array.from(zs, () => rand() * 2 - 1);
    const dz = activationBackward(spec, dy, z, y, new Float64Array(n), 1, n);
    const up = fwd(spec, zs.map((v) => v + h));
    const dn = fwd(spec, zs.map((v) => v - h));
    for (let i = 0; i < n; i++) {
      const fd = ((up[i] - dn[i]) / (2 * h)) * dy[i];
      expect(Math.abs(dz[i] - fd), `z=${zs[i]}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(fd)));
    }
  });

  it('uses PyTorch conventions at kinks', () => {
    const at = (id: ActivationIdentifier, v: number) => {
      const spec = getActivation(id);
      const z = Float64Array.of(v);
      const y = activationForward(spec, z, new Float64Array(1), 1, 1);
      return activationBackward(spec, Float64Array.of(1), z, y, new Float64Array(1), 1, 1)[0];
    };
    expect(at('relu', 0)).toBe(0);
    expect(at('leaky_relu', 0)).toBeCloseTo(0.2, 15);
    expect(at('elu', 0)).toBe(1);
    expect(at('relu6', 6)).toBe(0);
    expect(at('hardswish', -3)).toBeCloseTo(-0.5, 15);
    expect(at('hardswish', 3)).toBeCloseTo(1.5, 15);
    expect(at('hardsigmoid', 3)).toBe(0);
    expect(at('hardshrink', 0.5)).toBe(0);
    expect(at('threshold', 0)).toBe(0);
    expect(at({ name: 'relu', negativeSlope: 0.3 }, 0)).toBeCloseTo(0.3, 15); // Keras's leaky form
    expect(at({ name: 'relu', negativeSlope: 0.3, threshold: 1 }, 1)).toBe(0);
  });
});

describe('softmax', () => {
  const spec = getActivation('softmax');
  it('rows sum to 1 and stay finite at ±1000', () => {
    const x = Float64Array.of(1, 2, 3, -1, 1000, 999, -1000, 0, -1000, -1000, -1000, -1000);
    const y = activationForward(spec, x, new Float64Array(12), 3, 4);
    for (let r = 0; r < 3; r++) {
      const row = Array.from(y.subarray(r * 4, r * 4 + 4));
      expect(row.every(Number.isFinite)).toBe(true);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    }
    expect(y[5] / y[4]).toBeCloseTo(Math.exp(-1), 14);
    expect(y[11]).toBeCloseTo(0.25, 15);
  });

  it('backward is the JVP of Σ w⊙softmax(x) (finite differences)', () => {
    const rand = rng(7);
    const rows = 3, cols = 5, n = rows * cols, h = 1e-6;
    const x = Float64Array.from({ length: n }, () => 6 * rand() - 3);
    const w = Float64Array.from({ length: n }, () => 2 * rand() - 1);
    const loss = (v: Float64Array) =>
      Array.from(activationForward(spec, v, new Float64Array(n), rows, cols)).reduce((a, s, i) => a + s * w[i], 0);
    const y = activationForward(spec, x, new Float64Array(n), rows, cols);
    const g = activationBackward(spec, w, x, y, new Float64Array(n), rows, cols);
    for (let i = 0; i < n; i++) {
      const xp = x.slice(), xm = x.slice();
      xp[i] += h;
      xm[i] -= h;
      expect(Math.abs(g[i] - (loss(xp) - loss(xm)) / (2 * h))).toBeLessThanOrEqual(1e-8);
    }
  });
});

describe('float32 path and aliasing', () => {
  it.each(CASES.concat([['softmax', () => []]]).map(([id]) => [JSON.stringify(id), id] as const))('%s', (_, id) => {
    const spec = getActivation(id);
    const rand = rng(99);
    const rows = 4, cols = 16, n = rows * cols;
    const z32 = Float32Array.from({ length: n }, () => 12 * rand() - 6);
    const dy32 = Float32Array.from({ length: n }, () => 2 * rand() - 1);
    const z64 = Float64Array.from(z32), dy64 = Float64Array.from(dy32);
    const y64 = activationForward(spec, z64, new Float64Array(n), rows, cols);
    const g64 = activationBackward(spec, dy64, z64, y64, new Float64Array(n), rows, cols);
    const y32 = activationForward(spec, z32, new Float32Array(n), rows, cols);
    const g32 = activationBackward(spec, dy32, z32, y32, new Float32Array(n), rows, cols);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(y32[i] - y64[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(y64[i])));
      expect(Math.abs(g32[i] - g64[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(g64[i])));
    }
    // In place: out aliases x (forward) and dy (backward).
    const zIn = z64.slice(), dyIn = dy64.slice();
    activationForward(spec, zIn, zIn, rows, cols);
    activationBackward(spec, dyIn, z64, y64, dyIn, rows, cols);
    expect(Array.from(zIn)).toEqual(Array.from(y64));
    expect(Array.from(dyIn)).toEqual(Array.from(g64));
    // backwardReads is honest: the unread input may be empty.
    const reads = spec.reads;
    const none = new Float64Array(0);
    const g = activationBackward(spec, dy64, reads.z ? z64 : none, reads.y ? y64 : none, new Float64Array(n), rows, cols);
    expect(Array.from(g)).toEqual(Array.from(g64));
  });
});

describe('name resolution', () => {
  it('resolves snake_case, camelCase, mixed case and aliases', () => {
    const cases: Array<[string | null | undefined, string]> = [
      ['leaky_relu', 'leaky_relu'], ['leakyRelu', 'leaky_relu'], ['LeakyReLU', 'leaky_relu'], ['hard_sigmoid', 'hardsigmoid'],
      ['hardSigmoid', 'hardsigmoid'], ['log_sigmoid', 'log_sigmoid'], ['logSigmoid', 'log_sigmoid'], ['hard_swish', 'hardswish'],
      ['hardSwish', 'hardswish'], ['hard_silu', 'hardswish'], ['hard_tanh', 'hardtanh'], ['soft_shrink', 'softshrink'],
      ['GELU', 'gelu'], ['ReLU6', 'relu6'], ['swish', 'silu'], ['none', 'linear'], [null, 'linear'], [undefined, 'linear'],
      ['tanh_shrink', 'tanhshrink'], ['SoftPlus', 'softplus'],
    ];
    for (const [id, want] of cases) expect(getActivation(id).name).toBe(want);
    expect(activationNames()).toHaveLength(23);
    for (const name of activationNames()) expect(getActivation(name).name).toBe(name);
  });

  it('fills defaults, accepts params in several spellings, round-trips through serializeActivation', () => {
    expect(getActivation('leaky_relu').params).toEqual({ negativeSlope: 0.2 });
    expect(getActivation({ name: 'leakyRelu', alpha: 0.1 }).params).toEqual({ negativeSlope: 0.1 });
    expect(getActivation({ name: 'hardtanh', min_val: -3 }).params).toEqual({ minVal: -3, maxVal: 1 });
    expect(getActivation('gelu').params).toEqual({ approximate: 0 });
    expect(getActivation('softplus').params).toEqual({ beta: 1, threshold: 20 });
    expect(serializeActivation(getActivation('elu'))).toBe('elu');
    const custom = getActivation({ name: 'softplus', beta: 2 });
    expect(serializeActivation(custom)).toEqual({ name: 'softplus', beta: 2, threshold: 20 });
    expect(getActivation(serializeActivation(custom))).toEqual(custom);
    expect(getActivation(custom)).toEqual(custom);
  });

  it('rejects unknown names with the list of valid names', () => {
    expect(() => getActivation('relu7', 'Dense')).toThrow(UnknownIdentifierError);
    let msg = '';
    try {
      getActivation('sigmod', 'Dense');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^Invalid activation for Dense: expected one of /);
    for (const name of activationNames()) expect(msg).toContain(`'${name}'`);
    expect(msg).toContain("did you mean 'sigmoid'");
  });

  it('rejects bad params', () => {
    const bad: unknown[] = [
      { name: 'relu', alpha: 1 }, { name: 'elu', beta: 1 }, { name: 'elu', alpha: 'x' }, { name: 'elu', alpha: NaN },
      { name: 'elu', alpha: Infinity }, { name: 'hardtanh', minVal: 1, maxVal: 1 }, { name: 'celu', alpha: 0 },
      { name: 'softplus', beta: 0 }, { name: 'softshrink', lambd: -0.1 }, { name: 'gelu', approximate: 0.5 },
      { name: 'leaky_relu', alpha: 0.1, negativeSlope: 0.2 }, { name: 3 }, 42,
    ];
    for (const id of bad) expect(() => getActivation(id as ActivationIdentifier), JSON.stringify(id)).toThrow(ValueError);
    expect(() => getActivation({ name: 'elu', beta: 1 })).toThrow(/expected one of alpha/);
    expect(() => getActivation({ name: 'hardtanh', minVal: 2 })).toThrow(/minVal < maxVal/);
    const x = cpu.alloc([2, 2], 'float64');
    expect(() => cpu.activation(x, cpu.alloc([3], 'float64'), getActivation('relu'))).toThrow(ShapeError);
  });
});

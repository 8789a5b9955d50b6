import { beforeEach, describe, expect, it } from 'vitest';
import { UnknownIdentifierError, ValueError } from '../../src/errors';
import {
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  INITIALIZER_NAMES,
  LecunNormal,
  LecunUniform,
  Ones,
  RandomNormal,
  RandomUniform,
  TRUNCATED_NORMAL_STDDEV_FACTOR,
  TruncatedNormal,
  VarianceScaling,
  Zeros,
  computeFans,
  getInitializer,
  serializeInitializer,
  type Initializer,
} from '../../src/initializers';
import { getGlobalSeedGenerator, setRandomSeed } from '../../src/random';

const FAN_IN = 1000;
const FAN_OUT = 500;
const SHAPE = [FAN_IN, FAN_OUT];

function stats(a: ArrayLike<number>): { mean: number; std: number; maxAbsDev: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    if (a[i] < min) min = a[i];
    if (a[i] > max) max = a[i];
  }
  const mean = s / a.length;
  let v = 0;
  let maxAbsDev = 0;
  for (let i = 0; i < a.length; i++) {
    v += (a[i] - mean) ** 2;
    maxAbsDev = Math.max(maxAbsDev, Math.abs(a[i] - mean));
  }
  return { mean, std: Math.sqrt(v / a.length), maxAbsDev, min, max };
}

/** Relative closeness. */
function expectRel(actual: number, expected: number, tol = 0.02): void {
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThan(tol);
}

/** Uniform in [-limit, limit): mean 0, std limit/√3, extremes near ±limit, never beyond. */
function expectUniform(a: Float32Array | Float64Array, limit: number): void {
  const s = stats(a);
  expect(Math.abs(s.mean)).toBeLessThan(0.01 * limit);
  expectRel(s.std, limit / Math.sqrt(3));
  expect(s.min).toBeGreaterThanOrEqual(Math.fround(-limit));
  expect(s.max).toBeLessThanOrEqual(Math.fround(limit));
  expect(s.min).toBeLessThan(-0.999 * limit);
  expect(s.max).toBeGreaterThan(0.999 * limit);
}

/** Truncated normal with final stddev `std` (so σ_used = std / 0.8796, bound 2·σ_used). */
function expectTruncated(a: Float32Array | Float64Array, std: number, mean = 0): void {
  const s = stats(a);
  const sigmaUsed = std / TRUNCATED_NORMAL_STDDEV_FACTOR;
  expect(Math.abs(s.mean - mean)).toBeLessThan(0.01 * sigmaUsed);
  expectRel(s.std, std);
  let beyond = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - mean) > 2 * sigmaUsed * (1 + 1e-6)) beyond++;
  expect(beyond).toBe(0);
  // The truncation actually bites: values come close to the bound.
  expect(s.maxAbsDev).toBeGreaterThan(1.99 * sigmaUsed);
}

beforeEach(() => setRandomSeed(2024));

describe('fans', () => {
  it('follows Keras compute_fans', () => {
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(computeFans([3, 4])).toEqual({ fanIn: 3, fanOut: 4 });
    expect(computeFans([2, 5, 3, 4])).toEqual({ fanIn: 30, fanOut: 40 });
  });
});

describe('moments on a [1000, 500] kernel', () => {
  it('Zeros, Ones, Constant', () => {
    expect(new Zeros().generate([2, 3], 'float32')).toEqual(new Float32Array(6));
    expect(Array.from(new Ones().generate([4], 'float64'))).toEqual([1, 1, 1, 1]);
    expect(Array.from(new Constant({ value: -2.5 }).generate([2, 2], 'float32'))).toEqual([-2.5, -2.5, -2.5, -2.5]);
    expect(Array.from(new Constant().generate([2], 'float64'))).toEqual([0, 0]);
  });

  it('RandomNormal: mean and stddev', () => {
    const a = new RandomNormal({ mean: 0.1, stddev: 0.3, seed: 1 }).generate(SHAPE, 'float32');
    const s = stats(a);
    expect(Math.abs(s.mean - 0.1)).toBeLessThan(0.003);
    expectRel(s.std, 0.3);
    expect(s.maxAbsDev).toBeGreaterThan(2 * 0.3 * 1.5); // untruncated: tails exist
    const d = stats(new RandomNormal({ seed: 2 }).generate(SHAPE, 'float64'));
    expect(Math.abs(d.mean)).toBeLessThan(0.0005);
    expectRel(d.std, 0.05);
  });

  it('RandomUniform: defaults [-0.05, 0.05) and custom bounds', () => {
    const a = new RandomUniform({ seed: 3 }).generate(SHAPE, 'float32');
    expectUniform(a, 0.05);
    const b = new RandomUniform({ minval: 1, maxval: 3, seed: 3 }).generate(SHAPE, 'float64');
    const s = stats(b);
    expect(s.min).toBeGreaterThanOrEqual(1);
    expect(s.max).toBeLessThan(3);
    expect(Math.abs(s.mean - 2)).toBeLessThan(0.01);
    expectRel(s.std, 2 / Math.sqrt(12));
  });

  it('TruncatedNormal: bounded at 2·stddev, stddev shrunk by 0.8796', () => {
    const a = new TruncatedNormal({ mean: 1, stddev: 0.5, seed: 4 }).generate(SHAPE, 'float32');
    expectTruncated(a, 0.5 * TRUNCATED_NORMAL_STDDEV_FACTOR, 1);
    expectTruncated(new TruncatedNormal({ seed: 5 }).generate(SHAPE, 'float64'), 0.05 * TRUNCATED_NORMAL_STDDEV_FACTOR);
  });

  it('He uses factor 2: he_normal std ≈ sqrt(2/fanIn), he_uniform limit = sqrt(6/fanIn)', () => {
    expectTruncated(new HeNormal({ seed: 6 }).generate(SHAPE, 'float32'), Math.sqrt(2 / FAN_IN));
    expectUniform(new HeUniform({ seed: 7 }).generate(SHAPE, 'float32'), Math.sqrt(6 / FAN_IN));
  });

  it('Glorot uses fan_avg: normal std ≈ sqrt(2/(in+out)), uniform limit sqrt(6/(in+out))', () => {
    expectTruncated(new GlorotNormal({ seed: 8 }).generate(SHAPE, 'float32'), Math.sqrt(2 / (FAN_IN + FAN_OUT)));
    expectUniform(new GlorotUniform({ seed: 9 }).generate(SHAPE, 'float64'), Math.sqrt(6 / (FAN_IN + FAN_OUT)));
  });

  it('LeCun uses fan_in with scale 1', () => {
    expectTruncated(new LecunNormal({ seed: 10 }).generate(SHAPE, 'float32'), Math.sqrt(1 / FAN_IN));
    expectUniform(new LecunUniform({ seed: 11 }).generate(SHAPE, 'float32'), Math.sqrt(3 / FAN_IN));
  });

  it('VarianceScaling: modes and distributions', () => {
    const untrunc = new VarianceScaling({ scale: 3, mode: 'fan_out', distribution: 'untruncated_normal', seed: 12 });
    const s = stats(untrunc.generate(SHAPE, 'float32'));
    expectRel(s.std, Math.sqrt(3 / FAN_OUT));
    expect(s.maxAbsDev).toBeGreaterThan(3 * Math.sqrt(3 / FAN_OUT));
    expectUniform(
      new VarianceScaling({ scale: 0.5, mode: 'fan_avg', distribution: 'uniform', seed: 13 }).generate(SHAPE, 'float64'),
      Math.sqrt((3 * 0.5) / ((FAN_IN + FAN_OUT) / 2)),
    );
    // Defaults: scale 1, fan_in, truncated normal.
    const def = new VarianceScaling({ seed: 14 });
    expect(def.getConfig()).toEqual({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: 14 });
    expectTruncated(def.generate(SHAPE, 'float32'), Math.sqrt(1 / FAN_IN));
    // TF.js-style spellings and Keras's 'normal' alias.
    const tfjs = new VarianceScaling({ mode: 'fanAvg', distribution: 'normal' });
    expect([tfjs.mode, tfjs.distribution]).toEqual(['fan_avg', 'truncated_normal']);
  });

  it('a 1-D shape [n] uses fanIn = fanOut = n', () => {
    expectUniform(new GlorotUniform({ seed: 15 }).generate([200000], 'float64'), Math.sqrt(6 / 400000));
  });
});

describe('seeding', () => {
  const randomOnes = (seed?: number): Initializer[] => [
    new RandomNormal({ seed }),
    new RandomUniform({ seed }),
    new TruncatedNormal({ seed }),
    new GlorotUniform({ seed }),
    new HeNormal({ seed }),
    new VarianceScaling({ seed, distribution: 'untruncated_normal' }),
  ];

  it('an explicit seed gives the same values on every call; different seeds differ', () => {
    for (const init of randomOnes(77)) {
      const a = init.generate([30, 20], 'float32');
      expect(init.generate([30, 20], 'float32')).toEqual(a);
      expect(init.generate([30, 20], 'float32', 5)).toEqual(a); // own seed wins over generate's
    }
    const a = randomOnes(77).map((i) => i.generate([30, 20], 'float64'));
    const b = randomOnes(78).map((i) => i.generate([30, 20], 'float64'));
    a.forEach((x, k) => expect(x).not.toEqual(b[k]));
  });

  it('without a seed, each call draws a fresh global seed; generate(…, seed) is deterministic', () => {
    const init = new HeUniform();
    expect(init.generate([50], 'float32')).not.toEqual(init.generate([50], 'float32'));
    expect(init.generate([50], 'float32', 9)).toEqual(init.generate([50], 'float32', 9));
    expect(init.generate([50], 'float32', 9)).toEqual(new HeUniform({ seed: 9 }).generate([50], 'float32'));
    expect(init.generate([50], 'float32', 9)).not.toEqual(init.generate([50], 'float32', 10));
  });

  it('setRandomSeed makes unseeded generation reproducible', () => {
    const run = () => {
      setRandomSeed(99);
      const inits = [new GlorotUniform(), new HeNormal(), new RandomNormal()];
      return inits.map((i) => i.generate([64, 32], 'float32'));
    };
    const first = run();
    const second = run();
    expect(second).toEqual(first);
    expect(first[0]).not.toEqual(first[1]);
    setRandomSeed(100);
    expect(new GlorotUniform().generate([64, 32], 'float32')).not.toEqual(first[0]);
  });

  it('constant initializers consume no seeds', () => {
    setRandomSeed(1);
    const expected = getGlobalSeedGenerator().next();
    setRandomSeed(1);
    new Zeros().generate([3], 'float32');
    new Ones().generate([3], 'float32');
    new Constant({ value: 2 }).generate([3], 'float32');
    expect(getGlobalSeedGenerator().next()).toBe(expected);
  });

  it('float32 output is the float64 output rounded', () => {
    const f64 = new GlorotNormal({ seed: 3 }).generate([40, 40], 'float64');
    const f32 = new GlorotNormal({ seed: 3 }).generate([40, 40], 'float32');
    expect(f32).toBeInstanceOf(Float32Array);
    expect(f64).toBeInstanceOf(Float64Array);
    expect(f32).toEqual(Float32Array.from(f64));
  });
});

describe('getInitializer', () => {
  it('resolves snake_case, camelCase and class names with Keras defaults', () => {
    const cases: [string, new () => Initializer][] = [
      ['he_normal', HeNormal],
      ['heNormal', HeNormal],
      ['HeNormal', HeNormal],
      ['he_uniform', HeUniform],
      ['glorot_uniform', GlorotUniform],
      ['glorotNormal', GlorotNormal],
      ['random_normal', RandomNormal],
      ['random_uniform', RandomUniform],
      ['truncated_normal', TruncatedNormal],
      ['lecun_uniform', LecunUniform],
      ['lecun_normal', LecunNormal],
      ['zeros', Zeros],
      ['ones', Ones],
      ['constant', Constant],
      ['variance_scaling', VarianceScaling],
      ['uniform', RandomUniform],
      ['normal', RandomNormal],
      ['zero', Zeros],
      ['one', Ones],
    ];
    for (const [id, cls] of cases) expect(getInitializer(id)).toBeInstanceOf(cls);
    expect(getInitializer('random_normal').getConfig()).toEqual({ mean: 0, stddev: 0.05, seed: null });
    expect(getInitializer('random_uniform').getConfig()).toEqual({ minval: -0.05, maxval: 0.05, seed: null });
    expect(getInitializer('constant').getConfig()).toEqual({ value: 0 });
    expect(getInitializer('he_normal').name).toBe('HeNormal');
    expect(INITIALIZER_NAMES).toContain('glorot_uniform');
  });

  it('passes instances through and accepts { className, config }', () => {
    const inst = new RandomNormal({ stddev: 2 });
    expect(getInitializer(inst)).toBe(inst);
    const g = getInitializer({ className: 'GlorotUniform', config: { seed: 5 } });
    expect(g).toBeInstanceOf(GlorotUniform);
    expect(g.generate([10, 10], 'float32')).toEqual(new GlorotUniform({ seed: 5 }).generate([10, 10], 'float32'));
    const vs = getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fanOut', distribution: 'uniform', seed: null } });
    expect(vs.getConfig()).toEqual({ scale: 2, mode: 'fan_out', distribution: 'uniform', seed: null });
    expect(getInitializer({ className: 'Zeros' })).toBeInstanceOf(Zeros);
    const keras = { class_name: 'Constant', config: { value: 3 } } as unknown as Parameters<typeof getInitializer>[0];
    expect(getInitializer(keras).getConfig()).toEqual({ value: 3 });
  });

  it('round-trips through serializeInitializer', () => {
    for (const init of [
      new Constant({ value: 0.5 }),
      new RandomUniform({ minval: -1, maxval: 2, seed: 8 }),
      new TruncatedNormal({ mean: 1, stddev: 3 }),
      new VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform', seed: 1 }),
      new LecunNormal({ seed: 4 }),
      new Ones(),
    ]) {
      const json = JSON.parse(JSON.stringify(serializeInitializer(init)));
      const back = getInitializer(json);
      expect(back.name).toBe(init.name);
      expect(back.getConfig()).toEqual(init.getConfig());
    }
    expect(serializeInitializer(new HeUniform({ seed: 3 }))).toEqual({ className: 'HeUniform', config: { seed: 3 } });
  });
});

describe('errors', () => {
  it('unknown identifiers list the valid names', () => {
    expect(() => getInitializer('he_normall', 'Dense kernelInitializer')).toThrow(UnknownIdentifierError);
    expect(() => getInitializer('xavier')).toThrow(
      /^Invalid initializer for getInitializer: expected one of 'zeros', 'ones', .*'lecun_uniform'\. Received: 'xavier'\.\nhint: /,
    );
    expect(() => getInitializer({ className: 'Orthogonal' }, 'Dense')).toThrow(
      /Invalid initializer className for Dense: expected one of .*Received: 'Orthogonal'/,
    );
    expect(() => getInitializer(42 as never)).toThrow(
      'Invalid initializer for getInitializer: expected a name, an Initializer instance, or { className, config }. Received: initializer=42.',
    );
    expect(() => getInitializer({ className: 'Zeros', config: 3 } as never)).toThrow('Invalid initializer config');
  });

  it('validates options in the standard template', () => {
    expect(() => new RandomNormal({ stddev: 0 })).toThrow(
      'Invalid stddev for RandomNormal: expected a number > 0. Received: stddev=0.',
    );
    expect(() => new TruncatedNormal({ stddev: -1 })).toThrow('Invalid stddev for TruncatedNormal');
    expect(() => new RandomNormal({ mean: NaN })).toThrow('Invalid mean for RandomNormal: expected a finite number');
    expect(() => new RandomUniform({ minval: 1, maxval: 1 })).toThrow(
      'Invalid bounds for RandomUniform: expected minval < maxval. Received: minval=1, maxval=1.',
    );
    expect(() => new VarianceScaling({ mode: 'fan_sum' as never })).toThrow(
      "Invalid mode for VarianceScaling: expected one of 'fan_in', 'fan_out', 'fan_avg'. Received: mode='fan_sum'.",
    );
    expect(() => new VarianceScaling({ distribution: 'gaussian' as never })).toThrow(
      "Invalid distribution for VarianceScaling: expected one of 'truncated_normal', 'untruncated_normal', 'uniform'",
    );
    expect(() => new VarianceScaling({ scale: 0 })).toThrow('Invalid scale for VarianceScaling: expected a number > 0');
    expect(() => new Constant({ value: Infinity })).toThrow('Invalid value for Constant');
    expect(() => new RandomNormal({ stdev: 1 } as never)).toThrow(
      "Invalid option 'stdev' for RandomNormal: expected one of mean, stddev, seed. Received: stdev=1.\nhint: did you mean 'stddev'?",
    );
    expect(() => new GlorotUniform({ scale: 2 } as never)).toThrow("Invalid option 'scale' for GlorotUniform: expected one of seed.");
    expect(() => new Zeros({ value: 1 } as never)).toThrow("Invalid option 'value' for Zeros: expected one of (none).");
    expect(() => new HeNormal({ seed: -1 })).toThrow('Invalid seed for HeNormal: expected an integer in [0, 4294967295]');
    expect(() => new RandomUniform({ seed: 1.5 })).toThrow(ValueError);
  });

  it('validates generate arguments', () => {
    const init = new GlorotUniform({ seed: 1 });
    expect(() => init.generate([2, -1], 'float32')).toThrow(
      'Invalid shape for GlorotUniform.generate: expected an array of non-negative integers. Received: shape=[2, -1].',
    );
    expect(() => init.generate([2, 2], 'float16' as never)).toThrow(
      "Invalid dtype for GlorotUniform.generate: expected 'float32' or 'float64'. Received: dtype='float16'.",
    );
    expect(() => new HeUniform().generate([2], 'float32', -5)).toThrow('Invalid seed for HeUniform.generate');
    expect(init.generate([0, 5], 'float32')).toHaveLength(0);
  });
});

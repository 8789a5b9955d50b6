import { describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay } from '../../src/optimizers/schedules';

const STEPS = Array.from({ length: 401 }, (_, i) => i);

/** |a − b| ≤ 1e-15 + 1e-12·|b| at every step (double precision, different evaluation order). */
function expectSchedule(schedule: { call(step: number): number }, reference: (step: number) => number): void {
  for (const step of STEPS) {
    const [a, b] = [schedule.call(step), reference(step)];
    if (!(Math.abs(a - b) <= 1e-15 + 1e-12 * Math.abs(b))) expect.fail(`step ${step}: ${a} vs ${b}`);
  }
}

describe('ExponentialDecay', () => {
  it('decays continuously as initial · rate^(step / decaySteps)', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 37, decayRate: 0.8 });
    expectSchedule(s, (t) => 0.1 * Math.exp((Math.log(0.8) * t) / 37));
  });

  it('decays in whole periods with staircase', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 37, decayRate: 0.8, staircase: true });
    let expected = 0.1;
    for (const step of STEPS) {
      if (step > 0 && step % 37 === 0) expected *= 0.8;
      expect(s.call(step)).toBeCloseTo(expected, 14);
    }
    expect(s.call(36)).toBe(0.1);
  });

  it('reports its configuration and rejects decaySteps ≤ 0', () => {
    expect(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 }).getConfig()).toEqual({
      initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: false, name: 'ExponentialDecay',
    });
    expect(() => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 0.5 })).toThrow(/^Invalid decaySteps for ExponentialDecay: expected a number in \(0, Infinity\]/);
  });
});

describe('PiecewiseConstantDecay', () => {
  it('holds values[i] up to and including boundaries[i], as Keras documents', () => {
    const s = new PiecewiseConstantDecay([100, 110, 250], [1, 0.5, 0.1, 0.01]);
    const sum = (t: number) => (t <= 100 ? 1 : 0) * 1 + (t > 100 && t <= 110 ? 1 : 0) * 0.5 + (t > 110 && t <= 250 ? 1 : 0) * 0.1 + (t > 250 ? 1 : 0) * 0.01;
    expectSchedule(s, sum);
    expect([s.call(100), s.call(101), s.call(110), s.call(111), s.call(250), s.call(251)]).toEqual([1, 0.5, 0.5, 0.1, 0.1, 0.01]);
  });

  it('needs one more value than boundaries, and increasing boundaries', () => {
    expect(() => new PiecewiseConstantDecay([10], [1])).toThrow(/^Invalid values for PiecewiseConstantDecay: expected 2 finite numbers \(one more than boundaries\)\. Received: values=\[1\]\.$/);
    expect(() => new PiecewiseConstantDecay([10, 10], [1, 2, 3])).toThrow(/Invalid boundaries for PiecewiseConstantDecay: expected an array of strictly increasing/);
    expect(new PiecewiseConstantDecay([5], [1, 2]).getConfig()).toEqual({ boundaries: [5], values: [1, 2], name: 'PiecewiseConstant' });
  });
});

describe('PolynomialDecay', () => {
  const poly = (t: number, d: number) => (0.1 - 0.01) * (1 - t / d) ** 0.5 + 0.01;

  it('decays to endLearningRate over decaySteps, then stays there', () => {
    const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 50, endLearningRate: 0.01, power: 0.5 });
    expectSchedule(s, (t) => (t >= 50 ? 0.01 : poly(t, 50)));
    expect(s.call(25)).toBeCloseTo(0.09 * Math.SQRT1_2 + 0.01, 15);
  });

  it('restarts over the next multiple of decaySteps with cycle', () => {
    const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 50, endLearningRate: 0.01, power: 0.5, cycle: true });
    expectSchedule(s, (t) => poly(t, t === 0 ? 50 : 50 * Math.ceil(t / 50)));
    expect(s.call(0)).toBe(0.1);
    expect(s.call(50)).toBeCloseTo(0.01, 15);
    expect(s.call(75)).toBeCloseTo(poly(75, 100), 15);
  });

  it('defaults to a linear decay to 1e-4 without cycling', () => {
    const s = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 4 });
    [1, 0.750025, 0.50005, 0.0001, 0.0001].forEach((v, i) => expect(s.call([0, 1, 2, 4, 9][i])).toBeCloseTo(v, 15));
    expect(s.getConfig()).toEqual({ initialLearningRate: 1, decaySteps: 4, endLearningRate: 1e-4, power: 1, cycle: false, name: 'PolynomialDecay' });
  });
});

describe('CosineDecay', () => {
  const cosine = (t: number, d: number, from: number, alpha: number) => from * ((1 - alpha) * (0.5 + 0.5 * Math.cos((Math.PI * t) / d)) + alpha);

  it('decays by half a cosine to alpha · initial over decaySteps, then stays', () => {
    const s = new CosineDecay({ initialLearningRate: 0.2, decaySteps: 120, alpha: 0.1 });
    expectSchedule(s, (t) => cosine(Math.min(t, 120), 120, 0.2, 0.1));
    expect(s.call(60)).toBeCloseTo(0.2 * (0.9 * 0.5 + 0.1), 15);
    expect(s.call(400)).toBeCloseTo(0.02, 15);
  });

  it('warms up linearly from initial to warmupTarget, then decays from warmupTarget (Keras 3)', () => {
    const s = new CosineDecay({ initialLearningRate: 0, decaySteps: 200, warmupTarget: 0.1, warmupSteps: 100, alpha: 0.05 });
    expectSchedule(s, (t) => (t < 100 ? (0.1 * t) / 100 : cosine(Math.min(t - 100, 200), 200, 0.1, 0.05)));
    expect([s.call(0), s.call(50), s.call(100)]).toEqual([0, 0.05, 0.1]);
    expect(s.call(300)).toBeCloseTo(0.005, 15);
    expect(s.call(10_000)).toBeCloseTo(0.005, 15);
  });

  it('starts decaying from warmupTarget at once when warmupSteps is 0', () => {
    const s = new CosineDecay({ initialLearningRate: 1, decaySteps: 10, warmupTarget: 0.5 });
    expect(s.call(0)).toBe(0.5);
    expect(s.call(5)).toBeCloseTo(0.25, 15);
  });

  it('reports every argument in its configuration', () => {
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 10 }).getConfig()).toEqual({
      initialLearningRate: 1, decaySteps: 10, alpha: 0, warmupTarget: null, warmupSteps: 0, name: 'CosineDecay',
    });
  });
});

describe('schedules as an optimizer learning rate', () => {
  it('are exported as keras.optimizers.schedules', () => {
    expect(keras.optimizers.schedules.CosineDecay).toBe(CosineDecay);
  });

  it('drive the rate of every optimizer step during fit', async () => {
    await keras.setBackend('cpu');
    const x = [[0.5, -1], [1, 0.25], [-0.5, 0.75], [0, 1]];
    const y = x.map(([a, b]) => [a - 2 * b]);
    const make = (learningRate: number | ExponentialDecay) => {
      const m = new keras.Sequential([new keras.layers.Dense(1, { inputShape: [2], kernelInitializer: 'ones' })]);
      m.compile({ optimizer: new keras.optimizers.SGD({ learningRate }), loss: 'mse' });
      return m;
    };
    const schedule = new ExponentialDecay({ initialLearningRate: 0.3, decaySteps: 2, decayRate: 0.5 });
    const scheduled = make(schedule);
    await scheduled.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0 }); // one step per epoch
    expect(scheduled.optimizer.iterations).toBe(5);
    expect(scheduled.optimizer.learningRate).toBeCloseTo(schedule.call(5), 15);
    const manual = make(0.3);
    for (let step = 0; step < 5; step++) {
      manual.optimizer.learningRate = schedule.call(step);
      await manual.fit(x, y, { epochs: step + 1, initialEpoch: step, batchSize: 4, verbose: 0 });
    }
    const [a, b] = [scheduled.getWeights(), manual.getWeights()];
    for (let i = 0; i < a.length; i++) expect(Array.from(await a[i].data())).toEqual(Array.from(await b[i].data()));
    for (const t of [...a, ...b]) t.dispose();
  });
});

/**
 * A user's optimizer (Lion, test/custom/lion.ts) against steps computed by hand, in float64 on the CPU,
 * with the base class's clipping, weight decay and learning-rate schedule applied to it as to built-ins;
 * and the same rule on WebGPU against the CPU.
 */
import { describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend';
import { Variable } from '../../src/layers/variable';
import { describeEachBackend } from '../setup/each-backend';
import { Lion } from './lion';

const backend = new CpuBackend();
const variable = (w: number[], g: number[]) => new Variable('w', backend.upload(w, [w.length], 'float64'), backend.upload(g, [g.length], 'float64'), true);

function expectValues(actual: ArrayLike<number>, expected: number[]): void {
  expected.forEach((e, i) => expect(Math.abs(actual[i] - e), `element ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(e))));
}

describe('a user Lion', () => {
  it('takes the hand-computed steps: w −= lr·sign(β₁m + (1 − β₁)g), m = β₂m + (1 − β₂)g', async () => {
    const v = variable([1, -2], [0.5, -1]);
    const lion = new Lion({ learningRate: 0.1 });
    lion.apply([v], backend);
    expectValues(await v.value.data(), [0.9, -1.9]);
    expectValues(await lion.slotTensors[0][0].data(), [0.1 * 0.5 * 0.1, -0.1 * 0.1]);
    backend.write(v.grad!, [-0.2, 0.3]);
    lion.apply([v], backend);
    // β₁m + (1 − β₁)g = [0.0045 − 0.02, −0.009 + 0.03]: signs [−1, 1].
    expectValues(await v.value.data(), [1, -2]);
    expectValues(await lion.slotTensors[0][0].data(), [0.99 * 0.005 + 0.01 * -0.2, 0.99 * -0.01 + 0.01 * 0.3]);
    expect(lion.iterations).toBe(2);
  });

  it('gets clipvalue, weight decay and a schedule from the base class', async () => {
    const v = variable([1, -2], [0.5, -1]);
    const schedule = new keras.optimizers.schedules.PiecewiseConstantDecay([0], [0.1, 0.01]);
    const lion = new Lion({ learningRate: schedule, weightDecay: 0.5, clipvalue: 0.3 });
    lion.apply([v], backend);
    // g clipped to ±0.3; w decayed by lr·wd = 0.05 first: [0.95, −1.9], then moved by 0.1·sign.
    expectValues(await v.value.data(), [0.85, -1.8]);
    expectValues(await lion.slotTensors[0][0].data(), [0.01 * 0.3, 0.01 * -0.3]);
    lion.apply([v], backend); // step 1: lr = 0.01
    expectValues(await v.value.data(), [0.85 * (1 - 0.005) - 0.01, -1.8 * (1 - 0.005) + 0.01]);
  });

  it('gets clipnorm too, before the rule', async () => {
    const v = variable([0, 0], [3, 4]);
    const lion = new Lion({ learningRate: 1, clipnorm: 1, beta1: 0 });
    lion.apply([v], backend);
    expectValues(await lion.slotTensors[0][0].data(), [0.01 * 0.6, 0.01 * 0.8]);
  });

  it('refuses a result with a slot it did not declare, naming slotNames', () => {
    class Broken extends Lion {
      override updateStep(values: keras.optimizers.UpdateValues, lr: keras.Expr) {
        return { ...super.updateStep(values, lr), velocity: values.gradient };
      }
    }
    expect(() => new Broken().rule()).toThrow(/a slot must be listed by slotNames\(\) to be kept: add 'velocity' there/);
  });
});

describeEachBackend('a user Lion trains', ({ name }) => {
  it(`the same on ${name} as its rule computes on the CPU`, async () => {
    const run = async (backendName: string) => {
      if (backendName === 'cpu') await keras.setBackend('cpu');
      keras.utils.setRandomSeed(5);
      const model = new keras.Sequential([new keras.layers.Dense(4, { inputShape: [3], activation: 'tanh' }), new keras.layers.Dense(1)]);
      model.compile({ optimizer: new Lion({ learningRate: 0.01 }), loss: 'mse' });
      const x = Array.from({ length: 24 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 3) - 1]);
      const history = await model.fit(x, x.map(([a, b]) => a * b), { epochs: 3, batchSize: 8, verbose: 0, seed: 2 });
      model.dispose();
      return history.history.loss;
    };
    const here = await run(name);
    expect(here[2]).toBeLessThan(here[0]);
    if (name !== 'cpu') {
      const cpu = await run('cpu');
      here.forEach((l, i) => expect(Math.abs(l - cpu[i])).toBeLessThanOrEqual(1e-4 * cpu[i]));
    }
  });
});

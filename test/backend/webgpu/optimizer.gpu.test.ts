/**
 * The fused optimizer update on WebGPU against the CPU backend (optimizer-math.ts): every optimizer kind
 * and option (momentum, Nesterov, centered, amsgrad), with clipnorm, globalClipnorm, clipvalue and
 * decoupled weight decay, over three steps on two parameters of odd sizes (37 and 5×3) plus one of size
 * 1. Parameters and every slot are compared after the last step.
 *
 * Tolerance: 1e-5 relative + 1e-6 absolute. Per step the GPU rounds each intermediate to float32 where
 * the CPU works in float64 and rounds once on store, a few 1e-7 relative; three steps compound it to
 * about 1e-6 (Adam's m/(√v + ε) amplifies relative errors of v by ½).
 */
import { beforeAll, it } from 'vitest';
import { optimizerSlotNames, type OptimizerKind, type OptimizerStep } from '../../../src/backend/backend';
import type { Tensor } from '../../../src/tensor/tensor';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, expectTwinsClose, gpuBackend, seeded, uniform } from './helpers';

const TOL = { rtol: 1e-5, atol: 1e-6 };
const SHAPES = [[37], [5, 3], [1]];

const CASES: [OptimizerKind, Record<string, number>, Partial<OptimizerStep>][] = [
  ['sgd', {}, {}],
  ['sgd', { momentum: 0.9 }, { clipvalue: 0.3 }],
  ['sgd', { momentum: 0.9, nesterov: 1 }, { weightDecay: 0.01 }],
  ['rmsprop', { rho: 0.9, epsilon: 1e-7, momentum: 0 }, { clipnorm: 0.5 }],
  ['rmsprop', { rho: 0.9, epsilon: 1e-7, momentum: 0.5, centered: 1 }, { globalClipnorm: 0.8 }],
  ['rmsprop', { rho: 0.8, epsilon: 1e-7, momentum: 0.5 }, {}],
  ['rmsprop', { rho: 0.8, epsilon: 1e-7, momentum: 0, centered: 1 }, {}],
  ['adagrad', { epsilon: 1e-7 }, { clipnorm: 0.5, globalClipnorm: 0.7 }],
  ['adadelta', { rho: 0.95, epsilon: 1e-7 }, {}],
  ['adam', { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, {}],
  ['adam', { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: 1 }, { clipvalue: 0.2 }],
  ['adamw', { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, { weightDecay: 0.004, globalClipnorm: 1 }],
];

describeGpu('WebGPU optimizer updates', (ctx) => {
  let twins: Twins;
  beforeAll(async () => {
    twins = new Twins(await gpuBackend(ctx));
  });

  for (const [kind, hyper, clip] of CASES) {
    it(`${kind} ${JSON.stringify(hyper)} ${JSON.stringify(clip)} matches the CPU over three steps`, async () => {
      const r = seeded(kind.length * 31 + Object.keys(hyper).length);
      const names = optimizerSlotNames(kind, hyper);
      const params = SHAPES.map((shape) => twins.upload(uniform(r, shape.reduce((a, b) => a * b, 1)), shape));
      const grads = SHAPES.map((shape) => twins.alloc(shape));
      // Slots start at a positive value where the optimizer's rule divides by their square root.
      const slots = SHAPES.map((shape) => names.map(() => twins.upload(uniform(r, shape.reduce((a, b) => a * b, 1), 0, 0.1), shape)));
      const side = (i: 0 | 1) => [params.map((p) => p[i]), grads.map((g) => g[i]), slots.map((row) => row.map((s) => s[i]))] as const;
      for (let iteration = 0; iteration < 3; iteration++) {
        grads.forEach(([gc, gg]) => {
          const g = uniform(r, gc.size, -2, 2);
          twins.cpu.write(gc, g);
          twins.gpu.write(gg, g);
        });
        const step: OptimizerStep = {
          learningRate: 0.05, iteration, weightDecay: 0, clipnorm: 0, clipvalue: 0, globalClipnorm: 0, hyper, ...clip,
        };
        const [pc, gc, sc] = side(0);
        const [pg, gg, sg] = side(1);
        twins.cpu.optimizerUpdate(kind, pc as Tensor[], gc as Tensor[], sc as Tensor[][], step);
        twins.gpu.optimizerUpdate(kind, pg as Tensor[], gg as Tensor[], sg as Tensor[][], step);
      }
      for (let p = 0; p < SHAPES.length; p++) {
        await expectTwinsClose(params[p][0], params[p][1], TOL, `param ${p}`);
        for (let s = 0; s < names.length; s++) await expectTwinsClose(slots[p][s][0], slots[p][s][1], TOL, `param ${p} slot ${names[s]}`);
      }
    });
  }
});

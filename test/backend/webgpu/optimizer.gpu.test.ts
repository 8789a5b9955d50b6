/**
 * The fused optimizer update on WebGPU against the CPU backend: every built-in optimizer and option
 * (momentum, Nesterov, centered, amsgrad), with clipnorm, globalClipnorm, clipvalue and decoupled weight
 * decay, over three steps on two parameters of odd sizes (37 and 5×3) plus one of size 1, each backend
 * running the same rule's generated code. Parameters and every slot are compared after the last step.
 *
 * Tolerance: 1e-5 relative + 1e-6 absolute. Per step the GPU rounds each intermediate to float32 where
 * the CPU works in float64 and rounds once on store, a few 1e-7 relative; three steps compound it to
 * about 1e-6 (Adam's m/(√v + ε) amplifies relative errors of v by ½).
 */
import { beforeAll, it } from 'vitest';
import { Variable } from '../../../src/layers/variable';
import { Adadelta, Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../../../src/optimizers';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, expectTwinsClose, gpuBackend, seeded, uniform } from './helpers';

const TOL = { rtol: 1e-5, atol: 1e-6 };
const SHAPES = [[37], [5, 3], [1]];
const lr = 0.05;

const CASES: [string, () => Optimizer][] = [
  ['SGD', () => new SGD({ learningRate: lr })],
  ['SGD with momentum and clipvalue', () => new SGD({ learningRate: lr, momentum: 0.9, clipvalue: 0.3 })],
  ['SGD with Nesterov momentum and weight decay', () => new SGD({ learningRate: lr, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['RMSprop with clipnorm', () => new RMSprop({ learningRate: lr, rho: 0.9, clipnorm: 0.5 })],
  ['centered RMSprop with momentum and globalClipnorm', () => new RMSprop({ learningRate: lr, momentum: 0.5, centered: true, globalClipnorm: 0.8 })],
  ['RMSprop with momentum', () => new RMSprop({ learningRate: lr, rho: 0.8, momentum: 0.5 })],
  ['centered RMSprop', () => new RMSprop({ learningRate: lr, rho: 0.8, centered: true })],
  ['Adagrad with clipnorm', () => new Adagrad({ learningRate: lr, clipnorm: 0.5 })],
  ['Adadelta', () => new Adadelta({ learningRate: lr })],
  ['Adam', () => new Adam({ learningRate: lr })],
  ['Adam with amsgrad and clipvalue', () => new Adam({ learningRate: lr, amsgrad: true, clipvalue: 0.2 })],
  ['AdamW with globalClipnorm', () => new AdamW({ learningRate: lr, weightDecay: 0.004, globalClipnorm: 1 })],
];

describeGpu('WebGPU optimizer updates', (ctx) => {
  let twins: Twins;
  beforeAll(async () => {
    twins = new Twins(await gpuBackend(ctx));
  });

  for (const [label, make] of CASES) {
    it(`${label} matches the CPU over three steps`, async () => {
      const r = seeded(label.length * 31);
      const backends = [twins.cpu, twins.gpu] as const;
      const optimizers = backends.map(() => make());
      const values = SHAPES.map((shape) => uniform(r, shape.reduce((a, b) => a * b, 1)));
      const vars = backends.map((b) => SHAPES.map((shape, i) => new Variable(`v${i}`, b.upload(values[i], shape, 'float32'), b.alloc(shape, 'float32'), true)));
      // Slots start at a positive value where the optimizer's rule divides by their square root.
      const slotValues = SHAPES.map((shape) => optimizers[0].slotNames().map(() => uniform(r, shape.reduce((a, b) => a * b, 1), 0, 0.1)));
      backends.forEach((b, side) => {
        optimizers[side].build(vars[side], b);
        optimizers[side].slotTensors.forEach((row, i) => row.forEach((t, j) => b.write(t, slotValues[i][j])));
      });
      for (let step = 0; step < 3; step++) {
        const grads = SHAPES.map((shape) => uniform(r, shape.reduce((a, b) => a * b, 1), -2, 2));
        backends.forEach((b, side) => {
          vars[side].forEach((v, i) => b.write(v.grad!, grads[i]));
          optimizers[side].apply(vars[side], b);
        });
      }
      for (let p = 0; p < SHAPES.length; p++) {
        await expectTwinsClose(vars[0][p].value, vars[1][p].value, TOL, `param ${p}`);
        const names = optimizers[0].slotNames();
        for (let s = 0; s < names.length; s++) {
          await expectTwinsClose(optimizers[0].slotTensors[p][s], optimizers[1].slotTensors[p][s], TOL, `param ${p} slot ${names[s]}`);
        }
      }
    });
  }
});

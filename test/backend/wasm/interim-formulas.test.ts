/**
 * Until the expression language emits wasm, the wasm backend runs the CPU's compiled formulas on views
 * of its memory (interim-formulas.ts): every activation forward and backward, the losses, the metrics
 * and the optimizer rules therefore equal the CPU backend's results bit for bit, as checked here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activationNames, getActivation } from '../../../src/activations';
import { metricStateSize } from '../../../src/expr/functions';
import { Variable } from '../../../src/layers/variable';
import { Loss } from '../../../src/losses';
import { Metric } from '../../../src/metrics';
import { Adam, RMSprop, SGD, type Optimizer } from '../../../src/optimizers';
import { Twins, seeded, uniform, wasmBackend } from './helpers';

describe('wasm formulas (interim: the CPU math on wasm memory)', () => {
  let twins: Twins;
  beforeAll(async () => {
    twins = new Twins(await wasmBackend({ threads: 1 }));
  });

  it('gives every activation and its derivative to the same bits as the CPU', async () => {
    const r = seeded(1);
    for (const name of activationNames()) {
      const fn = getActivation(name);
      const [zc, zw] = twins.upload(uniform(r, 7 * 9, -4, 4), [7, 9]);
      const [yc, yw] = twins.alloc([7, 9]);
      twins.cpu.activation(zc, yc, fn);
      twins.gpu.activation(zw, yw, fn);
      expect(await yw.data(), `${name} forward`).toEqual(await yc.data());
      const [dyc, dyw] = twins.upload(uniform(r, 7 * 9), [7, 9]);
      const [gc, gw] = twins.alloc([7, 9]);
      twins.cpu.activationBackward(dyc, zc, yc, gc, fn);
      twins.gpu.activationBackward(dyw, zw, yw, gw, fn);
      expect(await gw.data(), `${name} backward`).toEqual(await gc.data());
    }
  });

  it('accumulates losses and their gradients, and metrics, to the same bits as the CPU', async () => {
    const r = seeded(2);
    const options = { fromLogits: true, delta: 1, epsilon: 1e-7, labelSmoothing: 0.1 };
    const [pc, pw] = twins.upload(uniform(r, 6 * 4, -3, 3), [6, 4]);
    const [tc, tw] = twins.upload(Float32Array.from({ length: 24 }, () => (r() < 0.5 ? 0 : 1)), [6, 4]);
    const [sc, sw] = twins.upload([0, 3, 1, 2, 2, 1], [6, 1]);
    const losses = ['mean_squared_error', 'huber', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'];
    for (const kind of losses) {
      const sparse = kind === 'sparse_categorical_crossentropy';
      const program = new Loss(kind, kind, options).program();
      const [ac, aw] = twins.alloc([2]);
      const [gc, gw] = twins.alloc([6, 4]);
      twins.cpu.loss(program, pc, sparse ? sc : tc, ac, gc);
      twins.gpu.loss(program, pw, sparse ? sw : tw, aw, gw);
      expect(await aw.data(), `${kind} accumulator`).toEqual(await ac.data());
      expect(await gw.data(), `${kind} gradient`).toEqual(await gc.data());
    }
    for (const kind of ['binary_accuracy', 'categorical_accuracy', 'mean_absolute_error', 'r2_score']) {
      const program = new Metric(kind, kind).program();
      const [ac, aw] = twins.alloc([metricStateSize(program, 4)]);
      twins.cpu.metric(program, pc, tc, ac);
      twins.gpu.metric(program, pw, tw, aw);
      expect(await aw.data(), kind).toEqual(await ac.data());
    }
  });

  it('updates parameters and slots to the same bits as the CPU, clipping and weight decay included', async () => {
    const cases: [string, () => Optimizer][] = [
      ['sgd', () => new SGD({ learningRate: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.004, clipnorm: 0.5 })],
      ['rmsprop', () => new RMSprop({ learningRate: 0.01, rho: 0.9, momentum: 0.5, centered: true, weightDecay: 0.004, globalClipnorm: 0.8 })],
      ['adam', () => new Adam({ learningRate: 0.01, amsgrad: true, weightDecay: 0.004, clipvalue: 0.3 })],
    ];
    for (const [kind, make] of cases) {
      const r = seeded(3);
      const w = uniform(r, 37);
      const sides = [twins.cpu, twins.gpu].map((b) => {
        const v = new Variable('w', b.upload(w, [37], 'float32'), b.alloc([37], 'float32'), true);
        const optimizer = make();
        optimizer.build([v], b);
        return { b, v, optimizer };
      });
      for (let iteration = 0; iteration < 3; iteration++) {
        const g = uniform(r, 37);
        for (const { b, v, optimizer } of sides) {
          b.write(v.grad!, g);
          optimizer.apply([v], b);
        }
      }
      const [cpu, wasm] = sides;
      expect(await wasm.v.value.data(), kind).toEqual(await cpu.v.value.data());
      for (const [i, slot] of cpu.optimizer.slotTensors[0].entries()) {
        expect(await wasm.optimizer.slotTensors[0][i].data(), `${kind} slot ${i}`).toEqual(await slot.data());
      }
    }
  });
});

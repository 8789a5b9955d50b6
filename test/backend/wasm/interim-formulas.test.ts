/**
 * Until the expression language emits wasm (issue 9), the wasm backend runs the CPU's formulas on views
 * of its memory (interim-formulas.ts): every activation forward and backward, the losses, the metrics
 * and the optimizer rules therefore equal the CPU backend's results bit for bit, as checked here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getActivation } from '../../../src/activations';
import { ACTIVATION_DEFS } from '../../../src/activations/specs';
import { optimizerSlotNames, type LossKind, type MetricKind, type OptimizerKind } from '../../../src/backend/backend';
import { Twins, seeded, uniform, wasmBackend } from './helpers';

describe('wasm formulas (interim: the CPU math on wasm memory)', () => {
  let twins: Twins;
  beforeAll(async () => {
    twins = new Twins(await wasmBackend({ threads: 1 }));
  });

  it('gives every activation and its derivative to the same bits as the CPU', async () => {
    const r = seeded(1);
    for (const name of Object.keys(ACTIVATION_DEFS)) {
      const spec = getActivation(name);
      const [zc, zw] = twins.upload(uniform(r, 7 * 9, -4, 4), [7, 9]);
      const [yc, yw] = twins.alloc([7, 9]);
      twins.cpu.activation(zc, yc, spec);
      twins.gpu.activation(zw, yw, spec);
      expect(await yw.data(), `${name} forward`).toEqual(await yc.data());
      const [dyc, dyw] = twins.upload(uniform(r, 7 * 9), [7, 9]);
      const [gc, gw] = twins.alloc([7, 9]);
      twins.cpu.activationBackward(dyc, zc, yc, gc, spec);
      twins.gpu.activationBackward(dyw, zw, yw, gw, spec);
      expect(await gw.data(), `${name} backward`).toEqual(await gc.data());
    }
  });

  it('accumulates losses and their gradients, and metrics, to the same bits as the CPU', async () => {
    const r = seeded(2);
    const options = { fromLogits: true, delta: 1, epsilon: 1e-7, labelSmoothing: 0.1 };
    const [pc, pw] = twins.upload(uniform(r, 6 * 4, -3, 3), [6, 4]);
    const [tc, tw] = twins.upload(Float32Array.from({ length: 24 }, () => (r() < 0.5 ? 0 : 1)), [6, 4]);
    const [sc, sw] = twins.upload([0, 3, 1, 2, 2, 1], [6, 1]);
    const losses: LossKind[] = ['mean_squared_error', 'huber', 'binary_crossentropy', 'categorical_crossentropy'];
    for (const kind of [...losses, 'sparse_categorical_crossentropy' as const]) {
      const sparse = kind === 'sparse_categorical_crossentropy';
      const [ac, aw] = twins.alloc([2]);
      const [gc, gw] = twins.alloc([6, 4]);
      twins.cpu.loss(kind, pc, sparse ? sc : tc, options, ac, gc);
      twins.gpu.loss(kind, pw, sparse ? sw : tw, options, aw, gw);
      expect(await aw.data(), `${kind} accumulator`).toEqual(await ac.data());
      expect(await gw.data(), `${kind} gradient`).toEqual(await gc.data());
    }
    const metrics: MetricKind[] = ['binary_accuracy', 'categorical_accuracy', 'mean_absolute_error', 'r2_score'];
    for (const kind of metrics) {
      const [ac, aw] = twins.alloc([twins.cpu.metricStateSize(kind, 4)]);
      twins.cpu.metric(kind, pc, tc, { threshold: 0.5 }, ac);
      twins.gpu.metric(kind, pw, tw, { threshold: 0.5 }, aw);
      expect(await aw.data(), kind).toEqual(await ac.data());
    }
  });

  it('updates parameters and slots to the same bits as the CPU, clipping and weight decay included', async () => {
    const cases: [OptimizerKind, Record<string, number>][] = [
      ['sgd', { momentum: 0.9, nesterov: 1 }],
      ['rmsprop', { rho: 0.9, epsilon: 1e-7, momentum: 0.5, centered: 1 }],
      ['adam', { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: 1 }],
    ];
    for (const [kind, hyper] of cases) {
      const r = seeded(3);
      const [wc, ww] = twins.upload(uniform(r, 37), [37]);
      const [gc, gw] = twins.upload(uniform(r, 37), [37]);
      const slots = optimizerSlotNames(kind, hyper).map(() => twins.alloc([37]));
      for (let iteration = 0; iteration < 3; iteration++) {
        const step = { learningRate: 0.01, iteration, weightDecay: 0.004, clipnorm: 0.5, clipvalue: 0, globalClipnorm: 0.8, hyper };
        twins.cpu.optimizerUpdate(kind, [wc], [gc], [slots.map((s) => s[0])], step);
        twins.gpu.optimizerUpdate(kind, [ww], [gw], [slots.map((s) => s[1])], step);
      }
      expect(await ww.data(), kind).toEqual(await wc.data());
      for (const [i, [c, w]] of slots.entries()) expect(await w.data(), `${kind} slot ${i}`).toEqual(await c.data());
    }
  });
});

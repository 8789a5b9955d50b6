/**
 * Every activation on WebGPU (forward and derivative: the WGSL generated from its expressions, spliced
 * into shaders/activation.wgsl) against the CPU backend (the JavaScript generated from them), with non-default parameters where an activation has any, on inputs that
 * cover the kinks (0, ±λ, ±3, 6), tiny values (where e^x − 1 and log(1 + x) lose precision unless written
 * carefully) and large ones (where exp overflows unless split on the sign).
 *
 * Tolerance: 1e-5 relative + 1e-6 absolute. The CPU evaluates in float64 and rounds once; the GPU in
 * float32 with WGSL's exp/log accurate to 3 + 2|x| ULP (≤ 2e-6 relative for |x| ≤ 6) plus a few
 * roundings of its own: a few 1e-6 relative at worst. The absolute part covers values near 0, e.g.
 * tanhshrink(z) = z − tanh z for small z, where any float32 evaluation is off by ~1e-8 absolute.
 */
import { beforeAll, expect, it } from 'vitest';
import { activationNames, getActivation, type ActivationSpec } from '../../../src/activations';
import { describeGpu } from '../../setup/webgpu-env';
import { Twins, expectClose, gpuBackend, seeded, uniform } from './helpers';

const TOL = { rtol: 1e-5, atol: 1e-6 };

/** Every activation, with non-default parameters where it takes any (gelu both ways). */
const SPECS: ActivationSpec[] = [
  getActivation('linear'),
  getActivation({ name: 'elu', alpha: 0.5 }),
  getActivation({ name: 'hardshrink', lambd: 0.3 }),
  getActivation('hardsigmoid'),
  getActivation({ name: 'hardtanh', minVal: -0.3, maxVal: 0.5 }),
  getActivation({ name: 'leaky_relu', negativeSlope: 0.1 }),
  getActivation('log_sigmoid'),
  getActivation('relu'),
  getActivation({ name: 'relu', negativeSlope: 0.1, maxValue: 2.5, threshold: -0.3 }),
  getActivation({ name: 'relu', negativeSlope: 0.2 }),
  getActivation({ name: 'relu', maxValue: 6, threshold: 0.5 }),
  getActivation('relu6'),
  getActivation('selu'),
  getActivation({ name: 'celu', alpha: 1.5 }),
  getActivation('sigmoid'),
  getActivation({ name: 'softplus', beta: 2, threshold: 5 }),
  getActivation({ name: 'softshrink', lambd: 0.5 }),
  getActivation('softsign'),
  getActivation('tanh'),
  getActivation('softmax'),
  getActivation('hardswish'),
  getActivation({ name: 'gelu', approximate: true }),
  getActivation({ name: 'gelu', approximate: false }),
  getActivation('silu'),
  getActivation('mish'),
  getActivation('tanhshrink'),
  getActivation({ name: 'threshold', threshold: 0.3, value: -1 }),
];

const SPECIAL = [0, 0.3, -0.3, 0.5, -0.5, 3, -3, 6, -2, 1e-4, -1e-4, 1e-7, 2.5, -2.5, 12, -12, 40, -40, 0.25];

/** rows × cols inputs: the special points, then uniform values in [−6, 6). */
function inputs(rows: number, cols: number, seed: number): Float32Array {
  const x = uniform(seeded(seed), rows * cols, -6, 6);
  x.set(SPECIAL.slice(0, x.length));
  return x;
}

describeGpu('WebGPU activations', (ctx) => {
  let twins: Twins;
  beforeAll(async () => {
    twins = new Twins(await gpuBackend(ctx));
  });

  it('covers every activation name', () => {
    expect(new Set(SPECS.map((s) => s.name))).toEqual(new Set(activationNames()));
  });

  for (const spec of SPECS) {
    const label = `${spec.name}${Object.keys(spec.params).length ? ` ${JSON.stringify(spec.params)}` : ''}`;
    it(`${label}: forward and derivative match the CPU`, async () => {
      for (const [rows, cols] of [[1, 1], [3, 37]]) {
        const x = inputs(rows, cols, rows * 7 + cols);
        const [xc, xg] = twins.upload(x, [rows, cols]);
        const [yc, yg] = twins.alloc([rows, cols]);
        twins.cpu.activation(xc, yc, spec);
        twins.gpu.activation(xg, yg, spec);
        const y = await yc.data();
        expectClose(await yg.data(), y, TOL, `${label} forward [${rows}×${cols}]`);

        // The derivative gets the same y on both sides, so only the backward kernel is compared.
        const [dyc, dyg] = twins.upload(uniform(seeded(rows + cols), rows * cols), [rows, cols]);
        const [, yg2] = twins.upload(y, [rows, cols]);
        const [dzc, dzg] = twins.alloc([rows, cols]);
        twins.cpu.activationBackward(dyc, xc, yc, dzc, spec);
        twins.gpu.activationBackward(dyg, xg, yg2, dzg, spec);
        expectClose(await dzg.data(), await dzc.data(), TOL, `${label} derivative [${rows}×${cols}]`);
      }
    });
  }
});

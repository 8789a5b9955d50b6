/**
 * Every built-in's generated derivative against float64 finite differences of its own forward expression
 * (helpers.ts: Richardson-extrapolated central differences with their rounding bound), on grids over
 * [−90, 90] that include ±80, tiny magnitudes and both sides of every kink at 1e-6, 1e-3 and 0.1:
 * the activations (default and other parameters) and the elementwise parts of the losses. Tolerance
 * 1e-7 relative plus the difference's rounding bound, as in autodiff.test.ts. Also the measurement
 * behind softsign's hand-written derivative.
 */
import { describe, expect, it } from 'vitest';
import { getActivation, type ActivationIdentifier } from '../../src/activations';
import { gradient } from '../../src/expr/autodiff';
import { input, substitute } from '../../src/expr/expr';
import { softsign, softsignDerivative } from '../../src/expr/nn';
import { Loss } from '../../src/losses';
import { close, grid, jsFunction, numericDerivative } from './helpers';

const RTOL = 1e-7;

/** Activations, their parameters, and their kinks (where the derivative jumps). */
const ACTIVATIONS: [ActivationIdentifier, number[]][] = [
  ['linear', []], ['elu', [0]], [{ name: 'elu', alpha: 0.4 }, [0]], ['hardshrink', [-0.5, 0.5]], [{ name: 'hardshrink', lambd: 1.3 }, [-1.3, 1.3]],
  ['hardsigmoid', [-3, 3]], ['hardtanh', [-1, 1]], [{ name: 'hardtanh', minVal: -2, maxVal: 0.5 }, [-2, 0.5]], ['leaky_relu', [0]],
  [{ name: 'leaky_relu', negativeSlope: -0.7 }, [0]], ['log_sigmoid', []], ['relu', [0]],
  [{ name: 'relu', negativeSlope: 0.1, maxValue: 4, threshold: -1 }, [-1, 0, 4]], [{ name: 'relu', negativeSlope: 0.3 }, [0]],
  [{ name: 'relu', maxValue: 2, threshold: 0.5 }, [0.5, 2]], ['relu6', [0, 6]], ['selu', [0]], ['celu', [0]],
  [{ name: 'celu', alpha: 2.5 }, [0]], ['sigmoid', []], ['softplus', [20]], [{ name: 'softplus', beta: 2, threshold: 5 }, [2.5]],
  ['softshrink', [-0.5, 0.5]], ['softsign', [0]], ['tanh', []], ['hardswish', [-3, 3]], [{ name: 'gelu', approximate: true }, []],
  [{ name: 'gelu', approximate: false }, []], ['silu', []], ['mish', []], ['tanhshrink', []], ['threshold', [0]],
  [{ name: 'threshold', threshold: 0.5, value: -2 }, [0.5]],
];

describe('activation derivatives against finite differences', () => {
  it.each(ACTIVATIONS.map(([id, kinks]) => [JSON.stringify(id), id, kinks] as const))('%s', (_, id, kinks) => {
    const spec = getActivation(id);
    const f = jsFunction(spec.forward, ['x'], spec.params);
    const d = jsFunction(spec.derivative, ['x', 'y'], spec.params);
    for (const v of grid(-90, 90, kinks)) {
      const numeric = numericDerivative(f, v, kinks);
      const analytic = d(v, f(v));
      expect(close(analytic, numeric.value, RTOL, numeric.rounding), `at ${v}: ${analytic} vs ${numeric.value}`).toBe(true);
    }
  });
});

/** Losses (and options), predictions' domain, targets, and the kinks in the prediction for a target t. */
const LOSSES: [string, Partial<Loss['options']>, [number, number], number[], (t: number, o: Loss['options']) => number[]][] = [
  ['mean_squared_error', {}, [-90, 90], [-1, 0.3, 2], () => []],
  ['mean_absolute_error', {}, [-90, 90], [-1, 0.3, 2], (t) => [t]],
  ['huber', { delta: 0.7 }, [-90, 90], [-1, 0.3, 2], (t, o) => [t - o.delta, t, t + o.delta]],
  ['binary_crossentropy', {}, [0, 1], [0, 0.3, 1], (_, o) => [o.epsilon, 1 - o.epsilon]],
  ['binary_crossentropy', { labelSmoothing: 0.2 }, [0, 1], [0, 1], (_, o) => [o.epsilon, 1 - o.epsilon]],
  ['binary_crossentropy', { fromLogits: true, labelSmoothing: 0.1 }, [-90, 90], [0, 0.3, 1], () => []],
  ['categorical_crossentropy', { labelSmoothing: 0.1 }, [0, 1], [0, 1], (_, o) => [o.epsilon, 1 - o.epsilon]],
  ['categorical_crossentropy', { fromLogits: true }, [-90, 0], [0, 1], () => []],
];

describe('loss element derivatives against finite differences, in the (transformed) prediction', () => {
  it.each(LOSSES.map(([kind, options, ...rest]) => [`${kind} ${JSON.stringify(options)}`, kind, options, ...rest] as const))('%s', (_, kind, options, [lo, hi], targets, kinksFor) => {
    const loss = new Loss(kind, kind, options);
    const program = loss.program();
    const scalars = { ...program.params, cols: 4 };
    program.reductions.forEach((r, k) => {
      const f = jsFunction(r.element, ['y_pred', 'y_true'], scalars);
      const d = jsFunction(program.elementGrads[k], ['y_pred', 'y_true'], scalars);
      for (const t of targets) {
        const kinks = [lo, hi, ...kinksFor(t, loss.options)];
        for (const p of grid(lo, hi, kinks)) {
          const numeric = numericDerivative((v) => f(v, t), p, kinks);
          expect(close(d(p, t), numeric.value, RTOL, numeric.rounding), `p=${p}, t=${t}: ${d(p, t)} vs ${numeric.value}`).toBe(true);
        }
      }
    });
  });
});

describe("softsign's hand-written derivative", () => {
  /** Worst relative error over [−80, 80] of a derivative in the float32 simulation, against float64. */
  function worst(derivative: ReturnType<typeof softsignDerivative>): number {
    const f32 = jsFunction(derivative, ['x'], {}, true);
    const f64 = jsFunction(derivative, ['x']);
    let err = 0;
    for (let i = 0; i <= 16000; i++) {
      const v = Math.fround(-80 + i / 100);
      err = Math.max(err, Math.abs(f32(v) - f64(v)) / Math.abs(f64(v)));
    }
    return err;
  }

  it('is measurably more accurate in float32 than the autodiff’s (the reason it exists)', () => {
    const x = input('x');
    const auto = substitute([gradient(softsign(x), [x])[0]], () => undefined)[0];
    const hand = worst(softsignDerivative(x));
    const derived = worst(auto);
    expect(hand).toBeLessThan(2e-7);
    expect(derived).toBeGreaterThan(10 * hand);
    console.log(`softsign′ in float32 over ±80: hand-written ${hand.toExponential(2)}, autodiff ${derived.toExponential(2)} (worst relative error)`);
  });
});

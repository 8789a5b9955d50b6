/**
 * Every differentiation rule against float64 finite differences (Richardson-extrapolated central
 * differences, helpers.ts), on grids that include ±80, tiny magnitudes and both sides of each kink (and
 * of each edge of a domain), with the derivative evaluated through the generated JavaScript. Tolerance:
 * 1e-7 relative plus the difference's own rounding bound (8ε·max|f|/h: where f is nearly flat, as
 * erf(−5.6) or expm1(−31), a difference cannot resolve the tiny slope). The extrapolated difference is
 * otherwise good to about 1e-10 relative, so 1e-7 leaves room only for a wrong rule (a missing factor
 * shows up at 1e-1).
 */
import { describe, expect, it } from 'vitest';
import { gradient } from '../../src/expr/autodiff';
import { binaryOp, input, unaryOp, where, type Expr } from '../../src/expr/expr';
import type { BinaryOp, UnaryOp } from '../../src/expr/op-table';
import { close, grid, jsFunction, numericDerivative } from './helpers';

const x = input('x');
const y = input('y');
const RTOL = 1e-7;

/** Unary ops with a domain and their kinks. */
const UNARY: [UnaryOp, number, number, number[]][] = [
  ['neg', -90, 90, []], ['abs', -90, 90, [0]], ['exp', -90, 90, []], ['expm1', -90, 90, []], ['log', 1e-9, 90, [0]],
  ['log1p', -0.999, 90, [-1]], ['sqrt', 1e-9, 90, [0]], ['rsqrt', 1e-6, 90, [0]], ['tanh', -90, 90, []], ['sigmoid', -90, 90, []],
  ['softplus', -90, 90, []], ['log_sigmoid', -90, 90, []], ['erf', -6, 6, []], ['erfc', -6, 26, []], ['sin', -90, 90, []],
  ['cos', -90, 90, []], ['tan', -1.5, 1.5, []], ['sinh', -90, 90, []], ['cosh', -90, 90, []], ['atan', -90, 90, []],
];

/** Ops whose derivative is 0 everywhere (away from their jumps). */
const FLAT: UnaryOp[] = ['sign', 'floor', 'ceil', 'round', 'stop_gradient'];

function check(f: (v: number) => number, d: (v: number) => number, points: number[], kinks: number[], label: string): void {
  for (const v of points) {
    const numeric = numericDerivative(f, v, kinks);
    const analytic = d(v);
    expect(close(analytic, numeric.value, RTOL, numeric.rounding), `${label} at ${v}: ${analytic} vs numeric ${numeric.value}`).toBe(true);
  }
}

describe('derivatives of unary ops against finite differences', () => {
  it.each(UNARY)('%s', (op, lo, hi, kinks) => {
    const e = unaryOp(op, x);
    const d = gradient(e, [x])[0];
    check(jsFunction(e, ['x']), jsFunction(d, ['x']), grid(lo, hi, kinks), kinks, op);
  });

  it.each(FLAT)('%s has derivative 0', (op) => {
    expect(gradient(unaryOp(op, binaryOp('mul', x, x)), [x])[0].value).toBe(0);
  });
});

/** Binary ops with a grid of (x, y) and, for the kinked ones, the line x = y. */
const BINARY: [BinaryOp, number[], number[]][] = [
  ['add', [-80, -1.5, 1e-8, 2.5, 80], [-3, 0.5, 7]],
  ['sub', [-80, -1.5, 1e-8, 2.5, 80], [-3, 0.5, 7]],
  ['mul', [-80, -1.5, 1e-8, 2.5, 80], [-3, 0.5, 7]],
  ['div', [-80, -1.5, 1e-8, 2.5, 80], [-3, 0.5, 7]],
  ['pow', [1e-6, 0.3, 2.5, 80], [-2.5, 0.5, 3.3]],
  ['minimum', [-80, -1.5, 2.5, 80], [-3, 0.5, 7]],
  ['maximum', [-80, -1.5, 2.5, 80], [-3, 0.5, 7]],
];

describe('derivatives of binary ops against finite differences, in each argument', () => {
  it.each(BINARY)('%s', (op, xs, ys) => {
    const e = binaryOp(op, x, y);
    const [dx, dy] = gradient(e, [x, y]);
    const f = jsFunction(e, ['x', 'y']);
    const fx = jsFunction(dx, ['x', 'y']);
    const fy = jsFunction(dy, ['x', 'y']);
    for (const a of xs) {
      for (const b of ys) {
        check((v) => f(v, b), (v) => fx(v, b), [a], [b, 0], `∂${op}/∂x at y=${b}`);
        check((v) => f(a, v), (v) => fy(a, v), [b], [a], `∂${op}/∂y at x=${a}`);
      }
    }
  });

  it('pow of a negative base to a constant integer power is a product, differentiable everywhere', () => {
    const e = binaryOp('pow', x, 3);
    check(jsFunction(e, ['x']), jsFunction(gradient(e, [x])[0], ['x']), grid(-80, 80), [], 'x^3');
  });
});

describe('kink conventions', () => {
  const at = (e: Expr, v: number, name = 'x') => jsFunction(gradient(e, [input(name)])[0], [name])(v);

  it('maximum and minimum pass no gradient at a tie', () => {
    expect(at(binaryOp('maximum', x, 0), 0)).toBe(0);
    expect(at(binaryOp('minimum', x, 6), 6)).toBe(0);
    expect(at(binaryOp('maximum', x, 0), 1e-300)).toBe(1);
  });

  it('where sends the gradient down the branch taken, so the comparison decides the kink', () => {
    expect(at(where(binaryOp('gt', x, 0), x, binaryOp('mul', 0.2, x)), 0)).toBeCloseTo(0.2, 15);
    expect(at(where(binaryOp('ge', x, 0), x, binaryOp('mul', 0.2, x)), 0)).toBe(1);
  });

  it('abs has derivative 0 at 0', () => {
    expect(at(unaryOp('abs', x), 0)).toBe(0);
  });

  it('stop_gradient blocks the gradient of what it wraps', () => {
    const e = binaryOp('mul', x, unaryOp('stop_gradient', unaryOp('exp', x)));
    expect(at(e, 1)).toBeCloseTo(Math.E, 14);
  });
});

describe('the derivative of a composite expression', () => {
  it('shares subexpressions with the forward expression', () => {
    const s = unaryOp('sigmoid', x);
    const d = gradient(s, [x])[0];
    expect(d.args).toContain(s);
  });

  it('matches finite differences for mish, a product of nested functions', () => {
    const mish = binaryOp('mul', x, unaryOp('tanh', unaryOp('softplus', x)));
    check(jsFunction(mish, ['x']), jsFunction(gradient(mish, [x])[0], ['x']), grid(-80, 80), [], 'mish');
  });
});

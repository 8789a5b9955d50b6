/** Formulas typed as text: parsed into the same expressions keras.ops builds, and nothing else. */
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors';
import { input } from '../../src/expr/expr';
import { ops } from '../../src/expr/keras-ops';
import { parseFormula } from '../../src/expr/parse';

const x = input('x');

describe('parseFormula', () => {
  it('builds the expressions keras.ops builds', () => {
    expect(parseFormula('x * tanh(softplus(x))')).toBe(ops.multiply(x, ops.tanh(ops.softplus(x))));
    expect(parseFormula('where(greater(x, 0), x, 0.1 * x)')).toBe(ops.where(ops.greater(x, 0), x, ops.multiply(0.1, x)));
    expect(parseFormula('ops.sigmoid(x) ^ 2')).toBe(ops.power(ops.sigmoid(x), 2));
  });

  it('has the usual precedence, unary minus and constants', () => {
    expect(parseFormula('1 + 2 * x ^ 2')).toBe(ops.add(1, ops.multiply(2, ops.power(x, 2))));
    expect(parseFormula('-x ** 2')).toBe(ops.negative(ops.power(x, 2)));
    expect(parseFormula('(1 + x) / 2 - pi')).toBe(ops.subtract(ops.divide(ops.add(1, x), 2), Math.PI));
    expect(parseFormula('2e-3 * x').args[0].value).toBe(2e-3);
  });

  it.each([
    ['x +', /expected a number, a name or a bracket at column 4/],
    ['y * 2', /expected 'x', pi, e or a call such as tanh\(x\) at column 1/],
    ['alert(1)', /expected an elementwise keras\.ops function/],
    ['mean(x)', /expected an elementwise keras\.ops function/],
    ['x; 1', /expected a number, a name, an operator/],
    ['tanh(x', /expected '\)'/],
    ['x x', /expected an operator or the end of the formula at column 3/],
    ['', /expected a formula such as/],
    ['('.repeat(100) + 'x' + ')'.repeat(100), /levels of nesting/],
  ])('refuses %j with a ValueError naming the position', (text, message) => {
    expect(() => parseFormula(text)).toThrow(ValueError);
    expect(() => parseFormula(text)).toThrow(message);
  });
});

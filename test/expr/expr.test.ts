/**
 * The expression nodes: hash-consing (common subexpressions shared by construction), constant folding and
 * the simplifications the builders apply, and the errors a traced function gets for what cannot be traced.
 */
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors';
import { binaryOp, constant, input, reduce, scalar, unaryOp, where } from '../../src/expr/expr';
import { ops } from '../../src/expr/keras-ops';

const x = input('x');

describe('hash-consing', () => {
  it('builds the same operation on the same arguments once', () => {
    expect(binaryOp('mul', x, unaryOp('exp', x))).toBe(binaryOp('mul', x, unaryOp('exp', x)));
    expect(scalar('alpha')).toBe(scalar('alpha'));
    expect(input('x', 'row')).not.toBe(x);
  });

  it('puts the arguments of commutative ops in one order, constants first', () => {
    const e = unaryOp('exp', x);
    expect(binaryOp('add', x, e)).toBe(binaryOp('add', e, x));
    expect(binaryOp('mul', x, 3).args[0].value).toBe(3);
    expect(binaryOp('sub', x, e)).not.toBe(binaryOp('sub', e, x));
  });

  it('keeps -0 and 0 apart and NaN equal to itself', () => {
    expect(constant(-0)).not.toBe(constant(0));
    expect(constant(NaN)).toBe(constant(NaN));
  });
});

describe('folding and simplification', () => {
  it('folds constant arguments in float64', () => {
    expect(binaryOp('add', 0.1, 0.2).value).toBe(0.1 + 0.2);
    expect(unaryOp('erf', 0.5).value).toBeCloseTo(0.5204998778130465, 15);
    expect(where(1, x, 2)).toBe(x);
  });

  it('drops neutral elements and double negations', () => {
    const e = unaryOp('exp', x);
    expect(binaryOp('add', e, 0)).toBe(e);
    expect(binaryOp('mul', 1, e)).toBe(e);
    expect(binaryOp('mul', 0, e).value).toBe(0);
    expect(binaryOp('div', e, 1)).toBe(e);
    expect(unaryOp('neg', unaryOp('neg', e))).toBe(e);
    expect(binaryOp('sub', e, e).value).toBe(0);
  });

  it('turns a − (a − b) into b, so tanhshrink′ is tanh² exactly', () => {
    const t = unaryOp('tanh', x);
    const t2 = binaryOp('mul', t, t);
    expect(binaryOp('sub', 1, binaryOp('sub', 1, t2))).toBe(t2);
  });

  it('multiplies into a where with constant branches, so dy·[z > 0] is where(z > 0, dy, 0)', () => {
    const dy = input('dy');
    const gt = binaryOp('gt', x, 0);
    expect(binaryOp('mul', dy, gt)).toBe(where(gt, dy, 0));
    expect(binaryOp('mul', dy, where(gt, 2, 3))).toBe(where(gt, binaryOp('mul', 2, dy), binaryOp('mul', 3, dy)));
  });

  it('merges sums of wheres on the same condition', () => {
    const c = binaryOp('gt', x, 0);
    const e = unaryOp('exp', x);
    expect(binaryOp('add', c, where(c, 0, e))).toBe(where(c, 1, e));
  });

  it('writes small integer powers as products and ½ as a square root', () => {
    expect(binaryOp('pow', x, 2)).toBe(binaryOp('mul', x, x));
    expect(binaryOp('pow', x, 0.5)).toBe(unaryOp('sqrt', x));
    expect(binaryOp('pow', x, -1)).toBe(binaryOp('div', 1, x));
    expect(binaryOp('pow', x, 2.5).op).toBe('pow');
  });
});

describe('what cannot be traced', () => {
  it('a symbolic value used as a number or condition throws, naming ops.where', () => {
    expect(() => (x as unknown as number) + 1).toThrow(ValueError);
    expect(() => ((x as unknown as number) > 0 ? 1 : 0)).toThrow(/ops\.where\(ops\.greater\(x, 0\), a, b\)/);
    expect(() => `${x}`).toThrow(/data-dependent control flow cannot be traced/);
  });

  it('a reduction inside an elementwise expression throws', () => {
    const p = input('y_pred');
    expect(() => binaryOp('sub', p, reduce('mean', p))).toThrow(/reductions over the last axis .* as the last step only/);
  });

  it('a reduction of a reduction throws', () => {
    expect(() => reduce('sum', reduce('mean', x))).toThrow(/nested reduction/);
  });

  it('ops refuse tensors, other objects and axes other than the last', () => {
    expect(() => ops.add(x, {} as never)).toThrow(/Invalid argument y for ops\.add: expected a symbolic value/);
    expect(() => ops.sum(x, 0)).toThrow(/Invalid axis for ops\.sum: expected -1/);
    expect(() => ops.sum(x)).toThrow(/Invalid axis for ops\.sum/);
    expect(ops.mean(x).op).toBe('mean');
    expect(ops.mean(x, -1)).toBe(ops.mean(x, [-1]));
  });

  it('ops that are not elementwise throw, naming what to use instead', () => {
    expect(() => ops.matmul()).toThrow(/Invalid operation for ops\.matmul: .*\nhint: products of weights belong to a Dense layer/);
    expect(() => ops.softmax()).toThrow(/activation: 'softmax'/);
  });

  it('ops have camelCase aliases of Keras names', () => {
    expect(ops.greaterEqual).toBe(ops.greater_equal);
    expect(ops.logSigmoid(x)).toBe(ops.log_sigmoid(x));
  });
});

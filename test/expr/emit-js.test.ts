/**
 * The JavaScript target: the generated source computes exactly the op table's float64 meaning, the
 * CSP-safe closures compute exactly what the generated source computes, the float32 lowering of each
 * special function is accurate to a few float32 roundings, and scalar-only subexpressions are hoisted
 * into uniforms computed once in float64.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileElementFn, compileElementKernel, jsCompilation, jsProgram, setJsCompilation } from '../../src/expr/emit-js';
import { binaryOp, input, scalar, unaryOp, where, type Expr } from '../../src/expr/expr';
import { OPS, type BinaryOp, type UnaryOp } from '../../src/expr/op-table';
import { uniformValues } from '../../src/expr/program';
import { jsFunction } from './helpers';

const x = input('x');
const y = input('y');
const VALUES = [-80, -3, -1.5, -0.5, -1e-8, -0, 0, 1e-30, 0.25, 0.5, 1, 2.5, 7, 80, Infinity, -Infinity, NaN];
const UNARY = Object.entries(OPS).filter(([, info]) => info.arity === 1 && info.eval).map(([op]) => op as UnaryOp);
const BINARY = Object.entries(OPS).filter(([, info]) => info.arity === 2).map(([op]) => op as BinaryOp);

afterEach(() => setJsCompilation(null));

describe('generated JavaScript', () => {
  it.each(UNARY)('%s computes the op table’s float64 value', (op) => {
    const f = jsFunction(unaryOp(op, x), ['x']);
    for (const v of VALUES) expect(Object.is(f(v), OPS[op].eval!(v)) || (Number.isNaN(f(v)) && Number.isNaN(OPS[op].eval!(v))), `${op}(${v})`).toBe(true);
  });

  it.each(BINARY)('%s computes the op table’s float64 value', (op) => {
    const f = jsFunction(binaryOp(op, x, y), ['x', 'y']);
    for (const a of VALUES) for (const b of VALUES) expect(f(a, b), `${op}(${a}, ${b})`).toEqual(OPS[op].eval!(a, b));
  });

  it('where takes the first branch where the condition is not 0', () => {
    const f = jsFunction(where(x, y, 5), ['x', 'y']);
    expect([f(1, 2), f(0, 2), f(-0.5, 2), f(NaN, 2)]).toEqual([2, 5, 2, 2]);
  });
});

describe('the CSP-safe path', () => {
  const composite = (): Expr[] => [
    binaryOp('mul', x, unaryOp('tanh', unaryOp('softplus', x))),
    where(binaryOp('and', binaryOp('gt', x, 0), binaryOp('lt', y, 2)), unaryOp('erf', y), binaryOp('pow', y, x)),
    binaryOp('add', binaryOp('mul', scalar('a'), x), unaryOp('exp', scalar('a'))),
  ];

  it('computes exactly what the generated source computes, op by op and composed', () => {
    const exprs = [...UNARY.map((op) => unaryOp(op, x)), ...BINARY.map((op) => binaryOp(op, x, y)), ...composite()];
    for (const e of exprs) {
      setJsCompilation('function');
      const compiled = jsFunction(e, ['x', 'y'], { a: 0.7 });
      setJsCompilation('closure', () => {});
      const closure = jsFunction(e, ['x', 'y'], { a: 0.7 });
      for (const a of VALUES) for (const b of [-2, 0.5, 3]) expect(closure(a, b), `${e.op} at ${a}, ${b}`).toEqual(compiled(a, b));
    }
  });

  it('runs kernels over arrays, several outputs and inputs read before any output is written', () => {
    setJsCompilation('closure', () => {});
    const kernel = compileElementKernel([binaryOp('add', x, y), binaryOp('mul', x, y)], ['x', 'y']);
    const a = Float64Array.of(1, 2, 3);
    const b = Float64Array.of(4, 5, 6);
    kernel.run(3, [a, b], [a, b], []);
    expect([...a, ...b]).toEqual([5, 7, 9, 4, 10, 18]);
  });

  it('is chosen, and said once, when new Function throws', () => {
    const original = globalThis.Function;
    const notices: string[] = [];
    setJsCompilation(null, (m) => notices.push(m));
    globalThis.Function = function refused() {
      throw new EvalError('Refused to evaluate a string as JavaScript');
    } as unknown as FunctionConstructor;
    try {
      expect(jsCompilation()).toBe('closure');
      compileElementFn([unaryOp('exp', x)], ['x']);
      expect(jsCompilation()).toBe('closure');
    } finally {
      globalThis.Function = original;
    }
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/Content-Security-Policy forbids 'unsafe-eval'/);
  });
});

describe('float32 lowering of the special functions (float32 simulation)', () => {
  /**
   * Each lowered function in the float32 simulation against its float64 value, relative error at most
   * 5e-7 (about 4 float32 roundings) over 20,001 points of [−30, 30] (log and log1p: of e^[−30, 30]).
   * Measured worst: erfc 3.6e-7 (at 8.06), erf 2.1e-7, softplus and log-sigmoid 2.0e-7, log 1.8e-7,
   * sigmoid, sinh, log1p, tanh 1.6e-7, expm1 and cosh 1.1e-7.
   */
  const SPECIAL: UnaryOp[] = ['expm1', 'log1p', 'log', 'tanh', 'sigmoid', 'softplus', 'log_sigmoid', 'erf', 'erfc', 'sinh', 'cosh'];
  it.each(SPECIAL)('%s is within 5e-7 relative of float64', (op) => {
    const f32 = jsFunction(unaryOp(op, x), ['x'], {}, true);
    for (let i = 0; i <= 20000; i++) {
      let v = -30 + (60 * i) / 20000;
      if (op === 'log') v = Math.exp(v);
      if (op === 'log1p') v = Math.exp(v) - 1 + 1e-7;
      v = Math.fround(v);
      const want = OPS[op].eval!(v);
      if (Math.abs(want) < 1e-37 || !Number.isFinite(want)) continue; // below float32's normal range
      expect(Math.abs(f32(v) - want), `${op}(${v})`).toBeLessThanOrEqual(5e-7 * Math.abs(want));
    }
  });

  it('keeps the limits: sigmoid and softplus at ±1000, tanh at ±20', () => {
    const at = (op: UnaryOp, v: number) => jsFunction(unaryOp(op, x), ['x'], {}, true)(v);
    expect([at('sigmoid', -1000), at('sigmoid', 1000), at('softplus', 1000), at('softplus', -1000)]).toEqual([0, 1, 1000, 0]);
    expect([at('tanh', 20), at('tanh', -20), at('log_sigmoid', -1000)]).toEqual([1, -1, -1000]);
  });

  it('pow gives Math.pow’s results for negative bases and zeros', () => {
    const f = jsFunction(binaryOp('pow', x, y), ['x', 'y'], {}, true);
    const cases: [number, number][] = [[-2, 3], [-2, 2], [-2, 0.5], [0, 2], [0, -1], [0, 0], [3, 0], [2, -1.5], [-0.5, -3]];
    for (const [a, b] of cases) {
      const want = Math.pow(a, b);
      if (Number.isNaN(want) || !Number.isFinite(want)) expect(f(a, b), `${a}^${b}`).toBe(want);
      else expect(f(a, b), `${a}^${b}`).toBeCloseTo(want, 6);
    }
  });
});

describe('uniforms', () => {
  it('hoists a scalar-only subexpression and computes it on the host in float64', () => {
    const [lr, b1, b2, t] = ['lr', 'b1', 'b2', 't'].map((n) => scalar(n));
    const alpha = binaryOp('div', binaryOp('mul', lr, unaryOp('sqrt', binaryOp('sub', 1, binaryOp('pow', b2, t)))), binaryOp('sub', 1, binaryOp('pow', b1, t)));
    const e = binaryOp('mul', alpha, x);
    const program = jsProgram([e]);
    expect(program.uniforms).toEqual([alpha]);
    const values = { lr: 0.001, b1: 0.9, b2: 0.999, t: 3 };
    const [u] = uniformValues(program, values, new Float64Array(1), false);
    expect(u).toBe((0.001 * Math.sqrt(1 - 0.999 ** 3)) / (1 - 0.9 ** 3));
  });

  it('rounds uniforms to float32 when the computation is in float32', () => {
    const program = jsProgram([binaryOp('mul', scalar('a'), x)]);
    expect(uniformValues(program, { a: 0.1 }, new Float64Array(1), true)[0]).toBe(Math.fround(0.1));
  });
});

/** Saved expressions: a round trip gives back the same (interned) nodes; hostile JSON gets the library's errors. */
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors';
import { binaryOp, input, scalar, unaryOp, where } from '../../src/expr/expr';
import { formatExpr } from '../../src/expr/format';
import { expressionsFromJSON, expressionsToJSON } from '../../src/expr/serialize';

const x = input('x');
const mish = binaryOp('mul', x, unaryOp('tanh', unaryOp('softplus', x)));

describe('expressions as JSON', () => {
  it('round-trip to the same nodes, through JSON text', () => {
    const e = where(binaryOp('gt', x, scalar('t')), mish, Infinity);
    const text = JSON.stringify(expressionsToJSON([e, mish]));
    expect(expressionsFromJSON(JSON.parse(text), 'test')).toEqual([e, mish]);
    expect(expressionsFromJSON(JSON.parse(text), 'test')[0]).toBe(e);
  });

  it('write each shared node once', () => {
    const json = expressionsToJSON([binaryOp('mul', mish, mish)]);
    expect(json.nodes.filter((n) => n[0] === 'softplus')).toHaveLength(1);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', 42, /expected an object/],
    ['another format', { format: 'x', version: 1, nodes: [], outputs: [] }, /expression format/],
    ['an unknown op', { format: 'webgpu-keras-expression', version: 1, nodes: [['input', 'x'], ['eval', 0]], outputs: [1] }, /expression node 1/],
    ['a forward reference', { format: 'webgpu-keras-expression', version: 1, nodes: [['neg', 0]], outputs: [0] }, /indices of earlier nodes/],
    ['a wrong arity', { format: 'webgpu-keras-expression', version: 1, nodes: [['input', 'x'], ['add', 0]], outputs: [1] }, /2 indices/],
    ['a bad name', { format: 'webgpu-keras-expression', version: 1, nodes: [['input', 'x; drop']], outputs: [0] }, /a name of letters/],
    ['a string constant', { format: 'webgpu-keras-expression', version: 1, nodes: [['const', '1e9999']], outputs: [0] }, /a finite number/],
    ['too many nodes', { format: 'webgpu-keras-expression', version: 1, nodes: Array.from({ length: 20001 }, () => ['const', 1]), outputs: [0] }, /1 to 20000 nodes/],
    ['a bad output', { format: 'webgpu-keras-expression', version: 1, nodes: [['const', 1]], outputs: [3] }, /expression outputs/],
    ['a nested reduction', { format: 'webgpu-keras-expression', version: 1, nodes: [['input', 'x'], ['sum', 0], ['sum', 1]], outputs: [2] }, /nested reduction/],
  ];
  it.each(bad)('refuse %s with a ValueError', (_, json, message) => {
    expect(() => expressionsFromJSON(json, 'loadModel')).toThrow(ValueError);
    expect(() => expressionsFromJSON(json, 'loadModel')).toThrow(message);
  });
});

describe('readable formulas', () => {
  it('print with the usual precedence and brackets only where needed', () => {
    expect(formatExpr(mish)).toBe('x * tanh(softplus(x))');
    expect(formatExpr(binaryOp('sub', x, binaryOp('sub', scalar('a'), x)))).toBe('x - (a - x)');
    expect(formatExpr(binaryOp('div', unaryOp('neg', x), binaryOp('mul', 2, x)))).toBe('-x / (2 * x)');
    expect(formatExpr(binaryOp('pow', x, 2.5))).toBe('x ^ 2.5');
    expect(formatExpr(where(binaryOp('gt', x, 0), x, binaryOp('mul', 0.7071067811865476, x)))).toBe('where(x > 0, x, 0.7071068 * x)');
  });

  it('name a long shared subexpression once', () => {
    const long = unaryOp('tanh', unaryOp('softplus', binaryOp('mul', scalar('beta'), unaryOp('exp', x))));
    expect(formatExpr(binaryOp('mul', long, long))).toBe('t1 * t1, where t1 = tanh(softplus(beta * exp(x)))');
  });
});

/**
 * The expression language's nodes: scalar expressions over named per-element inputs, constants and
 * run-time scalars (uniforms on the GPU: the learning rate, the step count, an activation's parameters),
 * with reductions over the last axis as the one non-elementwise step (only at the top of a loss or metric).
 *
 * Nodes are hash-consed: building the same operation on the same arguments twice returns the same object,
 * so common subexpressions are shared by construction and an expression is a DAG. The builders fold
 * constants and apply a few simplifications (x + 0, x · 1, x + x = 2x, where(c, a, a); and a − (a − b) = b,
 * a + (b − a) = b, which are more accurate than what they replace) that also keep derivatives short. A node is the symbolic value users' traced functions see: using one as a number
 * or in a JavaScript condition throws, naming `ops.where` and the ops as the way to write it.
 */
import { invalid } from '../errors';
import { OPS, REDUCE_OPS, type BinaryOp, type Op, type ReduceOp, type UnaryOp } from './op-table';

let nextId = 0;
const interned = new Map<string, Expr>();

/** Where a value lives: per element, per row (a reduction's result), or uniform (scalars and constants only). */
export type Level = 'element' | 'row' | 'uniform';

export class Expr {
  readonly id = nextId++;
  /** Depends on a per-element input outside any reduction. */
  readonly elementwise: boolean;
  /** Depends on a reduction (or a per-row input). */
  readonly perRow: boolean;

  /** @internal Made by the builders below only. */
  constructor(
    readonly op: Op,
    readonly args: readonly Expr[],
    /** Constant value (`const`). */
    readonly value: number,
    /** Input or scalar name. */
    readonly name: string,
    /** Inputs: 'element' or 'row'. */
    inputLevel: 'element' | 'row' | null,
  ) {
    if (op === 'input') {
      this.elementwise = inputLevel === 'element';
      this.perRow = inputLevel === 'row';
    } else if (REDUCE_OPS.has(op)) {
      this.elementwise = false;
      this.perRow = true;
    } else {
      this.elementwise = args.some((a) => a.elementwise);
      this.perRow = args.some((a) => a.perRow);
    }
  }

  get level(): Level {
    return this.elementwise ? 'element' : this.perRow ? 'row' : 'uniform';
  }

  /** True for a `const` node (optionally of this value). */
  isConst(value?: number): boolean {
    return this.op === 'const' && (value === undefined || Object.is(this.value, value));
  }

  /** Symbolic values have no number: tracing cannot follow JavaScript operators or `if`. */
  [Symbol.toPrimitive](): never {
    return invalid({
      what: 'use of a symbolic value',
      where: 'a traced function',
      expected: 'keras.ops calls only: the function is traced once into an expression, not run on numbers',
      received: 'the value used as a number, string or condition (a JavaScript operator, comparison, template or `if`)',
      hint:
        'write arithmetic with ops.add, ops.subtract, ops.multiply, ops.divide, ops.power, and conditions with ' +
        'ops.where(ops.greater(x, 0), a, b) instead of if/?: (data-dependent control flow cannot be traced).',
    });
  }

  toJSON(): string {
    return `Expr#${this.id}`;
  }
}

function intern(op: Op, args: readonly Expr[], value = 0, name = '', inputLevel: 'element' | 'row' | null = null): Expr {
  const key =
    op === 'const' ? `c:${Object.is(value, -0) ? '-0' : String(value)}` : op === 'input' ? `i:${inputLevel}:${name}` : op === 'scalar' ? `s:${name}` : `${op}(${args.map((a) => a.id).join(',')})`;
  let node = interned.get(key);
  if (!node) {
    node = new Expr(op, args, value, name, inputLevel);
    interned.set(key, node);
  }
  return node;
}

// ---- leaves --------------------------------------------------------------------------------------------------

/** A constant. */
export const constant = (value: number): Expr => intern('const', [], value);
/** A named per-element input (`x`, `y_pred`, `gradient`, …), or a per-row one with `level: 'row'`. */
export const input = (name: string, level: 'element' | 'row' = 'element'): Expr => intern('input', [], 0, name, level);
/** A named run-time scalar: a uniform on the GPU, so changing its value never recompiles anything. */
export const scalar = (name: string): Expr => intern('scalar', [], 0, name);

/** A number or a node, as the builders accept them. */
export type ExprLike = Expr | number;
export const lift = (v: ExprLike): Expr => (typeof v === 'number' ? constant(v) : v);

const ZERO = () => constant(0);
const ONE = () => constant(1);

// ---- builders ------------------------------------------------------------------------------------------------

function checkArgs(op: Op, args: Expr[]): void {
  const row = args.some((a) => a.perRow);
  const element = args.some((a) => a.elementwise);
  if (row && element) {
    invalid({
      what: `use of a reduction in ${op}`,
      where: 'a traced function',
      expected: 'reductions over the last axis (ops.mean, ops.sum, ops.max with axis -1) as the last step only, combined with per-row values',
      received: 'a per-row reduction combined with a per-element value',
      hint: 'a loss or metric computes an elementwise expression, reduces it over the last axis, and may combine such reductions; normalising by a row statistic is only available through the built-in cross-entropies.',
    });
  }
}

/** `op(a)`, folded when `a` is constant. */
export function unaryOp(op: UnaryOp, a: ExprLike): Expr {
  const x = lift(a);
  if (x.isConst() && op !== 'stop_gradient') return constant(OPS[op].eval!(x.value));
  switch (op) {
    case 'neg':
      if (x.op === 'neg') return x.args[0];
      if (x.op === 'sub') return intern('sub', [x.args[1], x.args[0]]);
      break;
    case 'abs':
      if (x.op === 'abs') return x;
      if (x.op === 'neg') return unaryOp('abs', x.args[0]);
      break;
    case 'stop_gradient':
      if (x.isConst() || !x.elementwise) return x;
      break;
  }
  return intern(op, [x]);
}

/** `op(a, b)`, folded and simplified. */
export function binaryOp(op: BinaryOp, a: ExprLike, b: ExprLike): Expr {
  let x = lift(a);
  let y = lift(b);
  checkArgs(op, [x, y]);
  if (x.isConst() && y.isConst()) return constant(OPS[op].eval!(x.value, y.value));
  if (OPS[op].commutative && (y.isConst() || (!x.isConst() && y.id < x.id))) [x, y] = [y, x];
  const simplified = simplify(op, x, y);
  return simplified ?? intern(op, [x, y]);
}

/** Exact rewrites (or, for a − (a − b), strictly more accurate ones); null when none applies. */
function simplify(op: BinaryOp, x: Expr, y: Expr): Expr | null {
  switch (op) {
    case 'add':
      if (x.isConst(0)) return y;
      if (y.op === 'neg') return binaryOp('sub', x, y.args[0]);
      if (x.op === 'neg') return binaryOp('sub', y, x.args[0]);
      if (x === y) return binaryOp('mul', 2, x); // exact
      if (y.op === 'sub' && y.args[1] === x) return y.args[0]; // a + (b − a) = b
      if (x.op === 'sub' && x.args[1] === y) return x.args[0];
      return mergeWhere('add', x, y);
    case 'sub':
      if (y.isConst(0)) return x;
      if (x.isConst(0)) return unaryOp('neg', y);
      if (x === y) return ZERO();
      if (y.op === 'sub' && y.args[0] === x) return y.args[1]; // a − (a − b) = b
      if (y.op === 'neg') return binaryOp('add', x, y.args[0]);
      return mergeWhere('sub', x, y);
    case 'mul':
      // x is the constant, if either is (canonical order above).
      if (x.isConst(1)) return y;
      if (x.isConst(0)) return ZERO();
      if (x.isConst(-1)) return unaryOp('neg', y);
      if (x.isConst() && y.op === 'mul' && y.args[0].isConst()) return binaryOp('mul', x.value * y.args[0].value, y.args[1]);
      if (x.isConst() && y.op === 'neg') return binaryOp('mul', -x.value, y.args[0]);
      if (x.op === 'neg' && y.op === 'neg') return binaryOp('mul', x.args[0], y.args[0]);
      // a · [p] = where(p, a, 0), and a product moves into a where with a constant branch, where it costs
      // nothing: dy · [z > 0] → where(z > 0, dy, 0); where(p, 0, α) · e^z → where(p, 0, α · e^z).
      if (OPS[y.op].boolean && !OPS[x.op].boolean) return where(y, x, 0);
      if (OPS[x.op].boolean && !OPS[y.op].boolean) return where(x, y, 0);
      if (distributes(y)) return where(y.args[0], binaryOp('mul', x, y.args[1]), binaryOp('mul', x, y.args[2]));
      if (distributes(x)) return where(x.args[0], binaryOp('mul', y, x.args[1]), binaryOp('mul', y, x.args[2]));
      return null;
    case 'div':
      if (y.isConst(1)) return x;
      if (x.isConst(0)) return ZERO();
      if (y.isConst(-1)) return unaryOp('neg', x);
      return null;
    case 'pow':
      if (y.isConst()) return powConst(x, y.value);
      return null;
    case 'minimum':
    case 'maximum':
      return x === y ? x : null;
    case 'and':
      if (x.isConst()) return x.value === 0 ? ZERO() : truthy(y);
      return x === y ? truthy(x) : null;
    case 'or':
      if (x.isConst()) return x.value !== 0 ? ONE() : truthy(y);
      return x === y ? truthy(x) : null;
    default:
      return null;
  }
}

/** A where whose branches are both constants, or one of them 0: multiplying into it adds no work. */
function distributes(w: Expr): boolean {
  if (w.op !== 'where') return false;
  const [, a, b] = w.args;
  return (a.isConst() && b.isConst()) || a.isConst(0) || b.isConst(0);
}

/** where(p, a, b) ± where(p, c, d) = where(p, a ± c, b ± d), and [p] as where(p, 1, 0): adjoints stay one where. */
function mergeWhere(op: 'add' | 'sub', x: Expr, y: Expr): Expr | null {
  const asWhere = (v: Expr, cond: Expr) => (v.op === 'where' && v.args[0] === cond ? v.args : v === cond && OPS[cond.op].boolean ? [cond, constant(1), constant(0)] : null);
  const cond = x.op === 'where' ? x.args[0] : y.op === 'where' ? y.args[0] : null;
  if (!cond) return null;
  const [xw, yw] = [asWhere(x, cond), asWhere(y, cond)];
  if (!xw || !yw) return null;
  return where(cond, binaryOp(op, xw[1], yw[1]), binaryOp(op, xw[2], yw[2]));
}

/** `v` as 0/1. */
function truthy(v: Expr): Expr {
  return OPS[v.op].boolean ? v : binaryOp('ne', v, 0);
}

/** x^p for a constant p: small integer powers become products (exact for negative x too). */
function powConst(x: Expr, p: number): Expr | null {
  if (p === 1) return x;
  if (p === 0) return ONE();
  if (p === 0.5) return unaryOp('sqrt', x);
  if (p === -0.5) return unaryOp('rsqrt', x);
  if (Number.isInteger(p) && Math.abs(p) <= 4) {
    let r = x;
    for (let i = 1; i < Math.abs(p); i++) r = intern('mul', [r, x].sort((m, n) => m.id - n.id));
    return p > 0 ? r : binaryOp('div', 1, r);
  }
  return null;
}

/** `where(c, a, b)`: `a` where `c` is not 0, else `b`. */
export function where(c: ExprLike, a: ExprLike, b: ExprLike): Expr {
  const cond = lift(c);
  const x = lift(a);
  const y = lift(b);
  checkArgs('where', [cond, x, y]);
  if (cond.isConst()) return cond.value !== 0 ? x : y;
  if (x === y) return x;
  if (cond.op === 'not') return where(cond.args[0], y, x);
  if (x.isConst(1) && y.isConst(0) && OPS[cond.op].boolean) return cond;
  return intern('where', [cond, x, y]);
}

/** A reduction over the last axis: one value per row. Its argument must be elementwise. */
export function reduce(op: ReduceOp, a: ExprLike): Expr {
  const x = lift(a);
  if (x.perRow) {
    invalid({
      what: `nested reduction (ops.${op === 'argmax' ? 'argmax' : op})`,
      where: 'a traced function',
      expected: 'at most one reduction over the last axis on the way from an input to the result',
      received: 'a reduction of a value that is already reduced',
    });
  }
  return intern(op, [x]);
}

/** `op` applied to `args` through its builder (folded, simplified, interned); not for leaves. */
export function apply(op: Op, args: readonly Expr[]): Expr {
  if (op === 'where') return where(args[0], args[1], args[2]);
  if (REDUCE_OPS.has(op)) return reduce(op as ReduceOp, args[0]);
  if (OPS[op].arity === 1) return unaryOp(op as UnaryOp, args[0]);
  if (OPS[op].arity === 2) return binaryOp(op as BinaryOp, args[0], args[1]);
  throw new Error(`webgpu-keras bug: apply() of the leaf op '${op}'.`);
}

/** @internal Rebuild `node` with new arguments (through the builders, so the result is folded and interned). */
export function rebuild(node: Expr, args: readonly Expr[]): Expr {
  if (args.every((a, i) => a === node.args[i])) return node;
  return apply(node.op, args);
}

/** Nodes reachable from `roots`, every argument before its user (iterative: deep expressions are fine). */
export function topoOrder(roots: readonly Expr[], stopAt?: (node: Expr) => boolean): Expr[] {
  const order: Expr[] = [];
  const seen = new Set<Expr>();
  const stack: [Expr, number][] = [];
  for (const root of roots) {
    if (seen.has(root)) continue;
    seen.add(root);
    stack.push([root, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      const args = stopAt?.(node) ? [] : node.args;
      if (i < args.length) {
        top[1]++;
        const child = args[i];
        if (!seen.has(child)) {
          seen.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order;
}

/** Replace nodes throughout `roots` (memoised over the DAG). */
export function substitute(roots: readonly Expr[], replace: (node: Expr) => Expr | undefined): Expr[] {
  const done = new Map<Expr, Expr>();
  for (const node of topoOrder(roots)) {
    const r = replace(node);
    done.set(node, r ?? rebuild(node, node.args.map((a) => done.get(a)!)));
  }
  return roots.map((r) => done.get(r)!);
}

/** Names of the inputs (or scalars) an expression reads. */
export function namesOf(roots: readonly Expr[], op: 'input' | 'scalar'): string[] {
  return [...new Set(topoOrder(roots).filter((n) => n.op === op).map((n) => n.name))];
}

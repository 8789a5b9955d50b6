/**
 * Reverse-mode differentiation of expressions, returning expressions. One rule per operation (RULES):
 * given a node and the adjoint `g` flowing into it, the contribution to each argument's adjoint. Adjoints
 * are summed through the builders (equal terms counted once, with their multiplicity), so shared
 * subexpressions stay shared and the results fold.
 *
 * Conventions at kinks (they decide built-in activations' derivatives at their break points):
 * - `maximum`/`minimum` pass the gradient to the strictly larger (smaller) argument; a tie passes none
 *   (relu'(0) = 0, and clip(x, lo, hi)' is 0 at lo and hi, as PyTorch's hardtanh);
 * - `where(c, a, b)` sends the gradient down the branch taken, so the strictness of a comparison picks the
 *   side a kink belongs to;
 * - `abs'(0) = sign(0) = 0`; `sign`, `floor`, `ceil`, `round`, comparisons and logical ops have derivative 0;
 *   `stop_gradient` blocks it.
 */
import { invalid } from '../errors';
import { binaryOp, constant, topoOrder, unaryOp, where, type Expr } from './expr';
import { REDUCE_OPS, type Op } from './op-table';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

type Rule = (node: Expr, g: Expr) => Expr[];
const mul = (a: Expr | number, b: Expr | number) => binaryOp('mul', a, b);
const div = (a: Expr | number, b: Expr | number) => binaryOp('div', a, b);
const none: Rule = () => [];

/** d(op(args))/d(args) applied to the adjoint g: the contribution to each argument, in order. */
const RULES: Readonly<Record<Op, Rule | null>> = {
  input: null,
  scalar: null,
  const: null,
  neg: (_, g) => [unaryOp('neg', g)],
  abs: (n, g) => [mul(g, unaryOp('sign', n.args[0]))],
  sign: none,
  exp: (n, g) => [mul(g, n)],
  expm1: (n, g) => [mul(g, unaryOp('exp', n.args[0]))],
  log: (n, g) => [div(g, n.args[0])],
  raw_log: (n, g) => [div(g, n.args[0])],
  log1p: (n, g) => [div(g, binaryOp('add', 1, n.args[0]))],
  sqrt: (n, g) => [div(mul(0.5, g), n)],
  rsqrt: (n, g) => [mul(mul(-0.5, g), div(n, n.args[0]))],
  tanh: (n, g) => [mul(g, binaryOp('sub', 1, mul(n, n)))],
  sigmoid: (n, g) => [mul(g, mul(n, binaryOp('sub', 1, n)))],
  softplus: (n, g) => [mul(g, unaryOp('sigmoid', n.args[0]))],
  log_sigmoid: (n, g) => [mul(g, unaryOp('sigmoid', unaryOp('neg', n.args[0])))],
  erf: (n, g) => [mul(mul(TWO_OVER_SQRT_PI, g), unaryOp('exp', unaryOp('neg', mul(n.args[0], n.args[0]))))],
  erfc: (n, g) => [mul(mul(-TWO_OVER_SQRT_PI, g), unaryOp('exp', unaryOp('neg', mul(n.args[0], n.args[0]))))],
  floor: none,
  ceil: none,
  round: none,
  sin: (n, g) => [mul(g, unaryOp('cos', n.args[0]))],
  cos: (n, g) => [unaryOp('neg', mul(g, unaryOp('sin', n.args[0])))],
  tan: (n, g) => [mul(g, binaryOp('add', 1, mul(n, n)))],
  sinh: (n, g) => [mul(g, unaryOp('cosh', n.args[0]))],
  cosh: (n, g) => [mul(g, unaryOp('sinh', n.args[0]))],
  atan: (n, g) => [div(g, binaryOp('add', 1, mul(n.args[0], n.args[0])))],
  not: none,
  stop_gradient: none,
  add: (_, g) => [g, g],
  sub: (_, g) => [g, unaryOp('neg', g)],
  mul: (n, g) => [mul(g, n.args[1]), mul(g, n.args[0])],
  div: (n, g) => [div(g, n.args[1]), unaryOp('neg', div(mul(g, n), n.args[1]))],
  pow: powRule,
  raw_pow: powRule,
  minimum: (n, g) => [where(binaryOp('lt', n.args[0], n.args[1]), g, 0), where(binaryOp('lt', n.args[1], n.args[0]), g, 0)],
  maximum: (n, g) => [where(binaryOp('gt', n.args[0], n.args[1]), g, 0), where(binaryOp('gt', n.args[1], n.args[0]), g, 0)],
  gt: none,
  ge: none,
  lt: none,
  le: none,
  eq: none,
  ne: none,
  and: none,
  or: none,
  where: (n, g) => [constant(0), where(n.args[0], g, 0), where(n.args[0], 0, g)],
  sum: null,
  mean: null,
  max: null,
  argmax: null,
};

/** d a^b = b·a^(b−1) da + a^b·log(a) db; the second term only when b varies (log of a negative a is NaN). */
function powRule(n: Expr, g: Expr): Expr[] {
  const [a, b] = n.args;
  const base = mul(g, mul(b, binaryOp('pow', a, binaryOp('sub', b, 1))));
  return b.isConst() ? [base] : [base, mul(g, mul(n, unaryOp('log', a)))];
}

/**
 * Gradients of `output` with respect to each of `wrt` (inputs, or any nodes to treat as independent
 * variables, e.g. the reductions of a loss), seeded with `seed` (default 1). A reduction on the way that
 * is not in `wrt` is an error: reductions are differentiated by the backends' row skeletons.
 */
export function gradient(output: Expr, wrt: readonly Expr[], seed: Expr = constant(1)): Expr[] {
  const targets = new Set(wrt);
  const order = topoOrder([output], (node) => targets.has(node));
  const depends = new Set<Expr>();
  for (const node of order) if (targets.has(node) || node.args.some((a) => depends.has(a))) depends.add(node);
  // Contributions are collected per node and summed once, equal terms counted (a + a = 2a): the product
  // rule of x·x·x gives x·x·g from each factor, which become one term.
  const contributions = new Map<Expr, Expr[]>([[output, [seed]]]);
  const adjoint = new Map<Expr, Expr>();
  const total = (node: Expr): Expr | undefined => {
    if (adjoint.has(node)) return adjoint.get(node);
    const terms = contributions.get(node);
    if (!terms) return undefined;
    const counts = new Map<Expr, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    let sum: Expr | null = null;
    for (const [t, n] of counts) {
      const term = n === 1 ? t : binaryOp('mul', n, t);
      sum = sum ? binaryOp('add', sum, term) : term;
    }
    adjoint.set(node, sum!);
    return sum!;
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (targets.has(node) || !depends.has(node)) continue;
    const g = total(node);
    if (!g) continue;
    if (REDUCE_OPS.has(node.op)) {
      invalid({ what: 'derivative', where: `ops.${node.op}`, expected: 'reductions only at the top of a loss or metric', received: 'a reduction inside the expression being differentiated' });
    }
    RULES[node.op]!(node, g).forEach((c, k) => {
      const arg = node.args[k];
      if (!depends.has(arg) || c.isConst(0)) return;
      const list = contributions.get(arg);
      if (list) list.push(c);
      else contributions.set(arg, [c]);
    });
  }
  return wrt.map((w) => total(w) ?? constant(0));
}

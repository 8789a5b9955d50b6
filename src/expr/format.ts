/**
 * Expressions as readable formulas (`keras.activations.describe`): infix arithmetic with the usual
 * precedence, function names as in `keras.ops`, constants to 7 significant digits. A long subexpression
 * used more than once is printed once, as `t1`, and listed after the formula ("…, where t1 = …").
 */
import { topoOrder, type Expr } from './expr';
import { OPS } from './op-table';

const NAMES: Partial<Record<string, string>> = {
  neg: '-', minimum: 'min', maximum: 'max', raw_log: 'log', raw_pow: 'pow', log_sigmoid: 'log_sigmoid', not: '!',
};

/** A number as a short literal. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return String(Number(v.toPrecision(7)));
}

/** `e` as a formula; `long` is the length above which a shared subexpression gets a name. */
export function formatExpr(e: Expr, long = 24): string {
  const uses = new Map<Expr, number>();
  for (const n of topoOrder([e])) for (const a of n.args) uses.set(a, (uses.get(a) ?? 0) + 1);
  const text = new Map<Expr, { s: string; p: number }>();
  const bindings: string[] = [];
  for (const n of topoOrder([e])) {
    let t = render(n, (a) => text.get(a)!);
    if (n !== e && (uses.get(n) ?? 0) > 1 && t.s.length > long) {
      const name = `t${bindings.length + 1}`;
      bindings.push(`${name} = ${t.s}`);
      t = { s: name, p: 9 };
    }
    text.set(n, t);
  }
  const main = text.get(e)!.s;
  return bindings.length ? `${main}, where ${bindings.join(', ')}` : main;
}

function render(n: Expr, arg: (a: Expr) => { s: string; p: number }): { s: string; p: number } {
  if (n.op === 'const') return { s: formatNumber(n.value), p: n.value < 0 ? 6 : 9 };
  if (n.op === 'input' || n.op === 'scalar') return { s: n.name, p: 9 };
  const info = OPS[n.op];
  const wrap = (a: Expr, min: number) => {
    const t = arg(a);
    return t.p < min ? `(${t.s})` : t.s;
  };
  if (n.op === 'neg' || n.op === 'not') return { s: `${NAMES[n.op]}${wrap(n.args[0], 7)}`, p: 6 };
  if (info.infix) {
    const { symbol, precedence } = info.infix;
    // Left-associative: the right operand of − and / needs brackets at equal precedence; ^ the reverse.
    const leftMin = n.op === 'pow' ? precedence + 1 : precedence;
    const rightMin = n.op === 'sub' || n.op === 'div' ? precedence + 1 : n.op === 'pow' ? precedence : precedence;
    return { s: `${wrap(n.args[0], leftMin)} ${symbol} ${wrap(n.args[1], rightMin)}`, p: precedence };
  }
  const name = NAMES[n.op] ?? n.op;
  return { s: `${name}(${n.args.map((a) => arg(a).s).join(', ')})`, p: 9 };
}

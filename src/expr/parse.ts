/**
 * Formulas as text, in `keras.ops` terms (`x * tanh(softplus(x))`, `where(greater(x, 0), x, 0.1 * x)`),
 * parsed into an expression without evaluating any JavaScript: a learner's formula on a web page is data.
 * Grammar: numbers, the variables given, `pi` and `e`, `+ - * / ^` (`**` too) with the usual precedence
 * and unary minus, brackets, and calls of `keras.ops` functions by name (`ops.` prefix optional).
 */
import { ValueError } from '../errors';
import { Expr, binaryOp, constant, input, unaryOp } from './expr';
import { ops } from './keras-ops';

/** Longest formula accepted, and deepest nesting: bounds on what a text can make the parser do. */
const MAX_LENGTH = 1000;
const MAX_DEPTH = 64;
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
/** Not formulas: reductions and the ops that only say what to use instead. */
const EXCLUDED = new Set(['sum', 'mean', 'max', 'min', 'argmax', 'matmul', 'dot', 'softmax', 'log_softmax', 'logSoftmax', 'reshape', 'transpose', 'concatenate', 'cumsum', 'cast']);

type Token = { kind: 'number' | 'name' | 'op'; text: string; at: number };

function tokenize(text: string, fail: (message: string, at: number) => never): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)|(\*\*|[-+*/^(),]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) fail(`a number, a name, an operator (+ - * / ^) or a bracket`, at + (text.slice(at).length - text.slice(at).trimStart().length));
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? m[3]).length;
    tokens.push({ kind: m[1] ? 'number' : m[2] ? 'name' : 'op', text: m[1] ?? m[2] ?? m[3], at: start });
    at = re.lastIndex;
  }
  return tokens;
}

/**
 * Parse `text` into an expression over the named `variables` (default `['x']`).
 * @throws ValueError naming the position and what was expected, for anything else.
 */
export function parseFormula(text: string, variables: readonly string[] = ['x'], where = 'parseFormula'): Expr {
  const fail = (expected: string, at: number): never => {
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    throw new ValueError(`Invalid formula for ${where}: expected ${expected} at column ${at + 1}. Received: '${shown}'.`);
  };
  if (typeof text !== 'string' || text.trim() === '') fail('a formula such as x * tanh(softplus(x))', 0);
  if (text.length > MAX_LENGTH) fail(`at most ${MAX_LENGTH} characters`, MAX_LENGTH);
  const tokens = tokenize(text, fail);
  let i = 0;
  let depth = 0;
  const peek = () => tokens[i];
  const at = () => (tokens[i] ? tokens[i].at : text.length);
  const accept = (t: string) => (peek()?.kind === 'op' && peek().text === t ? (i++, true) : false);
  const expect = (t: string) => accept(t) || fail(`'${t}'`, at());
  const nest = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) fail(`at most ${MAX_DEPTH} levels of nesting`, at());
    try {
      return f();
    } finally {
      depth--;
    }
  };

  const sum = (): Expr => nest(() => {
    let left = product();
    for (;;) {
      if (accept('+')) left = binaryOp('add', left, product());
      else if (accept('-')) left = binaryOp('sub', left, product());
      else return left;
    }
  });
  const product = (): Expr => {
    let left = unary();
    for (;;) {
      if (accept('*')) left = binaryOp('mul', left, unary());
      else if (accept('/')) left = binaryOp('div', left, unary());
      else return left;
    }
  };
  const unary = (): Expr => nest(() => (accept('-') ? unaryOp('neg', unary()) : accept('+') ? unary() : power()));
  const power = (): Expr => {
    const base = primary();
    return accept('^') || accept('**') ? binaryOp('pow', base, unary()) : base;
  };
  const primary = (): Expr => {
    const t = peek();
    if (!t) return fail('a number, a name or a bracket', text.length);
    if (t.kind === 'number') {
      i++;
      return constant(Number(t.text));
    }
    if (accept('(')) {
      const e = sum();
      expect(')');
      return e;
    }
    if (t.kind !== 'name') return fail('a number, a name or a bracket', t.at);
    i++;
    const name = t.text.startsWith('ops.') ? t.text.slice(4) : t.text;
    if (!accept('(')) {
      if (variables.includes(name)) return input(name);
      if (Object.hasOwn(CONSTANTS, name)) return constant(CONSTANTS[name]);
      return fail(`${variables.map((v) => `'${v}'`).join(', ')}, pi, e or a call such as tanh(x)`, t.at);
    }
    const fn = Object.hasOwn(ops, name) && !EXCLUDED.has(name) ? (ops as unknown as Record<string, (...a: Expr[]) => Expr>)[name] : undefined;
    if (!fn) return fail(`an elementwise keras.ops function (${['tanh', 'sigmoid', 'softplus', 'exp', 'log', 'where', 'greater', 'maximum', '…'].join(', ')})`, t.at);
    const args: Expr[] = [];
    if (!accept(')')) {
      do args.push(sum());
      while (accept(','));
      expect(')');
    }
    return fn(...args);
  };

  const result = sum();
  if (i < tokens.length) fail('an operator or the end of the formula', at());
  return result;
}

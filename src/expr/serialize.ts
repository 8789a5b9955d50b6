/**
 * Expressions as JSON (saved models with `includeExpressions`): a list of nodes, each `[op, …]` with
 * arguments as indices of earlier nodes, so a saved expression is a DAG that cannot contain a cycle.
 *
 *   { "format": "webgpu-keras-expression", "version": 1,
 *     "nodes": [["input", "x"], ["const", 0.5], ["mul", 1, 0]], "outputs": [2] }
 *
 * Leaves: `["input", name]` (or `["input", name, "row"]`), `["scalar", name]`, `["const", number]` with
 * `"inf"`, `"-inf"`, `"nan"` for the values JSON lacks. Loading checks everything (a file is hostile until
 * proved otherwise): the format, the size, every op, arity, index and name, and rebuilds through the
 * builders, so the result is folded and interned like a traced expression.
 */
import { ValueError, describe } from '../errors';
import { apply, constant, input, scalar, topoOrder, type Expr } from './expr';
import { OPS, isOp } from './op-table';

export const EXPRESSION_FORMAT = 'webgpu-keras-expression';
/** More nodes than any formula needs; a bound on what a file can make the loader build. */
const MAX_NODES = 20_000;
const NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

export interface ExpressionJSON {
  format: typeof EXPRESSION_FORMAT;
  version: 1;
  nodes: unknown[][];
  outputs: number[];
}

function numberToJSON(v: number): number | string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Object.is(v, -0) ? 0 : v;
}

/** The JSON of some expressions (shared nodes written once). */
export function expressionsToJSON(outputs: readonly Expr[]): ExpressionJSON {
  const order = topoOrder(outputs);
  const index = new Map(order.map((n, i) => [n, i]));
  const nodes = order.map((n): unknown[] => {
    if (n.op === 'const') return ['const', numberToJSON(n.value)];
    if (n.op === 'input') return n.perRow ? ['input', n.name, 'row'] : ['input', n.name];
    if (n.op === 'scalar') return ['scalar', n.name];
    return [n.op, ...n.args.map((a) => index.get(a)!)];
  });
  return { format: EXPRESSION_FORMAT, version: 1, nodes, outputs: outputs.map((o) => index.get(o)!) };
}

/** Expressions from their JSON; `where` names the caller in errors. */
export function expressionsFromJSON(json: unknown, where: string): Expr[] {
  const fail = (what: string, expected: string, got: unknown): never => {
    throw new ValueError(`Invalid ${what} for ${where}: expected ${expected}. Received: ${describe(got)}.`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expression', `an object { format: '${EXPRESSION_FORMAT}', version: 1, nodes, outputs }`, json);
  const j = json as Record<string, unknown>;
  if (j.format !== EXPRESSION_FORMAT || j.version !== 1) fail('expression format', `'${EXPRESSION_FORMAT}' version 1`, `${describe(j.format)} version ${describe(j.version)}`);
  if (!Array.isArray(j.nodes) || j.nodes.length === 0 || j.nodes.length > MAX_NODES) fail('expression nodes', `an array of 1 to ${MAX_NODES} nodes`, j.nodes);
  const nodes = j.nodes as unknown[];
  const built: Expr[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const entry = nodes[i];
    const label = `expression node ${i}`;
    if (!Array.isArray(entry) || entry.length === 0 || !isOp(entry[0])) fail(label, `[op, …] with op one of ${Object.keys(OPS).join(', ')}`, entry);
    const [op, ...rest] = entry as [keyof typeof OPS, ...unknown[]];
    if (op === 'const') {
      const v = rest[0];
      const value = typeof v === 'number' && Number.isFinite(v) ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : fail(label, 'a finite number or "inf", "-inf", "nan"', v);
      if (rest.length !== 1) fail(label, '["const", value]', entry);
      built.push(constant(value));
      continue;
    }
    if (op === 'input' || op === 'scalar') {
      const [name, level] = rest;
      if (typeof name !== 'string' || !NAME.test(name)) fail(label, 'a name of letters, digits and _ (at most 64)', name);
      if (op === 'scalar') {
        if (rest.length !== 1) fail(label, '["scalar", name]', entry);
        built.push(scalar(name as string));
      } else {
        if (rest.length > 2 || (level !== undefined && level !== 'row')) fail(label, '["input", name] or ["input", name, "row"]', entry);
        built.push(input(name as string, level === 'row' ? 'row' : 'element'));
      }
      continue;
    }
    if (rest.length !== OPS[op].arity || !rest.every((k) => Number.isInteger(k) && (k as number) >= 0 && (k as number) < i)) {
      fail(label, `${OPS[op].arity} indices of earlier nodes`, entry);
    }
    const args = (rest as number[]).map((k) => built[k]);
    try {
      built.push(apply(op, args));
    } catch (error) {
      throw new ValueError(`Invalid ${label} for ${where}: ${(error as Error).message}`);
    }
  }
  const outputs = j.outputs;
  if (!Array.isArray(outputs) || outputs.length === 0 || !outputs.every((k) => Number.isInteger(k) && k >= 0 && k < built.length)) {
    fail('expression outputs', `indices of nodes (0 to ${built.length - 1})`, outputs);
  }
  return (outputs as number[]).map((k) => built[k]);
}

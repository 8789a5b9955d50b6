/**
 * Expressions compiled for a target, before any code is written: what every emitter works from.
 *
 * 1. Hoisting: every largest subexpression that depends on scalars only (the learning rate, Adam's bias
 *    correction lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), 1 − ε, an activation's parameters) becomes a *uniform*, computed
 *    once per dispatch on the host in float64 and passed in (a GPU uniform, a CPU argument), so it costs
 *    nothing per element and is as accurate as the host can make it. Uniforms are named `$0`, `$1`, … .
 * 2. Lowering: for a float32 target, the special functions it lacks are rewritten into its primitives
 *    (lower.ts). The float64 JavaScript target lowers nothing.
 *    Infinities and NaN become uniforms as well: WGSL has no way to write them as constants.
 * 3. Scheduling: the remaining per-element nodes in an order where arguments come first, with use counts,
 *    so emitters name a shared subexpression once (`let t3 = …`) and inline the rest.
 */
import { scalar, substitute, topoOrder, type Expr } from './expr';
import { lowerFloat32 } from './lower';
import { OPS, type Op } from './op-table';

export interface Program {
  /** Per-element (or per-row) inputs the outputs read. */
  readonly inputs: readonly string[];
  /** Expressions over scalars and constants only: uniform `$k` is `uniforms[k]`, evaluated on the host. */
  readonly uniforms: readonly Expr[];
  /** Every node computed per element (no leaves), arguments before users. */
  readonly nodes: readonly Expr[];
  /** The outputs, rewritten in terms of `nodes`, uniforms (`scalar('$k')`) and constants. */
  readonly outputs: readonly Expr[];
  /** How many nodes (and outputs) use each node. */
  readonly uses: ReadonlyMap<Expr, number>;
  /** Scalar names the uniforms need. */
  readonly scalars: readonly string[];
  /** Nodes an emitter computes once into a named temporary: shared ones, and every 8th level of nesting. */
  readonly named: ReadonlySet<Expr>;
}

/** Nesting beyond which an inlined expression is cut into a temporary (WGSL compilers limit expression depth). */
const MAX_INLINE_DEPTH = 8;
const targetIds = new WeakMap<object, number>();
let nextTarget = 1;

const cache = new Map<string, Program>();

/**
 * Compile `outputs` for a target whose native ops are `natives` (null: every op, the float64 JavaScript
 * target). `deviceScalars` name scalars the target computes itself (left as `scalar` leaves, never
 * hoisted). Cached: the same outputs (hash-consed) for the same target give the same Program.
 */
export function compileProgram(outputs: readonly Expr[], natives: ReadonlySet<Op> | null, deviceScalars: readonly string[] = []): Program {
  let target = 0;
  if (natives) {
    target = targetIds.get(natives) ?? nextTarget++;
    targetIds.set(natives, target);
  }
  const key = `${target}|${deviceScalars.join(',')}|${outputs.map((o) => o.id).join(',')}`;
  let program = cache.get(key);
  if (!program) {
    program = build(outputs, natives, new Set(deviceScalars));
    cache.set(key, program);
  }
  return program;
}

function build(roots: readonly Expr[], natives: ReadonlySet<Op> | null, deviceScalars: ReadonlySet<string>): Program {
  const order = topoOrder(roots);
  // Scalars the device computes (a gradient's clip factor on the GPU) cannot be evaluated on the host.
  const onDevice = new Set<Expr>();
  for (const n of order) if ((n.op === 'scalar' && deviceScalars.has(n.name)) || n.args.some((a) => onDevice.has(a))) onDevice.add(n);
  // A uniform (scalar-only, not a bare constant) node is hoisted when a per-element node or an output uses it.
  const hoist = new Set<Expr>();
  const isUniform = (n: Expr) => n.level === 'uniform' && n.op !== 'const' && !onDevice.has(n);
  for (const n of roots) if (isUniform(n)) hoist.add(n);
  for (const n of order) if (!isUniform(n)) for (const a of n.args) if (isUniform(a)) hoist.add(a);
  const uniforms = [...hoist];
  const placeholder = new Map(uniforms.map((u, k) => [u, scalar(`$${k}`)]));
  let outputs = substitute(roots, (n) => placeholder.get(n));
  if (natives) outputs = lowerFloat32(outputs, natives);
  // Infinities and NaN cannot be written as constants in every target (WGSL rejects them in constant
  // expressions): they travel as uniforms too.
  for (const n of topoOrder(outputs)) {
    if (n.op === 'const' && !Number.isFinite(n.value) && !placeholder.has(n)) {
      placeholder.set(n, scalar(`$${uniforms.length}`));
      uniforms.push(n);
    }
  }
  outputs = substitute(outputs, (n) => (n.op === 'const' ? placeholder.get(n) : undefined));
  const nodes = topoOrder(outputs).filter((n) => n.op !== 'input' && n.op !== 'scalar' && n.op !== 'const');
  const uses = new Map<Expr, number>();
  for (const n of nodes) for (const a of n.args) uses.set(a, (uses.get(a) ?? 0) + 1);
  for (const o of outputs) uses.set(o, (uses.get(o) ?? 0) + 1);
  const inputs = [...new Set(topoOrder(outputs).filter((n) => n.op === 'input').map((n) => n.name))];
  const scalars = [...new Set(topoOrder(uniforms).filter((n) => n.op === 'scalar').map((n) => n.name))];
  const named = new Set<Expr>();
  const depth = new Map<Expr, number>();
  for (const n of nodes) {
    const d = 1 + Math.max(0, ...n.args.map((a) => (named.has(a) ? 0 : (depth.get(a) ?? 0))));
    depth.set(n, d);
    if ((uses.get(n) ?? 0) > 1 || d >= MAX_INLINE_DEPTH) named.add(n);
  }
  return { inputs, uniforms, nodes, outputs, uses, scalars, named };
}

/** The value of an expression in float64 from named values of its inputs and scalars (the interpreter). */
export function evaluate(root: Expr, values: Readonly<Record<string, number>>): number {
  const memo = new Map<Expr, number>();
  for (const n of topoOrder([root])) memo.set(n, evalNode(n, (a) => memo.get(a)!, values));
  return memo.get(root)!;
}

function evalNode(n: Expr, arg: (a: Expr) => number, values: Readonly<Record<string, number>>): number {
  switch (n.op) {
    case 'const':
      return n.value;
    case 'input':
    case 'scalar': {
      const v = values[n.name];
      if (typeof v !== 'number') throw new Error(`webgpu-keras bug: no value for '${n.name}' while evaluating an expression.`);
      return v;
    }
    default: {
      const f = OPS[n.op].eval;
      if (!f) throw new Error(`webgpu-keras bug: '${n.op}' cannot be evaluated elementwise.`);
      return f(...n.args.map(arg));
    }
  }
}

/**
 * Uniform values of a program for these scalar values, in float64, rounded to float32 when `float32`
 * (every number a float32 computation uses is a float32, as in Keras's compute dtype).
 */
export function uniformValues(program: Program, scalars: Readonly<Record<string, number>>, out: Float64Array, float32: boolean): Float64Array {
  program.uniforms.forEach((u, k) => {
    const v = u.op === 'scalar' ? scalarValue(scalars, u.name) : u.op === 'const' ? u.value : evaluate(u, scalars);
    out[k] = float32 ? Math.fround(v) : v;
  });
  return out;
}

function scalarValue(scalars: Readonly<Record<string, number>>, name: string): number {
  const v = scalars[name];
  if (typeof v !== 'number') throw new Error(`webgpu-keras bug: the run-time scalar '${name}' has no value.`);
  return v;
}

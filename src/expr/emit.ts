/**
 * Writing a compiled Program as code: the part every target shares. A target is a `Syntax`, one table
 * with an entry per op it computes natively (the code of the op from its arguments' code) plus how it
 * writes constants, temporaries and conversions between booleans and numbers. Comparisons and logical
 * ops produce booleans in the generated code; where a number is needed they become 1/0.
 */
import type { Expr } from './expr';
import { OPS, type LeafOp, type Op, type ReduceOp } from './op-table';
import type { Program } from './program';

/** The ops a target table can have an entry for (leaves and reductions never reach an emitter). */
export type EmittedOp = Exclude<Op, LeafOp | ReduceOp>;

export interface Syntax {
  /** Code of each native op from its arguments' code (booleans for `not`, `and`, `or` and where's condition). */
  readonly ops: Readonly<Partial<Record<EmittedOp, (args: string[]) => string>>>;
  /** A constant literal. */
  constant(value: number): string;
  /** A temporary: `let name = code;` in the target's words. */
  declare(name: string, code: string): string;
  /** A boolean as 1/0. */
  toNumber(code: string): string;
  /** A number as a boolean (not 0). */
  toBool(code: string): string;
  /** Optional wrapper of every numeric result (the float32 simulation rounds each one). */
  round?(code: string): string;
}

/** Arguments an op takes as booleans. */
function boolArgs(op: Op): readonly boolean[] {
  if (op === 'not') return [true];
  if (op === 'and' || op === 'or') return [true, true];
  if (op === 'where') return [true, false, false];
  return [];
}

/**
 * The statements computing a program's named temporaries and the code of each output (a number).
 * `leaf` names inputs and scalars (uniforms are `scalar('$k')`); `prefix` keeps temporaries of several
 * programs in one function apart.
 */
export function emitBody(program: Program, syntax: Syntax, leaf: (node: Expr) => string, prefix = 't'): { statements: string[]; outputs: string[] } {
  const code = new Map<Expr, string>();
  const isBool = (n: Expr) => OPS[n.op].boolean === true;
  const statements: string[] = [];
  let temps = 0;
  const ref = (n: Expr): string => {
    if (n.op === 'const') return syntax.constant(n.value);
    if (n.op === 'input' || n.op === 'scalar') return leaf(n);
    return code.get(n)!;
  };
  for (const n of program.nodes) {
    const wantBool = boolArgs(n.op);
    const args = n.args.map((a, i) => {
      const c = ref(a);
      const want = wantBool[i] === true;
      return want === isBool(a) ? c : want ? syntax.toBool(c) : syntax.toNumber(c);
    });
    const emit = syntax.ops[n.op as EmittedOp];
    if (!emit) throw new Error(`webgpu-keras bug: the target has no code for '${n.op}' (it should have been lowered).`);
    let c = emit(args);
    if (syntax.round && !isBool(n)) c = syntax.round(c);
    if (program.named.has(n)) {
      const name = `${prefix}${temps++}`;
      statements.push(syntax.declare(name, c));
      c = name;
    }
    code.set(n, c);
  }
  const outputs = program.outputs.map((o) => (isBool(o) ? syntax.toNumber(ref(o)) : ref(o)));
  return { statements, outputs };
}

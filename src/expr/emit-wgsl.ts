/**
 * The WGSL target: float32, the special functions lowered into WGSL builtins (lower.ts). Generated code is
 * a set of WGSL functions and uniform fields that the fused kernel templates of `shaders/` splice in: a
 * template names its splice points, the generated functions read uniform `k` as `u.s{k}` (a field of the
 * template's uniform struct, `uniformFields`) and take inputs and device scalars as parameters.
 */
import { emitBody, type Syntax } from './emit';
import type { Expr } from './expr';
import { FLOAT32_PRIMITIVES } from './lower';
import { compileProgram, type Program } from './program';

const bits = new Float32Array(1);
const word = new Uint32Array(bits.buffer);

/** A float32 literal that parses to exactly `v` rounded to float32 (non-finite values as bit patterns). */
export function wgslFloat(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) {
    bits[0] = f;
    return `bitcast<f32>(0x${word[0].toString(16)}u)`;
  }
  if (Object.is(f, -0)) return '(-0.0f)';
  const text = Number.isInteger(f) && Math.abs(f) < 1e9 ? `${f}.0` : f.toPrecision(9);
  return f < 0 ? `(${text}f)` : `${text}f`;
}

const fn = (name: string) => (a: string[]) => `${name}(${a.join(', ')})`;
const bin = (symbol: string) => (a: string[]) => `(${a[0]} ${symbol} ${a[1]})`;

/** The WGSL table: exactly the float32 primitives (lower.ts lists them). */
export const WGSL_SYNTAX: Syntax = {
  ops: {
    neg: (a) => `(-${a[0]})`, abs: fn('abs'), sign: fn('sign'), exp: fn('exp'), raw_log: fn('log'), sqrt: fn('sqrt'),
    rsqrt: fn('inverseSqrt'), floor: fn('floor'), ceil: fn('ceil'), round: fn('round'), sin: fn('sin'), cos: fn('cos'),
    tan: fn('tan'), atan: fn('atan'), not: (a) => `(!${a[0]})`, stop_gradient: (a) => a[0],
    add: bin('+'), sub: bin('-'), mul: bin('*'), div: bin('/'), raw_pow: fn('pow'), minimum: fn('min'), maximum: fn('max'),
    gt: bin('>'), ge: bin('>='), lt: bin('<'), le: bin('<='), eq: bin('=='), ne: bin('!='), and: bin('&&'), or: bin('||'),
    where: (a) => `select(${a[2]}, ${a[1]}, ${a[0]})`,
  },
  constant: wgslFloat,
  declare: (name, code) => `let ${name} = ${code};`,
  toNumber: (c) => `select(0.0f, 1.0f, ${c})`,
  toBool: (c) => `(${c} != 0.0f)`,
};

/** The Program the WGSL target compiles `outputs` to; `deviceScalars` are values the template passes in. */
export function wgslProgram(outputs: readonly Expr[], deviceScalars: readonly string[] = []): Program {
  return compileProgram(outputs, FLOAT32_PRIMITIVES, deviceScalars);
}

/** The uniform struct fields a program's uniforms need: `s0: f32, s1: f32, …` (WGSL accepts the trailing comma). */
export function uniformFields(count: number): string {
  return Array.from({ length: count }, (_, k) => `s${k}: f32,`).join(' ');
}

export interface WgslFunction {
  /** Function name. */
  name: string;
  /**
   * The program's inputs and device scalars, in parameter order (all f32; written a0, a1, … so any input
   * name is safe).
   */
  params: readonly string[];
}

/**
 * A WGSL function `fn name(params…) -> f32` (one output), `-> vecNf` (2–4) or `-> array<f32, N>` (more),
 * computing `program`,
 * reading uniform k as `u.s{k}` with `offset` added to k (several programs sharing one struct); inputs and
 * device scalars are its parameters.
 */
export function wgslFunction(program: Program, f: WgslFunction, offset = 0): string {
  const { statements, outputs } = emitBody(program, WGSL_SYNTAX, (n) => {
    if (n.op === 'scalar' && n.name.startsWith('$')) return `u.s${Number(n.name.slice(1)) + offset}`;
    const i = f.params.indexOf(n.name);
    if (i < 0) throw new Error(`webgpu-keras bug: a WGSL function reads '${n.name}', not among ${f.params.join(', ')}.`);
    return `a${i}`;
  });
  const count = outputs.length;
  const type = count === 1 ? 'f32' : count <= 4 ? `vec${count}f` : `array<f32, ${count}>`;
  const result = count === 1 ? outputs[0] : `${type}(${outputs.join(', ')})`;
  const params = f.params.map((_, i) => `a${i}: f32`).join(', ');
  return [`fn ${f.name}(${params}) -> ${type} {`, ...statements.map((s) => `  ${s}`), `  return ${result};`, '}'].join('\n');
}

/**
 * WebAssembly instructions as composable byte sequences, written like expressions: `i32.add(a, b)` is
 * the code of `a`, the code of `b`, then the `i32.add` opcode. Functions of the kernels read almost like
 * the loops they encode, and the result is the exact stack-machine encoding (no optimiser runs; V8's
 * TurboFan does register allocation and instruction selection).
 *
 * Only the instructions the kernels use are here: i32/f32/f64 scalars, 128-bit SIMD (f32x4, f64x2,
 * i32x4), relaxed SIMD's fused multiply-add, structured control flow and calls.
 */
import { sleb, uleb } from './wasm-module';

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
/** Encoded instructions. */
export type Code = number[];
/** A parameter or local of the function being built. */
export interface Local {
  readonly index: number;
  readonly type: ValType;
}
/** Anything that leaves one value on the stack: code, a local (read), or an i32 constant. */
export type Value = Code | Local | number;

/** Concatenate code fragments (no spread: bodies can be long). */
export function seq(...parts: (Code | Code[])[]): Code {
  const out: Code = [];
  for (const part of parts) {
    if (part.length > 0 && Array.isArray(part[0])) for (const p of part as Code[]) for (const b of p) out.push(b);
    else for (const b of part as Code) out.push(b);
  }
  return out;
}

function isLocal(v: Value): v is Local {
  return typeof v === 'object' && !Array.isArray(v);
}

/** The code that pushes `v`: a local's value, an i32 constant, or `v` itself. */
export function val(v: Value): Code {
  if (typeof v === 'number') return [0x41, ...sleb(v)];
  if (isLocal(v)) return [0x20, ...uleb(v.index)];
  return v;
}

const op = (bytes: number[]) => (...args: Value[]): Code => seq(...args.map(val), bytes);
const simd = (code: number) => [0xfd, ...uleb(code)];
const sop = (code: number) => op(simd(code));
/** memarg: alignment exponent and constant byte offset. */
const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
const load = (bytes: number[], align: number) => (addr: Value, offset = 0): Code => seq(val(addr), bytes, memarg(align, offset));
const store = (bytes: number[], align: number) => (addr: Value, value: Value, offset = 0): Code => seq(val(addr), val(value), bytes, memarg(align, offset));

export const local = {
  get: (l: Local): Code => [0x20, ...uleb(l.index)],
  set: (l: Local, v: Value): Code => seq(val(v), [0x21, ...uleb(l.index)]),
  tee: (l: Local, v: Value): Code => seq(val(v), [0x22, ...uleb(l.index)]),
};

export const i32 = {
  const: (v: number): Code => [0x41, ...sleb(v)],
  load: load([0x28], 2),
  store: store([0x36], 2),
  eqz: op([0x45]),
  eq: op([0x46]), ne: op([0x47]),
  lt_s: op([0x48]), lt_u: op([0x49]), gt_s: op([0x4a]), gt_u: op([0x4b]),
  le_s: op([0x4c]), le_u: op([0x4d]), ge_s: op([0x4e]), ge_u: op([0x4f]),
  add: op([0x6a]), sub: op([0x6b]), mul: op([0x6c]), div_u: op([0x6e]), rem_u: op([0x70]),
  and: op([0x71]), or: op([0x72]), xor: op([0x73]), shl: op([0x74]), shr_s: op([0x75]), shr_u: op([0x76]),
  /** `a < b ? a : b` (unsigned), through `select`. */
  min_u: (a: Local, b: Value): Code => seq(val(a), val(b), i32.lt_u(a, b), [0x1b]),
};

export const f32 = {
  const: (v: number): Code => {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return [0x43, ...b];
  },
  load: load([0x2a], 2),
  store: store([0x38], 2),
  add: op([0x92]), mul: op([0x94]),
  demote_f64: op([0xb6]),
  convert_i32_u: op([0xb3]),
};

export const f64 = {
  const: (v: number): Code => {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return [0x44, ...b];
  },
  load: load([0x2b], 3),
  store: store([0x39], 3),
  add: op([0xa0]), sub: op([0xa1]), mul: op([0xa2]), div: op([0xa3]), sqrt: op([0x9f]),
  promote_f32: op([0xbb]),
  convert_i32_u: op([0xb8]),
};

export const v128 = {
  load: load(simd(0x00), 4),
  store: store(simd(0x0b), 4),
  load32_splat: load(simd(0x09), 2),
  load32_zero: load(simd(0x5c), 2),
  load64_zero: load(simd(0x5d), 3),
  store32_lane: (addr: Value, value: Value, lane: number, offset = 0): Code => seq(val(addr), val(value), simd(0x5a), memarg(2, offset), [lane]),
  store64_lane: (addr: Value, value: Value, lane: number, offset = 0): Code => seq(val(addr), val(value), simd(0x5b), memarg(3, offset), [lane]),
  const: (bytes: readonly number[]): Code => seq(simd(0x0c), [...bytes]),
  zero: (): Code => seq(simd(0x0c), new Array(16).fill(0)),
  and: sop(0x4e), andnot: sop(0x4f), or: sop(0x50), xor: sop(0x51),
};

/** `i8x16.shuffle` of 32-bit lanes: lanes 0–3 pick from `a`, 4–7 from `b`. */
export function shuffle32(a: Value, b: Value, lanes: readonly [number, number, number, number]): Code {
  const bytes = lanes.flatMap((l) => [l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3]);
  return seq(val(a), val(b), simd(0x0d), bytes);
}

export const i32x4 = {
  splat: sop(0x11),
  extract_lane: (v: Value, lane: number): Code => seq(val(v), simd(0x1b), [lane]),
  ge_s: sop(0x3f),
  shr_u: sop(0xad), add: sop(0xae), mul: sop(0xb5),
};

export const f32x4 = {
  splat: sop(0x13),
  add: sop(0xe4), sub: sop(0xe5), mul: sop(0xe6),
  demote_f64x2_zero: sop(0x5e),
  /** Relaxed SIMD: `a·b + c`, fused where the hardware has FMA. */
  relaxed_madd: sop(0x105),
};

export const f64x2 = {
  splat: sop(0x14),
  extract_lane: (v: Value, lane: number): Code => seq(val(v), simd(0x21), [lane]),
  add: sop(0xf0), sub: sop(0xf1), mul: sop(0xf2), div: sop(0xf3), sqrt: sop(0xef),
  promote_low_f32x4: sop(0x5f),
};

// ---- control flow ----------------------------------------------------------------------------------

const EMPTY_BLOCK = 0x40;

export function block(...body: Code[]): Code {
  return seq([0x02, EMPTY_BLOCK], ...body, [0x0b]);
}
export function loop(...body: Code[]): Code {
  return seq([0x03, EMPTY_BLOCK], ...body, [0x0b]);
}
export function if_(cond: Value, then: Code, otherwise?: Code): Code {
  return otherwise ? seq(val(cond), [0x04, EMPTY_BLOCK], then, [0x05], otherwise, [0x0b]) : seq(val(cond), [0x04, EMPTY_BLOCK], then, [0x0b]);
}
export function br(depth: number): Code {
  return [0x0c, ...uleb(depth)];
}
export function br_if(depth: number, cond: Value): Code {
  return seq(val(cond), [0x0d, ...uleb(depth)]);
}
export function call(fn: { index: number }, ...args: Value[]): Code {
  return seq(...args.map(val), [0x10, ...uleb(fn.index)]);
}
export function ret(...values: Value[]): Code {
  return seq(...values.map(val), [0x0f]);
}

/**
 * `for (i = from; i < to; i += step) body`, unsigned, as a guarded do-while: one compare and branch per
 * iteration, which TurboFan turns into a tight loop. `body` must not branch out by depth (it sits inside
 * an `if` and a `loop`).
 */
export function forRange(i: Local, from: Value, to: Value, step: Value, ...body: Code[]): Code {
  return seq(
    local.set(i, from),
    if_(i32.lt_u(i, to), loop(...body, local.set(i, i32.add(i, step)), br_if(0, i32.lt_u(i, to)))),
  );
}

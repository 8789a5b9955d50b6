/**
 * A small WebAssembly binary emitter: a module that imports one memory and defines functions, encoded
 * to bytes by hand (types, imports, functions, exports and code sections, LEB128 integers). It knows
 * just what the wasm backend's kernels need; instructions.ts builds the function bodies.
 *
 * Why an emitter in TypeScript instead of AssemblyScript or WAT through wabt: it needs no tool beyond
 * the TypeScript the project builds with; one generator emits every variant of a kernel (plain or
 * relaxed SIMD, shared or unshared memory, register tile sizes) from the same source; the output is
 * deterministic, so a test can compare the inlined binary with a fresh build byte for byte; and the
 * expression language's formulas (issue 9) need exactly this: IR → wasm at run time.
 */
import type { Code, Local, ValType } from './instructions';

/** Value type codes of the binary format. */
export const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  if (value > 0xffffffff) throw new RangeError(`uleb: ${value} does not fit in 32 bits`);
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function utf8(name: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(name));
  return [...uleb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

/** The memory every kernel module imports as `env.memory`. */
export interface MemoryImport {
  /** Initial size in 64 KiB pages. */
  initial: number;
  /** Maximum size in pages (required when shared). */
  maximum: number;
  /** A shared memory (threads): the module can only be instantiated with a shared `WebAssembly.Memory`. */
  shared: boolean;
}

/** A function being defined: its signature, locals and body. */
export interface FunctionDef {
  readonly name: string;
  readonly index: number;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly exported: boolean;
  /** Locals beyond the parameters, in declaration order. */
  readonly locals: ValType[];
  body: Code;
}

/** Builds one module: `func` declares functions (bodies may be set later, so functions can call each other). */
export class WasmModule {
  private readonly functions: FunctionDef[] = [];

  constructor(private readonly memory: MemoryImport) {}

  /**
   * Declare a function. `build` receives its parameters as locals and a `local(type)` allocator, and
   * returns the body; it runs at once unless `build` is omitted (then set `def.body` later).
   */
  func(
    name: string,
    params: readonly ValType[],
    results: readonly ValType[],
    build: ((params: Local[], local: (type: ValType) => Local, self: FunctionDef) => Code) | null,
    { exported = false } = {},
  ): FunctionDef {
    if (this.functions.some((f) => f.name === name)) throw new Error(`WasmModule: function ${name} defined twice`);
    const def: FunctionDef = { name, index: this.functions.length, params, results, exported, locals: [], body: [] };
    this.functions.push(def);
    if (build) this.define(def, build);
    return def;
  }

  /** Set the body of a declared function. */
  define(def: FunctionDef, build: (params: Local[], local: (type: ValType) => Local, self: FunctionDef) => Code): void {
    const params = def.params.map((type, index) => ({ index, type }));
    const local = (type: ValType): Local => {
      def.locals.push(type);
      return { index: def.params.length + def.locals.length - 1, type };
    };
    def.body = build(params, local, def);
  }

  /** The encoded module. */
  toBytes(): Uint8Array<ArrayBuffer> {
    // One type per function (duplicates are allowed and keep the encoder simple).
    const types = this.functions.map((f) => [0x60, ...vector(f.params.map((t) => [VALTYPE[t]])), ...vector(f.results.map((t) => [VALTYPE[t]]))]);
    const { initial, maximum, shared } = this.memory;
    const limits = shared ? [0x03, ...uleb(initial), ...uleb(maximum)] : [0x01, ...uleb(initial), ...uleb(maximum)];
    const imports = [[...utf8('env'), ...utf8('memory'), 0x02, ...limits]];
    const funcs = this.functions.map((f) => uleb(f.index));
    const exports = this.functions.filter((f) => f.exported).map((f) => [...utf8(f.name), 0x00, ...uleb(f.index)]);
    const bodies = this.functions.map((f) => {
      // Locals as runs of one type.
      const runs: number[][] = [];
      for (let i = 0; i < f.locals.length; ) {
        let j = i;
        while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
        runs.push([...uleb(j - i), VALTYPE[f.locals[i]]]);
        i = j;
      }
      const body = [...vector(runs), ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    });
    return new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      ...section(1, vector(types)),
      ...section(2, vector(imports)),
      ...section(3, vector(funcs)),
      ...section(7, vector(exports)),
      ...section(10, vector(bodies)),
    ]);
  }
}

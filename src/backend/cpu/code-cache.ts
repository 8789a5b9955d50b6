/**
 * The CPU backend's compiled formulas: each expression the contract hands over (an activation's forward
 * or backward, a loss's element functions, an optimizer's rule) is compiled once by the JavaScript
 * emitter (src/expr/emit-js.ts) and kept here, keyed by the expressions (hash-consed, so equal formulas
 * share one entry) and their inputs. With the `printCode` flag each new one prints its generated source,
 * as WebGPU's `printShaders` prints WGSL.
 */
import { compileElementFn, compileElementKernel, jsProgram, type ElementFn, type ElementKernel } from '../../expr/emit-js';
import type { Expr } from '../../expr/expr';
import { uniformValues, type Program } from '../../expr/program';

/** A compiled formula and the Program whose uniforms it reads. */
export interface Compiled<T> {
  readonly code: T;
  readonly program: Program;
}

export class CodeCache {
  private readonly kernels = new Map<string, Compiled<ElementKernel>>();
  private readonly fns = new Map<string, Compiled<ElementFn>>();
  /** Reused arrays for uniform values, one per slot (a step allocates nothing). */
  private readonly scratch: Float64Array[] = [];

  constructor(private readonly print: () => boolean) {}

  /** A loop over arrays computing `outputs` from the named `inputs`. */
  kernel(label: string, outputs: readonly Expr[], inputs: readonly string[]): Compiled<ElementKernel> {
    const key = `${outputs.map((o) => o.id).join(',')}|${inputs.join(',')}`;
    let hit = this.kernels.get(key);
    if (!hit) {
      hit = { code: compileElementKernel(outputs, inputs), program: jsProgram(outputs) };
      this.kernels.set(key, hit);
      this.show(label, hit.code.source);
    }
    return hit;
  }

  /** A function of one element computing `outputs` from the named `inputs`. */
  elementFn(label: string, outputs: readonly Expr[], inputs: readonly string[]): Compiled<ElementFn> {
    const key = `${outputs.map((o) => o.id).join(',')}|${inputs.join(',')}`;
    let hit = this.fns.get(key);
    if (!hit) {
      const code = compileElementFn(outputs, inputs);
      hit = { code, program: jsProgram(outputs) };
      this.fns.set(key, hit);
      this.show(label, code.source);
    }
    return hit;
  }

  /** The uniforms of `program` for these scalar values (float32-rounded for float32 data), in a reused array. */
  uniforms(program: Program, scalars: Readonly<Record<string, number>>, float32: boolean, slot = 0): Float64Array {
    let out = this.scratch[slot];
    if (!out || out.length < program.uniforms.length) out = this.scratch[slot] = new Float64Array(Math.max(16, program.uniforms.length));
    return uniformValues(program, scalars, out, float32);
  }

  private show(label: string, source: string): void {
    if (this.print()) console.log(`// ---- cpu ${label}\n${source}`);
  }
}

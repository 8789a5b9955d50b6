/**
 * Activations outside a matmul: elementwise forward/backward (shaders/activation.wgsl, with the
 * activation's generated WGSL spliced in) and the row-wise softmax (shaders/softmax.wgsl). Parameters
 * travel as uniforms, so one pipeline per activation formula serves every parameter value.
 */
import { uniformFields, wgslFunction, wgslProgram } from '../../../expr/emit-wgsl';
import { X } from '../../../expr/functions';
import type { ElementwiseFn } from '../../../expr/functions';
import { uniformValues, type Program } from '../../../expr/program';
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';

/** Generated code of one activation direction: the WGSL function, its uniform fields and the Program. */
export interface ActivationCode {
  readonly code: string;
  readonly fields: string;
  readonly program: Program;
}

const codes = new WeakMap<ElementwiseFn, { forward?: ActivationCode; backward?: ActivationCode }>();
let identity: ActivationCode | null = null;

/** `fn act_forward(x) -> f32` of an activation (the identity for none). */
export function forwardCode(fn: ElementwiseFn | null): ActivationCode {
  if (!fn) return (identity ??= make([X()], 'act_forward', ['x']));
  const entry = codes.get(fn) ?? {};
  codes.set(fn, entry);
  return (entry.forward ??= make([fn.forward], 'act_forward', ['x']));
}

/** `fn act_backward(dy, z, y) -> f32` of an activation. */
function backwardCode(fn: ElementwiseFn): ActivationCode {
  const entry = codes.get(fn) ?? {};
  codes.set(fn, entry);
  return (entry.backward ??= make([fn.backward], 'act_backward', ['dy', 'x', 'y']));
}

function make(outputs: ElementwiseFn['forward'][], name: string, params: string[]): ActivationCode {
  const program = wgslProgram(outputs);
  return { code: wgslFunction(program, { name, params }), fields: uniformFields(program.uniforms.length), program };
}

/** The uniform values an activation's code reads, rounded to float32. */
export function activationUniforms(code: ActivationCode, fn: ElementwiseFn | null): number[] {
  return Array.from(uniformValues(code.program, fn?.params ?? {}, new Float64Array(code.program.uniforms.length), true));
}

/** `out = f(x)` elementwise (not softmax). */
export function activationForward(k: Runner, fn: ElementwiseFn, x: GpuBuffer, out: GpuBuffer, n: number): void {
  const code = forwardCode(fn);
  k.run({
    source: SHADERS.activation,
    defines: { ACT_CODE: code.code, UNIFORMS: code.fields, FORWARD: true, READS_Z: false, READS_Y: false },
    bindings: [{ binding: 1, ...x }, { binding: 4, ...out, write: true }],
    format: 'u' + 'f'.repeat(code.program.uniforms.length),
    values: [n, ...activationUniforms(code, fn)],
    groups: k.grid1d(n),
  });
}

/** `out = dy · f'(z)` elementwise (not softmax); binds only the z/y the derivative reads. */
export function activationBackward(
  k: Runner, fn: ElementwiseFn, dy: GpuBuffer, z: GpuBuffer, y: GpuBuffer, out: GpuBuffer, n: number,
): void {
  const reads = fn.reads;
  const code = backwardCode(fn);
  k.run({
    source: SHADERS.activation,
    defines: { ACT_CODE: code.code, UNIFORMS: code.fields, FORWARD: false, READS_Z: reads.z, READS_Y: reads.y },
    bindings: [
      { binding: 1, ...dy },
      ...(reads.z ? [{ binding: 2, ...z }] : []),
      ...(reads.y ? [{ binding: 3, ...y }] : []),
      { binding: 4, ...out, write: true },
    ],
    format: 'u' + 'f'.repeat(code.program.uniforms.length),
    values: [n, ...activationUniforms(code, fn)],
    groups: k.grid1d(n),
  });
}

/** Row-wise softmax of `[rows, cols]`. */
export function softmaxForward(k: Runner, x: GpuBuffer, out: GpuBuffer, rows: number, cols: number): void {
  k.run({
    source: SHADERS.softmax,
    defines: { FORWARD: true },
    bindings: [{ binding: 1, ...x }, { binding: 4, ...out, write: true }],
    format: 'uu',
    values: [rows, cols],
    groups: k.grid1d(rows),
  });
}

/** Softmax's row Jacobian-vector product `y ⊙ (dy − Σ dy⊙y)`. */
export function softmaxBackward(k: Runner, dy: GpuBuffer, y: GpuBuffer, out: GpuBuffer, rows: number, cols: number): void {
  k.run({
    source: SHADERS.softmax,
    defines: { FORWARD: false },
    bindings: [{ binding: 1, ...dy }, { binding: 3, ...y }, { binding: 4, ...out, write: true }],
    format: 'uu',
    values: [rows, cols],
    groups: k.grid1d(rows),
  });
}

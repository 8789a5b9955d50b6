/**
 * Activations outside a matmul: elementwise forward/backward (shaders/activation.wgsl) and the
 * row-wise softmax (shaders/softmax.wgsl). Parameters travel in the uniform, so one pipeline per
 * activation serves every parameter value.
 */
import type { ActivationSpec } from '../../../activations';
import { ACTIVATION_DEFS } from '../../../activations/specs';
import { backwardReads } from '../../cpu/activation-math';
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';

/**
 * An activation's parameters as the WGSL functions' `p` (ACTIVATION_DEFS order, padded to 4), rounded
 * to float32 by the uniform: thresholds compare in the compute dtype, as in Keras and on the CPU
 * (hardshrink(0.3) at z = f32(0.3) gives 0 on both). hardtanh's derivative reads its bounds again
 * from p.z, p.w; relu's p.w says whether maxValue is given (p.y would be +∞ otherwise, which WGSL
 * may assume away).
 */
export function activationParams(spec: ActivationSpec): [number, number, number, number] {
  const p: [number, number, number, number] = [0, 0, 0, 0];
  Object.keys(ACTIVATION_DEFS[spec.name].params).forEach((key, i) => (p[i] = spec.params[key]));
  switch (spec.name) {
    case 'hardtanh':
      p[2] = p[0];
      p[3] = p[1];
      break;
    case 'relu':
      p[3] = p[1] === Infinity ? 0 : 1;
      if (p[1] === Infinity) p[1] = 0;
      break;
  }
  return p;
}

/** `out = f(x)` elementwise (not softmax). */
export function activationForward(k: Runner, spec: ActivationSpec, x: GpuBuffer, out: GpuBuffer, n: number): void {
  k.run({
    source: SHADERS.activation,
    defines: { ACT: spec.name, FORWARD: true, READS_Z: false, READS_Y: false },
    bindings: [{ binding: 1, ...x }, { binding: 4, ...out, write: true }],
    format: 'uffff',
    values: [n, ...activationParams(spec)],
    groups: k.grid1d(n),
  });
}

/** `out = dy · f'(z)` elementwise (not softmax); binds only the z/y the derivative reads. */
export function activationBackward(
  k: Runner, spec: ActivationSpec, dy: GpuBuffer, z: GpuBuffer, y: GpuBuffer, out: GpuBuffer, n: number,
): void {
  const reads = backwardReads(spec.name);
  k.run({
    source: SHADERS.activation,
    defines: { ACT: spec.name, FORWARD: false, READS_Z: reads.z, READS_Y: reads.y },
    bindings: [
      { binding: 1, ...dy },
      ...(reads.z ? [{ binding: 2, ...z }] : []),
      ...(reads.y ? [{ binding: 3, ...y }] : []),
      { binding: 4, ...out, write: true },
    ],
    format: 'uffff',
    values: [n, ...activationParams(spec)],
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

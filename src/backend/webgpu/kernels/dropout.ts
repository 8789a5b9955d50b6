/** Dropout forward/backward from the counter-based RNG (shaders/dropout.wgsl): masks are never stored. */
import type { DropoutOptions } from '../../backend';
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';

/** `out = mask ⊙ x / (1 − rate)`; the backward pass calls it again on dy with the same options. */
export function dropout(k: Runner, x: GpuBuffer, out: GpuBuffer, n: number, { rate, seed, step }: DropoutOptions): void {
  // uniform01 = bits·2⁻²⁴ ≥ rate  ⟺  bits ≥ ceil(rate·2²⁴): exact in float64, so the masks match the CPU's.
  const keepFrom = Math.ceil(rate * 16777216);
  k.run({
    source: SHADERS.dropout,
    defines: {},
    bindings: [{ binding: 1, ...x }, { binding: 4, ...out, write: true }],
    format: 'uuuuf',
    values: [n, seed >>> 0, step >>> 0, keepFrom, 1 / (1 - rate)],
    groups: k.grid1d(n),
  });
}

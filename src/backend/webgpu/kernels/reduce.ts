/** Reductions (shaders/reduce.wgsl): column sums, accumulator adds, squared norms. */
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';

const FORMAT = 'uuuf'; // n, cols, slot, count

/** `out[c] = Σ_r x[r, c]` (the bias gradient). */
export function sumRows(k: Runner, x: GpuBuffer, out: GpuBuffer, rows: number, cols: number): void {
  k.run({
    source: SHADERS.reduce,
    defines: { COLUMN_SUMS: true, SQUARES: false },
    bindings: [{ binding: 1, ...x }, { binding: 4, ...out, write: true }],
    format: FORMAT,
    values: [rows, cols, 0, 0],
    groups: k.grid1d(cols),
  });
}

/** `acc[slot] += Σ x[0..n)`, `acc[slot + 1] += count`, in one workgroup (a fixed summation order). */
export function accumulateSum(k: Runner, x: GpuBuffer, n: number, acc: GpuBuffer, slot: number, count: number): void {
  k.run({
    source: SHADERS.reduce,
    defines: { COLUMN_SUMS: false, SQUARES: false },
    bindings: [{ binding: 1, ...x }, { binding: 4, ...acc, write: true }],
    format: FORMAT,
    values: [n, 0, slot, count],
    groups: [1, 1],
  });
}

/** `dst[slot] = Σ x[0..n)²`. */
export function sumSquares(k: Runner, x: GpuBuffer, n: number, dst: GpuBuffer, slot: number): void {
  k.run({
    source: SHADERS.reduce,
    defines: { COLUMN_SUMS: false, SQUARES: true },
    bindings: [{ binding: 1, ...x }, { binding: 4, ...dst, write: true }],
    format: FORMAT,
    values: [n, 0, slot, 0],
    groups: [1, 1],
  });
}

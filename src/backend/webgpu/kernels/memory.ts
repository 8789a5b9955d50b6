/** Fill, copy with offset, and gatherRows: 32-bit word moves (shaders/elementwise.wgsl). */
import type { GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';

const MODES = { fill: { FILL: true, COPY: false, GATHER: false }, copy: { FILL: false, COPY: true, GATHER: false }, gather: { FILL: false, COPY: false, GATHER: true } };
const FORMAT = 'uuuuu'; // n, word, offset, cols, start

/** `dst[0..words) = word` (a float's or an int's bit pattern). */
export function fillWords(k: Runner, dst: GpuBuffer, words: number, word: number): void {
  k.run({
    source: SHADERS.elementwise,
    defines: MODES.fill,
    bindings: [{ binding: 4, ...dst, write: true }],
    format: FORMAT,
    values: [words, word, 0, 0, 0],
    groups: k.grid1d(words),
  });
}

/** `dst[offset + i] = src[i]` for i < words. */
export function copyWords(k: Runner, src: GpuBuffer, dst: GpuBuffer, words: number, offset: number): void {
  k.run({
    source: SHADERS.elementwise,
    defines: MODES.copy,
    bindings: [{ binding: 1, ...src }, { binding: 4, ...dst, write: true }],
    format: FORMAT,
    values: [words, 0, offset, 0, 0],
    groups: k.grid1d(words),
  });
}

/** `out[r, :] = src[indices[start + r], :]` for r < rows. */
export function gatherRows(k: Runner, src: GpuBuffer, indices: GpuBuffer, out: GpuBuffer, rows: number, cols: number, start: number): void {
  const n = rows * cols;
  k.run({
    source: SHADERS.elementwise,
    defines: MODES.gather,
    bindings: [{ binding: 1, ...src }, { binding: 2, ...indices }, { binding: 4, ...out, write: true }],
    format: FORMAT,
    values: [n, 0, 0, cols, start],
    groups: k.grid1d(n),
  });
}

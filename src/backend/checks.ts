/**
 * Argument checks the backends share: the contract's rules for shapes, offsets and slots, in one place
 * so every backend refuses the same mistakes with the same message.
 */
import { ShapeError, invalid, received } from '../errors';
import type { Tensor } from '../tensor/tensor';
import { metricStateSize, type MetricProgram, type RowProgram, type UpdateRule } from '../expr/functions';
import type { MatmulOptions } from './backend';

/** `[rows, cols]` of a tensor read as a matrix over its last axis (a scalar is 1×1). */
export function rowsCols(t: Tensor): [number, number] {
  const cols = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
  return [cols === 0 ? 0 : t.size / cols, cols];
}

/** Throw a ShapeError unless `t` has `size` elements. */
export function expectSize(where: string, what: string, t: Tensor, size: number): void {
  if (t.size !== size) invalid({ what, where, expected: `${size} elements`, received: `shape [${t.shape}] (${t.size} elements)` }, ShapeError);
}

/** `write(tensor, values, offset)`: the values fit from `offset`. */
export function checkWrite(tensor: Tensor, values: ArrayLike<number>, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + values.length > tensor.size) {
    invalid({ what: 'offset', where: 'write', expected: `offset + values.length ≤ ${tensor.size}`, received: `${received('offset', offset)}, ${values.length} values` }, ShapeError);
  }
}

/** `copy(src, dst, dstOffset)`: one dtype, and src fits into dst from `dstOffset`. */
export function checkCopy(src: Tensor, dst: Tensor, dstOffset: number): void {
  if (src.dtype !== dst.dtype) invalid({ what: 'dst', where: 'copy', expected: `dtype ${src.dtype} (as src)`, received: received('dtype', dst.dtype) });
  if (!Number.isInteger(dstOffset) || dstOffset < 0 || dstOffset + src.size > dst.size) {
    invalid({ what: 'dstOffset', where: 'copy', expected: `dstOffset + ${src.size} ≤ ${dst.size}`, received: received('dstOffset', dstOffset) }, ShapeError);
  }
}

/** `gatherRows(src, indices, start, out)`: int32 indices, enough of them from `start`, matching columns. */
export function checkGatherRows(src: Tensor, indices: Tensor, start: number, out: Tensor): void {
  const [rows, cols] = rowsCols(out);
  if (indices.dtype !== 'int32') invalid({ what: 'indices', where: 'gatherRows', expected: 'an int32 tensor', received: received('dtype', indices.dtype) });
  if (start < 0 || start + rows > indices.size) invalid({ what: 'start', where: 'gatherRows', expected: `start + ${rows} ≤ ${indices.size}`, received: received('start', start) }, ShapeError);
  if (rowsCols(src)[1] !== cols) invalid({ what: 'src', where: 'gatherRows', expected: `${cols} columns (as out)`, received: `shape [${src.shape}]` }, ShapeError);
}

/** `optimizerUpdate`: each gradient and slot has its parameter's size, and each parameter its rule's slots. */
export function checkOptimizerArgs(rule: UpdateRule, params: Tensor[], grads: Tensor[], slots: Tensor[][]): void {
  const names = rule.slots;
  params.forEach((p, i) => {
    expectSize('optimizerUpdate', `grads[${i}]`, grads[i], p.size);
    if (slots[i]?.length !== names.length) {
      invalid({ what: `slots[${i}]`, where: `optimizerUpdate('${rule.name}')`, expected: `${names.length} slots (${names.join(', ')})`, received: `${slots[i]?.length ?? 0} slots` });
    }
    slots[i].forEach((s, j) => expectSize('optimizerUpdate', `slots[${i}][${j}]`, s, p.size));
  });
}

/** `loss(program, yPred, yTrue, accumulator, grad)`: one label per row when sparse, else yPred's size; returns `[rows, cols]`. */
export function checkLossArgs(program: RowProgram, yPred: Tensor, yTrue: Tensor, grad: Tensor | null): [number, number] {
  const [rows, cols] = rowsCols(yPred);
  expectSize('loss', 'yTrue', yTrue, program.target === 'sparse' ? rows : rows * cols);
  if (grad) expectSize('loss', 'grad', grad, yPred.size);
  return [rows, cols];
}

/** `metric(program, yPred, yTrue, accumulator)`: labels as for a loss, the accumulator its program's size; returns `[rows, cols]`. */
export function checkMetricArgs(program: MetricProgram, yPred: Tensor, yTrue: Tensor, accumulator: Tensor): [number, number] {
  const [rows, cols] = rowsCols(yPred);
  expectSize('metric', 'yTrue', yTrue, program.form === 'rows' && program.target === 'sparse' ? rows : rows * cols);
  expectSize('metric', 'accumulator', accumulator, metricStateSize(program, cols));
  return [rows, cols];
}

/** `upload(values, shape)`: no more values than the shape holds. */
export function checkUpload(values: ArrayLike<number>, shape: readonly number[], size: number): void {
  if (values.length > size) invalid({ what: 'values', where: 'upload', expected: `at most ${size} values for shape [${shape}]`, received: `${values.length} values` }, ShapeError);
}

/** `matmul(a, b, out, options)`: the operands' sizes for out's `[m, n]`; returns `[m, n, k]`. */
export function checkMatmul(a: Tensor, b: Tensor, out: Tensor, options: MatmulOptions): [number, number, number] {
  const [m, n] = rowsCols(out);
  const k = options.transposeA ? a.shape[0] : a.shape[a.shape.length - 1];
  expectSize('matmul', 'a', a, m * k);
  expectSize('matmul', 'b', b, k * n);
  if (options.bias) expectSize('matmul', 'bias', options.bias, n);
  if (options.preActivation) expectSize('matmul', 'preActivation', options.preActivation, m * n);
  return [m, n, k];
}

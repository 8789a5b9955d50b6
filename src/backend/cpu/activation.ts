/**
 * CPU activations: forward y = f(x) and backward dL/dx = dy·f′(x), each a loop generated from the
 * activation's expressions (code-cache.ts), and the row-wise softmax skeleton. `out` may alias the input.
 */
import { ShapeError, invalid } from '../../errors';
import type { ElementwiseFn } from '../../expr/functions';
import type { FloatArray } from '../backend';
import type { CodeCache } from './code-cache';

function checkLength(fn: string, what: string, a: FloatArray, n: number): void {
  if (a.length < n) invalid({ what, where: fn, expected: `at least rows·cols = ${n} elements`, received: `length ${a.length}` }, ShapeError);
}

/** out = f(x) on the first rows·cols elements; softmax row-wise over `cols`. Returns `out`. */
export function activationForward(cache: CodeCache, fn: ElementwiseFn, x: FloatArray, out: FloatArray, rows: number, cols: number): FloatArray {
  const n = rows * cols;
  checkLength('activation', 'x', x, n);
  checkLength('activation', 'out', out, n);
  if (fn.rowwise === 'softmax') return softmaxForward(x, out, rows, cols);
  if (fn.identity) {
    if (out !== x) out.set(x.subarray(0, n));
    return out;
  }
  const { code, program } = cache.kernel(`activation ${fn.name} forward`, [fn.forward], ['x']);
  code.run(n, [x], [out], cache.uniforms(program, fn.params, out instanceof Float32Array));
  return out;
}

/**
 * out = dy·f′(z) from dy, the pre-activation z and y = f(z) (only those `fn.reads` names are read: the
 * other may be empty); softmax uses the row Jacobian-vector product. Returns `out`.
 */
export function activationBackward(
  cache: CodeCache, fn: ElementwiseFn, dy: FloatArray, z: FloatArray, y: FloatArray, out: FloatArray, rows: number, cols: number,
): FloatArray {
  const n = rows * cols;
  checkLength('activationBackward', 'dy', dy, n);
  checkLength('activationBackward', 'out', out, n);
  if (fn.reads.z) checkLength('activationBackward', 'z', z, n);
  if (fn.reads.y) checkLength('activationBackward', 'y', y, n);
  if (fn.rowwise === 'softmax') return softmaxBackward(dy, y, out, rows, cols);
  if (fn.identity) {
    if (out !== dy) out.set(dy.subarray(0, n));
    return out;
  }
  const names = ['dy', ...(fn.reads.z ? ['x'] : []), ...(fn.reads.y ? ['y'] : [])];
  const arrays = [dy, ...(fn.reads.z ? [z] : []), ...(fn.reads.y ? [y] : [])];
  const { code, program } = cache.kernel(`activation ${fn.name} backward`, [fn.backward], names);
  code.run(n, arrays, [out], cache.uniforms(program, fn.params, out instanceof Float32Array));
  return out;
}

/** y_j = e^(x_j − m)/Σ_k e^(x_k − m), m = max_k x_k, per row. */
function softmaxForward(x: FloatArray, out: FloatArray, rows: number, cols: number): FloatArray {
  for (let r = 0; r < rows; r++) {
    const o = r * cols, e = o + cols;
    let m = -Infinity;
    for (let j = o; j < e; j++) if (x[j] > m) m = x[j];
    let s = 0;
    for (let j = o; j < e; j++) {
      const v = Math.exp(x[j] - m);
      out[j] = v;
      s += v;
    }
    const inv = 1 / s;
    for (let j = o; j < e; j++) out[j] *= inv;
  }
  return out;
}

/** dx_j = y_j·(dy_j − Σ_k dy_k·y_k), per row. */
function softmaxBackward(dy: FloatArray, y: FloatArray, out: FloatArray, rows: number, cols: number): FloatArray {
  for (let r = 0; r < rows; r++) {
    const o = r * cols, e = o + cols;
    let s = 0;
    for (let j = o; j < e; j++) s += dy[j] * y[j];
    for (let j = o; j < e; j++) out[j] = y[j] * (dy[j] - s);
  }
  return out;
}

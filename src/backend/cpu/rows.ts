/**
 * The CPU's row skeleton for losses and metrics (mirrors shaders/rows.wgsl): per row of predictions,
 * the program's transform (none, normalisation p/Σp, log-softmax), its reductions of the generated element
 * expressions, the per-row result; with a gradient, the derivative of the batch-mean result with respect
 * to the predictions, through the transform's Jacobian:
 *   normalize   (q = p/S):          dp_j = (g_j − Σ_k g_k q_k)/S
 *   log_softmax (q = z − lse(z)):   dz_j = g_j − softmax_j·Σ_k g_k
 * with g_j = Σ_k ∂result/∂r_k · ∂r_k/∂e_kj · ∂e_kj/∂q_j (mean: 1/cols; max: the first maximum only).
 * Also the column skeleton: per-column sums over the batch (r2).
 */
import type { ColumnProgram, MetricProgram, RowProgram } from '../../expr/functions';
import type { FloatArray } from '../backend';
import type { CodeCache } from './code-cache';

const ROW_INPUTS = ['r0', 'r1', 'r2', 'r3', 'label'];

/** Compiled parts of a row program, cached with it. */
function parts(cache: CodeCache, program: RowProgram) {
  const elements = program.reductions.map((r) => r.element);
  return {
    elements: cache.elementFn(`${program.name} elements`, elements, ['y_pred', 'y_true']),
    result: cache.elementFn(`${program.name} result`, [program.result, ...program.resultGrads], ROW_INPUTS),
    grads: program.differentiable ? cache.elementFn(`${program.name} element gradients`, program.elementGrads, ['y_pred', 'y_true']) : null,
  };
}

/**
 * Add the per-row results of a batch into `acc` as `[Σ results, rows]`; with `grad`, write the gradient
 * of the batch mean of the results with respect to `yPred`. Sparse targets are one index per row.
 */
export function rowsForward(
  cache: CodeCache, program: RowProgram, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, acc: FloatArray, grad: FloatArray | null,
): void {
  const { elements, result, grads } = parts(cache, program);
  const f32 = yPred instanceof Float32Array;
  const scalars = { ...program.params, cols };
  const ue = cache.uniforms(elements.program, scalars, f32, 0);
  const ur = cache.uniforms(result.program, scalars, f32, 1);
  const ug = grads ? cache.uniforms(grads.program, scalars, f32, 2) : ue;
  const k = program.reductions.length;
  const kinds = program.reductions.map((r) => r.op);
  const e = new Float64Array(Math.max(k, 1));
  const red = new Float64Array(5);
  const at = new Int32Array(4);
  const out = new Float64Array(1 + k);
  const g = new Float64Array(Math.max(k, 1));
  const pt = new Float64Array(2);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const label = program.target === 'sparse' ? yTrue[r] : 0;
    // The transform's statistics: S = Σ p, or lse = m + log Σ e^(z − m).
    let shift = 0;
    let scale = 1;
    if (program.transform === 'normalize') {
      let s = 0;
      for (let c = 0; c < cols; c++) s += yPred[base + c];
      scale = 1 / s;
    } else if (program.transform === 'log_softmax') {
      let m = -Infinity;
      for (let c = 0; c < cols; c++) m = Math.max(m, yPred[base + c]);
      let s = 0;
      for (let c = 0; c < cols; c++) s += Math.exp(yPred[base + c] - m);
      shift = m + Math.log(s);
    }
    const load = (c: number) => {
      pt[0] = program.transform === 'normalize' ? yPred[base + c] * scale : yPred[base + c] - shift;
      pt[1] = program.target === 'sparse' ? (label === c ? 1 : 0) : yTrue[base + c];
    };
    for (let c = 0; c < cols; c++) {
      load(c);
      elements.code(pt, ue, e);
      for (let j = 0; j < k; j++) {
        if (kinds[j] === 'sum' || kinds[j] === 'mean') red[j] = c === 0 ? e[j] : red[j] + e[j];
        else if (c === 0 || e[j] > red[j]) [red[j], at[j]] = [e[j], c];
      }
    }
    for (let j = 0; j < k; j++) {
      if (kinds[j] === 'mean') red[j] /= cols;
      else if (kinds[j] === 'argmax') red[j] = at[j];
    }
    red[4] = label;
    result.code(red, ur, out);
    total += out[0];
    if (!grad || !grads) continue;
    // g_c = Σ_j weight_j·∂e_j/∂q at column c; Σ g (log-softmax) or Σ g·q (normalize) for the transform.
    const weight = (j: number, c: number) => (kinds[j] === 'mean' ? out[1 + j] / cols : kinds[j] === 'max' ? (c === at[j] ? out[1 + j] : 0) : out[1 + j]);
    const gradAt = (c: number) => {
      load(c);
      grads.code(pt, ug, g);
      let v = 0;
      for (let j = 0; j < k; j++) v += weight(j, c) * g[j];
      return v;
    };
    let gs = 0;
    if (program.transform !== 'none') for (let c = 0; c < cols; c++) gs += gradAt(c) * (program.transform === 'normalize' ? pt[0] : 1);
    for (let c = 0; c < cols; c++) {
      const v = gradAt(c);
      const dz = program.transform === 'normalize' ? (v - gs) * scale : program.transform === 'log_softmax' ? v - Math.exp(pt[0]) * gs : v;
      grad[base + c] = dz / rows;
    }
  }
  acc[0] += total;
  acc[1] += rows;
}

/** Add a batch to a column program's accumulator `[count, then per column each sum]`. */
export function columnsForward(cache: CodeCache, program: ColumnProgram, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, acc: FloatArray): void {
  const fn = cache.elementFn(`${program.name} sums`, program.sums, ['y_pred', 'y_true']);
  const u = cache.uniforms(fn.program, { ...program.params, cols }, yPred instanceof Float32Array);
  const k = program.sums.length;
  const v = new Float64Array(k);
  const pt = new Float64Array(2);
  acc[0] += rows;
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      pt[0] = yPred[r * cols + c];
      pt[1] = yTrue[r * cols + c];
      fn.code(pt, u, v);
      for (let j = 0; j < k; j++) acc[1 + k * c + j] += v[j];
    }
  }
}

/** A metric's batch: rows into `[Σ, count]`, columns into their layout. */
export function metricForward(cache: CodeCache, program: MetricProgram, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, acc: FloatArray): void {
  if (program.form === 'rows') rowsForward(cache, program, yPred, yTrue, rows, cols, acc, null);
  else columnsForward(cache, program, yPred, yTrue, rows, cols, acc);
}


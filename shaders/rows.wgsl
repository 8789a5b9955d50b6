// Losses and per-sample metrics, one row of the batch per invocation (mirrors src/backend/cpu/rows.ts):
// the row of predictions goes through the transform (NORMALIZE: p/sum p; LOG_SOFTMAX: z - logsumexp z),
// the generated element function (row_elements: up to 4 values per element, src/expr/emit-wgsl.ts) is
// reduced over the row (ACCUMULATE, FINISH: sums, means, first maxima), and row_result gives the row's
// value, written to row_value[r] (summed into the [sum, count] accumulator by reduce.wgsl). With
// HAS_GRAD, the gradient of the batch-mean value: g_c = GRAD_WEIGHT . row_element_grads(q_c, t_c),
// then the transform's Jacobian (NORMALIZE: (g - sum g q)/S; LOG_SOFTMAX: g - softmax sum g), times
// grad_scale = 1/rows. SPARSE: y_true holds one class index per row, seen one-hot by the elements.

struct Params {
  rows: u32,
  cols: u32,
  grad_scale: f32,
  ${UNIFORMS}
}

@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> y_pred: array<f32>;
@group(0) @binding(2) var<storage, read> y_true: array<f32>;
@group(0) @binding(4) var<storage, read_write> row_value: array<f32>;
#if ${HAS_GRAD}
@group(0) @binding(5) var<storage, read_write> grad: array<f32>;
#endif

${CODE}

// The transform's row statistics: 1/S (NORMALIZE) or logsumexp (LOG_SOFTMAX).
var<private> row_base: u32;
var<private> row_scale: f32;
var<private> row_shift: f32;
var<private> row_label: f32;

fn q_at(c: u32) -> f32 {
  let p = y_pred[row_base + c];
#if ${NORMALIZE}
  return p * row_scale;
#elif ${LOG_SOFTMAX}
  return p - row_shift;
#else
  return p;
#endif
}

fn t_at(c: u32) -> f32 {
#if ${SPARSE}
  return select(0.0, 1.0, row_label == f32(c));
#else
  return y_true[row_base + c];
#endif
}

@compute @workgroup_size(64)
fn reduce_rows(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = linear_id(gid, nwg, 64u);
  if (r >= u.rows) {
    return;
  }
  row_base = r * u.cols;
  let cols_f = f32(u.cols);
#if ${SPARSE}
  row_label = y_true[r];
#endif
#if ${NORMALIZE}
  var s = 0.0;
  for (var c = 0u; c < u.cols; c++) {
    s += y_pred[row_base + c];
  }
  row_scale = 1.0 / s;
#elif ${LOG_SOFTMAX}
  var m = y_pred[row_base];
  for (var c = 1u; c < u.cols; c++) {
    m = max(m, y_pred[row_base + c]);
  }
  var s = 0.0;
  for (var c = 0u; c < u.cols; c++) {
    s += exp(y_pred[row_base + c] - m);
  }
  row_shift = m + log(s);
#endif
  var acc = row_elements(q_at(0u), t_at(0u));
  var at = vec4u(0u);
  for (var c = 1u; c < u.cols; c++) {
    let e = row_elements(q_at(c), t_at(c));
    ${ACCUMULATE}
  }
  ${FINISH}
  row_value[r] = row_result(acc.x, acc.y, acc.z, acc.w, row_label);
#if ${HAS_GRAD}
  let d = row_result_grads(acc.x, acc.y, acc.z, acc.w, row_label);
  var gs = 0.0;
#if ${TRANSFORMED}
  for (var c = 0u; c < u.cols; c++) {
    let q = q_at(c);
    let g = dot(${GRAD_WEIGHT}, row_element_grads(q, t_at(c)));
#if ${NORMALIZE}
    gs += g * q;
#else
    gs += g;
#endif
  }
#endif
  for (var c = 0u; c < u.cols; c++) {
    let q = q_at(c);
    let g = dot(${GRAD_WEIGHT}, row_element_grads(q, t_at(c)));
#if ${NORMALIZE}
    grad[row_base + c] = (g - gs) * row_scale * u.grad_scale;
#elif ${LOG_SOFTMAX}
    grad[row_base + c] = (g - exp(q) * gs) * u.grad_scale;
#else
    grad[row_base + c] = g * u.grad_scale;
#endif
  }
#endif
}

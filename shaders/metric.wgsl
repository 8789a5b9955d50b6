// Metrics (mirrors src/backend/cpu/metric-math.ts).
//   R2:        one output column per invocation adds sum y, sum y^2, sum (y - y-hat)^2 over the batch
//              into acc[1 + 3c ..], rows in order; invocation 0 also adds the row count to acc[0].
//   otherwise: one row per invocation writes the row's value to row_value[r], summed into the
//              [sum, count] accumulator by reduce.wgsl. Exactly one kind flag is set.

struct Params {
  rows: u32,
  cols: u32,
  threshold: f32,  // binary accuracy
}

@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> y_pred: array<f32>;
@group(0) @binding(2) var<storage, read> y_true: array<f32>;
@group(0) @binding(4) var<storage, read_write> dst: array<f32>;

// Index of the first maximum of a row.
fn argmax_pred(base: u32) -> u32 {
  var best = 0u;
  for (var c = 1u; c < u.cols; c++) {
    if (y_pred[base + c] > y_pred[base + best]) {
      best = c;
    }
  }
  return best;
}

fn argmax_true(base: u32) -> u32 {
  var best = 0u;
  for (var c = 1u; c < u.cols; c++) {
    if (y_true[base + c] > y_true[base + best]) {
      best = c;
    }
  }
  return best;
}

@compute @workgroup_size(64)
fn compute_metric(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_id(gid, nwg, 64u);
#if ${R2}
  if (i >= u.cols) {
    return;
  }
  if (i == 0u) {
    dst[0] += f32(u.rows);
  }
  var st = 0.0;
  var st2 = 0.0;
  var se2 = 0.0;
  for (var r = 0u; r < u.rows; r++) {
    let t = y_true[r * u.cols + i];
    let e = t - y_pred[r * u.cols + i];
    st += t;
    st2 += t * t;
    se2 += e * e;
  }
  dst[1u + 3u * i] += st;
  dst[2u + 3u * i] += st2;
  dst[3u + 3u * i] += se2;
#else
  if (i >= u.rows) {
    return;
  }
  let base = i * u.cols;
  var v = 0.0;
#if ${CATEGORICAL}
  if (argmax_pred(base) == argmax_true(base)) {
    v = 1.0;
  }
#elif ${SPARSE}
  if (f32(argmax_pred(base)) == y_true[i]) {
    v = 1.0;
  }
#else
  for (var c = 0u; c < u.cols; c++) {
    let p = y_pred[base + c];
    let t = y_true[base + c];
#if ${BINARY}
    var hit = 0.0;
    if (p > u.threshold) {
      hit = 1.0;
    }
    if (hit == t) {
      v += 1.0;
    }
#elif ${MSE}
    v += (p - t) * (p - t);
#else
    v += abs(p - t);
#endif
  }
  v /= f32(u.cols);
#endif
  dst[i] = v;
#endif
}

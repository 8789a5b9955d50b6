// Row-wise softmax of a [rows, cols] matrix, one row per invocation (rows are a batch, cols the
// classes: short rows, so a sequential loop per row keeps the CPU's summation order).
//   forward:  y_j = e^(z_j - m) / sum_k e^(z_k - m), m = max_k z_k
//   backward: dz_j = y_j (dy_j - sum_k dy_k y_k)

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> u: Params;
#if ${FORWARD}
@group(0) @binding(1) var<storage, read> x: array<f32>;
#else
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
#endif
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn apply_softmax(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = linear_id(gid, nwg, 64u);
  if (r >= u.rows) {
    return;
  }
  let start = r * u.cols;
  let end = start + u.cols;
#if ${FORWARD}
  var m = x[start];
  for (var j = start + 1u; j < end; j++) {
    m = max(m, x[j]);
  }
  var s = 0.0;
  for (var j = start; j < end; j++) {
    let e = exp(x[j] - m);
    out[j] = e;
    s += e;
  }
  let inv = 1.0 / s;
  for (var j = start; j < end; j++) {
    out[j] *= inv;
  }
#else
  var s = 0.0;
  for (var j = start; j < end; j++) {
    s += dy[j] * y[j];
  }
  for (var j = start; j < end; j++) {
    out[j] = y[j] * (dy[j] - s);
  }
#endif
}

// Metrics accumulated per output column (mirrors columnsForward in src/backend/cpu/rows.ts): one column per
// invocation adds the generated column_sums(y_pred, y_true) (up to 4 per element, src/expr/emit-wgsl.ts)
// over the batch, rows in order, into acc[1 + SUMS c + k]; invocation 0 also adds the row count to acc[0].

struct Params {
  rows: u32,
  cols: u32,
  ${UNIFORMS}
}

@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> y_pred: array<f32>;
@group(0) @binding(2) var<storage, read> y_true: array<f32>;
@group(0) @binding(4) var<storage, read_write> acc: array<f32>;

${CODE}

@compute @workgroup_size(64)
fn sum_columns(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = linear_id(gid, nwg, 64u);
  if (c >= u.cols) {
    return;
  }
  if (c == 0u) {
    acc[0] += f32(u.rows);
  }
  var s = vec4f(0.0);
  for (var r = 0u; r < u.rows; r++) {
    let i = r * u.cols + c;
    s += column_sums(y_pred[i], y_true[i]);
  }
  for (var k = 0u; k < ${SUMS}u; k++) {
    acc[1u + ${SUMS}u * c + k] += s[k];
  }
}

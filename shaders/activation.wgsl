// Elementwise activation, forward (out = f(x)) or backward (out = dy f'(z)), one element per invocation.
// ACT_CODE is the activation's generated WGSL (src/expr/emit-wgsl.ts): act_forward(x) or
// act_backward(dy, z, y), reading its run-time parameters from the UNIFORMS fields; READS_Z/READS_Y
// bind only what the derivative reads. Needs math.wgsl.

struct Params {
  n: u32,
  ${UNIFORMS}
}

@group(0) @binding(0) var<uniform> u: Params;
#if ${FORWARD}
@group(0) @binding(1) var<storage, read> x: array<f32>;
#else
@group(0) @binding(1) var<storage, read> dy: array<f32>;
#if ${READS_Z}
@group(0) @binding(2) var<storage, read> z: array<f32>;
#endif
#if ${READS_Y}
@group(0) @binding(3) var<storage, read> y: array<f32>;
#endif
#endif
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

${ACT_CODE}

@compute @workgroup_size(64)
fn apply_activation(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_id(gid, nwg, 64u);
  if (i >= u.n) {
    return;
  }
#if ${FORWARD}
  out[i] = act_forward(x[i]);
#else
  var zi = 0.0;
  var yi = 0.0;
#if ${READS_Z}
  zi = z[i];
#endif
#if ${READS_Y}
  yi = y[i];
#endif
  out[i] = act_backward(dy[i], zi, yi);
#endif
}

// Elementwise activation, forward (out = f(x)) or backward (out = dy * f'(z)), one element per
// invocation. ACT names a function pair of activation_functions.wgsl; READS_Z/READS_Y bind only what
// the derivative reads (backwardReads in activation-math.ts). Needs math.wgsl, activation_functions.wgsl.

struct Params {
  n: u32,
  p0: f32,
  p1: f32,
  p2: f32,
  p3: f32,
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

@compute @workgroup_size(64)
fn apply_activation(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_id(gid, nwg, 64u);
  if (i >= u.n) {
    return;
  }
  let p = vec4f(u.p0, u.p1, u.p2, u.p3);
#if ${FORWARD}
  out[i] = forward_${ACT}(x[i], p);
#else
  var zi = 0.0;
  var yi = 0.0;
#if ${READS_Z}
  zi = z[i];
#endif
#if ${READS_Y}
  yi = y[i];
#endif
  out[i] = backward_${ACT}(dy[i], zi, yi, p);
#endif
}

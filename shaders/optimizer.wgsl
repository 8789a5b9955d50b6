// Optimizer updates (mirrors src/backend/cpu/optimizer.ts): per element, the rule's generated WGSL
// (update_rule, src/expr/emit-wgsl.ts: clipping, decoupled weight decay and the optimizer's step, written
// as expressions) gives the new variable and the new value of each slot; SLOTS writes them back. Scalars
// of the rule (learning rate, step count, …) are uniform fields, so a schedule never recompiles anything.
//   CLIP_NORM:   the gradient is scaled by its tensor's clip factor, scales[tensor] (update_rule's last
//                parameter), computed on the device by
//   CLIP_SCALES: a single invocation turning the squared norms of every gradient into clip factors
//                (clipnorm per tensor, then globalClipnorm over all), so no norm leaves the GPU.

struct Params {
  n: u32,           // elements of this tensor (CLIP_SCALES: number of tensors)
  tensor: u32,      // index of this tensor's clip factor
  clipnorm: f32,        // CLIP_SCALES
  global_clipnorm: f32, // CLIP_SCALES
  ${UNIFORMS}
}

@group(0) @binding(0) var<uniform> u: Params;
#if ${CLIP_SCALES}
@group(0) @binding(1) var<storage, read> squares: array<f32>;
@group(0) @binding(4) var<storage, read_write> scales: array<f32>;

@compute @workgroup_size(1)
fn clip_scales() {
  var total = 0.0;
  for (var p = 0u; p < u.n; p++) {
    let norm = sqrt(squares[p]);
    var s = 1.0;
    if (u.clipnorm > 0.0) {
      s = u.clipnorm / max(norm, u.clipnorm);
    }
    scales[p] = s;
    total += (norm * s) * (norm * s);
  }
  if (u.global_clipnorm > 0.0) {
    let g = u.global_clipnorm / max(sqrt(total), u.global_clipnorm);
    for (var p = 0u; p < u.n; p++) {
      scales[p] *= g;
    }
  }
}
#else
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
#if ${CLIP_NORM}
@group(0) @binding(3) var<storage, read> scales: array<f32>;
#endif
#if ${SLOT0}
@group(0) @binding(4) var<storage, read_write> s0: array<f32>;
#endif
#if ${SLOT1}
@group(0) @binding(5) var<storage, read_write> s1: array<f32>;
#endif
#if ${SLOT2}
@group(0) @binding(6) var<storage, read_write> s2: array<f32>;
#endif
#if ${SLOT3}
@group(0) @binding(7) var<storage, read_write> s3: array<f32>;
#endif
#if ${SLOT4}
@group(0) @binding(8) var<storage, read_write> s4: array<f32>;
#endif

${CODE}

@compute @workgroup_size(64)
fn ${ENTRY}(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_id(gid, nwg, 64u);
  if (i >= u.n) {
    return;
  }
#if ${CLIP_NORM}
  let clip_scale = scales[u.tensor];
#else
  let clip_scale = 1.0;
#endif
  let r = update_rule(${ARGS}, clip_scale);
  ${STORE}
}
#endif

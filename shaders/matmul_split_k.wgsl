// Split-k, second pass (after matmul_epilogue.wgsl): C = epilogue(sum of the slices' partial sums).
// The first pass is matmul_blocked.wgsl or matmul_tiled.wgsl with SPLIT_K: slice s sums op(A)·op(B)
// over k in [s·k_slice, (s + 1)·k_slice) into partials[s·M·N + idx]. Here one invocation per element
// of C adds the slices in order 0, 1, … (a fixed order: the same bits every run) and applies the
// epilogue (accumulate, bias, preActivation, activation) once.

@group(0) @binding(1) var<storage, read> partials: array<f32>;

@compute @workgroup_size(64)
fn matmul_reduce_partials(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = linear_id(gid, nwg, 64u);
  let size = u.M * u.N;
  if (idx >= size) {
    return;
  }
  let slices = (u.K + u.k_slice - 1u) / u.k_slice;
  var sum = 0.0;
  for (var s = 0u; s < slices; s++) {
    sum += partials[s * size + idx];
  }
  store_c(idx / u.N, idx % u.N, sum);
}

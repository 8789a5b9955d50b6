// The uniform and the output side of every matmul kernel: the bias, C and preActivation bindings and
// the fused epilogue. matmul_blocked.wgsl and matmul_tiled.wgsl add the operands (matmul_common.wgsl);
// the split-k reduce (matmul_split_k.wgsl) reads partial sums instead.
//   C[M, N] = act(sum + bias)   (+ the previous C or preActivation when ACCUMULATE)
// ACT_CODE is the activation's generated WGSL, act_forward(v) (src/expr/emit-wgsl.ts), reading its
// run-time parameters from the UNIFORMS fields.

struct Params {
  M: u32,
  N: u32,
  K: u32,
  // Split-k only: k values per slice (a multiple of 8).
  k_slice: u32,
  ${UNIFORMS}
}

@group(0) @binding(0) var<uniform> u: Params;
#if ${HAS_BIAS}
@group(0) @binding(3) var<storage, read> bias: array<f32>;
#endif
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
#if ${HAS_PRE}
@group(0) @binding(5) var<storage, read_write> pre: array<f32>;
#endif

// The epilogue: one element of C from its accumulated dot product.
fn store_c(row: u32, col: u32, dot: f32) {
  let idx = row * u.N + col;
  var v = dot;
#if ${ACCUMULATE}
#if ${HAS_PRE}
  v += pre[idx];
#else
  v += out[idx];
#endif
#endif
#if ${HAS_BIAS}
  v += bias[col];
#endif
#if ${HAS_PRE}
  pre[idx] = v;
#endif
  out[idx] = act_forward(v);
}

${ACT_CODE}

#if ${SPLIT_K}
// Split-k: the slice of k this invocation sums over writes plain partial sums to out[slice·M·N + idx]
// (out is then a scratch buffer); matmul_reduce_partials adds the slices and applies the epilogue.
var<private> split_base: u32;
#endif

// Where a product kernel's result goes: the epilogue, or a partial sum of split-k.
fn store_result(row: u32, col: u32, dot: f32) {
#if ${SPLIT_K}
  out[split_base + row * u.N + col] = dot;
#else
  store_c(row, col, dot);
#endif
}

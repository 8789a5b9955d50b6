// Bindings, operand loads and the fused epilogue shared by matmul_blocked.wgsl and matmul_tiled.wgsl.
//   C[M, N] = act(op(A)[M, K] op(B)[K, N] + bias)   (+ the previous C or preActivation when ACCUMULATE)
// A is stored [M, K], or [K, M] when TRANSPOSE_A; B is [K, N], or [N, K] when TRANSPOSE_B.
// Shapes come through the uniform, so one pipeline serves every batch size.

struct Params {
  M: u32,
  N: u32,
  K: u32,
  p0: f32,
  p1: f32,
  p2: f32,
  p3: f32,
}

@group(0) @binding(0) var<uniform> u: Params;
#if ${A_VEC4}
@group(0) @binding(1) var<storage, read> a4: array<vec4f>;
#else
@group(0) @binding(1) var<storage, read> a: array<f32>;
#endif
#if ${B_VEC4}
@group(0) @binding(2) var<storage, read> b4: array<vec4f>;
#else
@group(0) @binding(2) var<storage, read> b: array<f32>;
#endif
#if ${HAS_BIAS}
@group(0) @binding(3) var<storage, read> bias: array<f32>;
#endif
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
#if ${HAS_PRE}
@group(0) @binding(5) var<storage, read_write> pre: array<f32>;
#endif

// op(A)[row, k] for a row already known to be < M.
fn load_a(row: u32, k: u32) -> f32 {
#if ${A_VEC4}
  let idx = row * u.K + k;
  return a4[idx / 4u][idx % 4u];
#elif ${TRANSPOSE_A}
  return a[k * u.M + row];
#else
  return a[row * u.K + k];
#endif
}

// op(B)[k, col] for a column already known to be < N.
fn load_b(k: u32, col: u32) -> f32 {
#if ${B_VEC4}
  let idx = k * u.N + col;
  return b4[idx / 4u][idx % 4u];
#elif ${TRANSPOSE_B}
  return b[col * u.K + k];
#else
  return b[k * u.N + col];
#endif
}

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
  out[idx] = forward_${ACT}(v, vec4f(u.p0, u.p1, u.p2, u.p3));
}

// The operands shared by matmul_blocked.wgsl and matmul_tiled.wgsl (after matmul_epilogue.wgsl):
//   C[M, N] = op(A)[M, K] op(B)[K, N]
// A is stored [M, K], or [K, M] when TRANSPOSE_A; B is [K, N], or [N, K] when TRANSPOSE_B.
// Shapes come through the uniform, so one pipeline serves every batch size.

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

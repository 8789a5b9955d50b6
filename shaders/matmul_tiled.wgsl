// Shared-memory tiled matmul for real GPUs: a 16x16 workgroup computes a 64x64 tile of C over K in
// steps of TK, staging both operands' tiles in workgroup memory (2 x TK x 64 floats). Invocation (x, y)
// computes rows y + 16i (i < 4) and the 4 adjacent columns 4x..4x+3, as vec4 multiply-adds, so each
// staged value is reused 64 times. Staging loads run along each operand's contiguous axis, so
// neighbouring invocations read neighbouring addresses.
// On SwiftShader this kernel measured 0.99 GFLOP/s against 2.41 for matmul_blocked.wgsl (barriers are
// fiber switches there), hence the switch in kernels/matmul.ts. TK = 8 rather than 16: SwiftShader
// compiles the unrolled loop in 1.2 s instead of 3.3 s (measured), and real GPUs lose little.
// SPLIT_K: workgroup rows are (slice, row tile) pairs, and a workgroup sums only its slice of k
// (k_slice values, a multiple of TK) into partial sums (matmul_split_k.wgsl).

const TILE = 64u;
const TK = 8u;

var<workgroup> tile_a: array<array<f32, 64>, TK>;    // [k][row]
var<workgroup> tile_b: array<array<vec4f, 16>, TK>;  // [k][col / 4]

@compute @workgroup_size(16, 16)
fn matmul_tiled(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u,
                @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) nwg: vec3u) {
  // Rows of workgroups past the per-dimension limit come folded into z (KernelRunner.grid2d); the
  // rounded-up fold may add rows past the end, which return before any barrier (wy is uniform).
  let wy = wid.y + wid.z * nwg.y;
#if ${SPLIT_K}
  let row_tiles = (u.M + TILE - 1u) / TILE;
  let slice = wy / row_tiles;
  if (slice * u.k_slice >= u.K) {
    return;
  }
  let row_base = (wy % row_tiles) * TILE;
  let k_begin = slice * u.k_slice;
  let k_end = min(u.K, k_begin + u.k_slice);
  split_base = slice * u.M * u.N;
#else
  let row_base = wy * TILE;
  if (row_base >= u.M) {
    return;
  }
  let k_begin = 0u;
  let k_end = u.K;
#endif
  let col_base = wid.x * TILE;
  var acc: array<vec4f, 4>;
  for (var t = k_begin; t < k_end; t += TK) {
    // TK x 64 values of each operand per step: TK / 4 per invocation.
    for (var l = 0u; l < TK / 4u; l++) {
      let e = l * 256u + li;
#if ${TRANSPOSE_A}
      let ra = e % TILE;
      let ka = e / TILE;
#else
      let ka = e % TK;
      let ra = e / TK;
#endif
      var va = 0.0;
      if (row_base + ra < u.M && t + ka < k_end) {
        va = load_a(row_base + ra, t + ka);
      }
      tile_a[ka][ra] = va;
#if ${TRANSPOSE_B}
      let kb = e % TK;
      let cb = e / TK;
#else
      let cb = e % TILE;
      let kb = e / TILE;
#endif
      var vb = 0.0;
      if (col_base + cb < u.N && t + kb < k_end) {
        vb = load_b(t + kb, col_base + cb);
      }
      tile_b[kb][cb / 4u][cb % 4u] = vb;
    }
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      let bv = tile_b[k][lid.x];
      for (var i = 0u; i < 4u; i++) {
        acc[i] = fma(vec4f(tile_a[k][lid.y + 16u * i]), bv, acc[i]);
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let row = row_base + lid.y + 16u * i;
    for (var j = 0u; j < 4u; j++) {
      let col = col_base + 4u * lid.x + j;
      if (row < u.M && col < u.N) {
        store_result(row, col, acc[i][j]);
      }
    }
  }
}

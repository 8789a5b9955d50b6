// Register-blocked matmul for CPU adapters (SwiftShader, llvmpipe): no workgroup memory and no
// barriers; each invocation computes an 8 x 8 block of C held in 16 vec4 registers. Measured on
// SwiftShader (2-core CPU): 16x16 shared-memory tiles 0.14 GFLOP/s, naive 0.24, 64x64 shared 0.99,
// register blocks without barriers 1.44 (4x4), 2.41 (8x8), 2.66 (16x8): a barrier costs a fiber switch
// per invocation there, so the fastest kernel is the one that never synchronises.
// The block is written out by hand: SwiftShader does not unroll loops over a local array, and the
// same kernel with `for` loops over array<vec4f, 16> accumulators ran 0.18 GFLOP/s (256^3, measured).
// k advances 4 at a time; where the layout allows (A_VEC4: A row-major with K % 4 == 0, B_VEC4: B
// row-major with N % 4 == 0) those 4 values come in one vec4 load.
// SPLIT_K: an invocation sums only its slice of k (k_slice values, a multiple of 8, so vec4 loads stay
// aligned) into partial sums (matmul_split_k.wgsl); the grid is 1-D, one invocation per (block, slice).

// op(B)[k, col..col+3] as a vec4; columns past N repeat the last column (their results are dropped).
fn load_b_row4(k: u32, col: u32) -> vec4f {
#if ${B_VEC4}
  return b4[(k * u.N + min(col, u.N - 4u)) / 4u];
#else
  let last = u.N - 1u;
  return vec4f(load_b(k, min(col, last)), load_b(k, min(col + 1u, last)), load_b(k, min(col + 2u, last)),
               load_b(k, min(col + 3u, last)));
#endif
}

// op(A)[row, k..k+3] as a vec4.
fn load_a_k4(row: u32, k: u32) -> vec4f {
#if ${A_VEC4}
  return a4[(row * u.K + k) / 4u];
#else
  return vec4f(load_a(row, k), load_a(row, k + 1u), load_a(row, k + 2u), load_a(row, k + 3u));
#endif
}

// acc + a.x b0 + a.y b1 + a.z b2 + a.w b3: four k steps of one row of the block.
fn rank4(acc: vec4f, a: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> vec4f {
  return acc + a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3;
}

// The epilogue of one row of the block: 8 columns from two vec4 accumulators.
fn store_row(row: u32, col0: u32, lo: vec4f, hi: vec4f) {
  if (row >= u.M) {
    return;
  }
  for (var j = 0u; j < 4u; j++) {
    if (col0 + j < u.N) {
      store_result(row, col0 + j, lo[j]);
    }
    if (col0 + 4u + j < u.N) {
      store_result(row, col0 + 4u + j, hi[j]);
    }
  }
}

@compute @workgroup_size(${WG_X}, ${WG_Y})
fn matmul_blocked(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
#if ${SPLIT_K}
  // One invocation per (block, slice) pair, slices fastest: neighbouring SIMD lanes share a block and
  // split its k, so they are all busy however narrow the output is.
  let id = linear_id(gid, nwg, ${WG_X}u * ${WG_Y}u);
  let slices = (u.K + u.k_slice - 1u) / u.k_slice;
  let slice = id % slices;
  let block = id / slices;
  let col_blocks = (u.N + 7u) / 8u;
  let row0 = (block / col_blocks) * 8u;
  let c0 = (block % col_blocks) * 8u;
  let k_begin = slice * u.k_slice;
  let k_end = min(u.K, k_begin + u.k_slice);
  split_base = slice * u.M * u.N;
#else
  // Rows of workgroups past the per-dimension limit come folded into z (KernelRunner.grid2d).
  let row0 = (gid.y + gid.z * nwg.y * ${WG_Y}u) * 8u;
  let c0 = gid.x * 8u;
  let k_begin = 0u;
  let k_end = u.K;
#endif
  let c1 = c0 + 4u;
  if (row0 >= u.M || c0 >= u.N) {
    return;
  }
  // Rows past M repeat the last row: loads stay in bounds without branches; results are dropped.
  let last = u.M - 1u;
  let r0 = row0;
  let r1 = min(row0 + 1u, last);
  let r2 = min(row0 + 2u, last);
  let r3 = min(row0 + 3u, last);
  let r4 = min(row0 + 4u, last);
  let r5 = min(row0 + 5u, last);
  let r6 = min(row0 + 6u, last);
  let r7 = min(row0 + 7u, last);
  var a00 = vec4f(0.0); var a01 = vec4f(0.0);  // row 0: columns c0..c0+3, c1..c1+3
  var a10 = vec4f(0.0); var a11 = vec4f(0.0);
  var a20 = vec4f(0.0); var a21 = vec4f(0.0);
  var a30 = vec4f(0.0); var a31 = vec4f(0.0);
  var a40 = vec4f(0.0); var a41 = vec4f(0.0);
  var a50 = vec4f(0.0); var a51 = vec4f(0.0);
  var a60 = vec4f(0.0); var a61 = vec4f(0.0);
  var a70 = vec4f(0.0); var a71 = vec4f(0.0);
  let k4 = k_begin + ((k_end - k_begin) & ~3u);
  for (var k = k_begin; k < k4; k += 4u) {
    let b00 = load_b_row4(k, c0);
    let b01 = load_b_row4(k, c1);
    let b10 = load_b_row4(k + 1u, c0);
    let b11 = load_b_row4(k + 1u, c1);
    let b20 = load_b_row4(k + 2u, c0);
    let b21 = load_b_row4(k + 2u, c1);
    let b30 = load_b_row4(k + 3u, c0);
    let b31 = load_b_row4(k + 3u, c1);
    let x0 = load_a_k4(r0, k);
    a00 = rank4(a00, x0, b00, b10, b20, b30);
    a01 = rank4(a01, x0, b01, b11, b21, b31);
    let x1 = load_a_k4(r1, k);
    a10 = rank4(a10, x1, b00, b10, b20, b30);
    a11 = rank4(a11, x1, b01, b11, b21, b31);
    let x2 = load_a_k4(r2, k);
    a20 = rank4(a20, x2, b00, b10, b20, b30);
    a21 = rank4(a21, x2, b01, b11, b21, b31);
    let x3 = load_a_k4(r3, k);
    a30 = rank4(a30, x3, b00, b10, b20, b30);
    a31 = rank4(a31, x3, b01, b11, b21, b31);
    let x4 = load_a_k4(r4, k);
    a40 = rank4(a40, x4, b00, b10, b20, b30);
    a41 = rank4(a41, x4, b01, b11, b21, b31);
    let x5 = load_a_k4(r5, k);
    a50 = rank4(a50, x5, b00, b10, b20, b30);
    a51 = rank4(a51, x5, b01, b11, b21, b31);
    let x6 = load_a_k4(r6, k);
    a60 = rank4(a60, x6, b00, b10, b20, b30);
    a61 = rank4(a61, x6, b01, b11, b21, b31);
    let x7 = load_a_k4(r7, k);
    a70 = rank4(a70, x7, b00, b10, b20, b30);
    a71 = rank4(a71, x7, b01, b11, b21, b31);
  }
  // K % 4 tail (only the scalar-load variants get here).
  for (var k = k4; k < k_end; k++) {
    let b0 = load_b_row4(k, c0);
    let b1 = load_b_row4(k, c1);
    let y0 = load_a(r0, k); a00 += y0 * b0; a01 += y0 * b1;
    let y1 = load_a(r1, k); a10 += y1 * b0; a11 += y1 * b1;
    let y2 = load_a(r2, k); a20 += y2 * b0; a21 += y2 * b1;
    let y3 = load_a(r3, k); a30 += y3 * b0; a31 += y3 * b1;
    let y4 = load_a(r4, k); a40 += y4 * b0; a41 += y4 * b1;
    let y5 = load_a(r5, k); a50 += y5 * b0; a51 += y5 * b1;
    let y6 = load_a(r6, k); a60 += y6 * b0; a61 += y6 * b1;
    let y7 = load_a(r7, k); a70 += y7 * b0; a71 += y7 * b1;
  }
  store_row(row0 + 0u, c0, a00, a01);
  store_row(row0 + 1u, c0, a10, a11);
  store_row(row0 + 2u, c0, a20, a21);
  store_row(row0 + 3u, c0, a30, a31);
  store_row(row0 + 4u, c0, a40, a41);
  store_row(row0 + 5u, c0, a50, a51);
  store_row(row0 + 6u, c0, a60, a61);
  store_row(row0 + 7u, c0, a70, a71);
}

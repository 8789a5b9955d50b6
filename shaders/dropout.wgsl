// Inverted dropout from the counter-based RNG (src/random/counter-rng.ts, prepended): element i of
// step `step` is kept when random_uniform01(seed, step, i) >= rate, and scaled by 1/(1 - rate). The
// test is done on the integer draw, bits = random_u32 >> 8 >= keep_from = ceil(rate * 2^24) (computed
// exactly on the host), which is the same test as uniform01 >= rate for every float64 rate, so both
// backends drop exactly the same elements. Backward applies the same mask to dy.

struct Params {
  n: u32,
  seed: u32,
  step: u32,
  keep_from: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn apply_dropout(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_id(gid, nwg, 64u);
  if (i >= u.n) {
    return;
  }
  let bits = random_u32(u.seed, u.step, i) >> 8u;
  if (bits >= u.keep_from) {
    out[i] = x[i] * u.scale;
  } else {
    out[i] = 0.0;
  }
}

// Batch normalization over the rows of a [rows, cols] matrix, one feature column per invocation,
// rows in order (mirrors src/backend/cpu/batchnorm-math.ts).
//   FORWARD + TRAINING: batch mean and biased variance, saved for backward; moving statistics
//                       updated in place: moving = moving momentum + batch (1 - momentum).
//   FORWARD:            normalise with the moving statistics, saved for backward.
//   backward:           x-hat = (x - mean) invStd: dBeta = sum dy, dGamma = sum dy x-hat, and when
//                       HAS_DX: dx = gamma invStd / N (N dy - dBeta - x-hat dGamma) after a TRAINING
//                       forward pass (the statistics depend on x), dx = gamma invStd dy otherwise.
// Eight storage bindings at most: the WebGPU default limit.

struct Params {
  rows: u32,
  cols: u32,
  momentum: f32,
  epsilon: f32,
}

@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
#if ${FORWARD}
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
#if ${TRAINING}
@group(0) @binding(5) var<storage, read_write> moving_mean: array<f32>;
@group(0) @binding(6) var<storage, read_write> moving_variance: array<f32>;
#else
@group(0) @binding(5) var<storage, read> moving_mean: array<f32>;
@group(0) @binding(6) var<storage, read> moving_variance: array<f32>;
#endif
@group(0) @binding(7) var<storage, read_write> saved_mean: array<f32>;
@group(0) @binding(8) var<storage, read_write> saved_inv_std: array<f32>;
#else
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(5) var<storage, read> saved_mean: array<f32>;
@group(0) @binding(6) var<storage, read> saved_inv_std: array<f32>;
@group(0) @binding(7) var<storage, read_write> d_gamma: array<f32>;
@group(0) @binding(8) var<storage, read_write> d_beta: array<f32>;
#if ${HAS_DX}
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
#endif
#endif

@compute @workgroup_size(64)
fn batch_norm(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = linear_id(gid, nwg, 64u);
  if (c >= u.cols) {
    return;
  }
  let n = u.rows;
  let cols = u.cols;
#if ${FORWARD}
#if ${TRAINING}
  var sum = 0.0;
  for (var r = 0u; r < n; r++) {
    sum += x[r * cols + c];
  }
  let mean = sum / f32(n);
  var sq = 0.0;
  for (var r = 0u; r < n; r++) {
    let d = x[r * cols + c] - mean;
    sq += d * d;
  }
  let variance = sq / f32(n);
  let inv_std = 1.0 / sqrt(variance + u.epsilon);
  moving_mean[c] = moving_mean[c] * u.momentum + mean * (1.0 - u.momentum);
  moving_variance[c] = moving_variance[c] * u.momentum + variance * (1.0 - u.momentum);
#else
  let mean = moving_mean[c];
  let inv_std = 1.0 / sqrt(moving_variance[c] + u.epsilon);
#endif
  saved_mean[c] = mean;
  saved_inv_std[c] = inv_std;
  let g = gamma[c] * inv_std;
  let b = beta[c] - mean * g;
  for (var r = 0u; r < n; r++) {
    out[r * cols + c] = x[r * cols + c] * g + b;
  }
#else
  let mean = saved_mean[c];
  let inv_std = saved_inv_std[c];
  var sum_dy = 0.0;
  var sum_dy_xhat = 0.0;
  for (var r = 0u; r < n; r++) {
    let g = dy[r * cols + c];
    sum_dy += g;
    sum_dy_xhat += g * (x[r * cols + c] - mean) * inv_std;
  }
  d_beta[c] = sum_dy;
  d_gamma[c] = sum_dy_xhat;
#if ${HAS_DX}
#if ${TRAINING}
  let k = (gamma[c] * inv_std) / f32(n);
  for (var r = 0u; r < n; r++) {
    let i = r * cols + c;
    let xhat = (x[i] - mean) * inv_std;
    dx[i] = k * (f32(n) * dy[i] - sum_dy - xhat * sum_dy_xhat);
  }
#else
  let k = gamma[c] * inv_std;
  for (var r = 0u; r < n; r++) {
    dx[r * cols + c] = k * dy[r * cols + c];
  }
#endif
#endif
#endif
}

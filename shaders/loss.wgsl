// Losses, one row of the batch per invocation (mirrors src/backend/cpu/loss-math.ts): writes the
// row's loss to row_loss[r] (summed into the [sum, count] accumulator by reduce.wgsl) and, with
// HAS_GRAD, the row's gradient of the batch-mean loss. Exactly one of the kind flags is set.
// CROSS_ENTROPY rows with FROM_LOGITS are the fused softmax + cross-entropy. Needs math.wgsl.

struct Params {
  rows: u32,
  cols: u32,
  delta: f32,       // huber
  epsilon: f32,     // probability clipping of the cross-entropies: [epsilon, 1 - epsilon]
  smoothing: f32,   // label smoothing
  grad_scale: f32,  // 1/(rows cols) for the elementwise losses, 1/rows for the categorical ones
  // The clip bounds [epsilon, 1 - epsilon] in float32, as Keras computes them (1 - 1e-7 rounds to
  // 1 - 2^-23), rounded to nearest on the host: clip(p, lo, hi), zero gradient outside them.
  lo: f32,
  hi: f32,
}

@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> y_pred: array<f32>;
@group(0) @binding(2) var<storage, read> y_true: array<f32>;
@group(0) @binding(4) var<storage, read_write> row_loss: array<f32>;
#if ${HAS_GRAD}
@group(0) @binding(5) var<storage, read_write> grad: array<f32>;
#endif

fn put_grad(i: u32, g: f32) {
#if ${HAS_GRAD}
  grad[i] = g;
#endif
}

// Loss of one element and its derivative with respect to the prediction (elementLoss).
fn element_loss(p: f32, t: f32) -> vec2f {
#if ${MSE}
  return vec2f((p - t) * (p - t), 2.0 * (p - t));
#elif ${MAE}
  return vec2f(abs(p - t), sign(p - t));
#elif ${HUBER}
  let e = p - t;
  let a = abs(e);
  if (a <= u.delta) {
    return vec2f(0.5 * e * e, e);
  }
  return vec2f(u.delta * (a - 0.5 * u.delta), u.delta * sign(e));
#elif ${BINARY}
  let target_p = t * (1.0 - u.smoothing) + 0.5 * u.smoothing;
#if ${FROM_LOGITS}
  var sp = 0.0;
  if (p > 0.0) {
    sp = p + log1p_f(exp(-p));
  } else {
    sp = log1p_f(exp(p));
  }
  return vec2f(sp - p * target_p, sigmoid_f(p) - target_p);
#else
  // As Keras: q = clip(p, lo, hi) and log(1 - q) of it (1 - q is exact for q >= 1/2).
  let q = min(max(p, u.lo), u.hi);
  let one_minus_q = 1.0 - q;
  let value = -(target_p * log_f(q) + (1.0 - target_p) * log_f(one_minus_q));
  if (p >= u.lo && p <= u.hi) {
    return vec2f(value, (q - target_p) / (q * one_minus_q));
  }
  return vec2f(value, 0.0);
#endif
#else
  return vec2f(0.0);
#endif
}

// Target probability of class c in row r, one-hot for SPARSE labels, with label smoothing.
fn target_of(r: u32, c: u32) -> f32 {
#if ${SPARSE}
  var t = 0.0;
  if (y_true[r] == f32(c)) {
    t = 1.0;
  }
#else
  var t = y_true[r * u.cols + c];
#endif
  if (u.smoothing > 0.0) {
    t = t * (1.0 - u.smoothing) + u.smoothing / f32(u.cols);
  }
  return t;
}

@compute @workgroup_size(64)
fn compute_loss(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = linear_id(gid, nwg, 64u);
  if (r >= u.rows) {
    return;
  }
  let base = r * u.cols;
  var loss = 0.0;
#if ${CROSS_ENTROPY}
  var target_sum = 0.0;
  for (var c = 0u; c < u.cols; c++) {
    target_sum += target_of(r, c);
  }
#if ${FROM_LOGITS}
  var m = y_pred[base];
  for (var c = 1u; c < u.cols; c++) {
    m = max(m, y_pred[base + c]);
  }
  var s = 0.0;
  for (var c = 0u; c < u.cols; c++) {
    s += exp(y_pred[base + c] - m);
  }
  let lse = m + log_f(s);
  for (var c = 0u; c < u.cols; c++) {
    let t = target_of(r, c);
    let z = y_pred[base + c] - lse;
    loss -= t * z;
    put_grad(base + c, (target_sum * exp(z) - t) * u.grad_scale);
  }
#else
  // Probabilities: normalise the row, clip, then -sum t log p.
  let hi = u.hi;
  var row_sum = 0.0;
  for (var c = 0u; c < u.cols; c++) {
    row_sum += y_pred[base + c];
  }
  var weighted = 0.0;  // sum of t p / p-hat over unclipped classes: the normalisation's gradient share
  for (var c = 0u; c < u.cols; c++) {
    let t = target_of(r, c);
    let normalised = y_pred[base + c] / row_sum;
    let clipped = min(max(normalised, u.lo), hi);
    loss -= t * log_f(clipped);
    if (normalised >= u.lo && normalised <= hi) {
      weighted += (t * y_pred[base + c]) / clipped;
    }
  }
  for (var c = 0u; c < u.cols; c++) {
    let t = target_of(r, c);
    let normalised = y_pred[base + c] / row_sum;
    var own = 0.0;
    if (normalised >= u.lo && normalised <= hi) {
      own = -t / normalised;
    }
    put_grad(base + c, ((own + weighted / row_sum) / row_sum) * u.grad_scale);
  }
#endif
#else
  for (var c = 0u; c < u.cols; c++) {
    let i = base + c;
    let vs = element_loss(y_pred[i], y_true[i]);
    loss += vs.x / f32(u.cols);
    put_grad(i, vs.y * u.grad_scale);
  }
#endif
  row_loss[r] = loss;
}

// Optimizer updates, Keras 3 semantics (mirrors src/backend/cpu/optimizer-math.ts): per element,
// scale the gradient by its tensor's clip factor (CLIP_NORM), clip it to +-clipvalue, apply decoupled
// weight decay w -= lr wd w, then the rule. One entry point per optimizer kind; the rule's options
// (momentum, nesterov, centered, amsgrad) are compile-time flags because they change the slots bound.
//   CLIP_SCALES: a single invocation turns the squared norms of every gradient into clip factors
//                (clipnorm per tensor, then globalClipnorm over all), so no norm leaves the GPU.

struct Params {
  n: u32,           // elements of this tensor (CLIP_SCALES: number of tensors)
  tensor: u32,      // index of this tensor's clip factor
  lr: f32,
  clipvalue: f32,   // 0 = off
  decay: f32,       // lr * weightDecay, 0 = off
  alpha: f32,       // adam: lr sqrt(1 - beta2^t)/(1 - beta1^t), decided on the host
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  rho: f32,
  momentum: f32,
  clipnorm: f32,        // CLIP_SCALES
  global_clipnorm: f32, // CLIP_SCALES
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
@group(0) @binding(2) var<storage, read> g_raw: array<f32>;
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

@compute @workgroup_size(64)
fn ${ENTRY}(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_id(gid, nwg, 64u);
  if (i >= u.n) {
    return;
  }
  var g = g_raw[i];
#if ${CLIP_NORM}
  g *= scales[u.tensor];
#endif
  if (u.clipvalue > 0.0) {
    g = clamp(g, -u.clipvalue, u.clipvalue);
  }
  var wi = w[i];
  if (u.decay != 0.0) {
    wi -= wi * u.decay;
  }
#if ${SGD}
#if ${MOMENTUM}
  let m = u.momentum * s0[i] - u.lr * g;
  s0[i] = m;
#if ${NESTEROV}
  wi += u.momentum * m - u.lr * g;
#else
  wi += m;
#endif
#else
  wi -= u.lr * g;
#endif
#elif ${RMSPROP}
  let v = u.rho * s0[i] + (1.0 - u.rho) * g * g;
  s0[i] = v;
  var denominator = v + u.epsilon;
#if ${CENTERED}
  let avg = u.rho * ${AVERAGE_SLOT}[i] + (1.0 - u.rho) * g;
  ${AVERAGE_SLOT}[i] = avg;
  denominator -= avg * avg;
#endif
  let increment = (u.lr * g) / sqrt(denominator);
#if ${MOMENTUM}
  let m = u.momentum * s1[i] + increment;
  s1[i] = m;
  wi -= m;
#else
  wi -= increment;
#endif
#elif ${ADAGRAD}
  let acc = s0[i] + g * g;
  s0[i] = acc;
  wi -= (u.lr * g) / sqrt(acc + u.epsilon);
#elif ${ADADELTA}
  let acc_grad = u.rho * s0[i] + (1.0 - u.rho) * g * g;
  s0[i] = acc_grad;
  let delta = (-sqrt(s1[i] + u.epsilon) / sqrt(acc_grad + u.epsilon)) * g;
  s1[i] = u.rho * s1[i] + (1.0 - u.rho) * delta * delta;
  wi += u.lr * delta;
#elif ${ADAM}
  let m = s0[i] + (g - s0[i]) * (1.0 - u.beta1);
  var v = s1[i] + (g * g - s1[i]) * (1.0 - u.beta2);
  s0[i] = m;
  s1[i] = v;
#if ${AMSGRAD}
  v = max(s2[i], v);
  s2[i] = v;
#endif
  wi -= (u.alpha * m) / (sqrt(v) + u.epsilon);
#endif
  w[i] = wi;
}
#endif

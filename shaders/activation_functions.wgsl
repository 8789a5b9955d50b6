// Every activation as a pair of float32 functions, mirroring src/backend/cpu/activation-math.ts case by
// case (same order, same formulas, same derivative conventions at the kinks):
//   forward_NAME(z, p) = f(z)
//   backward_NAME(dy, z, y, p) = dy * f'(z), given y = f(z)
// p holds the activation's parameters in the order of ACTIVATION_DEFS (src/activations/specs.ts).
// softmax is row-wise and lives in softmax.wgsl. Needs math.wgsl.

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const GELU_COEF = 0.044715;
const SQRT_2_OVER_PI = 0.7978845608028654;
const INV_SQRT2 = 0.7071067811865476;
const INV_SQRT_2PI = 0.3989422804014327;

// y = z
fn forward_linear(z: f32, p: vec4f) -> f32 { return z; }
fn backward_linear(dy: f32, z: f32, y: f32, p: vec4f) -> f32 { return dy; }

// y = z > 0 ? z : alpha (e^z - 1);  f' = z > 0 ? 1 : y + alpha
fn forward_elu(z: f32, p: vec4f) -> f32 {
  if (z > 0.0) { return z; }
  return p.x * expm1_f(z);
}
fn backward_elu(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z > 0.0) { return dy; }
  return dy * (y + p.x);
}

// y = |z| > lambd ? z : 0;  f' = |z| > lambd ? 1 : 0 (0 at +-lambd)
fn forward_hardshrink(z: f32, p: vec4f) -> f32 {
  if (z >= -p.x && z <= p.x) { return 0.0; }
  return z;
}
fn backward_hardshrink(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z >= -p.x && z <= p.x) { return 0.0; }
  return dy;
}

// y = clamp(z/6 + 1/2, 0, 1);  f' = -3 < z < 3 ? 1/6 : 0
fn forward_hardsigmoid(z: f32, p: vec4f) -> f32 {
  if (z <= -3.0) { return 0.0; }
  if (z >= 3.0) { return 1.0; }
  return (z + 3.0) / 6.0;
}
fn backward_hardsigmoid(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z > -3.0 && z < 3.0) { return dy / 6.0; }
  return 0.0;
}

// y = clamp(z, minVal, maxVal);  f' = minVal < z < maxVal ? 1 : 0  (p.z, p.w: the same bounds)
fn forward_hardtanh(z: f32, p: vec4f) -> f32 {
  if (z < p.x) { return p.x; }
  if (z > p.y) { return p.y; }
  return z;
}
fn backward_hardtanh(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z > p.z && z < p.w) { return dy; }
  return 0.0;
}

// y = z > 0 ? z : s z;  f' = z > 0 ? 1 : s
fn forward_leaky_relu(z: f32, p: vec4f) -> f32 {
  if (z > 0.0) { return z; }
  return p.x * z;
}
fn backward_leaky_relu(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z > 0.0) { return dy; }
  return dy * p.x;
}

// y = min(z, 0) - log1p(e^-|z|);  f' = sigmoid(-z)
fn forward_log_sigmoid(z: f32, p: vec4f) -> f32 { return min(z, 0.0) - log1p_f(exp(-abs(z))); }
fn backward_log_sigmoid(dy: f32, z: f32, y: f32, p: vec4f) -> f32 { return dy * sigmoid_f(-z); }

// p = (negativeSlope s, maxValue m, threshold t, 1 if m is given else 0); with defaults:
//   y = max(z, 0);  f' = z > 0 ? 1 : 0
// else Keras 3's relu: y = (z > t ? z : 0), clamped to [0, m] if given, minus s max(t - z, 0);
//   f' = [z > t and (no m or 0 < z < m)] + s [z < t]  (s [z <= 0] in the leaky form: t = 0, no m)
fn forward_relu(z: f32, p: vec4f) -> f32 {
  if (p.x == 0.0 && p.z == 0.0 && p.w == 0.0) {
    if (z < 0.0) { return 0.0; }
    return z;
  }
  var r = 0.0;
  if (z > p.z) { r = z; }
  if (p.w != 0.0) { r = clamp(r, 0.0, p.y); }
  return r - p.x * max(p.z - z, 0.0);
}
fn backward_relu(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  var d = 0.0;
  if (z > p.z && (p.w == 0.0 || (z > 0.0 && z < p.y))) { d = 1.0; }
  if (z < p.z || (z == p.z && p.z == 0.0 && p.w == 0.0)) { d += p.x; }
  return dy * d;
}

// y = clamp(z, 0, 6);  f' = 0 < z < 6 ? 1 : 0
fn forward_relu6(z: f32, p: vec4f) -> f32 {
  if (z < 0.0) { return 0.0; }
  if (z > 6.0) { return 6.0; }
  return z;
}
fn backward_relu6(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z > 0.0 && z < 6.0) { return dy; }
  return 0.0;
}

// y = scale (z > 0 ? z : alpha (e^z - 1));  f' = z > 0 ? scale : y + scale alpha
fn forward_selu(z: f32, p: vec4f) -> f32 {
  if (z > 0.0) { return SELU_SCALE * z; }
  return SELU_SCALE * (SELU_ALPHA * expm1_f(z));
}
fn backward_selu(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z > 0.0) { return dy * SELU_SCALE; }
  return dy * (y + SELU_SCALE * SELU_ALPHA);
}

// y = z > 0 ? z : alpha (e^(z/alpha) - 1);  f' = z > 0 ? 1 : y/alpha + 1
fn forward_celu(z: f32, p: vec4f) -> f32 {
  if (z > 0.0) { return z; }
  return p.x * expm1_f(z / p.x);
}
fn backward_celu(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z > 0.0) { return dy; }
  return dy * (y * (1.0 / p.x) + 1.0);
}

// y = 1/(1 + e^-z);  f' = y (1 - y)
fn forward_sigmoid(z: f32, p: vec4f) -> f32 { return sigmoid_f(z); }
fn backward_sigmoid(dy: f32, z: f32, y: f32, p: vec4f) -> f32 { return dy * y * (1.0 - y); }

// y = beta z > threshold ? z : log(1 + e^(beta z))/beta;  f' = beta z > threshold ? 1 : sigmoid(beta z)
fn forward_softplus(z: f32, p: vec4f) -> f32 {
  let bz = p.x * z;
  if (bz > p.y) { return z; }
  return softplus_f(bz) / p.x;
}
fn backward_softplus(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  let bz = p.x * z;
  if (bz > p.y) { return dy; }
  return dy * sigmoid_f(bz);
}

// y = z > lambd ? z - lambd : z < -lambd ? z + lambd : 0;  f' = |z| > lambd ? 1 : 0
fn forward_softshrink(z: f32, p: vec4f) -> f32 {
  if (z > p.x) { return z - p.x; }
  if (z < -p.x) { return z + p.x; }
  return 0.0;
}
fn backward_softshrink(dy: f32, z: f32, y: f32, p: vec4f) -> f32 { return backward_hardshrink(dy, z, y, p); }

// y = z/(1 + |z|);  f' = 1/(1 + |z|)^2
fn forward_softsign(z: f32, p: vec4f) -> f32 { return z / (1.0 + abs(z)); }
fn backward_softsign(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  let d = 1.0 + abs(z);
  return dy / (d * d);
}

// y = tanh z;  f' = 1 - y^2
fn forward_tanh(z: f32, p: vec4f) -> f32 { return tanh_f(z); }
fn backward_tanh(dy: f32, z: f32, y: f32, p: vec4f) -> f32 { return dy * (1.0 - y * y); }

// y = z relu6(z + 3)/6;  f' = z < -3 ? 0 : z <= 3 ? z/3 + 1/2 : 1
fn forward_hardswish(z: f32, p: vec4f) -> f32 {
  if (z <= -3.0) { return 0.0; }
  if (z >= 3.0) { return z; }
  return (z * (z + 3.0)) / 6.0;
}
fn backward_hardswish(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z < -3.0) { return 0.0; }
  if (z <= 3.0) { return dy * (z / 3.0 + 0.5); }
  return dy;
}

// approximate (p.x = 1): y = z sigmoid(2u), u = sqrt(2/pi)(z + 0.044715 z^3);
//   f' = s + 2 z s (1 - s) sqrt(2/pi)(1 + 3 0.044715 z^2), s = sigmoid(2u)
// exact (p.x = 0): y = z Phi(z) = z erfc(-z/sqrt2)/2;  f' = Phi(z) + z phi(z)
fn forward_gelu(z: f32, p: vec4f) -> f32 {
  if (p.x != 0.0) {
    return z * sigmoid_f(2.0 * SQRT_2_OVER_PI * (z + GELU_COEF * z * z * z));
  }
  return 0.5 * z * erfc_f(-z * INV_SQRT2);
}
fn backward_gelu(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  let z2 = z * z;
  if (p.x != 0.0) {
    let s = sigmoid_f(2.0 * SQRT_2_OVER_PI * z * (1.0 + GELU_COEF * z2));
    return dy * (s + 2.0 * z * s * (1.0 - s) * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_COEF * z2));
  }
  return dy * (0.5 * erfc_f(-z * INV_SQRT2) + z * INV_SQRT_2PI * exp(-0.5 * z2));
}

// y = z sigmoid(z);  f' = s (1 + z (1 - s))
fn forward_silu(z: f32, p: vec4f) -> f32 { return z * sigmoid_f(z); }
fn backward_silu(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  let s = sigmoid_f(z);
  return dy * s * (1.0 + z * (1.0 - s));
}

// y = z tanh(softplus z);  f' = t + z (1 - t^2) sigmoid(z), t = tanh(softplus z)
fn forward_mish(z: f32, p: vec4f) -> f32 { return z * tanh_f(softplus_f(z)); }
fn backward_mish(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  let t = tanh_f(softplus_f(z));
  return dy * (t + z * (1.0 - t * t) * sigmoid_f(z));
}

// y = z - tanh z;  f' = tanh^2 z
fn forward_tanhshrink(z: f32, p: vec4f) -> f32 { return z - tanh_f(z); }
fn backward_tanhshrink(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  let t = tanh_f(z);
  return dy * t * t;
}

// y = z > threshold ? z : value;  f' = z > threshold ? 1 : 0
fn forward_threshold(z: f32, p: vec4f) -> f32 {
  if (z > p.x) { return z; }
  return p.y;
}
fn backward_threshold(dy: f32, z: f32, y: f32, p: vec4f) -> f32 {
  if (z > p.x) { return dy; }
  return 0.0;
}

// Float32 helpers shared by the activation, loss and optimizer shaders. Plain exp/log/tanh lose
// relative accuracy near 0 (exp(x) - 1, log(1 + x)) and may overflow to an indeterminate value,
// so these mirror the CPU's float64 formulas (activation-math.ts, loss-math.ts) without either problem.

const F32_EXP_MAX = 88.0;  // exp(88) = 1.65e38 < f32 max; larger arguments would overflow
const TWO_OVER_SQRT_PI = 1.1283791670955126;

// Logistic sigmoid split on the sign, so exp never sees a large positive argument.
fn sigmoid_f(x: f32) -> f32 {
  if (x >= 0.0) {
    return 1.0 / (1.0 + exp(-x));
  }
  let e = exp(x);
  return e / (1.0 + e);
}

// e^x - 1: Taylor series to x^9/9! for |x| < 0.5 (truncation below 3e-10 relative), else exp(x) - 1,
// where the cancellation costs at most a factor 2.6.
fn expm1_f(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0
      + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x * (1.0 / 362880.0)))))))));
  }
  return exp(min(x, F32_EXP_MAX)) - 1.0;
}

// log(1 + x). WGSL only promises log an absolute error of 2^-21 on [0.5, 2], so log(1 + x) near 0 can
// be wrong in every digit (NVIDIA through Vulkan: mish(-12) came out 2 % off with Kahan's
// log(u) x / (u - 1)). Small |x| uses log1p(x) = 2 atanh(s), s = x/(2 + x), |s| <= 0.172, as a series in
// s^2 (truncation below 1e-11); elsewhere log(1 + x) is at least 0.34 in size, so 2^-21 is 1.4e-6 of it.
fn log1p_f(x: f32) -> f32 {
  if (abs(x) < 0.4142) {
    let s = x / (2.0 + x);
    let s2 = s * s;
    return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0
      + s2 * (1.0 / 11.0 + s2 / 13.0))))));
  }
  return log(1.0 + x);
}

// log(x) with relative accuracy near 1 as well: on [0.5, 2], x - 1 is exact (Sterbenz), see log1p_f.
fn log_f(x: f32) -> f32 {
  if (x >= 0.5 && x <= 2.0) {
    return log1p_f(x - 1.0);
  }
  return log(x);
}

// tanh through expm1, accurate near 0 where (e^x - e^-x)/(e^x + e^-x) is not; 1 beyond |x| = 9.
fn tanh_f(x: f32) -> f32 {
  let a = abs(x);
  if (a > 9.0) {
    return sign(x);
  }
  let t = expm1_f(2.0 * a);
  return sign(x) * (t / (t + 2.0));
}

// log(1 + e^x) = max(x, 0) + log1p(e^-|x|), without overflow.
fn softplus_f(x: f32) -> f32 {
  return max(x, 0.0) + log1p_f(exp(-abs(x)));
}

// erf for |x| < 2: (2x/sqrt(pi)) e^(-x^2) sum_n (2x^2)^n / (1*3*...*(2n+1)), all terms positive
// (the CPU's series, stopped at float32 resolution).
fn erf_series_f(x: f32) -> f32 {
  let x2 = x * x;
  let a = 2.0 * x2;
  var term = 1.0;
  var sum = 1.0;
  for (var k = 1u; k < 48u; k++) {
    term *= a / f32(2u * k + 1u);
    sum += term;
    if (term <= 3e-8 * sum) {
      break;
    }
  }
  return TWO_OVER_SQRT_PI * x * exp(-x2) * sum;
}

// erfc for x >= 2: Laplace's continued fraction by modified Lentz (the CPU's erfcFraction), with
// e^(-x^2) split as e^(-s^2) e^(-(x-s)(x+s)), s = x rounded down to 1/16, so x*x's rounding costs no
// relative accuracy in the tail. erfc(10) is below the smallest float32.
fn erfc_fraction_f(x: f32) -> f32 {
  if (x > 10.0) {
    return 0.0;
  }
  let b0 = 2.0 * x * x + 1.0;
  var f = b0;
  var c = b0;
  var d = 0.0;
  for (var k = 1u; k < 64u; k++) {
    let kf = f32(k);
    let a = -2.0 * kf * (2.0 * kf - 1.0);
    let b = b0 + 4.0 * kf;
    d = 1.0 / (b + a * d);
    c = b + a / c;
    let delta = c * d;
    f *= delta;
    if (abs(delta - 1.0) < 1e-7) {
      break;
    }
  }
  let s = trunc(x * 16.0) / 16.0;
  return ((TWO_OVER_SQRT_PI * x) / f) * exp(-s * s) * exp(-(x - s) * (x + s));
}

// Complementary error function 1 - erf(x).
fn erfc_f(x: f32) -> f32 {
  if (x > -2.0 && x < 2.0) {
    return 1.0 - erf_series_f(x);
  }
  if (x > 0.0) {
    return erfc_fraction_f(x);
  }
  return 2.0 - erfc_fraction_f(-x);
}

// 1-D dispatches wider than 65,535 workgroups are folded into (x, y) or (x, y, z) (KernelRunner.grid1d):
// the linear invocation id.
fn linear_id(gid: vec3u, nwg: vec3u, wg_size: u32) -> u32 {
  return gid.x + (gid.y + gid.z * nwg.y) * nwg.x * wg_size;
}

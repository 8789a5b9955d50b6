/**
 * Optimizer updates on the CPU, Keras 3 semantics. One call updates every parameter, in the order Keras
 * applies them: clip the gradients (clipnorm per tensor, globalClipnorm over all, clipvalue per element),
 * apply decoupled weight decay `w -= lr·wd·w`, then the optimizer's rule. Gradients are not modified.
 */
import type { FloatArray, OptimizerKind, OptimizerStep } from '../backend';

function l2(g: FloatArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}

/** The factor every element of gradient i is multiplied by before clipvalue. */
function clipScales(grads: FloatArray[], step: OptimizerStep): number[] {
  const scales = grads.map((g) => (step.clipnorm > 0 ? step.clipnorm / Math.max(l2(g), step.clipnorm) : 1));
  if (step.globalClipnorm > 0) {
    const norm = Math.sqrt(grads.reduce((s, g, i) => s + (l2(g) * scales[i]) ** 2, 0));
    const global = step.globalClipnorm / Math.max(norm, step.globalClipnorm);
    for (let i = 0; i < scales.length; i++) scales[i] *= global;
  }
  return scales;
}

export function optimizerUpdate(
  kind: OptimizerKind,
  params: FloatArray[],
  grads: FloatArray[],
  slots: FloatArray[][],
  step: OptimizerStep,
): void {
  const scales = clipScales(grads, step);
  const lr = step.learningRate;
  const h = step.hyper;
  const t = step.iteration + 1;
  // Adam's bias correction folded into the step size, as Keras does.
  const adamAlpha = (lr * Math.sqrt(1 - h.beta2 ** t)) / (1 - h.beta1 ** t);
  const clip = step.clipvalue;
  const decay = lr * step.weightDecay;

  for (let p = 0; p < params.length; p++) {
    const w = params[p];
    const gRaw = grads[p];
    const s = slots[p];
    const scale = scales[p];
    for (let i = 0; i < w.length; i++) {
      let g = gRaw[i] * scale;
      if (clip > 0) g = Math.min(Math.max(g, -clip), clip);
      if (decay !== 0) w[i] -= w[i] * decay;
      switch (kind) {
        case 'sgd':
          if (h.momentum > 0) {
            const m = h.momentum * s[0][i] - lr * g;
            s[0][i] = m;
            w[i] += h.nesterov ? h.momentum * m - lr * g : m;
          } else {
            w[i] -= lr * g;
          }
          break;
        case 'rmsprop': {
          const v = h.rho * s[0][i] + (1 - h.rho) * g * g;
          s[0][i] = v;
          let denominator = v + h.epsilon;
          const avgSlot = h.momentum > 0 ? 2 : 1;
          if (h.centered) {
            const a = h.rho * s[avgSlot][i] + (1 - h.rho) * g;
            s[avgSlot][i] = a;
            denominator -= a * a;
          }
          const increment = (lr * g) / Math.sqrt(denominator);
          if (h.momentum > 0) {
            s[1][i] = h.momentum * s[1][i] + increment;
            w[i] -= s[1][i];
          } else {
            w[i] -= increment;
          }
          break;
        }
        case 'adagrad':
          s[0][i] += g * g;
          w[i] -= (lr * g) / Math.sqrt(s[0][i] + h.epsilon);
          break;
        case 'adadelta': {
          const accGrad = h.rho * s[0][i] + (1 - h.rho) * g * g;
          s[0][i] = accGrad;
          const delta = (-Math.sqrt(s[1][i] + h.epsilon) / Math.sqrt(accGrad + h.epsilon)) * g;
          s[1][i] = h.rho * s[1][i] + (1 - h.rho) * delta * delta;
          w[i] += lr * delta;
          break;
        }
        case 'adam':
        case 'adamw': {
          const m = s[0][i] + (g - s[0][i]) * (1 - h.beta1);
          let v = s[1][i] + (g * g - s[1][i]) * (1 - h.beta2);
          s[0][i] = m;
          s[1][i] = v;
          if (h.amsgrad) {
            v = Math.max(s[2][i], v);
            s[2][i] = v;
          }
          w[i] -= (adamAlpha * m) / (Math.sqrt(v) + h.epsilon);
          break;
        }
      }
    }
  }
}

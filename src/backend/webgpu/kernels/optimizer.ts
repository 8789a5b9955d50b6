/**
 * The fused optimizer update (shaders/optimizer.wgsl): one kernel per optimizer kind does clipping,
 * decoupled weight decay and the rule in a single pass over each parameter.
 *
 * All parameters at once: one dispatch per parameter tensor, all recorded in the step's single compute
 * pass and submitted with the rest of the step. A concatenated flat view would save those few
 * dispatches, but parameters, gradients and slots are separate tensors owned by layers and the
 * optimizer; gathering them into one buffer and scattering back would cost two copies of every
 * parameter per step, far more than the dispatches it saves (an MLP has a handful of tensors).
 *
 * Clipping without a readback: one workgroup per gradient writes its squared norm into a scratch
 * vector, a single invocation turns those into per-tensor factors (clipnorm, then globalClipnorm), and
 * the update kernels multiply each gradient by its tensor's factor.
 */
import { optimizerSlotNames, type OptimizerKind, type OptimizerStep } from '../../backend';
import type { Binding, GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';
import { sumSquares } from './reduce';

// n, tensor, lr, clipvalue, decay, alpha, beta1, beta2, epsilon, rho, momentum, clipnorm, global_clipnorm
const FORMAT = 'uufffffffffff';

const ENTRY: Record<OptimizerKind, string> = {
  sgd: 'sgd_update',
  rmsprop: 'rmsprop_update',
  adagrad: 'adagrad_update',
  adadelta: 'adadelta_update',
  adam: 'adam_update',
  adamw: 'adam_update',
};

export interface OptimizerCall {
  kind: OptimizerKind;
  params: GpuBuffer[];
  grads: GpuBuffer[];
  slots: GpuBuffer[][];
  /** Elements of each parameter. */
  sizes: number[];
  step: OptimizerStep;
}

export function optimizerUpdate(k: Runner, call: OptimizerCall): void {
  const { kind, step, sizes } = call;
  const h = step.hyper;
  const num = (key: string) => h[key] ?? 0;
  const slotCount = optimizerSlotNames(kind, h).length;
  const lr = step.learningRate;
  const t = step.iteration + 1;
  const adam = kind === 'adam' || kind === 'adamw';
  // Adam's bias correction folded into the step size, in float64 on the host, as Keras does.
  const alpha = adam ? (lr * Math.sqrt(1 - num('beta2') ** t)) / (1 - num('beta1') ** t) : 0;
  const hyper = [lr, step.clipvalue, lr * step.weightDecay, alpha, num('beta1'), num('beta2'), num('epsilon'), num('rho'), num('momentum')];

  const clipNorm = step.clipnorm > 0 || step.globalClipnorm > 0;
  let scales: GpuBuffer | null = null;
  if (clipNorm) {
    const count = call.grads.length;
    const squares = k.temp(count * 4);
    call.grads.forEach((g, i) => sumSquares(k, g, sizes[i], squares, i));
    scales = k.temp(count * 4);
    k.run({
      source: SHADERS.optimizer,
      defines: { CLIP_SCALES: true, ...variantFlags('sgd', {}, 0, false), ENTRY: 'clip_scales' },
      bindings: [{ binding: 1, ...squares }, { binding: 4, ...scales, write: true }],
      format: FORMAT,
      values: [count, 0, ...hyper, step.clipnorm, step.globalClipnorm],
      groups: [1, 1],
    });
    k.release(squares);
  }
  for (let i = 0; i < call.params.length; i++) {
    if (sizes[i] === 0) continue;
    const slots: Binding[] = call.slots[i].slice(0, slotCount).map((s, j) => ({ binding: 4 + j, ...s, write: true }));
    k.run({
      source: SHADERS.optimizer,
      defines: { CLIP_SCALES: false, ...variantFlags(kind, h, slotCount, clipNorm) },
      bindings: [
        { binding: 1, ...call.params[i], write: true },
        { binding: 2, ...call.grads[i] },
        ...(scales ? [{ binding: 3, ...scales }] : []),
        ...slots,
      ],
      format: FORMAT,
      values: [sizes[i], i, ...hyper, 0, 0],
      groups: k.grid1d(sizes[i]),
    });
  }
  if (scales) k.release(scales);
}

/** The compile-time switches of one optimizer variant (every placeholder optimizer.wgsl uses). */
function variantFlags(kind: OptimizerKind, h: Readonly<Record<string, number>>, slots: number, clipNorm: boolean) {
  const momentum = (h.momentum ?? 0) > 0;
  return {
    ENTRY: ENTRY[kind],
    CLIP_NORM: clipNorm,
    SLOT0: slots > 0,
    SLOT1: slots > 1,
    SLOT2: slots > 2,
    SGD: kind === 'sgd',
    RMSPROP: kind === 'rmsprop',
    ADAGRAD: kind === 'adagrad',
    ADADELTA: kind === 'adadelta',
    ADAM: kind === 'adam' || kind === 'adamw',
    MOMENTUM: momentum,
    NESTEROV: kind === 'sgd' && momentum && Boolean(h.nesterov),
    CENTERED: kind === 'rmsprop' && Boolean(h.centered),
    AMSGRAD: (kind === 'adam' || kind === 'adamw') && Boolean(h.amsgrad),
    AVERAGE_SLOT: momentum ? 's2' : 's1',
  };
}

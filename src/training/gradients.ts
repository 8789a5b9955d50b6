/**
 * @internal Loss and weight gradients of one batch without updating anything: what the gradient checks
 * compare against finite differences. Runs the same forward/loss/backward path as `fit`.
 */
import { currentBackend } from '../backend/registry';
import { getFloatx } from '../config';
import type { Sequential } from '../models/sequential';
import type { TensorLike } from '../tensor/convert';
import { prepareInputs, prepareTargets, upload } from './data';
import { Accumulators, StepPlan } from './step';

export interface GradientOptions {
  /** Training mode (dropout and batch statistics), default true. */
  training?: boolean;
  /** Step index keying dropout masks: keep it fixed to compare several evaluations. */
  step?: number;
  runSeed?: number;
}

/** Mean loss of the batch and the gradient of every trainable weight (Keras order). */
export async function lossAndGradients(
  model: Sequential,
  x: TensorLike,
  y: TensorLike,
  { training = true, step = 0, runSeed = 0 }: GradientOptions = {},
): Promise<{ loss: number; grads: Float64Array[] }> {
  const { loss } = model.requireCompiled('lossAndGradients');
  const xHost = await prepareInputs(model, x, 'lossAndGradients');
  const yHost = await prepareTargets(model, loss, y, xHost.shape[0], 'lossAndGradients');
  const backend = currentBackend();
  await model.placeOn(backend);
  const plan = new StepPlan(model, backend);
  const acc = new Accumulators(backend, [], yHost.shape[1], getFloatx());
  const xb = upload(backend, xHost);
  const yb = upload(backend, yHost);
  try {
    acc.reset();
    const ctx = { backend, training, step, runSeed, logitsLayer: plan.fused, backwardFollows: true };
    const grad = plan.accumulate(plan.forward(xb, ctx), yb, acc, true)!;
    plan.backward(grad, ctx);
    const logs = await acc.read();
    const grads = await Promise.all(plan.trainable.map(async (v) => Float64Array.from(await v.grad!.data())));
    return { loss: logs.loss, grads };
  } finally {
    xb.dispose();
    yb.dispose();
    acc.dispose();
    plan.dispose();
  }
}

/**
 * The CPU's fused optimizer update: the clip factors of clipnorm (per tensor) and globalClipnorm (over all)
 * from the gradients' L2 norms, then the rule's generated loop over each parameter, updating it and its
 * slots in place (each element's inputs are read before its outputs are written). Gradients are not
 * modified.
 */
import { CLIP_SCALE, type UpdateRule } from '../../expr/functions';
import type { FloatArray, OptimizerStep } from '../backend';
import type { CodeCache } from './code-cache';

function l2(g: FloatArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}

/** The factor every element of gradient i is multiplied by (before clipvalue). */
export function clipScales(grads: FloatArray[], step: OptimizerStep): number[] {
  const scales = grads.map((g) => (step.clipnorm > 0 ? step.clipnorm / Math.max(l2(g), step.clipnorm) : 1));
  if (step.globalClipnorm > 0) {
    const norm = Math.sqrt(grads.reduce((s, g, i) => s + (l2(g) * scales[i]) ** 2, 0));
    const global = step.globalClipnorm / Math.max(norm, step.globalClipnorm);
    for (let i = 0; i < scales.length; i++) scales[i] *= global;
  }
  return scales;
}

export function optimizerUpdate(cache: CodeCache, rule: UpdateRule, params: FloatArray[], grads: FloatArray[], slots: FloatArray[][], step: OptimizerStep): void {
  const scales = rule.clipsByNorm ? clipScales(grads, step) : null;
  const { code, program } = cache.kernel(`optimizer ${rule.name} update`, rule.outputs, ['variable', 'gradient', ...rule.slots]);
  const scalars: Record<string, number> = { ...step.scalars, [CLIP_SCALE]: 1 };
  for (let p = 0; p < params.length; p++) {
    if (scales) scalars[CLIP_SCALE] = scales[p];
    const u = cache.uniforms(program, scalars, params[p] instanceof Float32Array);
    code.run(params[p].length, [params[p], grads[p], ...slots[p]], [params[p], ...slots[p]], u);
  }
}

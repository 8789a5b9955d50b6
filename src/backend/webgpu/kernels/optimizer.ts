/**
 * The fused optimizer update (shaders/optimizer.wgsl): one kernel per rule, its generated WGSL doing
 * clipping, decoupled weight decay and the optimizer's step in a single pass over each parameter.
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
import { uniformFields, wgslFunction, wgslProgram } from '../../../expr/emit-wgsl';
import { CLIP_SCALE, type UpdateRule } from '../../../expr/functions';
import { uniformValues, type Program } from '../../../expr/program';
import type { OptimizerStep } from '../../backend';
import type { Binding, GpuBuffer, Runner } from '../kernel-runner';
import { SHADERS } from '../shaders';
import { sumSquares } from './reduce';

const NO_SLOTS = { SLOT0: false, SLOT1: false, SLOT2: false, SLOT3: false, SLOT4: false };

interface RuleCode {
  readonly defines: Record<string, string | boolean>;
  readonly program: Program;
}

const codes = new WeakMap<UpdateRule, RuleCode>();

/** The rule's generated update_rule(w, g, slots…, clip_scale) and the statements storing its results. */
function ruleCode(rule: UpdateRule): RuleCode {
  const hit = codes.get(rule);
  if (hit) return hit;
  const program = wgslProgram(rule.outputs, [CLIP_SCALE]);
  const inputs = ['variable', 'gradient', ...rule.slots];
  const code = wgslFunction(program, { name: 'update_rule', params: [...inputs, CLIP_SCALE] });
  const slots = rule.slots.map((_, j) => `s${j}`);
  const at = (k: number) => (rule.outputs.length === 1 ? 'r' : `r[${k}]`);
  const defines: Record<string, string | boolean> = {
    CODE: code,
    UNIFORMS: uniformFields(program.uniforms.length),
    ARGS: ['w[i]', 'g[i]', ...slots.map((s) => `${s}[i]`)].join(', '),
    STORE: ['w', ...slots].map((b, k) => `${b}[i] = ${at(k)};`).join(' '),
    ENTRY: `${rule.name.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase()}_update`,
    ...Object.fromEntries(Object.keys(NO_SLOTS).map((k, j) => [k, j < rule.slots.length])),
  };
  const generated = { defines, program };
  codes.set(rule, generated);
  return generated;
}

export interface OptimizerCall {
  rule: UpdateRule;
  params: GpuBuffer[];
  grads: GpuBuffer[];
  slots: GpuBuffer[][];
  /** Elements of each parameter. */
  sizes: number[];
  step: OptimizerStep;
}

export function optimizerUpdate(k: Runner, call: OptimizerCall): void {
  const { rule, step, sizes } = call;
  const { defines, program } = ruleCode(rule);
  const values = Array.from(uniformValues(program, step.scalars, new Float64Array(program.uniforms.length), true));
  const format = 'uuff' + 'f'.repeat(values.length);
  let scales: GpuBuffer | null = null;
  if (rule.clipsByNorm) {
    const count = call.grads.length;
    const squares = k.temp(count * 4);
    call.grads.forEach((g, i) => sumSquares(k, g, sizes[i], squares, i));
    scales = k.temp(count * 4);
    k.run({
      source: SHADERS.optimizer,
      defines: { CLIP_SCALES: true, CLIP_NORM: false, ...NO_SLOTS, CODE: '', UNIFORMS: '', ARGS: '', STORE: '', ENTRY: 'clip_scales' },
      bindings: [{ binding: 1, ...squares }, { binding: 4, ...scales, write: true }],
      format: 'uuff',
      values: [count, 0, step.clipnorm, step.globalClipnorm],
      groups: [1, 1],
    });
    k.release(squares);
  }
  for (let i = 0; i < call.params.length; i++) {
    if (sizes[i] === 0) continue;
    const slots: Binding[] = call.slots[i].map((s, j) => ({ binding: 4 + j, ...s, write: true }));
    k.run({
      source: SHADERS.optimizer,
      defines: { ...defines, CLIP_SCALES: false, CLIP_NORM: scales !== null },
      bindings: [
        { binding: 1, ...call.params[i], write: true },
        { binding: 2, ...call.grads[i] },
        ...(scales ? [{ binding: 3, ...scales }] : []),
        ...slots,
      ],
      format,
      values: [sizes[i], i, 0, 0, ...values],
      groups: k.grid1d(sizes[i]),
    });
  }
  if (scales) k.release(scales);
}

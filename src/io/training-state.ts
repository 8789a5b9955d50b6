/**
 * The training state of a compiled model (optimizer, step count, slots, loss, metrics) in saved
 * artifacts, and its restoration into a freshly loaded model.
 *
 * The complete state is this library's `userDefinedMetadata.webgpu_keras.training` entry plus optimizer
 * weights in the manifest (`group: 'optimizer'`): `iter` (int32 scalar), then each slot over the trainable
 * weights. When TF.js has the same optimizer, loss and metrics, a TF.js `trainingConfig` is written too and
 * the slots use TF.js's names and order, so TF.js resumes from the same state; TF.js ignores optimizer
 * weights when there is no `trainingConfig`.
 */
import { ValueError, describe, invalid } from '../errors';
import type { Variable } from '../layers/variable';
import { Loss } from '../losses';
import { lookupCustomLoss } from '../losses/custom';
import { Metric } from '../metrics';
import { ExpressionMetric, lookupCustomMetric, metricFromFunction } from '../metrics/custom';
import type { LoadContext, SaveContext } from './custom-objects';
import type { Sequential } from '../models/sequential';
import type { Optimizer } from '../optimizers';
import { optimizerFromJSON, optimizerFromTfjs, optimizerToJSON, tfjsEquivalent, type TfjsOptimizer, type TfjsSlot } from './optimizer-format';
import type { TrainingConfig } from './types';
import type { NamedWeight } from './weights';

/** Key of this library's entry in `userDefinedMetadata`. */
export const METADATA_KEY = 'webgpu_keras';

const BUILT_IN_LOSSES = new Set<string>(['mean_squared_error', 'mean_absolute_error', 'huber', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy']);
const LOSS_KINDS: string[] = ['mean_squared_error', 'mean_absolute_error', 'huber', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'];
const METRIC_KINDS: string[] = ['binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'mean_squared_error', 'mean_absolute_error', 'r2_score'];
/** Loss kinds TF.js knows under the same name, with default options only. */
const TFJS_LOSSES = new Set(['mean_squared_error', 'mean_absolute_error', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy']);
/** Metric names (normalised) → the name TF.js resolves to the same metric. */
const TFJS_METRICS: Record<string, string> = {
  accuracy: 'accuracy', acc: 'accuracy', binaryaccuracy: 'binary_accuracy', categoricalaccuracy: 'categorical_accuracy',
  meansquarederror: 'mse', mse: 'mse', meanabsoluteerror: 'mae', mae: 'mae',
};
const isBuiltInMetric = (m: Metric) => !(m instanceof ExpressionMetric) && METRIC_KINDS.includes(m.kind);
const norm = (s: string) => s.replace(/[_\s-]/g, '').toLowerCase();

/** What `saveModel` adds for the training state. */
export interface SavedTrainingState {
  /** This library's entry, stored as `userDefinedMetadata.webgpu_keras.training`. */
  training: Record<string, unknown>;
  trainingConfig?: TrainingConfig;
  weights: NamedWeight[];
}

/** This library's slot names of an optimizer, in the order of `slotTensors`. */
function slotNames(opt: Optimizer): string[] {
  return opt.slotNames();
}

/**
 * The TF.js optimizer to save as, when its state is ours unchanged. TF.js's Momentum keeps a rescaled
 * state, and rescaling float32 values does not always round back, so SGD with momentum is saved in this
 * library's layout only (exact resumes matter more); it still loads from TF.js.
 */
function tfjsForSaving(opt: Optimizer): TfjsOptimizer | null {
  const tfjs = tfjsEquivalent(opt);
  return tfjs && tfjs.slots.every((s) => s.scale === 1) ? tfjs : null;
}

/** Optimizer slot groups as stored: TF.js's when it has the optimizer, else one group per slot of ours. */
function slotLayout(opt: Optimizer): { tfjs: boolean; slots: TfjsSlot[] } {
  const tfjs = tfjsForSaving(opt);
  if (tfjs) return { tfjs: true, slots: tfjs.slots };
  return { tfjs: false, slots: slotNames(opt).map((n) => ({ suffix: n, ours: n, scale: 1 })) };
}

/** The training state of a compiled model, ready to store. */
export async function saveTrainingState(model: Sequential, ctx: SaveContext): Promise<SavedTrainingState> {
  const { optimizer, loss, metricIdentifiers } = model.requireCompiled('saveModel with includeOptimizer');
  const optimizerJSON = optimizerToJSON(optimizer, ctx);
  const metrics = metricIdentifiers.map((id) => {
    if (typeof id === 'string') return id;
    const m = id instanceof Metric ? id : metricFromFunction(id, 'saveModel');
    return isBuiltInMetric(m) ? { kind: m.kind, name: m.name, threshold: m.options.threshold } : { kind: ctx.metric(m), name: m.name, custom: true };
  });
  const lossJSON = BUILT_IN_LOSSES.has(loss.kind)
    ? { kind: loss.kind, name: loss.name, from_logits: loss.options.fromLogits, delta: loss.options.delta, epsilon: loss.options.epsilon, label_smoothing: loss.options.labelSmoothing }
    : { kind: ctx.loss(loss), name: loss.name, custom: true };
  const trainable = model.trainableWeights;
  const layout = slotLayout(optimizer);
  const weights: NamedWeight[] = [{ name: 'iter', shape: [], values: Int32Array.of(optimizer.iterations), group: 'optimizer' }];
  const slots = optimizer.slotTensors;
  const ourNames = slotNames(optimizer);
  if (slots.length === trainable.length && slots.length > 0) {
    for (const slot of layout.slots) {
      const k = slot.ours === null ? -1 : ourNames.indexOf(slot.ours);
      for (let i = 0; i < trainable.length; i++) {
        // Slots saved are ours unscaled (tfjsForSaving); a TF.js slot we do not keep is stored as zeros.
        const values = k < 0 ? new Float32Array(trainable[i].value.size) : Float32Array.from(await slots[i][k].data());
        weights.push({ name: `${trainable[i].name}/${slot.suffix}`, shape: [...trainable[i].shape], values, group: 'optimizer' });
      }
    }
  }
  const training = { optimizer: optimizerJSON, loss: lossJSON, metrics, slot_layout: layout.tfjs ? 'tfjs' : 'webgpu_keras' };
  const tfjs = tfjsForSaving(optimizer);
  const o = loss.options;
  const tfjsMetrics = metrics.map((m) => (typeof m === 'string' ? TFJS_METRICS[norm(m)] : undefined));
  const lossOk = TFJS_LOSSES.has(loss.kind) && !o.fromLogits && o.labelSmoothing === 0 && o.epsilon === 1e-7;
  const trainingConfig =
    tfjs && lossOk && tfjsMetrics.every((m) => m !== undefined)
      ? { loss: loss.kind, metrics: tfjsMetrics as string[], optimizer_config: { class_name: tfjs.className, config: tfjs.config } }
      : undefined;
  return { training, trainingConfig, weights };
}

function lossFromJSON(value: unknown, ctx: LoadContext): Loss {
  const v = value as Record<string, unknown> | null;
  if (v && v.custom === true && typeof v.kind === 'string') {
    const key = v.kind;
    return ctx.loss(key, typeof v.name === 'string' ? v.name : key, () => lookupCustomLoss(key, 'loadModel'));
  }
  if (!v || !LOSS_KINDS.includes(v.kind as string)) invalid({ what: 'loss', where: 'loadModel', expected: `{ kind: one of ${LOSS_KINDS.join(', ')} }`, received: describe(value) });
  const options = { fromLogits: Boolean(v.from_logits), delta: Number(v.delta ?? 1), epsilon: Number(v.epsilon ?? 1e-7), labelSmoothing: Number(v.label_smoothing ?? 0) };
  for (const [key, n] of Object.entries(options)) {
    if (typeof n === 'number' && !(Number.isFinite(n) && n >= 0)) invalid({ what: `loss option ${key}`, where: 'loadModel', expected: 'a non-negative finite number', received: describe(n) });
  }
  return new Loss(v.kind as string, typeof v.name === 'string' ? v.name : (v.kind as string), options);
}

function metricFromJSON(value: unknown, ctx: LoadContext): string | Metric {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown> | null;
  if (v && v.custom === true && typeof v.kind === 'string') {
    const key = v.kind;
    return ctx.metric(key, typeof v.name === 'string' ? v.name : key, () => lookupCustomMetric(key, 'loadModel'));
  }
  if (!v || !METRIC_KINDS.includes(v.kind as string)) invalid({ what: 'metric', where: 'loadModel', expected: `a name or { kind: one of ${METRIC_KINDS.join(', ')} }`, received: describe(value) });
  return new Metric(v.kind as string, String(v.name ?? v.kind), { threshold: Number(v.threshold ?? 0.5) });
}

/** The compile arguments and slot layout stored in artifacts, or null when they hold no training state. */
export function readTrainingState(metadata: unknown, trainingConfig: unknown, ctx: LoadContext): { optimizer: Optimizer; loss: string | Loss; metrics: (string | Metric)[]; tfjsLayout: boolean } | null {
  const ours = (metadata as Record<string, unknown> | undefined)?.[METADATA_KEY] as Record<string, unknown> | undefined;
  const saved = ours?.training as Record<string, unknown> | undefined;
  if (saved) {
    if (!Array.isArray(saved.metrics)) invalid({ what: 'metrics', where: 'loadModel', expected: 'an array', received: describe(saved.metrics) });
    const optimizer = optimizerFromJSON(saved.optimizer, 'loadModel', ctx);
    return { optimizer, loss: lossFromJSON(saved.loss, ctx), metrics: saved.metrics.map((m) => metricFromJSON(m, ctx)), tfjsLayout: saved.slot_layout === 'tfjs' };
  }
  if (trainingConfig == null) return null;
  const tc = trainingConfig as Record<string, unknown>;
  if (typeof tc.loss !== 'string') invalid({ what: 'trainingConfig.loss', where: 'loadModel', expected: 'one loss name (a single-output model)', received: describe(tc.loss) });
  const metrics = tc.metrics ?? [];
  if (!Array.isArray(metrics) || !metrics.every((m) => typeof m === 'string')) invalid({ what: 'trainingConfig.metrics', where: 'loadModel', expected: 'an array of metric names', received: describe(metrics) });
  return { optimizer: optimizerFromTfjs(tc.optimizer_config, 'loadModel'), loss: tc.loss, metrics, tfjsLayout: true };
}

/**
 * Check stored optimizer weights against the model and the optimizer; returns the slot values per
 * trainable weight in this library's slot order (empty when the optimizer had not stepped yet).
 */
export function checkOptimizerWeights(opt: Optimizer, tfjsLayout: boolean, trainable: Variable[], stored: NamedWeight[]): { iterations: number; slots: Float32Array[][] } {
  const where = 'loadModel';
  const iter = stored.find((w) => w.name === 'iter');
  const rest = stored.filter((w) => w !== iter);
  const iterations = iter ? Number(iter.values[0]) : 0;
  if (iter && (iter.values.length !== 1 || !Number.isSafeInteger(iterations) || iterations < 0)) {
    invalid({ what: "optimizer weight 'iter'", where, expected: 'a non-negative integer scalar', received: describe(Array.from(iter.values)) });
  }
  const layout = tfjsLayout ? tfjsEquivalent(opt) : null;
  const ours = slotNames(opt);
  const groups: TfjsSlot[] = layout ? layout.slots : ours.map((n) => ({ suffix: n, ours: n, scale: 1 }));
  if (rest.length === 0) return { iterations, slots: [] };
  if (rest.length !== groups.length * trainable.length) {
    throw new ValueError(
      `Invalid optimizer weights for ${where}: expected ${groups.length * trainable.length} slot tensors (${groups.map((g) => g.suffix).join(', ')} for each of ${trainable.length} trainable weights). Received: ${rest.length}.`,
    );
  }
  const slots = trainable.map(() => ours.map(() => new Float32Array(0)));
  groups.forEach((g, gi) => {
    trainable.forEach((v, i) => {
      const w = rest[gi * trainable.length + i];
      if (w.values.length !== v.value.size || w.shape.join(',') !== v.shape.join(',') || !(w.values instanceof Float32Array)) {
        throw new ValueError(`Invalid optimizer weight '${w.name}' for ${where}: expected float32 of shape [${v.shape}] (for ${v.name}). Received: ${w.values instanceof Float32Array ? 'float32' : 'int32'} of shape [${w.shape}].`);
      }
      const k = g.ours === null ? -1 : ours.indexOf(g.ours);
      if (k < 0) return;
      const values = Float32Array.from(w.values);
      if (g.scale !== 1) for (let j = 0; j < values.length; j++) values[j] /= g.scale;
      slots[i][k] = values;
    });
  });
  return { iterations, slots };
}

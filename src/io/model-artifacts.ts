/**
 * A model ↔ its artifacts, with no storage involved. Loading builds a new model and checks everything
 * (topology, every weight's name, shape and dtype, the training state) before the model is returned;
 * on any error the half-built model is disposed, so a failed load leaves nothing behind.
 */
import { KerasError, ShapeError, StateError, ValueError, describe, invalid } from '../errors';
import type { Variable } from '../layers/variable';
import type { LossName } from '../losses';
import type { MetricName } from '../metrics';
import { Sequential } from '../models/sequential';
import { LoadContext, SaveContext } from './custom-objects';
import { KERAS_VERSION, modelToTopology } from './topology-save';
import { layersFromTopology } from './topology-load';
import { METADATA_KEY, checkOptimizerWeights, readTrainingState, saveTrainingState } from './training-state';
import type { LoadOptions, ModelArtifacts, ModelJSON, SaveOptions, WeightsManifestEntry } from './types';
import { checkSpecs, decodeWeights, encodeWeights, type NamedWeight } from './weights';
import { checkJSONData } from './model-json';
import type { Layer } from '../layers/layer';
import { checkOptions } from '../utils/options';

/** `saveModel`'s options, checked (unknown names refused). */
export function checkSaveOptions(options: SaveOptions | undefined): SaveOptions {
  return checkOptions(options, 'saveModel', {
    known: ['includeOptimizer', 'weightsOnly', 'includeExpressions'],
    notImplemented: { trainableOnly: '', overwrite: 'saving always replaces the model at the target', zipped: 'models are saved in the TF.js Layers format' },
  });
}

/** `loadModel`'s and `loadWeights`' options, checked (unknown names refused). */
export function checkLoadOptions(options: LoadOptions | undefined, where: string): LoadOptions {
  const o = checkOptions(options, where, {
    known: ['weightPathPrefix', 'fetchFunc', 'compile'],
    notImplemented: { strict: 'loading is always strict', onProgress: '', requestInit: 'pass a fetchFunc that adds it', weightUrlConverter: '', streamWeights: '', customObjects: 'register custom functions and classes (keras.activations.register, keras.saving.registerKerasSerializable, …) before loading, or save with includeExpressions', safeMode: 'loading never runs code' },
  });
  if (o.compile !== undefined && typeof o.compile !== 'boolean') invalid({ what: 'compile', where, expected: 'a boolean', received: describe(o.compile) });
  return o;
}

/** The artifacts of a model (what `saveModel` hands to its target). */
export async function modelToArtifacts(model: Sequential, options: SaveOptions = {}): Promise<ModelArtifacts> {
  if (!(model instanceof Sequential)) invalid({ what: 'model', where: 'saveModel', expected: 'a keras Sequential model', received: describe(model) });
  model.assertUsable('saveModel');
  const { includeOptimizer = false, weightsOnly = false, includeExpressions = false } = checkSaveOptions(options);
  if (typeof includeOptimizer !== 'boolean' || typeof weightsOnly !== 'boolean' || typeof includeExpressions !== 'boolean') {
    invalid({ what: 'options', where: 'saveModel', expected: '{ includeOptimizer?: boolean, weightsOnly?: boolean, includeExpressions?: boolean }', received: describe(options) });
  }
  if (includeOptimizer && weightsOnly) {
    invalid({ what: 'options', where: 'saveModel', expected: 'at most one of includeOptimizer and weightsOnly', received: 'both true', hint: 'weights-only files hold no training state.' });
  }
  const ctx = new SaveContext(includeExpressions);
  const topology = weightsOnly ? undefined : modelToTopology(model, ctx);
  const weights: NamedWeight[] = [];
  for (const v of model.weights) weights.push({ name: v.name, shape: [...v.shape], values: Float32Array.from(await v.value.data()), group: 'model' });
  const names = new Set(weights.map((w) => w.name));
  if (names.size !== weights.length) {
    invalid({ what: 'model', where: 'saveModel', expected: 'unique weight names', received: weights.map((w) => w.name).join(', '), hint: 'give each layer its own name option.' });
  }
  const artifacts: ModelArtifacts = { format: 'layers-model', generatedBy: KERAS_VERSION, convertedBy: null };
  if (topology) artifacts.modelTopology = topology;
  const ours: Record<string, unknown> = { format_version: 1 };
  if (includeOptimizer) {
    const state = await saveTrainingState(model, ctx);
    weights.push(...state.weights);
    if (state.trainingConfig) artifacts.trainingConfig = state.trainingConfig;
    ours.training = state.training;
  }
  if (ctx.hasExpressions) ours.expressions = ctx.expressions;
  if (Object.keys(ours).length > 1) artifacts.userDefinedMetadata = { [METADATA_KEY]: ours };
  const { specs, data } = encodeWeights(weights);
  artifacts.weightSpecs = specs;
  artifacts.weightData = data;
  return artifacts;
}

/** Check an artifacts object's shape and JSON parts; returns its decoded weights (empty when it holds none). */
function checkArtifacts(artifacts: unknown, where: string): NamedWeight[] {
  if (typeof artifacts !== 'object' || artifacts === null || Array.isArray(artifacts)) {
    invalid({ what: 'model artifacts', where, expected: 'an object { modelTopology, weightSpecs, weightData }', received: describe(artifacts) });
  }
  const a = artifacts as ModelArtifacts;
  for (const key of ['modelTopology', 'trainingConfig', 'userDefinedMetadata', 'weightSpecs'] as const) {
    if (!(a[key] instanceof ArrayBuffer)) checkJSONData(a[key], key, where);
  }
  if ((a.weightSpecs == null) !== (a.weightData == null)) {
    invalid({ what: 'model artifacts', where, expected: 'weightSpecs and weightData together', received: a.weightSpecs == null ? 'weightData without weightSpecs' : 'weightSpecs without weightData' });
  }
  return a.weightSpecs == null ? [] : decodeWeights(a.weightSpecs, a.weightData, where);
}

/** A weight's name and shape: a model's variable, a planned weight or a stored spec. */
interface ShapedName {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * Which stored model weight goes to each expected one: by name when every name matches; otherwise, if
 * `byOrder` allows it, in order when the count and each weight's kind (kernel, bias, …) match. Shapes are
 * checked too. Returns the index into `stored` per expected weight.
 */
function matchSpecs(expected: readonly ShapedName[], stored: readonly ShapedName[], where: string, byOrder: boolean): number[] {
  const byName = new Map(stored.map((w, i) => [w.name, i]));
  const namesMatch = stored.length === expected.length && expected.every((v) => byName.has(v.name));
  // In order only when each stored name ends like its variable's (kernel, bias, gamma, moving_mean, …).
  const leaf = (n: string) => n.slice(n.lastIndexOf('/') + 1);
  const orderMatches = byOrder && stored.length === expected.length && expected.every((v, i) => leaf(v.name) === leaf(stored[i].name));
  if (!namesMatch && !orderMatches) {
    const missing = expected.filter((v) => !byName.has(v.name)).map((v) => v.name);
    const extra = stored.filter((w) => !expected.some((v) => v.name === w.name)).map((w) => w.name);
    throw new ValueError(
      `Invalid weights for ${where}: expected the ${expected.length} weights of the model (${expected.map((v) => v.name).join(', ') || 'none'}). ` +
        `Received: ${stored.length} weights${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; no target for ${extra.join(', ')}` : ''}.`,
    );
  }
  return expected.map((v, i) => {
    const index = namesMatch ? byName.get(v.name)! : i;
    const w = stored[index];
    if (w.shape.length !== v.shape.length || w.shape.some((d, j) => d !== v.shape[j])) {
      throw new ShapeError(`Invalid shape of weight '${w.name}' for ${where}: expected [${v.shape}] (${v.name}). Received: [${w.shape}].`);
    }
    return index;
  });
}

/** Values for each variable from stored model weights (see {@link matchSpecs}); everything checked first. */
function matchWeights(vars: Variable[], stored: NamedWeight[], where: string, byOrder: boolean): Float32Array[] {
  const weights = stored.filter((w) => w.group === 'model');
  return matchSpecs(vars, weights, where, byOrder).map((index) => {
    const w = weights[index];
    if (!(w.values instanceof Float32Array)) {
      throw new ValueError(`Invalid dtype of weight '${w.name}' for ${where}: expected float32. Received: int32.`);
    }
    return w.values;
  });
}

/** The weights a model of `layers` would create (Keras order), or null when its input shape is unknown. */
function plannedWeights(layers: readonly Layer[]): ShapedName[] | null {
  let shape: readonly number[] | null = layers[0]?.declaredInputShape ?? null;
  if (!shape) return null;
  const planned: ShapedName[] = [];
  for (const layer of layers) {
    planned.push(...layer.plannedWeights(shape));
    shape = layer.computeOutputShape([...shape]);
  }
  return planned;
}

/** Stored model weights (not the optimizer's) of a list of specs. */
function modelSpecs(specs: readonly WeightsManifestEntry[]): WeightsManifestEntry[] {
  return specs.filter((s) => s.group !== 'optimizer');
}

/**
 * The check `loadModel` runs on a model.json before any weights file is read: the topology's layers
 * (constructed, not built) must create exactly the weights the manifest declares, by name and shape. A
 * `units: 1e8` or an input of 10⁸ features is refused here, before anything is allocated.
 */
export function checkTopologyAgainstSpecs(json: ModelJSON, specs: WeightsManifestEntry[]): void {
  if (json.modelTopology == null) return;
  checkSpecs(specs, 'loadModel');
  const { layers } = layersFromTopology(json.modelTopology);
  const planned = plannedWeights(layers);
  if (planned) matchSpecs(planned, modelSpecs(specs), 'loadModel', false);
}

/** The check `loadWeights` runs before reading: the model's weights against the manifest's. */
export function checkModelAgainstSpecs(model: Sequential): (json: ModelJSON, specs: WeightsManifestEntry[]) => void {
  return (_json, specs) => {
    checkSpecs(specs, 'loadWeights');
    matchSpecs(model.weights, modelSpecs(specs), 'loadWeights', true);
  };
}

/** Run a step of restoring the training state; its errors say how to load without that state. */
function withCompileHint<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof KerasError) || error.message.includes('\nhint:')) throw error;
    const ErrorClass = error.constructor as new (message: string) => KerasError;
    throw new ErrorClass(`${error.message}\nhint: the saved training state cannot be restored; pass { compile: false } to load the model without it.`);
  }
}

/** Build a new model from artifacts, with its weights and (unless `compile` is false) its training state. */
export async function modelFromArtifacts(artifacts: ModelArtifacts, options: LoadOptions = {}): Promise<Sequential> {
  const where = 'loadModel';
  const stored = checkArtifacts(artifacts, where);
  if (artifacts.modelTopology == null || artifacts.modelTopology instanceof ArrayBuffer) {
    invalid({
      what: 'model artifacts',
      where,
      expected: 'a Keras JSON modelTopology (a TF.js Layers model)',
      received: artifacts.modelTopology == null ? 'no modelTopology' : `a binary topology (format ${describe(artifacts.format)})`,
      hint: artifacts.modelTopology == null ? 'weights-only files load into an existing model with loadWeights(model, source).' : 'TF.js graph models cannot be loaded; convert to a Layers model.',
    });
  }
  // Saved expressions of custom functions not registered here become known first, so their names resolve.
  const ours = (artifacts.userDefinedMetadata as Record<string, unknown> | undefined)?.[METADATA_KEY] as Record<string, unknown> | undefined;
  const ctx = new LoadContext(ours?.expressions);
  ctx.registerActivations();
  const { name, layers } = layersFromTopology(artifacts.modelTopology);
  // Before any layer is built: the topology must create exactly the stored weights.
  const planned = plannedWeights(layers);
  if (planned) matchSpecs(planned, stored.filter((w) => w.group === 'model'), where, false);
  const training = options.compile === false ? null : withCompileHint(() => readTrainingState(artifacts.userDefinedMetadata, artifacts.trainingConfig, ctx));
  let model: Sequential;
  try {
    model = new Sequential(layers, name === undefined ? {} : { name });
  } catch (error) {
    for (const layer of layers) layer.dispose(); // layers added before the failing one were built
    throw error;
  }
  try {
    if (!model.built && model.weights.length + stored.filter((w) => w.group === 'model').length > 0) {
      throw new ValueError(`Invalid model topology for ${where}: expected an input shape on the first layer (batch_input_shape). Received: none, with weights to load.`);
    }
    const values = matchWeights(model.weights, stored, where, false);
    if (training) {
      const trainable = model.trainableWeights;
      const state = withCompileHint(() => {
        const checked = checkOptimizerWeights(training.optimizer, training.tfjsLayout, trainable, stored.filter((w) => w.group === 'optimizer'));
        // Names read from the file: checked by the registries at run time.
        model.compile({ optimizer: training.optimizer, loss: training.loss as LossName, metrics: training.metrics as MetricName[] });
        return checked;
      });
      training.optimizer.iterations = state.iterations;
      if (state.slots.length > 0) {
        const backend = trainable[0].value.backend;
        training.optimizer.build(trainable, backend);
        state.slots.forEach((row, i) => row.forEach((v, k) => backend.write(training.optimizer.slotTensors[i][k], v)));
      }
    }
    model.weights.forEach((v, i) => v.value.backend.write(v.value, values[i]));
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Overwrite an existing model's weights from artifacts (by name, else by order); all checked first. */
export function weightsIntoModel(model: Sequential, artifacts: ModelArtifacts): void {
  const where = 'loadWeights';
  if (!(model instanceof Sequential)) invalid({ what: 'model', where, expected: 'a keras Sequential model', received: describe(model) });
  model.assertUsable(where);
  const stored = checkArtifacts(artifacts, where);
  if (!model.built) {
    throw new StateError(`Invalid call of ${where}: expected a built model. Received: a model whose input shape is unknown.\nhint: give the first layer an inputShape or call build(shape) first.`);
  }
  const vars = model.weights;
  const values = matchWeights(vars, stored, where, true);
  vars.forEach((v, i) => v.value.backend.write(v.value, values[i]));
}

/**
 * `keras.io`: saving and loading models in TensorFlow.js's Layers format (`model.json` + a weights file).
 *
 * A model saved here loads in TF.js (`tf.loadLayersModel`), and a TF.js model made of InputLayer, Dense,
 * Dropout, BatchNormalization, Activation and Flatten loads here with the same predictions.
 *
 * Targets and sources:
 * - a folder path or `file://folder` (Node): `model.json` + `weights.<hash>.bin` (named by its content, so
 *   saves are atomic: see folder-save.ts), the folder created if needed; loading refuses hostile folders
 *   (folder-load.ts);
 *   loading also accepts the path of a `.json` file;
 * - `downloads://name` (browser, save only): downloads `name.json` and `name.weights.bin`;
 * - `indexeddb://name` (browser): TF.js's IndexedDB store, shared with `tf.loadLayersModel`;
 * - `http(s)://…/model.json` (load only; in a browser a relative URL works too);
 * - in memory, everywhere: `saveModel(model)` with no target resolves to `{ artifacts, … }`, a TF.js
 *   `ModelArtifacts` object that `loadModel(artifacts)` and `tf.io.fromMemory(artifacts)` accept;
 * - any IO handler object with `save`/`load`, e.g. TF.js's `tf.io.withSaveHandler(fn)`.
 *
 * Format decisions: weights are stored as little-endian float32 (TF.js has no float64, so a float64
 * model saves rounded to float32) under their Keras names (`dense/kernel`), matched by name on load.
 * Activations TF.js computes the same way are written under TF.js's names (`silu` → `swish`); others keep
 * this library's names and load only here. See `training-state.ts` for how the optimizer is stored, and
 * `custom-objects.ts` for custom functions (saved by registered name; `includeExpressions` stores their
 * expressions too).
 */
import { loadHandlerFor, saveHandlerFor } from './handlers/route';
import { describe, invalid } from '../errors';
import { Sequential } from '../models/sequential';
import { checkLoadOptions, checkModelAgainstSpecs, checkSaveOptions, checkTopologyAgainstSpecs, modelFromArtifacts, modelToArtifacts, weightsIntoModel } from './model-artifacts';
import { artifactsInfo } from './model-json';
import type { IOHandler, LoadOptions, ModelArtifacts, SaveOptions, SaveResult } from './types';

export type {
  IOHandler,
  LoadOptions,
  ModelArtifacts,
  ModelArtifactsInfo,
  ModelJSON,
  SaveOptions,
  SaveResult,
  TrainingConfig,
  WeightsManifestEntry,
  WeightsManifestGroupConfig,
} from './types';
export { modelToArtifacts, modelFromArtifacts } from './model-artifacts';

/** What `saveModel` resolves to: the target's result plus the artifacts that were saved. */
export interface SaveModelResult extends SaveResult {
  /** The saved model in memory (TF.js `ModelArtifacts`), also when it went to a file or elsewhere. */
  artifacts: ModelArtifacts;
}

/**
 * Save a model (topology, weights and, with `includeOptimizer`, the training state).
 *
 * @param model A Sequential model (built, to have weights).
 * @param target Where to: a folder path / `file://…` (Node), `downloads://name`, `indexeddb://name`, an IO
 *   handler, or nothing to keep the artifacts in memory only (the default).
 * @param options `includeOptimizer` (default false): also the optimizer's config, step count and slots,
 *   the loss and the metrics, so `fit` resumes exactly after `loadModel`. `weightsOnly` (default false):
 *   weights without topology, for `loadWeights`.
 * @throws ValueError for an unsupported layer, a bad target or options; StateError for
 *   `includeOptimizer` on a model that was never compiled.
 */
export async function saveModel(model: Sequential, target?: string | IOHandler, options?: SaveOptions): Promise<SaveModelResult> {
  checkSaveOptions(options);
  const handler = target === undefined ? null : saveHandlerFor(target);
  const artifacts = await modelToArtifacts(model, options);
  const result = handler ? await handler.save(artifacts) : { modelArtifactsInfo: artifactsInfo(artifacts) };
  return { ...result, artifacts };
}

/**
 * Load a model saved here or by TF.js into a new Sequential; with a saved training state (and `compile`
 * not false) the model comes back compiled, its optimizer at the saved step with the saved slots.
 *
 * @param source A path / `file://…` (Node), an http(s) URL of `model.json`, `indexeddb://name`, a
 *   `ModelArtifacts` object or an IO handler (e.g. `tf.io.fromMemory(…)`, `tf.io.browserFiles([...])`).
 * @param options `weightPathPrefix` and `fetchFunc` (http sources), `compile` (default true).
 * @throws ValueError / ShapeError for malformed, truncated or hostile files (bad JSON, missing or short
 *   weights, weight paths leaving the model's folder, unknown layers, wrong shapes or dtypes). Nothing is
 *   kept from a failed load.
 */
export async function loadModel(source: string | IOHandler | ModelArtifacts, loadOptions?: LoadOptions): Promise<Sequential> {
  const options = checkLoadOptions(loadOptions, 'loadModel');
  const artifacts = await loadHandlerFor(source, options, 'loadModel').load(checkTopologyAgainstSpecs);
  return modelFromArtifacts(artifacts, options);
}

/**
 * Overwrite the weights of a built model from saved files (matched by name, or by order when the
 * model's layers are named differently but line up). Everything is checked before any weight changes.
 *
 * @param model The model to update.
 * @param source As for {@link loadModel}; files saved with `weightsOnly` or complete models both work.
 */
export async function loadWeights(model: Sequential, source: string | IOHandler | ModelArtifacts, loadOptions?: LoadOptions): Promise<void> {
  const options = checkLoadOptions(loadOptions, 'loadWeights');
  if (!(model instanceof Sequential)) invalid({ what: 'model', where: 'loadWeights', expected: 'a keras Sequential model', received: describe(model) });
  model.assertUsable('loadWeights');
  const artifacts = await loadHandlerFor(source, options, 'loadWeights').load(model.built ? checkModelAgainstSpecs(model) : undefined);
  weightsIntoModel(model, artifacts);
}

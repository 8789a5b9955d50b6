/**
 * The shapes of saved models. They are TensorFlow.js's Layers format (`tf.io.ModelArtifacts` and the
 * `model.json` file), written out here so the library needs no TensorFlow.js at run time: an artifacts
 * object made here can be handed to `tf.loadLayersModel(tf.io.fromMemory(artifacts))` and one made by
 * TF.js can be passed to `loadModel`.
 */

/** Data type of one stored weight. The library writes `float32` (and `int32` for the optimizer step count). */
export type WeightDType = 'float32' | 'int32' | 'bool' | 'string' | 'complex64';

/** One weight in the manifest: its name (`dense/kernel`), shape and dtype, in the order of the data. */
export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** `'optimizer'` for optimizer state (the step count and slots); absent or `'model'` for model weights. */
  group?: 'model' | 'optimizer';
  /** Set by TF.js's converter for quantized weights; not supported by this library. */
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** A group of weights stored in a list of files (shards) concatenated in order. */
export interface WeightsManifestGroupConfig {
  /** File names relative to `model.json`, e.g. `['weights.bin']`. */
  paths: string[];
  weights: WeightsManifestEntry[];
}

/** Training configuration in TF.js's format (only written when TF.js has the optimizer and loss). */
export interface TrainingConfig {
  /** `{ class_name: 'Adam', config: { learningRate, beta1, beta2, epsilon } }` (TF.js optimizer classes). */
  optimizer_config: { class_name: string; config: Record<string, unknown> };
  loss: string | string[] | Record<string, string>;
  metrics?: string[] | Record<string, string>;
  [key: string]: unknown;
}

/**
 * A saved model in memory, the same object TF.js's IO handlers pass around: the topology (Keras JSON),
 * the weight specs and all weight bytes in spec order.
 */
export interface ModelArtifacts {
  /** Keras JSON: `{ class_name: 'Sequential', config: { name, layers }, keras_version, backend }`. */
  modelTopology?: Record<string, unknown> | ArrayBuffer;
  trainingConfig?: TrainingConfig;
  weightSpecs?: WeightsManifestEntry[];
  /** All weights' bytes, little-endian, in `weightSpecs` order; one buffer or several shards. */
  weightData?: ArrayBuffer | ArrayBuffer[];
  /** `'layers-model'`. */
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  /** Free-form metadata; this library keeps its own training state under the `webgpu_keras` key. */
  userDefinedMetadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The `model.json` file: artifacts with the weights replaced by a manifest of weight files. */
export interface ModelJSON {
  modelTopology?: Record<string, unknown>;
  weightsManifest: WeightsManifestGroupConfig[];
  trainingConfig?: TrainingConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Sizes of what was saved, as TF.js reports them. */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

/** What a save handler returns. */
export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  /** Per-handler detail (for example the paths written). */
  [key: string]: unknown;
}

/**
 * Where a model goes or comes from: anything with `save` and/or `load`. TF.js's handlers
 * (`tf.io.fromMemory`, `tf.io.withSaveHandler`, `tf.io.browserFiles`, …) fit this shape.
 */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  /**
   * Load the artifacts. This library's handlers take `check`, which `loadModel`/`loadWeights` pass to
   * refuse a model.json whose weights do not fit before any weights file is read; other handlers may
   * ignore it (the same checks run on the artifacts they return).
   */
  load?(check?: LoadCheck): Promise<ModelArtifacts>;
}

/** Runs on a parsed model.json and its weight specs before any weights are read; throws to refuse them. */
export type LoadCheck = (json: ModelJSON, specs: WeightsManifestEntry[]) => void;

/** Options of `saveModel`. */
export interface SaveOptions {
  /**
   * Also save the training state: the optimizer (its config, step count and slot values), the loss and
   * the metrics, so `fit` can resume exactly after `loadModel`. Default false.
   */
  includeOptimizer?: boolean;
  /** Save only the weights (no topology); load them back with `loadWeights(model, source)`. Default false. */
  weightsOnly?: boolean;
  /**
   * Also store the traced expressions of the model's custom activations (and, with `includeOptimizer`, of
   * its custom loss, metrics and optimizer rule), so the model loads where they are not registered.
   * Without it, custom functions are saved by their registered names only (`'Custom>my_mish'`), and an
   * unregistered one cannot be saved. Default false.
   */
  includeExpressions?: boolean;
}

/**
 * What a `fetchFunc` resolves to: the parts of a fetch `Response` the loader reads (typed without the
 * DOM library, so any `fetch` fits).
 */
export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Options of `loadModel` and `loadWeights`. */
export interface LoadOptions {
  /** Where weight files are fetched from, instead of the folder of `model.json` (http(s) sources). */
  weightPathPrefix?: string;
  /** The `fetch` used for http(s) sources (default: the global `fetch`). */
  fetchFunc?: (input: string) => Promise<FetchResponse>;
  /**
   * Restore the training state when the artifacts hold one (default true). With false, the loaded
   * model is not compiled, and a training state this library cannot rebuild is not an error.
   */
  compile?: boolean;
}

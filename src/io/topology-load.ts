/**
 * Keras JSON (TF.js's `modelTopology`) → layers of a new Sequential. Every layer config is checked and
 * turned into constructor arguments; anything that would change what the model computes and that this
 * library cannot express is an error. Training-only extras that do not change predictions
 * (regularizers, constraints, `noise_shape`) are dropped.
 */
import { KerasError, ValueError, describe, invalid } from '../errors';
import { Activation } from '../layers/activation';
import { BatchNormalization } from '../layers/batch-normalization';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import { Flatten } from '../layers/flatten';
import { Input } from '../layers/input';
import type { Layer, LayerArgs } from '../layers/layer';
import { activationFromKeras, camelKeys, initializerFromKeras } from './keras-names';
import { SUPPORTED_LAYERS } from './topology-save';

const WHERE = 'loadModel';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Per-sample shape from a batch shape `[null, d1, …]`. */
function sampleShape(batchShape: unknown, label: string): number[] {
  const ok =
    Array.isArray(batchShape) &&
    batchShape.length >= 2 &&
    (batchShape[0] === null || Number.isInteger(batchShape[0])) &&
    batchShape.slice(1).every((d) => Number.isInteger(d) && (d as number) > 0);
  if (!ok) {
    invalid({ what: `input shape of ${label}`, where: WHERE, expected: '[null, d1, …] with every per-sample dimension a positive integer', received: describe(batchShape) });
  }
  return (batchShape as number[]).slice(1);
}

/** Arguments every layer takes. */
function commonArgs(c: Record<string, unknown>, label: string): LayerArgs {
  const args: LayerArgs = {};
  if (c.name !== undefined) {
    // As Keras: any string without '/' (the layer refuses that), '' included.
    if (typeof c.name !== 'string') invalid({ what: `name of ${label}`, where: WHERE, expected: 'a string', received: describe(c.name) });
    args.name = c.name;
  }
  if (c.trainable !== undefined) {
    if (typeof c.trainable !== 'boolean') invalid({ what: `trainable of ${label}`, where: WHERE, expected: 'a boolean', received: describe(c.trainable) });
    args.trainable = c.trainable;
  }
  const shape = c.batchInputShape ?? c.batchShape;
  if (shape != null) args.inputShape = sampleShape(shape, label);
  else if (c.inputShape != null) args.inputShape = sampleShape([null, ...(Array.isArray(c.inputShape) ? c.inputShape : [c.inputShape])], label);
  return args;
}

function optionalNumber(v: unknown): number | undefined {
  return v == null ? undefined : (v as number);
}

function optionalBoolean(v: unknown, what: string, label: string): boolean | undefined {
  if (v == null) return undefined;
  if (typeof v !== 'boolean') invalid({ what: `${what} of ${label}`, where: WHERE, expected: 'a boolean', received: describe(v) });
  return v;
}

/** BatchNormalization normalises the feature axis only: -1, or 1 of a 2-D batch. */
function checkAxis(axis: unknown, label: string): void {
  const a = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
  if (a !== undefined && a !== -1 && a !== 1) {
    invalid({ what: `axis of ${label}`, where: WHERE, expected: '-1 (the feature axis)', received: describe(axis) });
  }
}

/** One layer from its Keras JSON entry. */
function layerFromKeras(entry: unknown, index: number): Layer {
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
    invalid({ what: `layers[${index}]`, where: WHERE, expected: 'an object { class_name, config }', received: describe(entry) });
  }
  const cls = entry.class_name;
  const c = camelKeys(entry.config);
  const label = `layers[${index}] (${cls}${typeof c.name === 'string' ? ` '${c.name}'` : ''})`;
  const args = commonArgs(c, label);
  try {
    switch (cls) {
      case 'InputLayer':
        if (!args.inputShape) invalid({ what: `input shape of ${label}`, where: WHERE, expected: 'batch_input_shape (or batch_shape)', received: 'none' });
        return new Input({ shape: args.inputShape, name: args.name });
      case 'Dense':
        return new Dense(c.units as number, {
          ...args,
          activation: activationFromKeras(c.activation, label),
          useBias: optionalBoolean(c.useBias, 'use_bias', label),
          kernelInitializer: initializerFromKeras(c.kernelInitializer, label),
          biasInitializer: initializerFromKeras(c.biasInitializer, label),
        });
      case 'Dropout':
        return new Dropout(c.rate as number, { ...args, seed: optionalNumber(c.seed) });
      case 'BatchNormalization':
        checkAxis(c.axis, label);
        return new BatchNormalization({
          ...args,
          momentum: optionalNumber(c.momentum),
          epsilon: optionalNumber(c.epsilon),
          center: optionalBoolean(c.center, 'center', label),
          scale: optionalBoolean(c.scale, 'scale', label),
          betaInitializer: initializerFromKeras(c.betaInitializer, label),
          gammaInitializer: initializerFromKeras(c.gammaInitializer, label),
          movingMeanInitializer: initializerFromKeras(c.movingMeanInitializer, label),
          movingVarianceInitializer: initializerFromKeras(c.movingVarianceInitializer, label),
        });
      case 'Activation':
        return new Activation(activationFromKeras(c.activation, label), args);
      case 'Flatten':
        if (c.dataFormat != null && c.dataFormat !== 'channels_last') {
          invalid({ what: `data_format of ${label}`, where: WHERE, expected: "'channels_last'", received: describe(c.dataFormat) });
        }
        return new Flatten(args);
      default:
        return invalid({
          what: `layer class of layers[${index}]`,
          where: WHERE,
          expected: `one of ${SUPPORTED_LAYERS.join(', ')}`,
          received: describe(cls),
          hint: 'this library builds Sequential MLPs from these layers only.',
        });
    }
  } catch (error) {
    if (!(error instanceof KerasError) || error.message.includes(label)) throw error;
    const ErrorClass = error.constructor as new (m: string) => KerasError;
    throw new ErrorClass(`In ${label} of the model topology: ${error.message}`);
  }
}

/** The Sequential's name and layers described by a `modelTopology`. */
export function layersFromTopology(topology: unknown): { name: string | undefined; layers: Layer[] } {
  let t = topology;
  if (isObject(t) && isObject(t.model_config)) t = t.model_config;
  if (!isObject(t)) invalid({ what: 'modelTopology', where: WHERE, expected: "Keras JSON { class_name: 'Sequential', config }", received: describe(t) });
  if (t.class_name !== 'Sequential') {
    invalid({
      what: 'model class',
      where: WHERE,
      expected: "'Sequential'",
      received: describe(t.class_name),
      hint: 'only Sequential models (a plain stack of layers) can be loaded.',
    });
  }
  const config = t.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(list)) invalid({ what: 'Sequential config', where: WHERE, expected: 'an object with a layers array', received: describe(config) });
  const layers = list.map(layerFromKeras);
  const names = new Set<string>();
  for (const layer of layers) {
    if (names.has(layer.name)) throw new ValueError(`Invalid model topology for ${WHERE}: expected unique layer names. Received: '${layer.name}' twice.`);
    names.add(layer.name);
  }
  const name = isObject(config) && typeof config.name === 'string' ? config.name : undefined;
  return { name, layers };
}

/**
 * A Sequential model as Keras JSON, the `modelTopology` TF.js's `loadLayersModel` reads:
 * `{ class_name: 'Sequential', config: { name, layers: [{ class_name, config }] }, keras_version, backend }`,
 * layer configs in snake_case with the fields TF.js writes itself (null regularizers and constraints).
 */
import { ValueError, invalid } from '../errors';
import { getInitializer, type Initializer } from '../initializers';
import { Activation } from '../layers/activation';
import { BatchNormalization } from '../layers/batch-normalization';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import { Flatten } from '../layers/flatten';
import { Input } from '../layers/input';
import type { Layer } from '../layers/layer';
import type { Sequential } from '../models/sequential';
import { SaveContext } from './custom-objects';
import { activationToKeras, initializerToKeras } from './keras-names';

/** What `keras_version` says: the producer, as TF.js writes `tfjs-layers <version>`. */
export const KERAS_VERSION = 'webgpu-keras 0.1.0';

type LayerJSON = { class_name: string; config: Record<string, unknown> };

/** The layer classes this format covers, for error messages. */
export const SUPPORTED_LAYERS = ['InputLayer', 'Dense', 'Dropout', 'BatchNormalization', 'Activation', 'Flatten'];

/**
 * The initializer behind a layer option. Layers report `{ className, config }` in `getConfig`; when a
 * layer reports only the inner config, the instance the layer holds is read instead.
 */
function initializerOf(layer: Layer, config: Record<string, unknown>, key: string, held: unknown): Initializer {
  const reported = config[key] as Record<string, unknown> | undefined;
  if (reported && typeof reported.className === 'string') {
    return getInitializer({ className: reported.className, config: reported.config as Record<string, unknown> }, layer.name);
  }
  if (held && typeof (held as Initializer).getConfig === 'function') return held as Initializer;
  throw new ValueError(`Invalid layer for saveModel: expected '${layer.name}' to report its ${key}. Received: ${JSON.stringify(reported)}.`);
}

const NO_REGULARIZERS = { kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null };
const NO_BN_REGULARIZERS = { beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null };

/** The class-specific part of one layer's config. */
function layerBody(layer: Layer, config: Record<string, unknown>, ctx: SaveContext): LayerJSON {
  const held = layer as unknown as Record<string, unknown>;
  if (layer instanceof Dense) {
    return {
      class_name: 'Dense',
      config: {
        units: layer.units,
        activation: activationToKeras(layer.activation, ctx),
        use_bias: layer.useBias,
        kernel_initializer: initializerToKeras(initializerOf(layer, config, 'kernelInitializer', held.kernelInitializer)),
        bias_initializer: initializerToKeras(initializerOf(layer, config, 'biasInitializer', held.biasInitializer)),
        ...NO_REGULARIZERS,
      },
    };
  }
  if (layer instanceof BatchNormalization) {
    const inits = (held.inits ?? {}) as Record<string, unknown>;
    const init = (key: string, short: string) => initializerToKeras(initializerOf(layer, config, key, inits[short]));
    return {
      class_name: 'BatchNormalization',
      config: {
        axis: -1,
        momentum: layer.momentum,
        epsilon: layer.epsilon,
        center: layer.center,
        scale: layer.scale,
        beta_initializer: init('betaInitializer', 'beta'),
        gamma_initializer: init('gammaInitializer', 'gamma'),
        moving_mean_initializer: init('movingMeanInitializer', 'movingMean'),
        moving_variance_initializer: init('movingVarianceInitializer', 'movingVariance'),
        ...NO_BN_REGULARIZERS,
      },
    };
  }
  if (layer instanceof Dropout) return { class_name: 'Dropout', config: { rate: layer.rate, noise_shape: null, seed: layer.seed } };
  if (layer instanceof Activation) return { class_name: 'Activation', config: { activation: activationToKeras(layer.activation, ctx) } };
  if (layer instanceof Flatten) return { class_name: 'Flatten', config: {} };
  return invalid({
    what: 'layer',
    where: 'saveModel',
    expected: `one of ${SUPPORTED_LAYERS.join(', ')}`,
    received: `'${layer.name}' of class ${layer.className}`,
  });
}

/** The Keras JSON of one layer; `first` layers carry the model's input shape. */
function layerToKeras(layer: Layer, first: boolean, ctx: SaveContext): LayerJSON {
  if (layer instanceof Input) {
    const shape = layer.declaredInputShape!;
    return { class_name: 'InputLayer', config: { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, name: layer.name } };
  }
  const config = layer.getConfig();
  const body = layerBody(layer, config, ctx);
  const head: Record<string, unknown> = { name: layer.name, trainable: layer.trainable, dtype: 'float32' };
  if (first && layer.declaredInputShape) head.batch_input_shape = [null, ...layer.declaredInputShape];
  return { class_name: body.class_name, config: { ...head, ...body.config } };
}

/** The model's `modelTopology`. Throws for layers this format does not cover and for duplicate layer names. */
export function modelToTopology(model: Sequential, ctx: SaveContext = new SaveContext(false)): Record<string, unknown> {
  const stack = model.layerStack;
  const names = new Set<string>();
  for (const layer of stack) {
    if (names.has(layer.name)) {
      invalid({
        what: 'model',
        where: 'saveModel',
        expected: 'unique layer names (weights are stored under them)',
        received: `two layers named '${layer.name}'`,
        hint: 'give each layer its own name option.',
      });
    }
    names.add(layer.name);
  }
  return {
    class_name: 'Sequential',
    config: { name: model.name, layers: stack.map((layer, i) => layerToKeras(layer, i === 0, ctx)) },
    keras_version: KERAS_VERSION,
    backend: 'webgpu-keras',
  };
}

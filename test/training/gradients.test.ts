/**
 * Gradient checks: every layer, activation and loss, and whole models, against central finite
 * differences of the batch-mean loss, in float64 on the CPU backend.
 *
 * Tolerance: |analytic − numeric| ≤ 1e-6 · max(1, |analytic|). With h = 1e-6 in float64 the central
 * difference has truncation error ~h²·|f'''| ≈ 1e-12 and rounding error ~ε·|L|/h ≈ 1e-10, so 1e-6 leaves
 * room only for real mistakes (a wrong factor or sign shows up at 1e-1 or worse).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { activationNames } from '../../src/activations';
import { lossAndGradients } from '../../src/training/gradients';

const H = 1e-6;
const TOL = 1e-6;

/** Deterministic inputs in [-1.5, 1.5]. */
function randomMatrix(rows: number, cols: number, seed: number): number[][] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (s / 2 ** 32) * 3 - 1.5;
  };
  return Array.from({ length: rows }, () => Array.from({ length: cols }, next));
}

interface Case {
  layers: () => keras.layers.Layer[];
  loss: keras.losses.LossName | keras.losses.Loss;
  y: number[][] | number[];
  training?: boolean;
}

/** Compare every (or a sample of) weight gradient element against finite differences. */
async function checkGradients({ layers, loss, y, training = true }: Case, inputs = 3): Promise<void> {
  const x = randomMatrix(Array.isArray(y) ? y.length : 4, inputs, 7);
  const model = new keras.Sequential(layers());
  model.compile({ optimizer: 'sgd', loss });
  const options = { training, step: 5, runSeed: 11 };
  const { grads } = await lossAndGradients(model, x, y, options);
  const vars = model.trainableWeights;
  expect(grads.length).toBe(vars.length);
  for (let v = 0; v < vars.length; v++) {
    const tensor = vars[v].value;
    const values = Float64Array.from(await tensor.data());
    const step = Math.max(1, Math.floor(values.length / 25));
    for (let i = 0; i < values.length; i += step) {
      const lossAt = async (value: number) => {
        tensor.backend.write(tensor, [value], i);
        return (await lossAndGradients(model, x, y, options)).loss;
      };
      const numeric = ((await lossAt(values[i] + H)) - (await lossAt(values[i] - H))) / (2 * H);
      tensor.backend.write(tensor, [values[i]], i);
      const analytic = grads[v][i];
      const error = Math.abs(analytic - numeric);
      if (error > TOL * Math.max(1, Math.abs(analytic))) {
        throw new Error(`${vars[v].name}[${i}]: analytic ${analytic} vs numeric ${numeric}`);
      }
    }
  }
  model.dispose();
}

const regressionTargets = randomMatrix(5, 2, 3);
const sparseLabels = [0, 2, 1, 2, 0];
const oneHot = sparseLabels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
const binary = [[1], [0], [0], [1], [1]];

describe('finite-difference gradient checks (float64, CPU)', () => {
  beforeAll(async () => {
    await keras.setBackend('cpu');
    keras.config.setFloatx('float64');
    keras.utils.setRandomSeed(1234);
  });
  afterAll(() => keras.config.setFloatx('float32'));

  it('Dense with a linear output under mean squared error', async () => {
    await checkGradients({ layers: () => [new keras.layers.Dense(2, { inputShape: [3] })], loss: 'mse', y: regressionTargets });
  });

  it('Dense without bias', async () => {
    await checkGradients({
      layers: () => [new keras.layers.Dense(4, { inputShape: [3], useBias: false, activation: 'tanh' }), new keras.layers.Dense(2)],
      loss: 'mse',
      y: regressionTargets,
    });
  });

  // Softmax is exercised with the losses below; every other activation inside a hidden Dense layer.
  const hidden = activationNames().filter((a) => a !== 'softmax');
  const params: Record<string, Record<string, number>> = {
    elu: { alpha: 0.7 },
    leaky_relu: { negativeSlope: 0.1 },
    celu: { alpha: 1.3 },
    softplus: { beta: 2, threshold: 20 },
    threshold: { threshold: 0.1, value: -0.5 },
    hardtanh: { minVal: -0.8, maxVal: 0.9 },
  };
  for (const name of hidden) {
    it(`Dense with ${name} activation`, async () => {
      await checkGradients({
        layers: () => [
          new keras.layers.Dense(4, { inputShape: [3], activation: { name, ...(params[name] ?? {}) }, kernelInitializer: 'glorot_normal' }),
          new keras.layers.Dense(2),
        ],
        loss: 'mse',
        y: regressionTargets,
      });
    });
  }
  it('Dense with exact (erf) gelu', async () => {
    await checkGradients({
      layers: () => [new keras.layers.Dense(4, { inputShape: [3], activation: { name: 'gelu', approximate: 0 } }), new keras.layers.Dense(2)],
      loss: 'mse',
      y: regressionTargets,
    });
  });

  it('mean absolute error', async () => {
    await checkGradients({ layers: () => [new keras.layers.Dense(2, { inputShape: [3] })], loss: 'mae', y: regressionTargets });
  });

  it('huber loss in both regimes (delta 0.5)', async () => {
    await checkGradients({ layers: () => [new keras.layers.Dense(2, { inputShape: [3] })], loss: new keras.losses.Huber({ delta: 0.5 }), y: regressionTargets });
  });

  it('binary cross-entropy on a sigmoid output (fused with the logits)', async () => {
    await checkGradients({ layers: () => [new keras.layers.Dense(1, { inputShape: [3], activation: 'sigmoid' })], loss: 'binary_crossentropy', y: binary });
  });

  it('binary cross-entropy from logits with label smoothing', async () => {
    await checkGradients({
      layers: () => [new keras.layers.Dense(1, { inputShape: [3] })],
      loss: new keras.losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
      y: binary,
    });
  });

  it('binary cross-entropy on probabilities that are not a sigmoid (unfused)', async () => {
    await checkGradients({ layers: () => [new keras.layers.Dense(1, { inputShape: [3], activation: 'hardsigmoid' })], loss: 'binary_crossentropy', y: binary });
  });

  it('categorical cross-entropy on a softmax output (fused)', async () => {
    await checkGradients({ layers: () => [new keras.layers.Dense(3, { inputShape: [3], activation: 'softmax' })], loss: 'categorical_crossentropy', y: oneHot });
  });

  it('categorical cross-entropy from logits with label smoothing', async () => {
    await checkGradients({
      layers: () => [new keras.layers.Dense(3, { inputShape: [3] })],
      loss: new keras.losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
      y: oneHot,
    });
  });

  it('categorical cross-entropy on unnormalised probabilities (sigmoid outputs)', async () => {
    await checkGradients({ layers: () => [new keras.layers.Dense(3, { inputShape: [3], activation: 'sigmoid' })], loss: 'categorical_crossentropy', y: oneHot });
  });

  it('softmax as a hidden activation (Jacobian-vector product)', async () => {
    await checkGradients({
      layers: () => [new keras.layers.Dense(3, { inputShape: [3], activation: 'softmax' }), new keras.layers.Dense(2)],
      loss: 'mse',
      y: regressionTargets,
    });
  });

  it('sparse categorical cross-entropy: fused, from logits, and unfused', async () => {
    await checkGradients({ layers: () => [new keras.layers.Dense(3, { inputShape: [3], activation: 'softmax' })], loss: 'sparse_categorical_crossentropy', y: sparseLabels });
    await checkGradients({
      layers: () => [new keras.layers.Dense(3, { inputShape: [3] })],
      loss: new keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      y: sparseLabels,
    });
    await checkGradients({ layers: () => [new keras.layers.Dense(3, { inputShape: [3], activation: 'softplus' })], loss: 'sparse_categorical_crossentropy', y: sparseLabels });
  });

  it('a standalone Activation layer fused with the loss', async () => {
    await checkGradients({
      layers: () => [new keras.layers.Dense(3, { inputShape: [3] }), new keras.layers.Activation('softmax')],
      loss: 'sparse_categorical_crossentropy',
      y: sparseLabels,
    });
  });

  it('BatchNormalization in training mode (gamma, beta and the layers before it)', async () => {
    await checkGradients({
      layers: () => [
        new keras.layers.Dense(4, { inputShape: [3], activation: 'tanh' }),
        new keras.layers.BatchNormalization({ gammaInitializer: { className: 'RandomUniform', config: { minval: 0.5, maxval: 1.5 } } }),
        new keras.layers.Dense(2),
      ],
      loss: 'mse',
      y: regressionTargets,
    });
  });

  it('Dropout with a fixed mask (same seed and step)', async () => {
    await checkGradients({
      layers: () => [new keras.layers.Dense(6, { inputShape: [3], activation: 'sigmoid' }), new keras.layers.Dropout(0.5, { seed: 3 }), new keras.layers.Dense(2)],
      loss: 'mse',
      y: regressionTargets,
    });
  });

  it('a whole model: Dense, BatchNorm, Dropout and several activations in a row', async () => {
    await checkGradients({
      layers: () => [
        new keras.layers.Input({ shape: [3] }),
        new keras.layers.Dense(6, { activation: 'elu' }),
        new keras.layers.Activation('tanh'),
        new keras.layers.BatchNormalization(),
        new keras.layers.Dropout(0.3, { seed: 9 }),
        new keras.layers.Dense(5, { activation: 'gelu' }),
        new keras.layers.Activation('silu'),
        new keras.layers.Dense(3, { activation: 'softmax' }),
      ],
      loss: 'sparse_categorical_crossentropy',
      y: sparseLabels,
    });
  });

  it('a model evaluated in inference mode (moving statistics, no dropout)', async () => {
    await checkGradients({
      layers: () => [
        new keras.layers.Dense(4, { inputShape: [3], activation: 'relu6' }),
        new keras.layers.BatchNormalization({ movingMeanInitializer: 'random_normal' }),
        new keras.layers.Dropout(0.5),
        new keras.layers.Dense(2),
      ],
      loss: 'mse',
      y: regressionTargets,
      training: false,
    });
  });
});

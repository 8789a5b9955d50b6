/**
 * The same seeded model trained on the CPU, on wasm and on WebGPU gives the same loss curve and weights:
 * dropout masks come from the same counter-based RNG, batch norm and the optimizer follow the same math.
 * Runs in Node (Dawn) and in Chromium; wasm needs no adapter, so its comparison always runs.
 *
 * Tolerance: relative 2e-5 on each epoch's loss and absolute 2e-5 on every weight after 4 epochs. The
 * backends compute in float32 but sum the matmuls in different orders (the CPU accumulates in float64);
 * measured: on SwiftShader 9e-7 relative on the losses and 3.6e-7 on the weights; on wasm (whose batch
 * norm, dropout, bias gradient and formulas equal the CPU's bit for bit, only the matmul differs)
 * 0 on the losses and 6e-8 on the weights (plain SIMD; 1.2e-7 with relaxed SIMD's fused multiply-add).
 * The bound leaves room for other adapters' arithmetic. A real mismatch (a wrong mask, a missing term)
 * moves the loss by 1e-2 or more within the first epoch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { describeGpu } from '../setup/webgpu-env';

function data(n: number): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 1.7);
    const b = Math.cos(i * 0.9);
    x.push([a, b, a * b, (i % 7) / 7 - 0.5]);
    y.push(a + b > 0.5 ? 2 : a > b ? 1 : 0);
  }
  return { x, y };
}

async function train(): Promise<{ losses: number[]; accuracies: number[]; weights: number[][] }> {
  keras.utils.setRandomSeed(21);
  const model = new keras.Sequential([
    new keras.layers.Dense(16, { inputShape: [4], activation: 'relu', kernelInitializer: 'he_normal' }),
    new keras.layers.BatchNormalization(),
    new keras.layers.Dropout(0.25),
    new keras.layers.Dense(8, { activation: 'tanh' }),
    new keras.layers.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const { x, y } = data(120);
  const history = await model.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0, seed: 5, validationSplit: 0.2 });
  const tensors = model.getWeights();
  const weights = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
  tensors.forEach((t) => t.dispose());
  model.dispose();
  return { losses: history.history.loss, accuracies: history.history.val_accuracy, weights };
}

type Run = Awaited<ReturnType<typeof train>>;

/** Both runs' losses, validation accuracies and weights agree within the stated tolerance. */
function expectSameNumbers(run: Run, cpu: Run): void {
  run.losses.forEach((loss, i) => expect(Math.abs(loss - cpu.losses[i])).toBeLessThanOrEqual(2e-5 * Math.abs(cpu.losses[i])));
  expect(run.accuracies).toEqual(cpu.accuracies);
  run.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - cpu.weights[i][j])).toBeLessThanOrEqual(2e-5)));
}

describe('CPU and wasm train the same model to the same numbers', () => {
  afterAll(async () => {
    await keras.setBackend('cpu');
  });

  it('gives the same loss curve and final weights (batch norm and dropout included)', async () => {
    await keras.setBackend('cpu');
    const cpu = await train();
    await keras.setBackend('wasm');
    expectSameNumbers(await train(), cpu);
  });
});

describeGpu('CPU and WebGPU train the same model to the same numbers', (gpu) => {
  afterAll(async () => {
    await keras.setBackend('cpu');
  });

  it('gives the same loss curve and final weights (batch norm and dropout included)', async () => {
    await keras.setBackend('cpu');
    const cpu = await train();
    await keras.setBackend('webgpu', { device: gpu.device });
    expectSameNumbers(await train(), cpu);
  });
});

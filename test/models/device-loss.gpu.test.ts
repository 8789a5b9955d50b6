/**
 * A WebGPU device lost in the middle of `fit`, end to end on real WebGPU (Dawn in Node, Chromium): the
 * backend runs on a device of its own, a callback destroys that device, and then the fit rejects
 * promptly with a DeviceError, the model keeps the weights of its last completed epoch (moved to the
 * CPU), and training goes on on the CPU backend.
 */
import { afterAll, expect, it } from 'vitest';
import * as keras from '../../src';
import { describeGpu, type GpuSuiteContext } from '../setup/webgpu-env';

const BATCHES = 8; // per epoch: 128 samples in batches of 16

function data(): { x: number[][]; y: number[] } {
  const x = Array.from({ length: 16 * BATCHES }, (_, i) => [Math.sin(i), Math.cos(0.7 * i), (i % 9) / 9]);
  return { x, y: x.map(([a, b]) => (a + b > 0 ? 1 : 0)) };
}

async function weightValues(model: keras.Sequential): Promise<number[][]> {
  const tensors = model.getWeights();
  const values = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
  tensors.forEach((t) => t.dispose());
  return values;
}

/**
 * A WebGPU backend on a device of its own, selected for keras: the suite's device, and its check for
 * uncaptured errors, stay out of it. The device comes from a fresh adapter (an adapter gives one device).
 */
async function ownDeviceBackend(ctx: GpuSuiteContext): Promise<GPUDevice> {
  const adapter = await ctx.gpu.requestAdapter();
  const device = await adapter!.requestDevice();
  await keras.setBackend('webgpu', { device });
  return device;
}

function makeModel(): keras.Sequential {
  keras.utils.setRandomSeed(4);
  const model = new keras.Sequential([
    new keras.layers.Dense(8, { inputShape: [3], activation: 'relu' }),
    new keras.layers.Dense(2, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

describeGpu('A WebGPU device lost during fit', (ctx) => {
  afterAll(async () => {
    await keras.setBackend('cpu');
  });

  /**
   * Fit 5 epochs and destroy the device when `when(epoch, batch)` says so, at a batch end (batch ≥ 0) or
   * an epoch end (batch −1). Returns the weights at the end of the first epoch and the fit's rejection.
   */
  async function fitUntilLost(model: keras.Sequential, device: GPUDevice, when: (epoch: number, batch: number) => boolean) {
    let afterEpoch1: number[][] = [];
    let epoch = 0;
    const destroyer = new keras.callbacks.LambdaCallback({
      onEpochBegin: (e) => void (epoch = e),
      onTrainBatchEnd: (batch) => void (when(epoch, batch) && device.destroy()),
      onEpochEnd: async (e) => {
        if (e === 0) afterEpoch1 = await weightValues(model);
        if (when(e, -1)) device.destroy();
      },
    });
    const { x, y } = data();
    const started = Date.now();
    const error = await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0, callbacks: [destroyer] }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    return { afterEpoch1, error, seconds: (Date.now() - started) / 1000 };
  }

  it('rejects with a DeviceError after the device is destroyed at the end of epoch 1, keeping that epoch\'s weights', async () => {
    const device = await ownDeviceBackend(ctx);
    const model = makeModel();
    const { afterEpoch1, error, seconds } = await fitUntilLost(model, device, (epoch, batch) => epoch === 0 && batch === -1);
    expect(error).toBeInstanceOf(keras.errors.DeviceError);
    expect(error!.message).toMatch(/was lost/);
    expect(error!.message).toMatch(/keeps the weights of its last completed epoch/);
    expect(seconds).toBeLessThan(20); // promptly: nothing waits on the lost device
    expect(await weightValues(model)).toEqual(afterEpoch1);
    expect(model.optimizer.iterations).toBe(BATCHES);

    // Training goes on, on the CPU, from those weights.
    await keras.setBackend('cpu');
    const { x, y } = data();
    const history = await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
    expect(await weightValues(model)).not.toEqual(afterEpoch1);
    expect(model.optimizer.iterations).toBe(3 * BATCHES);
    model.dispose();
  });

  it('rolls back to the end of epoch 1 when the device is lost in the middle of epoch 2', async () => {
    const device = await ownDeviceBackend(ctx);
    const model = makeModel();
    const { afterEpoch1, error } = await fitUntilLost(model, device, (epoch, batch) => epoch === 1 && batch === 2);
    expect(error).toBeInstanceOf(keras.errors.DeviceError);
    expect(error!.message).toMatch(/keeps the weights of its last completed epoch/);
    expect(await weightValues(model)).toEqual(afterEpoch1);
    expect(model.optimizer.iterations).toBe(BATCHES);
    model.dispose();
  });
});

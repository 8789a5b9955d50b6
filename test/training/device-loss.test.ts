/**
 * A device lost in the middle of fit: the promise rejects with a DeviceError, the model keeps the weights
 * of its last completed epoch (copied to the host at each epoch end) and can go on training elsewhere.
 * The lost device is simulated by a CPU backend that reports itself as a GPU would (reads are not cheap)
 * and fails at a chosen flush.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend';

// A backend added at run time is made known to the compiler the way users do it.
declare module '../../src/identifiers' {
  interface CustomBackendNames {
    losing: true;
  }
}

class LosingBackend extends CpuBackend {
  override readonly readsAreCheap = false;
  flushes = 0;
  failAt = Infinity;
  override flush(): void {
    if (++this.flushes === this.failAt) throw new keras.errors.DeviceError('The GPU device was lost (simulated).');
  }
}

describe('device loss during fit', () => {
  afterAll(async () => {
    await keras.setBackend('cpu');
  });

  it('rejects with a DeviceError, keeps the last completed epoch and continues on the CPU', async () => {
    const losing = new LosingBackend();
    keras.registerBackend('losing', async () => losing, -1);
    await keras.setBackend('losing');
    keras.utils.setRandomSeed(1);
    const model = new keras.Sequential([new keras.layers.Dense(3, { inputShape: [2], activation: 'tanh' }), new keras.layers.Dense(1)]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = Array.from({ length: 16 }, (_, i) => [i / 16, (i % 4) / 4]);
    const y = x.map(([a, b]) => a - b);
    const atEpochEnd: number[][][] = [];
    const recorder = new keras.callbacks.Callback();
    recorder.onEpochEnd = async () => {
      const weights = model.getWeights();
      atEpochEnd.push(await Promise.all(weights.map(async (w) => Array.from(await w.data()))));
      weights.forEach((w) => w.dispose());
    };
    losing.failAt = 2 * 4 + 3; // third batch of the third epoch (4 batches an epoch)
    const error = await model.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [recorder] }).catch((e) => e);
    expect(error).toBeInstanceOf(keras.errors.DeviceError);
    expect(error.message).toMatch(/keeps the weights of its last completed epoch/);
    expect(atEpochEnd).toHaveLength(2);
    const kept = model.getWeights();
    expect(kept[0].backend.name).toBe('cpu');
    expect(await Promise.all(kept.map(async (w) => Array.from(await w.data())))).toEqual(atEpochEnd[1]);
    kept.forEach((w) => w.dispose());
    await keras.setBackend('cpu');
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    model.dispose();
  });
});

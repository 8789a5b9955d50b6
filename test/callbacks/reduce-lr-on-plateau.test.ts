import { describe, expect, it } from 'vitest';
import { LambdaCallback, ReduceLROnPlateau } from '../../src/callbacks';
import { drive, series, tinyModel, X, Y } from './fixtures';

/** The learning rate in effect at each epoch (its `learning_rate` log) for synthetic `val_loss` values. */
async function rates(args: ConstructorParameters<typeof ReduceLROnPlateau>[0], values: number[], key = 'val_loss', lr = 1) {
  const logs = await drive(new ReduceLROnPlateau(args), await tinyModel(lr), series(key, values));
  return logs.map((l) => l.learning_rate);
}

const flat = (n: number) => Array<number>(n).fill(1);

describe('ReduceLROnPlateau on synthetic logs', () => {
  it('multiplies the rate by factor after `patience` epochs without improvement', async () => {
    expect(await rates({ patience: 2, factor: 0.5 }, flat(7))).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25]);
  });

  it('does not reduce while the value keeps improving by more than minDelta', async () => {
    expect(await rates({ patience: 1, factor: 0.5 }, [1, 0.9, 0.8, 0.7, 0.6])).toEqual([1, 1, 1, 1, 1]);
  });

  it('treats a change smaller than minDelta (default 1e-4) as no improvement', async () => {
    // Each value is within 1e-4 of the best (1), which stays the best.
    const creeping = [1, 0.99995, 0.99994, 0.99993, 0.99992];
    expect(await rates({ patience: 1, factor: 0.5 }, creeping)).toEqual([1, 1, 0.5, 0.25, 0.125]);
    expect(await rates({ patience: 1, factor: 0.5, minDelta: 0 }, creeping)).toEqual([1, 1, 1, 1, 1]);
  });

  it('rests `cooldown` epochs after each reduction', async () => {
    expect(await rates({ patience: 1, factor: 0.5, cooldown: 2 }, flat(8))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125]);
  });

  it('never goes below minLr, and stops reducing once there', async () => {
    expect(await rates({ patience: 0, factor: 0.1, minLr: 0.05 }, flat(5))).toEqual([1, 1, 0.1, 0.05, 0.05]);
  });

  it('compares the rate with minLr in float32 as Keras does, so a rate at minLr is not reduced again', async () => {
    // Keras: lr 0.1, factor 0.1, minLr 0.01, patience 1, cooldown 2, a flat value. Epoch 1 reduces to
    // max(0.1·0.1, 0.01), which is 0.01 in float32 (0.01 + 2e-18 in float64); from then on
    // float32(lr) > float32(minLr) is false: no second reduction, no new cooldown, wait keeps growing.
    const messages: string[] = [];
    const log = console.log;
    console.log = (m: string) => void messages.push(m);
    const callback = new ReduceLROnPlateau({ patience: 1, factor: 0.1, minLr: 0.01, cooldown: 2, verbose: 1 });
    try {
      await drive(callback, await tinyModel(0.1), series('val_loss', flat(6)));
    } finally {
      console.log = log;
    }
    expect(messages.filter((m) => m.includes('reducing learning rate'))).toHaveLength(1);
    expect([callback.wait, callback.cooldownCounter]).toEqual([3, 0]);
  });

  it('watches accuracy upwards in auto mode', async () => {
    expect(await rates({ monitor: 'val_accuracy', patience: 1, factor: 0.5 }, [0.5, 0.6, 0.7, 0.65], 'val_accuracy')).toEqual([1, 1, 1, 1]);
    expect(await rates({ monitor: 'val_accuracy', patience: 1, factor: 0.5 }, [0.7, 0.6, 0.5, 0.4], 'val_accuracy')).toEqual([1, 1, 0.5, 0.25]);
  });

  it("uses PyTorch's relative threshold: an improvement must beat best·(1 ∓ threshold)", async () => {
    // min: 9.5 is not below 10·0.9 = 9, so epoch 1 is no improvement; 8.9 is.
    expect(await rates({ patience: 1, factor: 0.5, threshold: 0.1 }, [10, 9.5, 8.9, 8.5])).toEqual([1, 1, 0.5, 0.5]);
    // max: 10.5 is not above 10·1.1 = 11.
    expect(await rates({ monitor: 'score', mode: 'max', patience: 1, factor: 0.5, thresholdMode: 'rel', threshold: 0.1 }, [10, 10.5, 11.2], 'score')).toEqual([1, 1, 0.5]);
  });

  it("uses PyTorch's absolute threshold: an improvement must beat best ∓ threshold", async () => {
    // min: 9.4 < 10 − 0.5 is an improvement (a `best · threshold` bug would call it none); 9.0 < 9.4 − 0.5 is not.
    expect(await rates({ patience: 1, factor: 0.5, thresholdMode: 'abs', threshold: 0.5 }, [10, 9.4, 9.0, 8.0])).toEqual([1, 1, 1, 0.5]);
    // max: 10.6 > 10 + 0.5.
    expect(await rates({ monitor: 'score', mode: 'max', patience: 1, factor: 0.5, thresholdMode: 'abs', threshold: 0.5 }, [10, 10.6, 10.7], 'score')).toEqual([1, 1, 1]);
  });

  it("matches Keras's minDelta exactly when thresholdMode is 'abs' with the same margin", async () => {
    let seed = 7;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const values = Array.from({ length: 40 }, (_, i) => 1 / (1 + i / 10) + 0.05 * noise());
    const keras = await rates({ patience: 2, factor: 0.7, cooldown: 1, minDelta: 0.01 }, values);
    expect(await rates({ patience: 2, factor: 0.7, cooldown: 1, thresholdMode: 'abs', threshold: 0.01 }, values)).toEqual(keras);
    expect(new Set(keras).size).toBeGreaterThan(2);
  });

  it('defaults threshold to 1e-4 when only thresholdMode is given', () => {
    expect(new ReduceLROnPlateau({ thresholdMode: 'abs' }).threshold).toBe(1e-4);
    expect(new ReduceLROnPlateau().threshold).toBeNull();
  });

  it('rejects minDelta together with threshold, a factor of 1 or more, and an unknown thresholdMode', () => {
    expect(() => new ReduceLROnPlateau({ minDelta: 0.1, threshold: 0.1 })).toThrow(/^Invalid options for ReduceLROnPlateau: expected either minDelta \(Keras, absolute\) or threshold\/thresholdMode \(PyTorch\), not both\./);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/Invalid factor for ReduceLROnPlateau: expected a number in \[0, 1\)\. Received: factor=1\./);
    expect(() => new ReduceLROnPlateau({ thresholdMode: 'relative' as 'rel' })).toThrow(/Invalid thresholdMode for ReduceLROnPlateau/);
  });
});

describe('ReduceLROnPlateau in a real CPU training run', () => {
  it('lowers the optimizer rate used by the following epochs and logs it', async () => {
    const model = await tinyModel(0.04);
    const seen: number[] = [];
    const flatScore = new LambdaCallback({ onEpochEnd: (_e, logs) => void (logs!.score = 1) });
    const record = new LambdaCallback({ onEpochEnd: (_e, logs) => void seen.push(logs!.learning_rate) });
    await model.fit(X, Y, { epochs: 5, verbose: 0, callbacks: [flatScore, new ReduceLROnPlateau({ monitor: 'score', patience: 1, factor: 0.5 }), record] });
    expect(seen).toEqual([0.04, 0.04, 0.02, 0.01, 0.005]);
    expect(model.optimizer.learningRate).toBeCloseTo(0.0025, 15);
  });
});

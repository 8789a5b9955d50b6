import { afterEach, describe, expect, it, vi } from 'vitest';
import { TerminateOnNaN } from '../../src/callbacks';
import { drive, tinyModel, X, Y } from './fixtures';

afterEach(() => vi.restoreAllMocks());

describe('TerminateOnNaN', () => {
  it('stops at the batch whose loss is NaN and says which epoch and batch', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = await tinyModel();
    const callback = new TerminateOnNaN();
    callback.setModel(model);
    callback.onTrainBegin();
    callback.onEpochBegin(2);
    callback.onTrainBatchEnd(0, { batch: 0, size: 4, loss: 1.5 });
    expect(model.stopTraining).toBe(false);
    callback.onTrainBatchEnd(5, { batch: 5, size: 4, loss: Number.NaN });
    expect(model.stopTraining).toBe(true);
    expect(callback.terminatedAt).toEqual({ epoch: 2, batch: 5, loss: Number.NaN });
    expect(log).toHaveBeenCalledWith('Epoch 3, batch 6: invalid loss NaN, terminating training.');
    callback.onEpochEnd(2, { loss: Number.NaN });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('catches a non-finite loss in the epoch logs when batch logs carry none (as on WebGPU)', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const callback = new TerminateOnNaN();
    const logs = await drive(callback, await tinyModel(), [{ loss: 2 }, { loss: Infinity }, { loss: 1 }]);
    expect(logs).toHaveLength(2);
    expect(callback.terminatedAt).toEqual({ epoch: 1, batch: null, loss: Infinity });
  });

  it('ignores batch logs without a loss and finite losses', async () => {
    const model = await tinyModel();
    const callback = new TerminateOnNaN();
    callback.setModel(model);
    callback.onTrainBatchEnd(0, { batch: 0, size: 4 });
    callback.onEpochEnd(0, { loss: 1e30, val_loss: Number.NaN });
    expect(model.stopTraining).toBe(false);
    expect(callback.terminatedAt).toBeNull();
  });

  it('ends a real CPU run that diverges under a huge learning rate, at the first bad batch', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = await tinyModel(1e4);
    const callback = new TerminateOnNaN();
    const history = await model.fit(X, Y, { epochs: 100, batchSize: 4, verbose: 0, callbacks: [callback] });
    expect(history.epoch.length).toBeLessThan(100);
    expect(callback.terminatedAt?.batch).not.toBeNull();
    expect(callback.terminatedAt?.epoch).toBe(history.epoch.length - 1);
    expect(Number.isFinite(history.history.loss.at(-1)!)).toBe(false);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('lets a healthy run finish', async () => {
    const history = await (await tinyModel(0.05)).fit(X, Y, { epochs: 5, verbose: 0, callbacks: [new TerminateOnNaN()] });
    expect(history.epoch).toHaveLength(5);
  });
});

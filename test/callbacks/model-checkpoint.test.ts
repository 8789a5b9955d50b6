import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { LambdaCallback, ModelCheckpoint, formatCheckpointPath, type CheckpointSaveOptions } from '../../src/callbacks';
import { ValueError } from '../../src/errors';
import { loadModel, loadWeights } from '../../src/io';
import type { Sequential } from '../../src/models/sequential';
import { drive, series, tinyModel, weightValues, X, Y } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'webgpu-keras-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(() => vi.restoreAllMocks());

/** A saver that records its calls. */
function recorder() {
  const calls: { model: Sequential; path: string; options: CheckpointSaveOptions }[] = [];
  const saver = async (model: Sequential, path: string, options: CheckpointSaveOptions) => {
    await new Promise((r) => setTimeout(r, 1)); // an asynchronous save must be awaited
    calls.push({ model, path, options });
  };
  return { calls, saver };
}

describe('formatCheckpointPath', () => {
  it.each([
    ['ckpt/epoch{epoch:02d}-{val_loss:.2f}', { epoch: 3, val_loss: 0.12345 }, 'ckpt/epoch03-0.12'],
    ['m-{epoch}', { epoch: 12 }, 'm-12'],
    ['m-{epoch:03}', { epoch: 7 }, 'm-007'],
    ['{loss:.4f}', { loss: 1.23456789 }, '1.2346'],
    ['{loss:f}', { loss: 0.5 }, '0.500000'],
    ['{loss:8.3f}|', { loss: 0.5 }, '   0.500|'],
    ['{loss:08.3f}', { loss: -0.5 }, '-000.500'],
    ['{loss:.2e}', { loss: 0.000123 }, '1.23e-04'],
    ['{loss:.3e}', { loss: 123456 }, '1.235e+05'],
    ['{loss:.1f} {acc:.0f} {x:.1e}', { loss: 0.25, acc: 2.5, x: 0.125 }, '0.2 2 1.2e-01'],
    ['{loss:.2f}', { loss: Number.NaN }, 'nan'],
    ['{loss:.2f}', { loss: -Infinity }, '-inf'],
    ['{{epoch}}-{epoch}', { epoch: 1 }, '{epoch}-1'],
  ])('formats %s like Python str.format', (template, values, expected) => {
    expect(formatCheckpointPath(template, values)).toBe(expected);
  });

  it('throws a ValueError naming a missing key and the available ones', () => {
    expect(() => formatCheckpointPath('{epoch}-{val_loss:.2f}', { epoch: 1, loss: 2 })).toThrow(ValueError);
    expect(() => formatCheckpointPath('{epoch}-{val_loss:.2f}', { epoch: 1, loss: 2 })).toThrow(/among the keys epoch, loss\. Received: '\{epoch\}-\{val_loss:\.2f\}' \(no 'val_loss'\)\./);
  });

  it("rejects the 'd' format for a non-integer, as Python does", () => {
    expect(() => formatCheckpointPath('{loss:02d}', { loss: 0.5 })).toThrow(/an integer for the 'd' format of \{loss\}/);
  });

  it.each(['{epoch', 'a}b', '{epoch:>5}', '{loss:.3}', '{epoch:.2d}', '{1x}'])('rejects the malformed template %s when constructed', (template) => {
    expect(() => new ModelCheckpoint(template, { saver: () => {} })).toThrow(/^Invalid filepath for ModelCheckpoint/);
  });
});

describe('ModelCheckpoint', () => {
  it('saves the model at each epoch end under the 1-based epoch and the epoch logs', async () => {
    const { calls, saver } = recorder();
    const model = await tinyModel();
    const history = await model.fit(X, Y, { epochs: 3, verbose: 0, callbacks: [new ModelCheckpoint('ckpt/e{epoch:02d}-{loss:.3f}', { saver })] });
    expect(calls.map((c) => c.path)).toEqual(history.history.loss.map((l, i) => `ckpt/e0${i + 1}-${formatCheckpointPath('{l:.3f}', { l })}`));
    expect(calls.every((c) => c.model === model)).toBe(true);
    expect(calls[0].options).toEqual({ includeOptimizer: true, weightsOnly: false });
  });

  it('asks for the weights alone with saveWeightsOnly', async () => {
    const { calls, saver } = recorder();
    await drive(new ModelCheckpoint('w{epoch}', { saver, saveWeightsOnly: true }), await tinyModel(), series('loss', [1]));
    expect(calls[0].options).toEqual({ includeOptimizer: false, weightsOnly: true });
  });

  it('with saveBestOnly saves only the epochs that improve on the best so far', async () => {
    const { calls, saver } = recorder();
    const callback = new ModelCheckpoint('best-{epoch}', { saver, saveBestOnly: true });
    await drive(callback, await tinyModel(), series('val_loss', [1, 0.8, 0.9, 0.7, 0.7]));
    expect(calls.map((c) => c.path)).toEqual(['best-1', 'best-2', 'best-4']);
    expect(callback.best).toBe(0.7);
  });

  it('keeps its best across fit calls and starts from initialValueThreshold', async () => {
    const { calls, saver } = recorder();
    const model = await tinyModel();
    const callback = new ModelCheckpoint('b{epoch}', { saver, saveBestOnly: true, monitor: 'val_accuracy', initialValueThreshold: 0.75 });
    await drive(callback, model, series('val_accuracy', [0.5, 0.8, 0.7]));
    await drive(callback, model, series('val_accuracy', [0.79, 0.81]));
    expect(calls.map((c) => c.path)).toEqual(['b2', 'b2']);
  });

  it('warns once and saves anyway when saveBestOnly cannot find the monitored key', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { calls, saver } = recorder();
    await drive(new ModelCheckpoint('m{epoch}', { saver, saveBestOnly: true }), await tinyModel(), series('loss', [3, 2, 1]));
    expect(calls).toHaveLength(3);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('saves every saveFreq batches across epochs, with a 1-based batch in the path', async () => {
    const { calls, saver } = recorder();
    const model = await tinyModel();
    // 16 samples in batches of 4: 4 batches per epoch; saves after batches 3, 6 (epoch 2, batch 2) and 9.
    await model.fit(X, Y, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [new ModelCheckpoint('e{epoch}b{batch}', { saver, saveFreq: 3 })] });
    expect(calls.map((c) => c.path)).toEqual(['e1b3', 'e2b2', 'e3b1', 'e3b4']);
  });

  it('fails the run with a ValueError when the template names a key the logs lack', async () => {
    const model = await tinyModel();
    const fit = model.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint('{val_loss:.2f}', { saver: () => {} })] });
    await expect(fit).rejects.toThrow(/no 'val_loss'/);
  });

  it('rejects a saveFreq that is neither epoch nor a positive integer', () => {
    expect(() => new ModelCheckpoint('m', { saveFreq: 0 })).toThrow(/^Invalid saveFreq for ModelCheckpoint: expected 'epoch' or a positive integer number of batches\. Received: saveFreq=0\.$/);
  });

  it('saves through saveModel of src/io by default: the checkpoint loads back with the epoch weights', async () => {
    const model = await tinyModel();
    const recorded: number[][][] = [];
    const record = new LambdaCallback({ onEpochEnd: async () => void recorded.push(await weightValues(model)) });
    const checkpoint = new ModelCheckpoint(join(dir, 'full', 'epoch{epoch:02d}'));
    await model.fit(X, Y, { epochs: 2, verbose: 0, callbacks: [record, checkpoint] });
    expect(checkpoint.saved).toEqual([join(dir, 'full', 'epoch01'), join(dir, 'full', 'epoch02')]);
    const loaded = await loadModel(checkpoint.saved[0]);
    expect(await weightValues(loaded)).toEqual(recorded[0]);
    loaded.dispose();
  });

  it('saves weights alone with saveWeightsOnly, loadable into a model of the same shape', async () => {
    const model = await tinyModel();
    const checkpoint = new ModelCheckpoint(join(dir, 'weights'), { saveWeightsOnly: true });
    await model.fit(X, Y, { epochs: 2, verbose: 0, callbacks: [checkpoint] });
    const other = await tinyModel();
    await loadWeights(other, join(dir, 'weights'));
    expect(await weightValues(other)).toEqual(await weightValues(model));
  });
});

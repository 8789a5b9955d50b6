/**
 * TF.js-style plain-object callbacks in fit, evaluate and predict: `{ onEpochEnd(epoch, logs) {} }` and
 * the other hook names (Keras's in camelCase, TF.js's onBatchBegin/onBatchEnd/onYield) are called;
 * unknown keys and values that are neither Callbacks nor plain objects are errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { X, Y, tinyModel } from './fixtures';

beforeAll(async () => {
  await keras.setBackend('cpu');
});

describe('plain-object callbacks', () => {
  it('fit calls the hooks of a plain object, TF.js style', async () => {
    const model = await tinyModel();
    const seen: string[] = [];
    await model.fit(X, Y, {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      callbacks: [{
        onTrainBegin: () => void seen.push('trainBegin'),
        onEpochBegin: (e: number) => void seen.push(`epochBegin ${e}`),
        onBatchEnd: (b: number) => void seen.push(`batchEnd ${b}`),
        onEpochEnd: (e: number, logs?: keras.callbacks.Logs) => void seen.push(`epochEnd ${e} ${typeof logs?.loss}`),
        onTrainEnd: () => void seen.push('trainEnd'),
      }],
    });
    expect(seen).toEqual(['trainBegin', 'epochBegin 0', 'batchEnd 0', 'batchEnd 1', 'epochEnd 0 number', 'epochBegin 1', 'batchEnd 0', 'batchEnd 1', 'epochEnd 1 number', 'trainEnd']);
  });

  it('a single plain object (not in an array) is accepted, as TF.js does', async () => {
    const model = await tinyModel();
    const epochs: number[] = [];
    await model.fit(X, Y, { epochs: 3, verbose: 0, callbacks: { onEpochEnd: (e: number) => void epochs.push(e) } });
    expect(epochs).toEqual([0, 1, 2]);
  });

  it('evaluate and predict call onTest*/onPredict* hooks of plain objects', async () => {
    const model = await tinyModel();
    const seen: string[] = [];
    await model.evaluate(X, Y, { batchSize: 8, callbacks: [{ onTestBegin: () => void seen.push('testBegin'), onTestBatchEnd: (b: number) => void seen.push(`test ${b}`) }] });
    const out = await model.predict(X, { batchSize: 16, callbacks: [{ onPredictEnd: () => void seen.push('predictEnd') }] });
    out.dispose();
    expect(seen).toEqual(['testBegin', 'test 0', 'test 1', 'predictEnd']);
  });

  it('fit calls onYield when it yields to the event loop', async () => {
    const model = await tinyModel();
    let yields = 0;
    // A slow batch hook makes fit pass its 100 ms yield point.
    const slow = { onTrainBatchEnd: () => new Promise<void>((r) => setTimeout(r, 60)), onYield: () => void yields++ };
    await model.fit(X, Y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [slow] });
    expect(yields).toBeGreaterThan(0);
  });

  it('refuses unknown hook names and hooks that are not functions', async () => {
    const model = await tinyModel();
    await expect(model.fit(X, Y, { verbose: 0, callbacks: [{ onEpochEnds: () => {} } as never] })).rejects.toThrow(
      /Invalid option 'onEpochEnds' for callbacks\[0\] of fit: expected one of onTrainBegin.*\nhint: did you mean 'onEpochEnd'\?/s,
    );
    await expect(model.fit(X, Y, { verbose: 0, callbacks: [{ onEpochEnd: 3 } as never] })).rejects.toThrow(/Invalid onEpochEnd for callbacks\[0\] of fit: expected a function/);
  });

  it('refuses values that are neither Callbacks nor plain objects', async () => {
    const model = await tinyModel();
    for (const bad of [42, 'history', () => {}, new Date()]) {
      await expect(model.fit(X, Y, { verbose: 0, callbacks: [bad] as never })).rejects.toThrow(
        /Invalid callbacks\[0\] for fit: expected a keras\.callbacks\.Callback, or an object of hook functions/,
      );
    }
  });
});

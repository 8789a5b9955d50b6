import { describe, expect, it } from 'vitest';
import { Callback, CallbackList, LambdaCallback } from '../../src/callbacks';
import { tinyModel, X, Y } from './fixtures';

describe('LambdaCallback', () => {
  it('calls each given function with the hook arguments, in training order', async () => {
    const events: string[] = [];
    const callback = new LambdaCallback({
      onTrainBegin: () => void events.push('train begin'),
      onEpochBegin: (epoch) => void events.push(`epoch ${epoch} begin`),
      onTrainBatchBegin: (batch) => void events.push(`batch ${batch} begin`),
      onTrainBatchEnd: (batch, logs) => void events.push(`batch ${batch} end ${typeof logs?.loss}`),
      onEpochEnd: (epoch, logs) => void events.push(`epoch ${epoch} end ${Object.keys(logs ?? {}).join(',')}`),
      onTrainEnd: () => void events.push('train end'),
    });
    await (await tinyModel()).fit(X, Y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [callback] });
    expect(events).toEqual([
      'train begin',
      'epoch 0 begin', 'batch 0 begin', 'batch 0 end number', 'batch 1 begin', 'batch 1 end number', 'epoch 0 end loss',
      'epoch 1 begin', 'batch 0 begin', 'batch 0 end number', 'batch 1 begin', 'batch 1 end number', 'epoch 1 end loss',
      'train end',
    ]);
  });

  it('awaits a function that returns a Promise before the next hook', async () => {
    const events: string[] = [];
    const slow = new LambdaCallback({ onEpochEnd: async (epoch) => { await new Promise((r) => setTimeout(r, 5)); events.push(`slow ${epoch}`); } });
    const next = new LambdaCallback({ onEpochBegin: (epoch) => void events.push(`begin ${epoch}`) });
    await (await tinyModel()).fit(X, Y, { epochs: 2, verbose: 0, callbacks: [slow, next] });
    expect(events).toEqual(['begin 0', 'slow 0', 'begin 1', 'slow 1']);
  });

  it('installs only the hooks it was given, so the trainer skips per-batch work otherwise', () => {
    const list = new CallbackList([new LambdaCallback({ onEpochEnd: () => {} })]);
    expect(list.wants('onEpochEnd')).toBe(true);
    expect(list.wants('onTrainBatchEnd')).toBe(false);
    expect(new LambdaCallback().onEpochEnd).toBe(Callback.prototype.onEpochEnd);
  });

  it('rejects a non-function and an unknown hook name', () => {
    expect(() => new LambdaCallback({ onEpochEnd: 3 as unknown as () => void })).toThrow(/^Invalid onEpochEnd for LambdaCallback: expected a function\. Received: onEpochEnd=3\.$/);
    expect(() => new LambdaCallback({ onEpochStart: () => {} } as never)).toThrow(/^Invalid option 'onEpochStart' for LambdaCallback: expected one of onTrainBegin, onTrainEnd, onEpochBegin, /);
    expect(() => new LambdaCallback({ on_epoch_end: () => {} } as never)).toThrow(/did you mean 'onEpochEnd'\?/);
  });
});

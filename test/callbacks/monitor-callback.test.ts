import { afterEach, describe, expect, it, vi } from 'vitest';
import { EarlyStopping, inferDirection } from '../../src/callbacks';
import { ValueError } from '../../src/errors';
import { drive, series, tinyModel } from './fixtures';

afterEach(() => vi.restoreAllMocks());

describe('MonitorCallback', () => {
  it.each([
    ['val_loss', 'min'], ['loss', 'min'], ['mean_squared_error', 'min'], ['val_mae', 'min'],
    ['accuracy', 'max'], ['val_accuracy', 'max'], ['val_binary_accuracy', 'max'], ['acc', 'max'],
    ['auc', 'max'], ['val_r2_score', 'max'], ['r2', 'max'], ['precision', 'max'], ['val_recall', 'max'],
  ] as const)('infers the direction of %s as %s in auto mode', (key, direction) => {
    expect(inferDirection(key)).toBe(direction);
    expect(new EarlyStopping({ monitor: key }).direction).toBe(direction);
  });

  it('lets an explicit mode override the name', () => {
    expect(new EarlyStopping({ monitor: 'val_accuracy', mode: 'min' }).direction).toBe('min');
    expect(new EarlyStopping({ monitor: 'loss', mode: 'max' }).direction).toBe('max');
  });

  it('counts an improvement only beyond minDelta, in either direction, ignoring its sign', () => {
    const min = new EarlyStopping({ monitor: 'loss', minDelta: -0.1 });
    expect(min.minDelta).toBe(0.1);
    expect(min.isImprovement(0.85, 1)).toBe(true);
    expect(min.isImprovement(0.95, 1)).toBe(false);
    expect(min.isImprovement(5, null)).toBe(true);
    expect(min.isImprovement(Number.NaN, 1)).toBe(false);
    const max = new EarlyStopping({ monitor: 'accuracy', minDelta: 0.1 });
    expect(max.isImprovement(0.75, 0.6)).toBe(true);
    expect(max.isImprovement(0.65, 0.6)).toBe(false);
  });

  it('rejects an unknown mode and a non-numeric baseline with the standard message', () => {
    expect(() => new EarlyStopping({ mode: 'up' as 'max' })).toThrow(ValueError);
    expect(() => new EarlyStopping({ mode: 'up' as 'max' })).toThrow(/^Invalid mode for EarlyStopping: expected one of 'auto', 'min', 'max'\. Received: mode='up'\.$/);
    expect(() => new EarlyStopping({ baseline: 'low' as unknown as number })).toThrow(/Invalid baseline for EarlyStopping/);
  });

  it('warns once per training run when the monitored key is missing, listing the available keys', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = await tinyModel();
    const callback = new EarlyStopping({ monitor: 'val_loss', patience: 5 });
    await drive(callback, model, series('loss', [1, 2, 3]));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/'val_loss', which is not in the logs\. Available keys: loss\./);
    await drive(callback, model, series('loss', [1, 2]));
    expect(warn).toHaveBeenCalledTimes(2);
  });
});

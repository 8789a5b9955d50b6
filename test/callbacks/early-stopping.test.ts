import { describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { EarlyStopping, LambdaCallback } from '../../src/callbacks';
import { drive, series, tinyModel, weightValues, X, Y } from './fixtures';

/** Epochs run by EarlyStopping(args) on synthetic `val_loss` values (or another key). */
async function epochsRun(args: ConstructorParameters<typeof EarlyStopping>[0], values: number[], key = 'val_loss') {
  const callback = new EarlyStopping(args);
  const run = (await drive(callback, await tinyModel(), series(key, values))).length;
  return { run, callback };
}

describe('EarlyStopping on synthetic logs', () => {
  it('stops at the first epoch without improvement when patience is 0', async () => {
    const { run, callback } = await epochsRun({}, [1, 0.9, 0.95, 0.5]);
    expect(run).toBe(3);
    expect(callback.stoppedEpoch).toBe(2);
    expect(callback.best).toBe(0.9);
  });

  it('waits `patience` epochs without improvement, an improvement resetting the count', async () => {
    expect((await epochsRun({ patience: 2 }, [1, 0.9, 0.95, 0.93, 0.8, 0.7])).run).toBe(4);
    expect((await epochsRun({ patience: 2 }, [1, 0.9, 0.95, 0.8, 0.85, 0.86, 0.1])).run).toBe(6);
  });

  it('needs an improvement larger than minDelta', async () => {
    expect((await epochsRun({ patience: 1 }, [1, 0.95, 0.9, 0.85])).run).toBe(4);
    const { run, callback } = await epochsRun({ patience: 1, minDelta: 0.1 }, [1, 0.95, 0.9, 0.85]);
    expect(run).toBe(2);
    expect(callback.best).toBe(1);
  });

  it('watches a quantity to maximize in max mode and in auto mode for accuracy', async () => {
    const values = [0.5, 0.6, 0.55, 0.7];
    expect((await epochsRun({ monitor: 'val_accuracy' }, values, 'val_accuracy')).run).toBe(3);
    expect((await epochsRun({ monitor: 'score', mode: 'max' }, values, 'score')).run).toBe(3);
    expect((await epochsRun({ monitor: 'val_accuracy', mode: 'min' }, values, 'val_accuracy')).run).toBe(2);
  });

  it('does not reset its count until the baseline is beaten', async () => {
    // Without a baseline: best at epoch 0, then two epochs without improvement.
    expect((await epochsRun({ patience: 2 }, [1, 1.1, 1.2, 1.3])).run).toBe(3);
    // Baseline 0.5 never beaten: epoch 0 counts too, so the patience runs out one epoch sooner.
    const { run, callback } = await epochsRun({ patience: 2, baseline: 0.5 }, [1, 1.1, 1.2, 1.3]);
    expect(run).toBe(2);
    expect(callback.bestEpoch).toBe(0);
    // Beating the baseline resets the count as usual.
    expect((await epochsRun({ patience: 2, baseline: 0.5 }, [0.4, 0.45, 0.46, 0.47])).run).toBe(3);
  });

  it('keeps training while the value improves, even below a baseline it never reaches', async () => {
    expect((await epochsRun({ patience: 1, baseline: 0.1 }, [1, 0.9, 0.8, 0.7, 0.6])).run).toBe(5);
  });

  it('ignores the epochs before startFromEpoch', async () => {
    expect((await epochsRun({}, [5, 4, 3, 3.5, 3.6, 3.7])).run).toBe(4);
    const { run, callback } = await epochsRun({ startFromEpoch: 3 }, [5, 4, 3, 3.5, 3.6, 3.7]);
    expect(run).toBe(5);
    expect(callback.best).toBe(3.5);
    expect(callback.bestEpoch).toBe(3);
  });

  it('resets its state when training begins again', async () => {
    const model = await tinyModel();
    const callback = new EarlyStopping({ patience: 0, baseline: 0 });
    expect(await drive(callback, model, series('val_loss', [1, 2]))).toHaveLength(2);
    expect(await drive(callback, model, series('val_loss', [9, 10]))).toHaveLength(2);
    expect(callback.best).toBe(9);
  });

  it('rejects a negative or fractional patience', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/^Invalid patience for EarlyStopping: expected a non-negative integer\. Received: patience=-1\.$/);
    expect(() => new EarlyStopping({ startFromEpoch: 1.5 })).toThrow(/Invalid startFromEpoch for EarlyStopping/);
  });
});

describe('EarlyStopping in a real CPU training run', () => {
  /**
   * Train while a LambdaCallback (running before EarlyStopping) writes `score[epoch]` into the logs and
   * records the weights at each epoch end.
   */
  async function train(score: number[], args: ConstructorParameters<typeof EarlyStopping>[0]) {
    const model = await tinyModel(0.05);
    const recorded: number[][][] = [];
    const inject = new LambdaCallback({
      onEpochEnd: async (epoch, logs) => {
        logs!.score = score[epoch];
        recorded.push(await weightValues(model));
      },
    });
    const stopper = new EarlyStopping({ monitor: 'score', ...args });
    const history = await model.fit(X, Y, { epochs: score.length, batchSize: 4, shuffle: false, verbose: 0, callbacks: [inject, stopper] });
    return { model, recorded, stopper, history, final: await weightValues(model) };
  }

  it('stops the run early: history holds only the epochs that ran', async () => {
    const { history, stopper } = await train([3, 1, 2, 4, 5, 6, 7, 8], { patience: 2 });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(stopper.stoppedEpoch).toBe(3);
  });

  it('restores the weights of the best epoch when it stops', async () => {
    const { recorded, final, stopper } = await train([3, 1, 2, 4, 5, 6, 7, 8], { patience: 2, restoreBestWeights: true });
    expect(stopper.bestEpoch).toBe(1);
    expect(recorded).toHaveLength(4);
    expect(recorded[1]).not.toEqual(recorded[3]);
    expect(final).toEqual(recorded[1]);
  });

  it('restores the best weights at the end even when it never stopped', async () => {
    const { recorded, final, stopper } = await train([3, 2, 1, 2.5, 2.6], { patience: 10, restoreBestWeights: true });
    expect(stopper.stoppedEpoch).toBe(0);
    expect(recorded).toHaveLength(5);
    expect(final).toEqual(recorded[2]);
  });

  it('leaves the last weights without restoreBestWeights', async () => {
    const { recorded, final } = await train([3, 1, 2, 4], { patience: 10 });
    expect(final).toEqual(recorded[3]);
  });

  it('disposes every weight snapshot it took', async () => {
    const model = await tinyModel(0.05);
    const before = keras.memory().numTensors;
    const inject = new LambdaCallback({ onEpochEnd: (epoch, logs) => void (logs!.score = [5, 4, 3, 2, 1][epoch]) });
    await model.fit(X, Y, { epochs: 5, verbose: 0, callbacks: [inject, new EarlyStopping({ monitor: 'score', restoreBestWeights: true })] });
    expect(keras.memory().numTensors).toBe(before);
  });

  it('stops on the real val_loss when training cannot improve it', async () => {
    // Learning rate 0: every epoch has the same val_loss, so the second epoch is no improvement.
    const model = await tinyModel(0);
    const history = await model.fit(X, Y, { epochs: 10, verbose: 0, validationData: [X, Y], callbacks: [new EarlyStopping({ patience: 1 })] });
    expect(history.epoch).toEqual([0, 1]);
  });
});

import { Callback, type Logs } from './callback';

/**
 * Records every epoch's logs: `history.history.loss[i]`, `history.history.val_accuracy[i]`, … and the
 * epoch numbers in `history.epoch`. `fit` returns it.
 */
export class History extends Callback {
  /** 0-based indices of the epochs recorded. */
  epoch: number[] = [];
  /** One array per log key, aligned with `epoch` (validation keys only hold the epochs that validated). */
  history: Record<string, number[]> = {};

  override onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}

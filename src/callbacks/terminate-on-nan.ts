import { Callback, type Logs } from './callback';

/** Where a non-finite loss was seen: 0-based epoch and batch (batch null when seen in the epoch logs). */
export interface NonFiniteLoss {
  epoch: number;
  batch: number | null;
  loss: number;
}

/**
 * Stop training when the loss becomes NaN or infinite (Keras's `TerminateOnNaN`).
 *
 * It checks `loss` in each batch's logs when present (the CPU backend reads it every batch; the WebGPU
 * backend reads nothing per batch, to keep the GPU busy) and in each epoch's logs, so a bad loss is
 * caught at the latest when the epoch ends. It sets `model.stopTraining`, prints the epoch and batch
 * (1-based, as the progress bar counts) and records them in `terminatedAt`.
 */
export class TerminateOnNaN extends Callback {
  /** Where training was stopped, or null if it was not (reset when training begins). */
  terminatedAt: NonFiniteLoss | null = null;
  private epoch = 0;

  override onTrainBegin(): void {
    this.terminatedAt = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (typeof loss !== 'number' || Number.isFinite(loss) || this.terminatedAt) return;
    this.stop({ epoch: this.epoch, batch, loss });
    console.log(`Epoch ${this.epoch + 1}, batch ${batch + 1}: invalid loss ${loss}, terminating training.`);
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (typeof loss !== 'number' || Number.isFinite(loss) || this.terminatedAt) return;
    this.stop({ epoch, batch: null, loss });
    console.log(`Epoch ${epoch + 1}: invalid loss ${loss} in the epoch logs, terminating training.`);
  }

  private stop(where: NonFiniteLoss): void {
    this.terminatedAt = where;
    this.model!.stopTraining = true;
  }
}

/**
 * The callback base class with every Keras hook. Hooks may return a Promise; the trainer awaits it.
 * `model` and `params` are set before training starts.
 */
import type { Sequential } from '../models/sequential';

/** Values reported to callbacks: `loss`, metric names, `val_` variants. */
export type Logs = Record<string, number>;

/** Training parameters given to callbacks (`epochs`, `steps`, `verbose`, `samples`, `batchSize`). */
export type CallbackParams = Record<string, unknown>;

type Hook = void | Promise<void>;

export class Callback {
  /** The model being trained (set by `fit`/`evaluate`/`predict`). */
  model: Sequential | null = null;
  params: CallbackParams = {};

  setModel(model: Sequential): void {
    this.model = model;
  }
  setParams(params: CallbackParams): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): Hook {}
  onTrainEnd(_logs?: Logs): Hook {}
  onEpochBegin(_epoch: number, _logs?: Logs): Hook {}
  onEpochEnd(_epoch: number, _logs?: Logs): Hook {}
  onTrainBatchBegin(_batch: number, _logs?: Logs): Hook {}
  onTrainBatchEnd(_batch: number, _logs?: Logs): Hook {}
  onTestBegin(_logs?: Logs): Hook {}
  onTestEnd(_logs?: Logs): Hook {}
  onTestBatchBegin(_batch: number, _logs?: Logs): Hook {}
  onTestBatchEnd(_batch: number, _logs?: Logs): Hook {}
  onPredictBegin(_logs?: Logs): Hook {}
  onPredictEnd(_logs?: Logs): Hook {}
  onPredictBatchBegin(_batch: number, _logs?: Logs): Hook {}
  onPredictBatchEnd(_batch: number, _logs?: Logs): Hook {}
  /**
   * TF.js's hook: called by `fit` each time it yields to the event loop (after about 100 ms of work),
   * with the 0-based epoch and batch and the last batch logs read for progress (often none on WebGPU).
   */
  onYield(_epoch: number, _batch: number, _logs?: Logs): Hook {}
}

type HookName = Exclude<keyof Callback, 'model' | 'params' | 'setModel' | 'setParams'>;

/** Calls a hook on every callback in order, awaiting each. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  /** True when any callback overrides this hook (lets the trainer skip per-batch work). */
  wants(hook: HookName): boolean {
    return this.callbacks.some((c) => c[hook] !== Callback.prototype[hook]);
  }

  async call(hook: HookName, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const fn = c[hook] as (...a: unknown[]) => Hook;
      if (fn !== (Callback.prototype[hook] as unknown)) await fn.apply(c, args);
    }
  }
}

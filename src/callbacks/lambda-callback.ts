import { invalid, received } from '../errors';
import { Callback, type Logs } from './callback';

type Hook = void | Promise<void>;

/** The functions of a `LambdaCallback`; each is optional and may return a Promise, which is awaited. */
export interface LambdaCallbackArgs {
  /** Called as `(epoch, logs)` when an epoch begins (epoch 0-based). */
  onEpochBegin?: (epoch: number, logs?: Logs) => Hook;
  /** Called as `(epoch, logs)` when an epoch ends, with its losses and metrics. */
  onEpochEnd?: (epoch: number, logs?: Logs) => Hook;
  /** Called as `(logs)` when training begins. */
  onTrainBegin?: (logs?: Logs) => Hook;
  /** Called as `(logs)` when training ends. */
  onTrainEnd?: (logs?: Logs) => Hook;
  /** Called as `(batch, logs)` before each training batch (batch 0-based within the epoch). */
  onTrainBatchBegin?: (batch: number, logs?: Logs) => Hook;
  /** Called as `(batch, logs)` after each training batch; `logs.loss` is there only where reads are cheap (CPU). */
  onTrainBatchEnd?: (batch: number, logs?: Logs) => Hook;
}

const HOOKS = ['onEpochBegin', 'onEpochEnd', 'onTrainBegin', 'onTrainEnd', 'onTrainBatchBegin', 'onTrainBatchEnd'] as const;

/**
 * A callback built from plain functions (Keras's `LambdaCallback`). Only the hooks given are installed,
 * so a callback without batch functions costs the training loop nothing per batch.
 *
 * @example
 * new keras.callbacks.LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) })
 */
export class LambdaCallback extends Callback {
  /** @param args The functions to call; see {@link LambdaCallbackArgs}. */
  constructor(args: LambdaCallbackArgs = {}) {
    super();
    for (const name of Object.keys(args)) {
      if (!(HOOKS as readonly string[]).includes(name)) {
        invalid({ what: 'option', where: 'LambdaCallback', expected: `one of ${HOOKS.join(', ')}`, received: `'${name}'` });
      }
    }
    for (const name of HOOKS) {
      const fn = args[name];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') invalid({ what: name, where: 'LambdaCallback', expected: 'a function', received: received(name, fn) });
      // An own property shadows the base's no-op, which is how the trainer sees that the hook is wanted.
      (this as unknown as Record<string, unknown>)[name] = fn;
    }
  }
}

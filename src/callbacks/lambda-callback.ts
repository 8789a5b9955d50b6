import { describe, invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import { Callback, type Logs } from './callback';

type Hook = void | Promise<void>;
type EpochHook = (epoch: number, logs?: Logs) => Hook;
type BatchHook = (batch: number, logs?: Logs) => Hook;
type LogsHook = (logs?: Logs) => Hook;

/**
 * The functions of a `LambdaCallback` (and of a plain-object callback in `fit`'s `callbacks`): every
 * hook of `Callback` by its camelCase name, plus TF.js's and Keras's older `onBatchBegin`/`onBatchEnd`
 * (the same as `onTrainBatchBegin`/`onTrainBatchEnd`). Each is optional and may return a Promise, which
 * is awaited.
 */
export interface LambdaCallbackArgs {
  /** Called as `(logs)` when training begins. */
  onTrainBegin?: LogsHook;
  /** Called as `(logs)` when training ends. */
  onTrainEnd?: LogsHook;
  /** Called as `(epoch, logs)` when an epoch begins (epoch 0-based). */
  onEpochBegin?: EpochHook;
  /** Called as `(epoch, logs)` when an epoch ends, with its losses and metrics. */
  onEpochEnd?: EpochHook;
  /** Called as `(batch, logs)` before each training batch (batch 0-based within the epoch). */
  onTrainBatchBegin?: BatchHook;
  /** Called as `(batch, logs)` after each training batch; `logs.loss` is there only where reads are cheap (CPU). */
  onTrainBatchEnd?: BatchHook;
  /** TF.js's (and Keras 2's) name of `onTrainBatchBegin`. */
  onBatchBegin?: BatchHook;
  /** TF.js's (and Keras 2's) name of `onTrainBatchEnd`. */
  onBatchEnd?: BatchHook;
  onTestBegin?: LogsHook;
  onTestEnd?: LogsHook;
  onTestBatchBegin?: BatchHook;
  onTestBatchEnd?: BatchHook;
  onPredictBegin?: LogsHook;
  onPredictEnd?: LogsHook;
  onPredictBatchBegin?: BatchHook;
  onPredictBatchEnd?: BatchHook;
  /** TF.js's: called as `(epoch, batch, logs)` each time `fit` yields to the event loop. */
  onYield?: (epoch: number, batch: number, logs?: Logs) => Hook;
}

/** Every hook name a LambdaCallback or plain-object callback may hold. */
export const HOOK_NAMES = [
  'onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onTrainBatchBegin', 'onTrainBatchEnd', 'onBatchBegin', 'onBatchEnd',
  'onTestBegin', 'onTestEnd', 'onTestBatchBegin', 'onTestBatchEnd', 'onPredictBegin', 'onPredictEnd', 'onPredictBatchBegin',
  'onPredictBatchEnd', 'onYield',
] as const;

/** The older names and the hooks they are. */
const ALIASES: Record<string, 'onTrainBatchBegin' | 'onTrainBatchEnd'> = { onBatchBegin: 'onTrainBatchBegin', onBatchEnd: 'onTrainBatchEnd' };

/**
 * A callback built from plain functions (Keras's `LambdaCallback`). Only the hooks given are installed,
 * so a callback without batch functions costs the training loop nothing per batch. Unknown keys and
 * values that are not functions are errors.
 *
 * @example
 * new keras.callbacks.LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) })
 */
export class LambdaCallback extends Callback {
  /**
   * @param args The functions to call; see {@link LambdaCallbackArgs}.
   * @param where Names the caller in errors (default `'LambdaCallback'`).
   */
  constructor(args: LambdaCallbackArgs = {}, where = 'LambdaCallback') {
    super();
    const fns = checkOptions(args, where, { known: HOOK_NAMES, notImplemented: { nowFunc: "TF.js's clock for its tests" } }) as Record<string, unknown>;
    const installed: Record<string, ((...a: unknown[]) => Hook)[]> = {};
    for (const name of HOOK_NAMES) {
      const fn = fns[name];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') invalid({ what: name, where, expected: 'a function', received: received(name, fn) });
      (installed[ALIASES[name] ?? name] ??= []).push(fn as (...a: unknown[]) => Hook);
    }
    for (const [name, list] of Object.entries(installed)) {
      // An own property shadows the base's no-op, which is how the trainer sees that the hook is wanted.
      (this as unknown as Record<string, unknown>)[name] =
        list.length === 1 ? list[0] : async (...a: unknown[]) => { for (const fn of list) await fn(...a); };
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The `callbacks` option of fit/evaluate/predict as Callback objects: a Callback, a plain object of hook
 * functions (TF.js's `{ onEpochEnd(epoch, logs) {} }`, wrapped in a LambdaCallback), or an array of
 * them; `undefined` or `null` is none. Anything else is a ValueError.
 */
export function callbacksFrom(value: unknown, where: string): Callback[] {
  if (value == null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((c, i) => {
    if (c instanceof Callback) return c;
    if (isPlainObject(c)) return new LambdaCallback(c as LambdaCallbackArgs, `callbacks[${i}] of ${where}`);
    return invalid({
      what: `callbacks[${i}]`,
      where,
      expected: 'a keras.callbacks.Callback, or an object of hook functions such as { onEpochEnd(epoch, logs) {} }',
      received: describe(c),
    });
  });
}

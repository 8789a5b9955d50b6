/**
 * `keras.losses`: a loss names what the backend computes (its kind) and its options. Every loss is the
 * mean over the batch of a per-sample value (regression losses average over the last axis first).
 */
import type { LossKind, LossOptions } from '../backend/backend';
import { checkNumberInRange, invalid, received } from '../errors';
import type { CustomLossNames, CustomNames, Spellings } from '../identifiers';
import { lookupIdentifier } from '../utils/identifiers';
import { checkOptions } from '../utils/options';

/** Options every loss class takes: Keras's, with `reduction` and `axis` at their defaults only. */
export interface LossArgs {
  /** Key of the loss (default: its snake_case kind). */
  name?: string;
  /**
   * Keras's reduction; only the default `'sum_over_batch_size'` (the mean over the batch) is implemented:
   * others are refused rather than stored and not applied.
   */
  reduction?: 'sum_over_batch_size';
  /** Keras's axis; only the last (-1) is meaningful for an MLP. */
  axis?: -1;
}

/** Options of the cross-entropy losses. */
export interface CrossentropyArgs extends LossArgs {
  /** Predictions are logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Smooth one-hot targets toward uniform by this amount in [0, 1] (default 0; not for sparse). */
  labelSmoothing?: number;
}

/** Check a loss class's options: the shared ones plus `known`; returns the loss-specific part. */
function lossArgs<T extends LossArgs>(args: T | undefined, where: string, known: readonly string[], notImplemented: Record<string, string> = {}): T {
  const o = checkOptions(args, where, { known: ['name', 'reduction', 'axis', ...known], notImplemented: { dtype: '', ...notImplemented } });
  if (o.reduction !== undefined && o.reduction !== 'sum_over_batch_size') {
    invalid({
      what: 'reduction',
      where,
      expected: "'sum_over_batch_size' (the mean over the batch, the default)",
      received: received('reduction', o.reduction),
      hint: `reduction '${String(o.reduction)}' exists in Keras but is not implemented in webgpu-keras yet; losses are averaged over the batch.`,
    });
  }
  if (o.axis !== undefined && o.axis !== -1) invalid({ what: 'axis', where, expected: '-1 (the last axis)', received: received('axis', o.axis) });
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) invalid({ what: 'name', where, expected: 'a non-empty string', received: received('name', o.name) });
  if ('fromLogits' in o && o.fromLogits !== undefined && typeof o.fromLogits !== 'boolean') {
    invalid({ what: 'fromLogits', where, expected: 'a boolean', received: received('fromLogits', o.fromLogits) });
  }
  return o;
}

/** The part of checked loss options that the backend sees. */
function backendOptions({ fromLogits, labelSmoothing }: CrossentropyArgs): Partial<LossOptions> {
  const o: Partial<LossOptions> = {};
  if (fromLogits !== undefined) o.fromLogits = fromLogits;
  if (labelSmoothing !== undefined) o.labelSmoothing = labelSmoothing;
  return o;
}

/** A loss function: what the backend computes and with which options. */
export class Loss {
  readonly options: LossOptions;
  /**
   * @param kind What the backend computes.
   * @param name Key in logs and history (`loss` is always used for the total).
   * @param options The backend's options (`fromLogits`, `delta`, `epsilon`, `labelSmoothing`); defaults
   *   false, 1, 1e-7, 0.
   */
  constructor(
    readonly kind: LossKind,
    /** Key in logs and history (`loss` is always used for the total). */
    readonly name: string,
    options: Partial<LossOptions> = {},
  ) {
    const given = Object.entries(checkOptions(options, name, { known: ['fromLogits', 'delta', 'epsilon', 'labelSmoothing'] })).filter(([, v]) => v !== undefined);
    this.options = { fromLogits: false, delta: 1, epsilon: 1e-7, labelSmoothing: 0, ...Object.fromEntries(given) };
    checkNumberInRange(this.options.labelSmoothing, 'labelSmoothing', name, 0, 1);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.options };
  }
}

export class MeanSquaredError extends Loss {
  /** @param args `name`; `reduction` only at its default. */
  constructor(args: LossArgs = {}) {
    const o = lossArgs(args, 'MeanSquaredError', []);
    super('mean_squared_error', o.name ?? 'mean_squared_error');
  }
}
export class MeanAbsoluteError extends Loss {
  /** @param args `name`; `reduction` only at its default. */
  constructor(args: LossArgs = {}) {
    const o = lossArgs(args, 'MeanAbsoluteError', []);
    super('mean_absolute_error', o.name ?? 'mean_absolute_error');
  }
}
export class Huber extends Loss {
  /** @param args `delta`: where the loss turns from quadratic to linear (default 1); `name`. */
  constructor(args: LossArgs & { delta?: number } = {}) {
    const o = lossArgs(args, 'Huber', ['delta']);
    super('huber', o.name ?? 'huber', { delta: checkNumberInRange(o.delta ?? 1, 'delta', 'Huber', 0, Infinity, { lowOpen: true }) });
  }
}
export class BinaryCrossentropy extends Loss {
  /** @param args See {@link CrossentropyArgs}. */
  constructor(args: CrossentropyArgs = {}) {
    const o = lossArgs(args, 'BinaryCrossentropy', ['fromLogits', 'labelSmoothing']);
    super('binary_crossentropy', o.name ?? 'binary_crossentropy', backendOptions(o));
  }
}
export class CategoricalCrossentropy extends Loss {
  /** @param args See {@link CrossentropyArgs}. */
  constructor(args: CrossentropyArgs = {}) {
    const o = lossArgs(args, 'CategoricalCrossentropy', ['fromLogits', 'labelSmoothing']);
    super('categorical_crossentropy', o.name ?? 'categorical_crossentropy', backendOptions(o));
  }
}
export class SparseCategoricalCrossentropy extends Loss {
  /** @param args `fromLogits` (default false), `name`; Keras's `ignoreClass` is not implemented yet. */
  constructor(args: Omit<CrossentropyArgs, 'labelSmoothing'> = {}) {
    const o = lossArgs(args, 'SparseCategoricalCrossentropy', ['fromLogits'], { ignoreClass: 'drop those samples from the data' });
    super('sparse_categorical_crossentropy', o.name ?? 'sparse_categorical_crossentropy', backendOptions(o));
  }
}

const LOSSES = {
  mean_squared_error: () => new MeanSquaredError(),
  mse: () => new MeanSquaredError(),
  mean_absolute_error: () => new MeanAbsoluteError(),
  mae: () => new MeanAbsoluteError(),
  huber: () => new Huber(),
  huber_loss: () => new Huber(),
  binary_crossentropy: () => new BinaryCrossentropy(),
  categorical_crossentropy: () => new CategoricalCrossentropy(),
  sparse_categorical_crossentropy: () => new SparseCategoricalCrossentropy(),
} satisfies Record<string, () => Loss>;

/** Every loss name `compile` accepts, in snake_case and camelCase, with the aliases `mse`, `mae`, `huber_loss`. */
export type LossName = Spellings<keyof typeof LOSSES> | CustomNames<CustomLossNames>;

/**
 * A loss from a name (snake_case or camelCase, Keras aliases `mse`, `mae`) or a Loss instance. Any string is
 * looked up at run time (names read from saved files are not known to the compiler).
 */
export function getLoss(identifier: LossName | Loss | (string & {}), where = 'compile'): Loss {
  if (identifier instanceof Loss) return identifier;
  return lookupIdentifier(LOSSES, identifier, 'loss', where)();
}

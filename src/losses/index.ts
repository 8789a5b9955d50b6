/**
 * `keras.losses`: a loss names what the backend computes (its kind) and its options. Every loss is the
 * mean over the batch of a per-sample value (regression losses average over the last axis first).
 */
import type { LossKind, LossOptions } from '../backend/backend';
import { checkNumberInRange } from '../errors';
import type { CustomLossNames, CustomNames, Spellings } from '../identifiers';
import { lookupIdentifier } from '../utils/identifiers';

/** Options of the cross-entropy losses. */
export interface CrossentropyArgs {
  /** Predictions are logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Smooth one-hot targets toward uniform by this amount in [0, 1] (default 0; not for sparse). */
  labelSmoothing?: number;
}

/** A loss function: what the backend computes and with which options. */
export class Loss {
  readonly options: LossOptions;
  constructor(
    readonly kind: LossKind,
    /** Key in logs and history (`loss` is always used for the total). */
    readonly name: string,
    options: Partial<LossOptions> = {},
  ) {
    this.options = { fromLogits: false, delta: 1, epsilon: 1e-7, labelSmoothing: 0, ...options };
    checkNumberInRange(this.options.labelSmoothing, 'labelSmoothing', name, 0, 1);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.options };
  }
}

export class MeanSquaredError extends Loss {
  constructor() {
    super('mean_squared_error', 'mean_squared_error');
  }
}
export class MeanAbsoluteError extends Loss {
  constructor() {
    super('mean_absolute_error', 'mean_absolute_error');
  }
}
export class Huber extends Loss {
  /** @param args.delta Where the loss turns from quadratic to linear (default 1). */
  constructor(args: { delta?: number } = {}) {
    super('huber', 'huber', { delta: checkNumberInRange(args.delta ?? 1, 'delta', 'Huber', 0, Infinity, { lowOpen: true }) });
  }
}
export class BinaryCrossentropy extends Loss {
  constructor(args: CrossentropyArgs = {}) {
    super('binary_crossentropy', 'binary_crossentropy', args);
  }
}
export class CategoricalCrossentropy extends Loss {
  constructor(args: CrossentropyArgs = {}) {
    super('categorical_crossentropy', 'categorical_crossentropy', args);
  }
}
export class SparseCategoricalCrossentropy extends Loss {
  constructor(args: Omit<CrossentropyArgs, 'labelSmoothing'> = {}) {
    super('sparse_categorical_crossentropy', 'sparse_categorical_crossentropy', args);
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

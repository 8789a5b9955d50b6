/**
 * `keras.losses`: the built-ins (loss.ts, their formulas in formulas.ts), custom losses written with
 * `keras.ops` (custom.ts), and resolving what `compile({ loss })` is given.
 */
import type { CustomLossNames, CustomNames, Spellings } from '../identifiers';
import { lookupIdentifier } from '../utils/identifiers';
import { lookupCustomLoss, lossFromFunction, type LossFunction } from './custom';
import { BinaryCrossentropy, CategoricalCrossentropy, Huber, Loss, MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy } from './loss';

export * from './loss';
export type { LossOptions, BuiltInLoss } from './formulas';
export { ExpressionLoss, registerLoss as register, type LossFunction } from './custom';

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
 * A loss from a name (snake_case or camelCase, Keras aliases `mse`, `mae`, or a registered custom loss's
 * name), a Loss instance, or a function `(yTrue, yPred) => …` written with `keras.ops`. Any string is
 * looked up at run time (names read from saved files are not known to the compiler).
 */
export function getLoss(identifier: LossName | Loss | LossFunction | (string & {}), where = 'compile'): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return lossFromFunction(identifier, where);
  return lookupIdentifier<() => Loss>(LOSSES, identifier, 'loss', where, (name) => {
    const custom = lookupCustomLoss(name, where);
    return custom && (() => custom);
  })();
}

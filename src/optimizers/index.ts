/** `keras.optimizers`. */
import { lookupIdentifier } from '../utils/identifiers';
import { Optimizer } from './optimizer';
import { Adadelta, Adagrad, Adam, AdamW, RMSprop, SGD } from './optimizers';

export { Optimizer, type OptimizerArgs, type LearningRateSchedule } from './optimizer';
export * from './optimizers';
export * as schedules from './schedules';

const OPTIMIZERS: Record<string, () => Optimizer> = {
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
  adadelta: () => new Adadelta(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
};

/** An optimizer from a name (Keras defaults) or an instance. */
export function getOptimizer(identifier: string | Optimizer, where = 'compile'): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  return lookupIdentifier(OPTIMIZERS, identifier, 'optimizer', where)();
}

/** `keras.optimizers`. */
import type { CustomNames, CustomOptimizerNames } from '../identifiers';
import { lookupIdentifier } from '../utils/identifiers';
import { Optimizer } from './optimizer';
import { Adadelta, Adagrad, Adam, AdamW, RMSprop, SGD } from './optimizers';

export { Optimizer, type OptimizerArgs, type LearningRateSchedule } from './optimizer';
export * from './optimizers';
export * as schedules from './schedules';

const OPTIMIZERS = {
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
  adadelta: () => new Adadelta(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
} satisfies Record<string, () => Optimizer>;

/** Every optimizer name `compile` accepts: `'adam'`, …, and the Keras class names `'Adam'`, `'RMSprop'`, `'SGD'`, …. */
export type OptimizerName = keyof typeof OPTIMIZERS | 'SGD' | 'RMSprop' | 'Adagrad' | 'Adadelta' | 'Adam' | 'AdamW' | CustomNames<CustomOptimizerNames>;

/** An optimizer from a name (Keras defaults) or an instance; any string is looked up at run time. */
export function getOptimizer(identifier: OptimizerName | Optimizer | (string & {}), where = 'compile'): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  return lookupIdentifier(OPTIMIZERS, identifier, 'optimizer', where)();
}

/** `keras.optimizers`: the built-ins, the base class custom optimizers extend, and resolving names. */
import { invalid, received } from '../errors';
import type { CustomNames, CustomOptimizerNames } from '../identifiers';
import { registerObject, registeredObject, type RegisterOptions } from '../io/object-registration';
import { lookupIdentifier } from '../utils/identifiers';
import { Optimizer } from './optimizer';
import { Adadelta, Adagrad, Adam, AdamW, RMSprop, SGD } from './optimizers';

export { Optimizer, type OptimizerArgs, type LearningRateSchedule, type UpdateValues, type UpdateResult } from './optimizer';
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

/**
 * An optimizer from a name (Keras defaults; a registered custom class by its key or name, built with its
 * defaults) or an instance; any string is looked up at run time.
 */
export function getOptimizer(identifier: OptimizerName | Optimizer | (string & {}), where = 'compile'): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  return lookupIdentifier<() => Optimizer>(OPTIMIZERS, identifier, 'optimizer', where, (name) => {
    const cls = registeredObject(name);
    return typeof cls === 'function' && cls.prototype instanceof Optimizer ? () => new (cls as new () => Optimizer)() : undefined;
  })();
}

/**
 * `keras.optimizers.register(Lion)`: register a custom optimizer class (a subclass of Optimizer) under
 * `'package>ClassName'` (`'Custom>Lion'`), so a model compiled with it saves and loads (built from its
 * getConfig()) and `compile({ optimizer: 'Lion' })` finds it. Returns the key.
 */
export function register(cls: new (...args: never[]) => Optimizer, options: RegisterOptions = {}): string {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Optimizer)) {
    invalid({ what: 'optimizer', where: 'keras.optimizers.register', expected: 'a subclass of keras.optimizers.Optimizer', received: received('cls', cls) });
  }
  const own = (cls as unknown as typeof Optimizer).className;
  return registerObject(cls, 'keras.optimizers.register', { name: own !== 'Optimizer' ? own : cls.name, ...options });
}

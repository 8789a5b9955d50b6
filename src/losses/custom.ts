/**
 * Custom losses: a function `(yTrue, yPred) => …` written with `keras.ops` (Keras's signature), returning
 * the per-sample loss (a reduction over the last axis, e.g. `ops.mean(…, -1)`) or per-element values
 * (averaged over the row, as Keras averages them). Traced once, differentiated automatically; registered
 * ones are usable by name and saved by name (`'Custom>log_cosh'`). A saved expression (includeExpressions)
 * rebuilds one without its function.
 */
import { invalid, received } from '../errors';
import type { Expr } from '../expr/expr';
import { rowProgram, type RowProgram } from '../expr/functions';
import { registerObject, registeredName, registeredObject, type RegisterOptions } from '../io/object-registration';
import { toSnakeCase } from '../utils/identifiers';
import { Loss } from './loss';
import { traceTargetsFunction } from './trace';

/** A custom loss: `(yTrue, yPred) => keras.ops expression`. */
export type LossFunction = (yTrue: Expr, yPred: Expr) => Expr | number;

/** A loss computed by a traced expression (from a function, a `call` method, or a saved file). */
export class ExpressionLoss extends Loss {
  /** The function it was traced from, when there is one. */
  readonly source: LossFunction | null;

  constructor(readonly expression: Expr, name: string, source: LossFunction | null = null) {
    super(name, name);
    this.source = source;
    rowProgram(name, expression); // checked now, so an expression that cannot run fails at compile
  }

  protected override build(): RowProgram {
    return rowProgram(this.name, this.expression);
  }
}

const traced = new WeakMap<LossFunction, ExpressionLoss>();

/** The loss of a custom function, traced once (named by its registered key, else by its own name). */
export function lossFromFunction(fn: LossFunction, where: string): ExpressionLoss {
  const name = registeredName(fn) ?? (fn.name ? toSnakeCase(fn.name) : 'custom_loss');
  const known = traced.get(fn);
  if (known && known.name === name) return known;
  const loss = new ExpressionLoss(traceTargetsFunction(fn, 'loss function', where), name, fn);
  traced.set(fn, loss);
  return loss;
}

/** A registered custom loss by key or bare name (a function, or a Loss subclass), or undefined. */
export function lookupCustomLoss(name: string, where: string): Loss | undefined {
  const obj = registeredObject(name);
  if (typeof obj !== 'function') return obj instanceof Loss ? obj : undefined;
  if (obj.prototype instanceof Loss) return new (obj as new () => Loss)();
  return lossFromFunction(obj as LossFunction, where);
}

/**
 * `keras.losses.register(name, fn)`: make a custom loss usable by name (`loss: 'log_cosh'`) and saveable by
 * name, under `'package>name'` (`'Custom>log_cosh'`). A Loss subclass may be registered too. Returns the key.
 */
export function registerLoss(name: string, fn: LossFunction | (new () => Loss), options: Omit<RegisterOptions, 'name'> = {}): string {
  if (typeof fn !== 'function') invalid({ what: 'loss', where: 'keras.losses.register', expected: 'a function (yTrue, yPred) => keras.ops expression, or a Loss subclass', received: received('fn', fn) });
  const key = registerObject(fn, 'keras.losses.register', { ...options, name });
  if (!(fn.prototype instanceof Loss)) lossFromFunction(fn as LossFunction, 'keras.losses.register');
  return key;
}

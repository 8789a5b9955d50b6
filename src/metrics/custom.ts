/**
 * Custom metrics: a function `(yTrue, yPred) => …` written with `keras.ops`, as for a custom loss: its
 * per-sample value is averaged over the epoch. Logged under the function's name in snake_case
 * (`logCosh` → `log_cosh`), or its registered key's name.
 */
import { invalid, received } from '../errors';
import type { Expr } from '../expr/expr';
import { rowProgram, type MetricProgram } from '../expr/functions';
import { registerObject, registeredName, registeredObject, type RegisterOptions } from '../io/object-registration';
import { traceTargetsFunction } from '../losses/trace';
import { toSnakeCase } from '../utils/identifiers';
import { Metric } from './metric';

/** A custom metric: `(yTrue, yPred) => keras.ops expression`. */
export type MetricFunction = (yTrue: Expr, yPred: Expr) => Expr | number;

/** A metric averaging a traced per-sample expression over the epoch. */
export class ExpressionMetric extends Metric {
  constructor(readonly expression: Expr, kind: string, name: string, readonly source: MetricFunction | null = null) {
    super(kind, name);
    rowProgram(name, expression);
  }

  protected override build(): MetricProgram {
    return rowProgram(this.name, this.expression);
  }
}

/** The metric of a custom function (kind: its registered key or own name; logged under `name`). */
export function metricFromFunction(fn: MetricFunction, where: string, name?: string): ExpressionMetric {
  const key = registeredName(fn);
  const own = fn.name ? toSnakeCase(fn.name) : 'custom_metric';
  const logged = name ?? (key ? key.slice(key.indexOf('>') + 1) : own);
  return new ExpressionMetric(traceTargetsFunction(fn, 'metric function', where), key ?? own, logged, fn);
}

/** A registered custom metric by key or bare name, or undefined. */
export function lookupCustomMetric(name: string, where: string): Metric | undefined {
  const obj = registeredObject(name);
  if (typeof obj !== 'function') return undefined;
  if (obj.prototype instanceof Metric) return new (obj as new () => Metric)();
  return metricFromFunction(obj as MetricFunction, where);
}

/** `keras.metrics.register(name, fn)`: usable by name in `compile({ metrics })` and saved by name. Returns the key. */
export function registerMetric(name: string, fn: MetricFunction | (new () => Metric), options: Omit<RegisterOptions, 'name'> = {}): string {
  if (typeof fn !== 'function') invalid({ what: 'metric', where: 'keras.metrics.register', expected: 'a function (yTrue, yPred) => keras.ops expression, or a Metric subclass', received: received('fn', fn) });
  const key = registerObject(fn, 'keras.metrics.register', { ...options, name });
  if (!(fn.prototype instanceof Metric)) metricFromFunction(fn as MetricFunction, 'keras.metrics.register');
  return key;
}

/**
 * `keras.metrics`: the built-ins (metric.ts), custom metrics written with `keras.ops` (custom.ts), and
 * resolving what `compile({ metrics })` is given. `'accuracy'` is resolved to binary, categorical or sparse
 * accuracy from the shapes of the targets and the outputs, by Keras 3's rules (see {@link getMetric}).
 */
import type { CustomMetricNames, CustomNames, Spellings } from '../identifiers';
import { lookupIdentifier, toSnakeCase } from '../utils/identifiers';
import { lookupCustomMetric, metricFromFunction, type MetricFunction } from './custom';
import { BinaryAccuracy, CategoricalAccuracy, MeanAbsoluteError, MeanSquaredError, Metric, R2Score, SparseCategoricalAccuracy } from './metric';

export * from './metric';
export { ExpressionMetric, registerMetric as register, type MetricFunction } from './custom';

type Factory = (name: string, yTrueShape: readonly number[], yPredShape: readonly number[]) => Metric;

/** Keras 3's `compile_utils.get_metric` for 'accuracy'/'acc', from `is_binary_or_sparse_categorical`. */
function accuracyFor(name: string, yTrueShape: readonly number[], yPredShape: readonly number[]): Metric {
  const predLast = yPredShape[yPredShape.length - 1];
  const trueLast = yTrueShape[yTrueShape.length - 1];
  if (predLast === 1) return new BinaryAccuracy({ name });
  if (yTrueShape.length < yPredShape.length || (trueLast === 1 && predLast > 1)) return new SparseCategoricalAccuracy({ name });
  return new CategoricalAccuracy({ name });
}

const METRICS = {
  accuracy: accuracyFor,
  acc: accuracyFor,
  binary_accuracy: (name) => new BinaryAccuracy({ name }),
  categorical_accuracy: (name) => new CategoricalAccuracy({ name }),
  sparse_categorical_accuracy: (name) => new SparseCategoricalAccuracy({ name }),
  mean_squared_error: (name) => new MeanSquaredError({ name }),
  mse: (name) => new MeanSquaredError({ name }),
  mean_absolute_error: (name) => new MeanAbsoluteError({ name }),
  mae: (name) => new MeanAbsoluteError({ name }),
  r2_score: (name) => new R2Score({ name }),
} satisfies Record<string, Factory>;

/** Every metric name `compile` accepts, in snake_case and camelCase, with the aliases `acc`, `mse`, `mae`. */
export type MetricName = Spellings<keyof typeof METRICS> | CustomNames<CustomMetricNames>;

/** What `compile({ metrics })` accepts: a name, a Metric instance, or a function written with `keras.ops`. */
export type MetricIdentifier = MetricName | Metric | MetricFunction;

const custom = (where: string) => (name: string): Factory | undefined => {
  const metric = lookupCustomMetric(name, where);
  return metric && (() => metric);
};

/**
 * A metric from a name (snake_case or camelCase, or a registered custom metric's name), a Metric instance
 * or a function `(yTrue, yPred) => …`. `'accuracy'` (and `'acc'`) is resolved as Keras 3 does, from the
 * shapes alone (the loss plays no part):
 * - one output unit (the last dimension of the predictions is 1): binary accuracy;
 * - else targets of lower rank than the predictions (class indices `[n]` for outputs `[n, k]`), or a
 *   last target dimension of 1 (`[n, 1]`): sparse categorical accuracy;
 * - else (targets shaped like the outputs, e.g. one-hot or multi-label): categorical accuracy.
 *
 * @param yTrueShape Shape of the targets as given (batch dimension first), e.g. `[n]` or `[n, k]`.
 * @param yPredShape Shape of the model's outputs, batch dimension first (`[n, units]`).
 */
export function getMetric(identifier: MetricIdentifier | (string & {}), yTrueShape: readonly number[], yPredShape: readonly number[]): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') return metricFromFunction(identifier, 'compile');
  const factory = lookupIdentifier<Factory>(METRICS, identifier, 'metric', 'compile', custom('compile'));
  // History keys are snake_case: `binaryAccuracy` is logged as `binary_accuracy`.
  return factory(toSnakeCase(identifier), yTrueShape, yPredShape);
}

/** Validate a metric identifier early (at compile), before the output shape is known: a function is traced now. */
export function checkMetricIdentifier(identifier: unknown): void {
  if (identifier instanceof Metric) return;
  if (typeof identifier === 'function') {
    metricFromFunction(identifier as MetricFunction, 'compile');
    return;
  }
  lookupIdentifier<Factory>(METRICS, identifier, 'metric', 'compile', custom('compile'));
}

/**
 * `keras.metrics`: a metric names what the backend accumulates over an epoch and turns the accumulated
 * state into a number at the end. `'accuracy'` is resolved to binary, categorical or sparse accuracy from
 * the shapes of the targets and the outputs, by Keras 3's rules (see {@link getMetric}).
 */
import type { MetricKind, MetricOptions } from '../backend/backend';
import { checkNumberInRange, invalid, received } from '../errors';
import type { CustomMetricNames, CustomNames, Spellings } from '../identifiers';
import { lookupIdentifier, toSnakeCase } from '../utils/identifiers';
import { checkOptions } from '../utils/options';

export class Metric {
  readonly options: MetricOptions;
  constructor(
    readonly kind: MetricKind,
    /** Key in logs and history. */
    readonly name: string,
    options: Partial<MetricOptions> = {},
  ) {
    const given = checkOptions(options, name, { known: ['threshold'] });
    this.options = { threshold: given.threshold ?? 0.5 };
  }

  /** The metric's value from its accumulator (layouts in the backend contract's metric docs). */
  result(state: ArrayLike<number>): number {
    if (this.kind !== 'r2_score') return state[1] > 0 ? state[0] / state[1] : 0;
    const n = state[0];
    const cols = (state.length - 1) / 3;
    let total = 0;
    for (let c = 0; c < cols; c++) {
      const sum = state[1 + 3 * c];
      const sumSq = state[2 + 3 * c];
      const residual = state[3 + 3 * c];
      const totalSq = sumSq - (sum * sum) / n;
      const score = totalSq > 0 ? 1 - residual / totalSq : 0;
      total += score;
    }
    return cols > 0 ? total / cols : 0;
  }
}

/** Options every metric class takes. */
export interface MetricArgs {
  /** Key in logs and history (default: the metric's snake_case name). */
  name?: string;
}

/** Check a metric class's options; returns them. */
function metricArgs<T extends MetricArgs>(args: T | undefined, where: string, known: readonly string[] = [], notImplemented: Record<string, string> = {}): T {
  const o = checkOptions(args, where, { known: ['name', ...known], notImplemented: { dtype: '', ...notImplemented } });
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) invalid({ what: 'name', where, expected: 'a non-empty string', received: received('name', o.name) });
  return o;
}

export class BinaryAccuracy extends Metric {
  /** @param args `threshold`: predictions above it count as 1 (default 0.5); `name`. */
  constructor(args: MetricArgs & { threshold?: number } = {}) {
    const o = metricArgs(args, 'BinaryAccuracy', ['threshold']);
    super('binary_accuracy', o.name ?? 'binary_accuracy', {
      threshold: checkNumberInRange(o.threshold ?? 0.5, 'threshold', 'BinaryAccuracy', 0, 1),
    });
  }
}
export class CategoricalAccuracy extends Metric {
  /** @param args `name`. */
  constructor(args: MetricArgs = {}) {
    super('categorical_accuracy', metricArgs(args, 'CategoricalAccuracy').name ?? 'categorical_accuracy');
  }
}
export class SparseCategoricalAccuracy extends Metric {
  /** @param args `name`. */
  constructor(args: MetricArgs = {}) {
    super('sparse_categorical_accuracy', metricArgs(args, 'SparseCategoricalAccuracy').name ?? 'sparse_categorical_accuracy');
  }
}
export class MeanSquaredError extends Metric {
  /** @param args `name`. */
  constructor(args: MetricArgs = {}) {
    super('mean_squared_error', metricArgs(args, 'MeanSquaredError').name ?? 'mean_squared_error');
  }
}
export class MeanAbsoluteError extends Metric {
  /** @param args `name`. */
  constructor(args: MetricArgs = {}) {
    super('mean_absolute_error', metricArgs(args, 'MeanAbsoluteError').name ?? 'mean_absolute_error');
  }
}
export class R2Score extends Metric {
  /** @param args `name`; Keras's `classAggregation` (here always 'uniform_average') and `numRegressors` are not implemented yet. */
  constructor(args: MetricArgs = {}) {
    super('r2_score', metricArgs(args, 'R2Score', [], { classAggregation: "scores are averaged over outputs ('uniform_average')", numRegressors: '' }).name ?? 'r2_score');
  }
}

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

/**
 * A metric from a name (snake_case or camelCase) or a Metric instance. `'accuracy'` (and `'acc'`) is
 * resolved as Keras 3 does, from the shapes alone (the loss plays no part):
 * - one output unit (the last dimension of the predictions is 1): binary accuracy;
 * - else targets of lower rank than the predictions (class indices `[n]` for outputs `[n, k]`), or a
 *   last target dimension of 1 (`[n, 1]`): sparse categorical accuracy;
 * - else (targets shaped like the outputs, e.g. one-hot or multi-label): categorical accuracy.
 *
 * @param yTrueShape Shape of the targets as given (batch dimension first), e.g. `[n]` or `[n, k]`.
 * @param yPredShape Shape of the model's outputs, batch dimension first (`[n, units]`).
 */
export function getMetric(identifier: MetricName | Metric | (string & {}), yTrueShape: readonly number[], yPredShape: readonly number[]): Metric {
  if (identifier instanceof Metric) return identifier;
  const factory = lookupIdentifier(METRICS, identifier, 'metric', 'compile');
  // History keys are snake_case: `binaryAccuracy` is logged as `binary_accuracy`.
  return factory(toSnakeCase(identifier), yTrueShape, yPredShape);
}

/** Validate a metric identifier early (at compile), before the output shape is known. */
export function checkMetricIdentifier(identifier: unknown): void {
  if (identifier instanceof Metric) return;
  lookupIdentifier(METRICS, identifier, 'metric', 'compile');
}


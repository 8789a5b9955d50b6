/**
 * The Metric class and the built-in metrics: a program the backend accumulates over an epoch (per-sample
 * values averaged, or per-column sums) and a `result` that turns the accumulated state into a number at
 * the end. The regression metrics are the regression losses' formulas.
 */
import { checkNumberInRange, invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import { binaryOp, reduce, scalar } from '../expr/expr';
import { LABEL, Y_PRED, Y_TRUE, columnProgram, rowProgram, type MetricProgram } from '../expr/functions';
import { meanAbsoluteError, meanSquaredError } from '../losses/formulas';

/** Options the built-in metrics read. */
export interface MetricOptions {
  /** Decision threshold of binary accuracy (0.5). */
  threshold: number;
}

export class Metric {
  readonly options: MetricOptions;
  private compiled: MetricProgram | null = null;

  constructor(
    /** The built-in's Keras identifier, or a custom metric's registered or own name. */
    readonly kind: string,
    /** Key in logs and history. */
    readonly name: string,
    options: Partial<MetricOptions> = {},
  ) {
    const given = checkOptions(options, name, { known: ['threshold'] });
    this.options = { threshold: given.threshold ?? 0.5 };
  }

  /** What the backend accumulates (built once). */
  program(): MetricProgram {
    return (this.compiled ??= this.build());
  }

  /** The program of this metric; custom metrics override it. */
  protected build(): MetricProgram {
    const t = Y_TRUE();
    const p = Y_PRED();
    switch (this.kind) {
      case 'binary_accuracy': // Keras: cast(y_pred > threshold) == y_true, averaged over the row
        return rowProgram(this.kind, reduce('mean', binaryOp('eq', binaryOp('gt', p, scalar('threshold')), t)), { params: { threshold: this.options.threshold } });
      case 'categorical_accuracy':
        return rowProgram(this.kind, binaryOp('eq', reduce('argmax', p), reduce('argmax', t)));
      case 'sparse_categorical_accuracy':
        return rowProgram(this.kind, binaryOp('eq', reduce('argmax', p), LABEL()), { target: 'sparse' });
      case 'mean_squared_error':
        return rowProgram(this.kind, meanSquaredError(t, p));
      case 'mean_absolute_error':
        return rowProgram(this.kind, meanAbsoluteError(t, p));
      case 'r2_score': // per column: Σy, Σy², Σ(y − ŷ)²
        return columnProgram(this.kind, [t, binaryOp('mul', t, t), binaryOp('mul', binaryOp('sub', t, p), binaryOp('sub', t, p))]);
      default:
        throw new Error(`webgpu-keras bug: the metric '${this.kind}' has no program.`);
    }
  }

  /** The metric's value from its accumulator (`[Σ, count]` for per-sample metrics). */
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

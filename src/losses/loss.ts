/**
 * The Loss class and the built-in losses: a loss is a per-sample formula (an expression in the language of
 * src/expr, its gradient derived automatically) that the backend averages over the batch. Built-ins are
 * written once in formulas.ts; a Keras-style subclass overrides `call(yTrue, yPred)` with `keras.ops`.
 */
import { checkNumberInRange, invalid, received } from '../errors';
import { checkOptions } from '../utils/options';
import { toSnakeCase } from '../utils/identifiers';
import type { Expr } from '../expr/expr';
import { rowProgram, type RowProgram } from '../expr/functions';
import { builtInLossProgram, type BuiltInLoss, type LossOptions } from './formulas';
import { traceTargetsFunction } from './trace';

export type { LossOptions, BuiltInLoss } from './formulas';

/** Options every loss class takes: Keras's, with `reduction` and `axis` at their defaults only. */
export interface LossArgs {
  /** Key of the loss (default: its snake_case kind). */
  name?: string;
  /**
   * Keras's reduction; only the default `'sum_over_batch_size'` (the mean over the batch) is implemented:
   * others are refused rather than stored and not applied.
   */
  reduction?: 'sum_over_batch_size';
  /** Keras's axis; only the last (-1) is meaningful for an MLP. */
  axis?: -1;
}

/** Options of the cross-entropy losses. */
export interface CrossentropyArgs extends LossArgs {
  /** Predictions are logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Smooth one-hot targets toward uniform by this amount in [0, 1] (default 0; not for sparse). */
  labelSmoothing?: number;
}

/** Check a loss class's options: the shared ones plus `known`; returns the loss-specific part. */
function lossArgs<T extends LossArgs>(args: T | undefined, where: string, known: readonly string[], notImplemented: Record<string, string> = {}): T {
  const o = checkOptions(args, where, { known: ['name', 'reduction', 'axis', ...known], notImplemented: { dtype: '', ...notImplemented } });
  if (o.reduction !== undefined && o.reduction !== 'sum_over_batch_size') {
    invalid({
      what: 'reduction',
      where,
      expected: "'sum_over_batch_size' (the mean over the batch, the default)",
      received: received('reduction', o.reduction),
      hint: `reduction '${String(o.reduction)}' exists in Keras but is not implemented in webgpu-keras yet; losses are averaged over the batch.`,
    });
  }
  if (o.axis !== undefined && o.axis !== -1) invalid({ what: 'axis', where, expected: '-1 (the last axis)', received: received('axis', o.axis) });
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) invalid({ what: 'name', where, expected: 'a non-empty string', received: received('name', o.name) });
  if ('fromLogits' in o && o.fromLogits !== undefined && typeof o.fromLogits !== 'boolean') {
    invalid({ what: 'fromLogits', where, expected: 'a boolean', received: received('fromLogits', o.fromLogits) });
  }
  return o;
}

/** The part of checked loss options that the backend sees. */
function backendOptions({ fromLogits, labelSmoothing }: CrossentropyArgs): Partial<LossOptions> {
  const o: Partial<LossOptions> = {};
  if (fromLogits !== undefined) o.fromLogits = fromLogits;
  if (labelSmoothing !== undefined) o.labelSmoothing = labelSmoothing;
  return o;
}

const BUILT_IN = new Set<string>(['mean_squared_error', 'mean_absolute_error', 'huber', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy']);

/** A loss function: its per-sample program and, for the cross-entropies, the program fused with its output activation. */
export class Loss {
  readonly options: LossOptions;
  private compiled: RowProgram | null = null;
  private fromLogitsCompiled: RowProgram | null = null;

  /** The built-in's Keras identifier (`'huber'`), or a custom loss's registered or own name. */
  readonly kind: string;
  /** Key in logs and history (`loss` is always used for the total). */
  readonly name: string;

  /**
   * @param kind A built-in's identifier; a subclass may leave it out (its class name in snake_case).
   * @param name Defaults to `kind`.
   */
  constructor(kind?: string, name?: string, options: Partial<LossOptions> = {}) {
    this.kind = kind ?? toSnakeCase(new.target.name || 'custom_loss');
    this.name = name ?? this.kind;
    const given = Object.entries(checkOptions(options, this.name, { known: ['fromLogits', 'delta', 'epsilon', 'labelSmoothing'] })).filter(([, v]) => v !== undefined);
    this.options = { fromLogits: false, delta: 1, epsilon: 1e-7, labelSmoothing: 0, ...Object.fromEntries(given) };
    checkNumberInRange(this.options.labelSmoothing, 'labelSmoothing', this.name, 0, 1);
  }

  /** A Keras-style custom loss: the per-sample loss of one row, written with `keras.ops` (traced once). */
  call?(yTrue: Expr, yPred: Expr): Expr | number;

  /** Targets are class indices, one per sample (sparse categorical cross-entropy). */
  get sparseLabels(): boolean {
    return this.kind === 'sparse_categorical_crossentropy';
  }

  /** What the backend computes: the per-sample program (built once). */
  program(): RowProgram {
    return (this.compiled ??= this.build());
  }

  /**
   * The program on the logits of a fused sigmoid (binary) or softmax (categorical) output layer, or null
   * where the loss has no such form: the fused kernel computes the loss and its gradient from the logits.
   */
  logitsProgram(): RowProgram | null {
    const fusable = this.kind === 'binary_crossentropy' || this.kind === 'categorical_crossentropy' || this.kind === 'sparse_categorical_crossentropy';
    if (!fusable || this.options.fromLogits) return null;
    return (this.fromLogitsCompiled ??= builtInLossProgram(this.kind as BuiltInLoss, this.options, true));
  }

  /** The program of this loss: a built-in's formula, or `call` traced. */
  protected build(): RowProgram {
    if (BUILT_IN.has(this.kind)) return builtInLossProgram(this.kind as BuiltInLoss, this.options);
    const call = this.call;
    if (typeof call !== 'function') {
      throw new Error(`webgpu-keras bug: the loss '${this.kind}' has neither a built-in formula nor call().`);
    }
    return rowProgram(this.name, traceTargetsFunction((t: Expr, p: Expr) => call.call(this, t, p), 'loss', `${this.name}.call`));
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.options };
  }
}

export class MeanSquaredError extends Loss {
  /** @param args `name`; `reduction` only at its default. */
  constructor(args: LossArgs = {}) {
    const o = lossArgs(args, 'MeanSquaredError', []);
    super('mean_squared_error', o.name ?? 'mean_squared_error');
  }
}
export class MeanAbsoluteError extends Loss {
  /** @param args `name`; `reduction` only at its default. */
  constructor(args: LossArgs = {}) {
    const o = lossArgs(args, 'MeanAbsoluteError', []);
    super('mean_absolute_error', o.name ?? 'mean_absolute_error');
  }
}
export class Huber extends Loss {
  /** @param args `delta`: where the loss turns from quadratic to linear (default 1); `name`. */
  constructor(args: LossArgs & { delta?: number } = {}) {
    const o = lossArgs(args, 'Huber', ['delta']);
    super('huber', o.name ?? 'huber', { delta: checkNumberInRange(o.delta ?? 1, 'delta', 'Huber', 0, Infinity, { lowOpen: true }) });
  }
}
export class BinaryCrossentropy extends Loss {
  /** @param args See {@link CrossentropyArgs}. */
  constructor(args: CrossentropyArgs = {}) {
    const o = lossArgs(args, 'BinaryCrossentropy', ['fromLogits', 'labelSmoothing']);
    super('binary_crossentropy', o.name ?? 'binary_crossentropy', backendOptions(o));
  }
}
export class CategoricalCrossentropy extends Loss {
  /** @param args See {@link CrossentropyArgs}. */
  constructor(args: CrossentropyArgs = {}) {
    const o = lossArgs(args, 'CategoricalCrossentropy', ['fromLogits', 'labelSmoothing']);
    super('categorical_crossentropy', o.name ?? 'categorical_crossentropy', backendOptions(o));
  }
}
export class SparseCategoricalCrossentropy extends Loss {
  /** @param args `fromLogits` (default false), `name`; Keras's `ignoreClass` is not implemented yet. */
  constructor(args: Omit<CrossentropyArgs, 'labelSmoothing'> = {}) {
    const o = lossArgs(args, 'SparseCategoricalCrossentropy', ['fromLogits'], { ignoreClass: 'drop those samples from the data' });
    super('sparse_categorical_crossentropy', o.name ?? 'sparse_categorical_crossentropy', backendOptions(o));
  }
}

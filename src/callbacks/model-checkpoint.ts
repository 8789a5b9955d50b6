import { describe, invalid, received } from '../errors';
import type { Sequential } from '../models/sequential';
import { checkOptions } from '../utils/options';
import type { Logs } from './callback';
import { MonitorCallback } from './monitor-callback';

/** Options handed to a checkpoint saver. */
export interface CheckpointSaveOptions {
  /** Save the optimizer state too (true unless `saveWeightsOnly`). */
  includeOptimizer: boolean;
  /** Save the weights alone (`saveWeightsOnly`). */
  weightsOnly: boolean;
}

/** Writes `model` to `path`; the default is `saveModel` of `src/io` (a folder path or a `scheme://` target). */
export type CheckpointSaver = (model: Sequential, path: string, options: CheckpointSaveOptions) => unknown;

/** Options of `ModelCheckpoint`, Keras names in camelCase. */
export interface ModelCheckpointArgs {
  /** The log key watched by `saveBestOnly` (default `'val_loss'`). */
  monitor?: string;
  /** 0 silent (default), 1 prints each save decision. */
  verbose?: number;
  /** Save only when the monitored value improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Save the weights alone instead of the whole model (default false). */
  saveWeightsOnly?: boolean;
  /** `'auto'` (default), `'min'` or `'max'`. */
  mode?: 'auto' | 'min' | 'max';
  /** `'epoch'` (default) saves at each epoch end; a positive integer N saves after every N batches. */
  saveFreq?: 'epoch' | number;
  /** With `saveBestOnly`, the value the first save must beat (default null: the first value saves). */
  initialValueThreshold?: number | null;
  /** Replaces the default saver (`saveModel` of `src/io`, loaded on first use); for tests and custom storage. */
  saver?: CheckpointSaver;
}

// `{name}` or `{name:spec}`, and the escapes `{{` / `}}`.
const FIELD = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}|[{}]/g;
// Python format-spec subset: [0][width][.precision f|e] or [0][width][d]
const SPEC = /^(0)?(\d+)?(?:\.(\d+)(?=[fe]))?([dfe])?$/;

/** `toFixed`/`toExponential`, but an exact tie rounds to even as Python's `format` does (JS rounds it up). */
function roundPython(x: number, digits: number, kind: 'f' | 'e'): string {
  const fmt = (v: number, d: number) => (kind === 'f' ? v.toFixed(d) : v.toExponential(d));
  const rounded = fmt(x, digits);
  if (digits > 75 || Math.abs(x) >= 1e21) return rounded;
  const [mantissa, exponent] = fmt(Math.abs(x), digits + 25).split('e'); // exact enough to see a tie
  const point = mantissa.indexOf('.');
  if (!/^50*$/.test(mantissa.slice(point + 1 + digits))) return rounded;
  const kept = mantissa.slice(0, digits === 0 ? point : point + 1 + digits);
  if (Number(kept[kept.length - 1]) % 2 !== 0) return rounded;
  return (x < 0 ? '-' : '') + kept + (exponent === undefined ? '' : `e${exponent}`);
}

function formatNumber(value: number, spec: string, key: string, template: string): string {
  const [, zero, width, precision, type] = SPEC.exec(spec)!;
  const digits = precision === undefined ? 6 : Number(precision);
  let body: string;
  if (!Number.isFinite(value)) body = Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  else if (type === 'd') {
    if (!Number.isInteger(value)) invalid({ what: 'filepath', where: 'ModelCheckpoint', expected: `an integer for the 'd' format of {${key}}`, received: `${key}=${value} in ${describe(template)}` });
    body = String(value);
  } else if (type === 'f') body = roundPython(value, digits, 'f');
  else if (type === 'e') body = roundPython(value, digits, 'e').replace(/e([+-])(\d)$/, (_, sign: string, d: string) => `e${sign}0${d}`);
  else body = String(value);
  const w = width === undefined ? 0 : Number(width);
  if (body.length >= w) return body;
  if (!zero || !Number.isFinite(value)) return body.padStart(w, ' ');
  const sign = body.startsWith('-') ? '-' : '';
  return sign + body.slice(sign.length).padStart(w - sign.length, '0');
}

function badField(template: string, match: string): never {
  invalid({ what: 'filepath', where: 'ModelCheckpoint', expected: 'fields like {epoch}, {epoch:02d}, {val_loss:.4f} or {loss:.2e}', received: `${describe(template)} (at ${describe(match)})` });
}

/** Throw a `ValueError` if `template` has a field that {@link formatCheckpointPath} cannot fill. */
export function checkCheckpointPath(template: string): void {
  for (const [match, key, spec] of template.matchAll(FIELD)) {
    if (match !== '{{' && match !== '}}' && (key === undefined || (spec !== undefined && !SPEC.test(spec)))) badField(template, match);
  }
}

/**
 * Fill a checkpoint path template with Python's `str.format` subset: `{key}`, `{key:02d}`, `{key:.4f}`,
 * `{key:.3e}` (flags: `0` padding, a width, a precision, a type among `d`, `f`, `e`); `{{` and `}}` give
 * literal braces. A missing key or a malformed field throws a `ValueError`.
 */
export function formatCheckpointPath(template: string, values: Logs): string {
  return template.replace(FIELD, (match, key: string | undefined, spec: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (key === undefined || (spec !== undefined && !SPEC.test(spec))) badField(template, match);
    if (!(key in values)) {
      invalid({ what: 'filepath', where: 'ModelCheckpoint', expected: `every field of the template among the keys ${Object.keys(values).join(', ')}`, received: `${describe(template)} (no '${key}')` });
    }
    return formatNumber(values[key], spec ?? '', key, template);
  });
}

/** `saveModel` of `src/io`, loaded on first use so that training code does not pull in the IO modules. */
async function defaultSaver(model: Sequential, path: string, options: CheckpointSaveOptions): Promise<void> {
  const { saveModel } = await import('../io');
  await saveModel(model, path, options);
}

/**
 * Save the model (or its weights) during training, at each epoch end or every `saveFreq` batches, as
 * Keras's `ModelCheckpoint`. The path is a template filled from the logs plus `epoch` (1-based, as
 * Keras) and, for batch saves, `batch` (1-based): `'ckpt/epoch{epoch:02d}-{val_loss:.2f}'`.
 *
 * With `saveBestOnly`, a save happens only when the monitored value improves on the best so far (kept
 * across `fit` calls); when the key is missing it warns once and saves anyway, as Keras does.
 */
export class ModelCheckpoint extends MonitorCallback {
  /** The path template. */
  readonly filepath: string;
  /** 0 silent, 1 prints save decisions. */
  readonly verbose: number;
  /** Save only improvements. */
  readonly saveBestOnly: boolean;
  /** Save weights alone. */
  readonly saveWeightsOnly: boolean;
  /** `'epoch'` or a number of batches. */
  readonly saveFreq: 'epoch' | number;
  /** Paths written so far, in order. */
  readonly saved: string[] = [];
  private readonly saver: CheckpointSaver;
  private currentEpoch = 0;
  private batchesSinceSave = 0;

  /**
   * @param filepath The path template (see {@link formatCheckpointPath}).
   * @param args See {@link ModelCheckpointArgs}; every option has a default.
   */
  constructor(filepath: string, options: ModelCheckpointArgs = {}) {
    const args = checkOptions(options, 'ModelCheckpoint', {
      known: ['monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold', 'saver'],
    });
    super('ModelCheckpoint', { monitor: args.monitor, mode: args.mode, baseline: args.initialValueThreshold ?? null });
    if (typeof filepath !== 'string' || filepath === '') {
      invalid({ what: 'filepath', where: 'ModelCheckpoint', expected: 'a non-empty path template', received: received('filepath', filepath) });
    }
    const saveFreq = args.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq > 0)) {
      invalid({ what: 'saveFreq', where: 'ModelCheckpoint', expected: "'epoch' or a positive integer number of batches", received: received('saveFreq', saveFreq) });
    }
    if (args.saver !== undefined && typeof args.saver !== 'function') {
      invalid({ what: 'saver', where: 'ModelCheckpoint', expected: 'a function (model, path, options)', received: received('saver', args.saver) });
    }
    this.filepath = filepath;
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.saveFreq = saveFreq;
    this.saver = args.saver ?? defaultSaver;
    this.best = this.baseline;
    checkCheckpointPath(filepath);
  }

  override onTrainBegin(): void {
    this.resetMonitorWarning();
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave < this.saveFreq) return;
    this.batchesSinceSave = 0;
    await this.save(this.currentEpoch, batch, logs ?? {});
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save(epoch, null, logs ?? {});
  }

  private async save(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const values: Logs = { ...logs, epoch: epoch + 1, ...(batch === null ? {} : { batch: batch + 1 }) };
    const path = formatCheckpointPath(this.filepath, values);
    if (this.saveBestOnly) {
      const current = this.monitorValue(logs);
      if (current !== null) {
        const bestText = this.best === null ? 'null' : this.best.toFixed(5);
        if (!this.isImprovement(current, this.best)) {
          if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
          return;
        }
        if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${current.toFixed(5)}, saving model to ${path}`);
        this.best = current;
      }
    } else if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: saving model to ${path}`);
    await this.saver(this.model!, path, { includeOptimizer: !this.saveWeightsOnly, weightsOnly: this.saveWeightsOnly });
    this.saved.push(path);
  }
}

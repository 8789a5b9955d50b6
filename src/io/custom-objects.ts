/**
 * Custom activations, losses, metrics and optimizers in saved models. Each is saved by its registered key
 * (`'Custom>my_mish'`, Keras's `register_keras_serializable` convention) and found by it when loading. With
 * `includeExpressions`, the traced expressions are stored as well, in
 * `userDefinedMetadata.webgpu_keras.expressions`, so the model loads anywhere this library runs: a stored
 * expression is used where the key is not registered (a registered function wins: code over data).
 * Without either, saving a custom function fails saying what to do; loading an unknown key fails saying
 * what to register.
 */
import { registeredActivationName, registerActivationSpec } from '../activations/custom';
import { isBuiltInActivation, type ActivationSpec } from '../activations';
import { UnknownIdentifierError, ValueError, describe, invalid } from '../errors';
import type { Expr } from '../expr/expr';
import { checkElementwise, elementwiseFn } from '../expr/functions';
import { expressionsFromJSON, expressionsToJSON, type ExpressionJSON } from '../expr/serialize';
import { ExpressionLoss } from '../losses/custom';
import type { Loss } from '../losses';
import { ExpressionMetric } from '../metrics/custom';
import type { Metric } from '../metrics';
import type { Optimizer } from '../optimizers';
import type { SavedRule } from '../optimizers/expression-optimizer';
import { registeredName, registeredObject } from './object-registration';

/** What `includeExpressions` stores. */
export interface StoredExpressions {
  activations?: Record<string, ExpressionJSON>;
  losses?: Record<string, ExpressionJSON>;
  metrics?: Record<string, ExpressionJSON>;
  optimizers?: Record<string, { slots: string[]; initial_values: number[]; update: ExpressionJSON }>;
}

const KINDS = ['activations', 'losses', 'metrics', 'optimizers'] as const;
/** A bound on what a file can declare. */
const MAX_ENTRIES = 64;
const KEY = /^[A-Za-z0-9_.-]{1,64}(>[A-Za-z0-9_.-]{1,64})?$/;

/** Saving: names custom objects, and collects their expressions when asked to. */
export class SaveContext {
  readonly expressions: StoredExpressions = {};

  constructor(readonly includeExpressions: boolean) {}

  /** True when something was collected. */
  get hasExpressions(): boolean {
    return KINDS.some((k) => this.expressions[k] !== undefined);
  }

  /** The key a custom object is saved under: its registered key, or with includeExpressions its own name. */
  private key(kind: string, name: string, registered: string | undefined, register: string): string {
    if (registered) return registered;
    if (this.includeExpressions) return name.includes('>') ? name : `Custom>${name}`;
    return invalid({
      what: `custom ${kind} '${name}'`,
      where: 'saveModel',
      expected: `a registered ${kind} (saved by name) or { includeExpressions: true } (saved as its expression)`,
      received: 'an unregistered function',
      hint: `call ${register} before saving, or save with { includeExpressions: true }.`,
    });
  }

  private store<K extends Exclude<(typeof KINDS)[number], 'optimizers'>>(kind: K, key: string, expression: Expr): void {
    if (!this.includeExpressions) return;
    const bucket = (this.expressions[kind] ??= {}) as Record<string, ExpressionJSON>;
    bucket[key] = expressionsToJSON([expression]);
  }

  /** A custom activation's saved name. */
  activation(spec: ActivationSpec): string {
    const key = this.key('activation', spec.name, registeredActivationName(spec), `keras.activations.register('${spec.name}', fn)`);
    this.store('activations', key, spec.forward);
    return key;
  }

  /** A custom loss's saved name. */
  loss(loss: Loss): string {
    const registered = loss instanceof ExpressionLoss && loss.source ? registeredName(loss.source) : registeredName(loss.constructor);
    const key = this.key('loss', loss.name, registered, `keras.losses.register('${loss.name}', fn)`);
    if (loss instanceof ExpressionLoss) this.store('losses', key, loss.expression);
    else if (this.includeExpressions) invalid({ what: `custom loss '${loss.name}'`, where: 'saveModel', expected: 'a registered Loss subclass', received: 'an unregistered subclass', hint: 'register it with keras.losses.register(name, Class).' });
    return key;
  }

  /** A custom metric's saved name. */
  metric(metric: Metric): string {
    const registered = metric instanceof ExpressionMetric && metric.source ? registeredName(metric.source) : registeredName(metric.constructor);
    const key = this.key('metric', metric.kind, registered, `keras.metrics.register('${metric.name}', fn)`);
    if (metric instanceof ExpressionMetric) this.store('metrics', key, metric.expression);
    return key;
  }

  /** A custom optimizer's saved class name (its rule stored with includeExpressions). */
  optimizer(opt: Optimizer): string {
    const cls = opt.constructor.name || opt.name;
    const key = this.key('optimizer', cls, registeredName(opt.constructor), `keras.optimizers.register(${cls})`);
    if (this.includeExpressions) {
      const { slots, outputs, initialValues } = opt.updateExpressions();
      (this.expressions.optimizers ??= {})[key] = { slots, initial_values: initialValues, update: expressionsToJSON(outputs) };
    }
    return key;
  }
}

/** Is this activation one of this library's built-ins (saved by its Keras or TF.js name)? */
export function isCustomActivation(spec: ActivationSpec): boolean {
  return !isBuiltInActivation(spec.name);
}

/** Loading: the expressions a file stores, checked (a file is hostile until proved otherwise). */
export class LoadContext {
  private readonly stored: StoredExpressions;

  constructor(value: unknown) {
    this.stored = {};
    if (value === undefined) return;
    const where = 'loadModel';
    if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid({ what: 'expressions', where, expected: `an object with ${KINDS.join(', ')}`, received: describe(value) });
    for (const [kind, entries] of Object.entries(value as Record<string, unknown>)) {
      if (!(KINDS as readonly string[]).includes(kind)) invalid({ what: 'expressions', where, expected: `keys among ${KINDS.join(', ')}`, received: describe(kind) });
      if (typeof entries !== 'object' || entries === null || Array.isArray(entries) || Object.keys(entries).length > MAX_ENTRIES) {
        invalid({ what: `expressions.${kind}`, where, expected: `an object of at most ${MAX_ENTRIES} entries`, received: describe(entries) });
      }
      for (const key of Object.keys(entries)) if (!KEY.test(key)) invalid({ what: `expressions.${kind} key`, where, expected: "'package>name' of letters, digits, _, . and -", received: describe(key) });
      (this.stored as Record<string, unknown>)[kind] = entries;
    }
  }

  private expression(kind: 'activations' | 'losses' | 'metrics', key: string): Expr | undefined {
    const json = this.stored[kind]?.[key];
    return json === undefined ? undefined : expressionsFromJSON(json, `loadModel (${kind} '${key}')`)[0];
  }

  /** Register the stored activations whose keys are not registered, so the topology's names resolve. */
  registerActivations(): void {
    for (const key of Object.keys(this.stored.activations ?? {})) {
      if (registeredObject(key) !== undefined) continue;
      const forward = this.expression('activations', key)!;
      checkElementwise(forward, ['x'], `the saved activation '${key}'`);
      registerActivationSpec(elementwiseFn(key, forward));
    }
  }

  /** A custom loss by its saved key: registered, else from its stored expression, else an error. */
  loss(key: string, name: string, lookup: () => Loss | undefined): Loss {
    const found = lookup();
    if (found) return found;
    const e = this.expression('losses', key);
    if (e) return new ExpressionLoss(e, name);
    return unknown('loss', key, 'losses');
  }

  /** A custom metric by its saved key. */
  metric(key: string, name: string, lookup: () => Metric | undefined): Metric {
    const found = lookup();
    if (found) return found;
    const e = this.expression('metrics', key);
    if (e) return new ExpressionMetric(e, key, name);
    return unknown('metric', key, 'metrics');
  }

  /** A custom optimizer's saved rule, when stored. */
  optimizerRule(key: string): SavedRule | undefined {
    const entry = this.stored.optimizers?.[key] as Record<string, unknown> | undefined;
    if (entry === undefined) return undefined;
    const where = `loadModel (optimizer '${key}')`;
    const slots = entry.slots;
    const initial = entry.initial_values;
    if (!Array.isArray(slots) || !slots.every((s) => typeof s === 'string') || !Array.isArray(initial) || initial.length !== slots.length || !initial.every(Number.isFinite)) {
      throw new ValueError(`Invalid saved optimizer rule for ${where}: expected slots (names) and initial_values (numbers) of one length. Received: ${describe(entry)}.`);
    }
    return { slots: slots as string[], initialValues: initial as number[], outputs: expressionsFromJSON(entry.update, where) };
  }
}

function unknown(kind: string, key: string, plural: string): never {
  throw new UnknownIdentifierError(
    `Invalid ${kind} for loadModel: expected a registered custom ${kind} or a stored expression. Received: '${key}', which is neither.` +
      `\nhint: register it with keras.${plural}.register('${key.slice(key.indexOf('>') + 1)}', fn) before loading, or save the model with { includeExpressions: true }.`,
  );
}

/**
 * Names that differ between this library and the Keras JSON TF.js reads: key case, activation names
 * and initializer class names. Activations are written under a name TF.js computes identically;
 * those TF.js lacks keep this library's name, so only this library can load them.
 */
import { ACTIVATION_DEFS } from '../activations/specs';
import { getActivation, isBuiltInActivation, serializeActivation, type ActivationSpec } from '../activations';
import { UnknownIdentifierError, describe } from '../errors';
import { getInitializer, type Initializer } from '../initializers';
import { toSnakeCase } from '../utils/identifiers';
import type { SaveContext } from './custom-objects';

/** `useBias` → `use_bias`, `batchInputShape` → `batch_input_shape`. */
export const snakeKey = toSnakeCase;

/** `use_bias` → `useBias`. */
export function camelKey(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A plain object's keys in snake_case (one level). */
export function snakeKeys(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [snakeKey(k), v]));
}

/** A plain object's keys in camelCase (one level). */
export function camelKeys(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [camelKey(k), v]));
}

/** Our activations with default parameters that TF.js computes the same way, under TF.js's name. */
const TO_TFJS: Record<string, string> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid',
  softsign: 'softsign', tanh: 'tanh', softmax: 'softmax', mish: 'mish', softplus: 'softplus', silu: 'swish',
};

function hasDefaultParams(spec: ActivationSpec): boolean {
  if (!isBuiltInActivation(spec.name)) return true;
  const params = ACTIVATION_DEFS[spec.name].params;
  return Object.keys(params).every((k) => spec.params[k] === params[k].default);
}

/**
 * The Keras JSON form of an activation: a TF.js name when TF.js has the same function ('silu' →
 * 'swish'; GELU → 'gelu' (exact) or 'gelu_new' (tanh approximation)); otherwise this library's name, or
 * `{ class_name, config }` when a parameter differs from its default. A custom activation is its registered
 * key (`'Custom>my_mish'`), see custom-objects.ts.
 */
export function activationToKeras(spec: ActivationSpec, ctx: SaveContext): string | { class_name: string; config: Record<string, number | null> } {
  if (!isBuiltInActivation(spec.name)) return ctx.activation(spec);
  if (spec.name === 'gelu') return spec.params.approximate ? 'gelu_new' : 'gelu';
  if (hasDefaultParams(spec)) return TO_TFJS[spec.name] ?? spec.name;
  const { name: _, ...params } = serializeActivation(spec) as Record<string, number | null>;
  return { class_name: spec.name, config: snakeKeys(params) as Record<string, number | null> };
}

/**
 * An activation from Keras JSON. TF.js's and Keras 2's `hard_sigmoid` (0.2·x + 0.5) is not this
 * library's `hardsigmoid` (x/6 + 0.5), so it is refused rather than silently changed.
 */
export function activationFromKeras(value: unknown, where: string): ActivationSpec {
  if (value == null) return getActivation('linear', where);
  if (typeof value === 'string') {
    if (value === 'hard_sigmoid' || value === 'hardSigmoid') {
      throw new UnknownIdentifierError(
        `Invalid activation for ${where}: expected an activation this library computes identically. Received: '${value}' (TF.js/Keras 2: 0.2·x + 0.5).` +
          `\nhint: this library's 'hardsigmoid' is Keras 3's x/6 + 0.5; rebuild the model with it and retrain.`,
      );
    }
    if (value === 'gelu') return getActivation({ name: 'gelu', approximate: false }, where);
    if (value === 'gelu_new' || value === 'geluNew') return getActivation({ name: 'gelu', approximate: true }, where);
    return getActivation(value, where);
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const name = o.class_name ?? o.className;
    const config = o.config ?? {};
    if (typeof name === 'string' && typeof config === 'object' && config !== null && !Array.isArray(config)) {
      return getActivation({ name, ...camelKeys(config as Record<string, unknown>) }, where);
    }
  }
  throw new UnknownIdentifierError(
    `Invalid activation for ${where}: expected a name or { class_name, config }. Received: ${describe(value)}.`,
  );
}

/** TF.js spells these two class names with a capital C. */
const INITIALIZER_TO_TFJS: Record<string, string> = { LecunNormal: 'LeCunNormal', LecunUniform: 'LeCunUniform' };

/** `{ class_name, config }` of an initializer, TF.js spelling, config keys in snake_case. */
export function initializerToKeras(init: Initializer): { class_name: string; config: Record<string, unknown> } {
  return { class_name: INITIALIZER_TO_TFJS[init.name] ?? init.name, config: snakeKeys(init.getConfig()) };
}

/** An initializer from Keras JSON (`{ class_name, config }` or a name). */
export function initializerFromKeras(value: unknown, where: string): Initializer | undefined {
  if (value == null) return undefined;
  if (typeof value === 'string') return getInitializer(value, where);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const raw = o.config;
    const config = raw && typeof raw === 'object' && !Array.isArray(raw) ? camelKeys(raw as Record<string, unknown>) : (raw ?? undefined);
    return getInitializer({ className: String(o.class_name ?? o.className), config: config as Record<string, unknown> | undefined }, where);
  }
  return getInitializer(value as string, where);
}

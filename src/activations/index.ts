/**
 * Activation registry: resolves what users write (`'relu'`, `'leakyRelu'`, `{ name: 'elu', alpha: 0.5 }`,
 * `null`, a function written with `keras.ops`, a registered custom name) into one {@link ActivationSpec}:
 * the compiled elementwise function (forward formula, derived backward, run-time parameters) both
 * backends run in their fused kernels.
 */
import { UnknownIdentifierError, invalid, received } from '../errors';
import { Expr, input, scalar } from '../expr/expr';
import { elementwiseFn, type ElementwiseFn } from '../expr/functions';
import type { CustomActivationNames, CustomNames, Spellings } from '../identifiers';
import { ACTIVATION_ALIASES, ACTIVATION_DEFS, NAME_LOOKUP, checkParam, editDistance, normalizeKey } from './specs';
import { customActivation, customActivationNames, lookupCustomActivation } from './custom';

/** Canonical (snake_case) names of every supported activation. */
export type ActivationName =
  | 'linear' | 'elu' | 'hardshrink' | 'hardsigmoid' | 'hardtanh' | 'leaky_relu' | 'log_sigmoid'
  | 'relu' | 'relu6' | 'selu' | 'celu' | 'sigmoid' | 'softplus' | 'softshrink' | 'softsign' | 'tanh' | 'softmax'
  | 'hardswish' | 'gelu' | 'silu' | 'mish' | 'tanhshrink' | 'threshold';

/**
 * A resolved activation: the compiled elementwise function, named (the canonical snake_case name of a
 * built-in, or a custom function's name) with every parameter's value (defaults filled in).
 */
export type ActivationSpec = ElementwiseFn;

/** A custom activation: a function of one symbolic value written with `keras.ops`. */
export type ActivationFunction = (x: Expr) => Expr | number;

/** Every activation name: snake_case and camelCase (`'leaky_relu'`, `'leakyRelu'`) and the aliases `swish`, `hard_silu`, `none`. */
export type ActivationString = Spellings<ActivationName | keyof typeof ACTIVATION_ALIASES> | CustomNames<CustomActivationNames>;

/**
 * What users may pass as an activation: a name, a resolved spec, `{ name, ...params }` (parameter keys
 * in camelCase or snake_case), or a custom function written with `keras.ops`.
 */
export type ActivationIdentifier = ActivationString | ActivationSpec | ActivationFunction | { name: ActivationString; [param: string]: unknown };

const NAMES = Object.keys(ACTIVATION_DEFS) as ActivationName[];

/** Every canonical activation name, in a stable order. */
export function activationNames(): ActivationName[] {
  return NAMES.slice();
}

function resolveName(name: string, where: string): ActivationName | ActivationSpec {
  const key = normalizeKey(name.trim());
  const found = NAME_LOOKUP.get(key);
  if (found !== undefined) return found;
  const custom = lookupCustomActivation(name.trim());
  if (custom) return custom;
  if (name.includes('>')) {
    invalid(
      {
        what: 'activation',
        where,
        expected: 'a built-in or a registered custom activation',
        received: received('activation', name),
        hint: `'${name}' is a custom activation: register it with keras.activations.register('${name.slice(name.indexOf('>') + 1)}', fn) before loading, or save the model with { includeExpressions: true }.`,
      },
      UnknownIdentifierError,
    );
  }
  let best: ActivationName | undefined;
  let bestDist = 3; // suggest only close matches (edit distance ≤ 2)
  for (const [alias, canonical] of NAME_LOOKUP) {
    const d = editDistance(key, alias);
    if (d < bestDist) [best, bestDist] = [canonical, d];
  }
  const guess = best ? `did you mean '${best}'? ` : '';
  invalid(
    {
      what: 'activation',
      where,
      expected: `one of ${NAMES.map((n) => `'${n}'`).join(', ')}`,
      received: received('activation', name),
      hint:
        `${guess}Names are case-insensitive and may be snake_case or camelCase ('leaky_relu', 'leakyRelu'); ` +
        `aliases: 'swish' → 'silu', 'hard_silu' → 'hardswish', 'none' → 'linear'. ` +
        (customActivationNames().length ? `Registered custom activations: ${customActivationNames().map((n) => `'${n}'`).join(', ')}. ` : '') +
        `A custom one is registered with keras.activations.register(name, fn).`,
    },
    UnknownIdentifierError,
  );
}

function buildSpec(name: ActivationName, given: Record<string, unknown>, where: string): ActivationSpec {
  const def = ACTIVATION_DEFS[name];
  const label = `activation '${name}' in ${where}`;
  const keys = Object.keys(def.params);
  const params: Record<string, number> = {};
  for (const k of keys) params[k] = def.params[k].default;
  const setBy: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const norm = normalizeKey(rawKey);
    const aliases = def.paramAliases;
    const key =
      keys.find((k) => normalizeKey(k) === norm) ??
      (aliases && Object.hasOwn(aliases, norm) ? aliases[norm] : undefined);
    if (key === undefined) {
      const aliases = Object.entries(def.paramAliases ?? {}).map(([alias, k]) => `${alias} for ${k}`);
      invalid({
        what: `parameter '${rawKey}'`,
        where: label,
        expected: keys.length ? `one of ${keys.join(', ')}${aliases.length ? ` (also ${aliases.join(', ')})` : ''}` : `no parameters ('${name}' takes none)`,
        received: received(rawKey, value),
      });
    }
    if (setBy[key] !== undefined) {
      invalid({
        what: `parameter '${key}'`,
        where: label,
        expected: 'it to be given once',
        received: `both '${setBy[key]}' and '${rawKey}'`,
      });
    }
    setBy[key] = rawKey;
    params[key] = checkParam(key, value, def.params[key], label);
  }
  def.check?.(params, label);
  return builtIn(name, params);
}

/** The compiled built-in: numeric parameters as run-time scalars, flags chosen at build time. */
function builtIn(name: ActivationName, params: Record<string, number>): ActivationSpec {
  const def = ACTIVATION_DEFS[name];
  const p = { scalar: {} as Record<string, Expr>, flag: {} as Record<string, boolean>, value: params };
  for (const [key, rule] of Object.entries(def.params)) {
    if (rule.flag) p.flag[key] = params[key] !== 0;
    else p.scalar[key] = scalar(key);
  }
  const x = input('x');
  return elementwiseFn(name, def.formula(x, p), { params, derivative: def.derivative?.(x, p), rowwise: def.rowwise });
}

/** Is `v` a resolved activation (an ElementwiseFn)? */
export function isActivationSpec(v: unknown): v is ActivationSpec {
  return typeof v === 'object' && v !== null && (v as ActivationSpec).forward instanceof Expr && (v as ActivationSpec).backward instanceof Expr;
}

/** Is `name` a built-in activation's canonical name? */
export function isBuiltInActivation(name: string): name is ActivationName {
  return Object.hasOwn(ACTIVATION_DEFS, name);
}

/**
 * Resolve an activation identifier into a validated {@link ActivationSpec}.
 *
 * - `null` / `undefined` / `'none'` → `linear`.
 * - A string: snake_case or camelCase, case-insensitive (`'leaky_relu'`, `'leakyRelu'`, `'LeakyReLU'`);
 *   aliases `'swish'` → `silu`, `'hard_silu'` → `hardswish`; or the name of a registered custom
 *   activation (`'my_mish'` or `'Custom>my_mish'`).
 * - An object `{ name, ...params }` or an `ActivationSpec`; missing params take defaults.
 * - A function of one argument written with `keras.ops` (`(x) => ops.multiply(x, ops.sigmoid(x))`):
 *   traced once into an expression, its derivative by automatic differentiation.
 *
 * @param where Names the caller in error messages (e.g. `'Dense'`).
 * @throws UnknownIdentifierError for an unknown name (the message lists every valid name).
 * @throws ValueError for unknown parameters, non-finite values or values breaking a rule, and for a
 *   function that cannot be traced (naming the op and what to use instead).
 */
export function getActivation(identifier?: ActivationIdentifier | (string & {}) | { name: string; [param: string]: unknown } | null, where = 'getActivation'): ActivationSpec {
  if (identifier === null || identifier === undefined) return buildSpec('linear', {}, where);
  if (isActivationSpec(identifier)) return identifier;
  if (typeof identifier === 'function') return customActivation(identifier, where);
  if (typeof identifier === 'string') return resolve(resolveName(identifier, where), {}, where);
  if (typeof identifier === 'object' && !Array.isArray(identifier)) {
    const { name, params, ...rest } = identifier as Record<string, unknown>;
    if (typeof name !== 'string') {
      invalid({ what: 'activation name', where, expected: 'a string', received: received('name', name) });
    }
    const given: Record<string, unknown> = {};
    if (params !== undefined) {
      if (typeof params !== 'object' || params === null || Array.isArray(params)) {
        invalid({ what: 'activation params', where, expected: 'an object', received: received('params', params) });
      }
      Object.assign(given, params);
    }
    for (const [k, v] of Object.entries(rest)) {
      if (Object.hasOwn(given, k)) {
        invalid({ what: `parameter '${k}'`, where, expected: 'it to be given once', received: 'it both at top level and in params' });
      }
      given[k] = v;
    }
    return resolve(resolveName(name, where), given, where);
  }
  invalid({
    what: 'activation',
    where,
    expected: 'a name string, null, an object { name, ...params }, or a function written with keras.ops',
    received: received('activation', identifier),
  });
}

function resolve(found: ActivationName | ActivationSpec, given: Record<string, unknown>, where: string): ActivationSpec {
  if (typeof found === 'string') return buildSpec(found, given, where);
  const extra = Object.keys(given).filter((k) => given[k] !== undefined);
  if (extra.length > 0) {
    invalid({ what: `parameter '${extra[0]}'`, where: `activation '${found.name}' in ${where}`, expected: `no parameters (a custom activation takes none)`, received: received(extra[0], given[extra[0]]) });
  }
  return found;
}

/**
 * Serializable form for `getConfig`: the bare name when every parameter has its default,
 * else `{ name, ...params }` with all parameters (a "none" such as relu's `maxValue` as `null`).
 * `getActivation` accepts both forms back. A custom activation is its name.
 */
export function serializeActivation(spec: ActivationSpec): string | { name: string; [p: string]: number | string | null } {
  if (!isBuiltInActivation(spec.name)) return spec.name;
  const def = ACTIVATION_DEFS[spec.name];
  const allDefault = Object.keys(def.params).every((k) => spec.params[k] === def.params[k].default);
  if (allDefault) return spec.name;
  // A "none" (relu's maxValue) is saved as null.
  const params: Record<string, number | null> = {};
  for (const k of Object.keys(def.params)) params[k] = def.params[k].nullable && spec.params[k] === Infinity ? null : spec.params[k];
  return { name: spec.name, ...params };
}

export { registerActivation as register, describeActivation as describe, activationFromFormula as fromFormula, type ActivationDescription } from './custom';

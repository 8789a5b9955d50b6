/**
 * Activation registry: resolves what users write (`'relu'`, `'leakyRelu'`, `{ name: 'elu', alpha: 0.5 }`,
 * `null`) into one canonical {@link ActivationSpec} that both backends understand.
 *
 * The math itself lives in the backends (`backend/cpu/activation-math.ts` for the CPU).
 */
import { UnknownIdentifierError, invalid, received } from '../errors';
import type { CustomActivationNames, CustomNames, Spellings } from '../identifiers';
import { ACTIVATION_ALIASES, ACTIVATION_DEFS, NAME_LOOKUP, checkParam, editDistance, normalizeKey } from './specs';

/** Canonical (snake_case) names of every supported activation. */
export type ActivationName =
  | 'linear' | 'elu' | 'hardshrink' | 'hardsigmoid' | 'hardtanh' | 'leaky_relu' | 'log_sigmoid'
  | 'relu' | 'relu6' | 'selu' | 'celu' | 'sigmoid' | 'softplus' | 'softshrink' | 'softsign' | 'tanh' | 'softmax'
  | 'hardswish' | 'gelu' | 'silu' | 'mish' | 'tanhshrink' | 'threshold';

/** A resolved activation: canonical snake_case name + every parameter with its value (defaults filled in). */
export interface ActivationSpec {
  readonly name: ActivationName;
  readonly params: Readonly<Record<string, number>>;
}

/** Every activation name: snake_case and camelCase (`'leaky_relu'`, `'leakyRelu'`) and the aliases `swish`, `hard_silu`, `none`. */
export type ActivationString = Spellings<ActivationName | keyof typeof ACTIVATION_ALIASES> | CustomNames<CustomActivationNames>;

/**
 * What users may pass as an activation: a name, a resolved spec, or `{ name, ...params }`
 * (parameter keys in camelCase or snake_case).
 */
export type ActivationIdentifier = ActivationString | ActivationSpec | { name: ActivationString; [param: string]: unknown };

const NAMES = Object.keys(ACTIVATION_DEFS) as ActivationName[];

/** Every canonical activation name, in a stable order. */
export function activationNames(): ActivationName[] {
  return NAMES.slice();
}

function resolveName(name: string, where: string): ActivationName {
  const key = normalizeKey(name.trim());
  const found = NAME_LOOKUP.get(key);
  if (found !== undefined) return found;
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
        `aliases: 'swish' → 'silu', 'hard_silu' → 'hardswish', 'none' → 'linear'.`,
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
  return Object.freeze({ name, params: Object.freeze(params) });
}

/**
 * Resolve an activation identifier into a validated {@link ActivationSpec}.
 *
 * - `null` / `undefined` / `'none'` → `linear`.
 * - A string: snake_case or camelCase, case-insensitive (`'leaky_relu'`, `'leakyRelu'`, `'LeakyReLU'`);
 *   aliases `'swish'` → `silu`, `'hard_silu'` → `hardswish`.
 * - An object `{ name, ...params }` or an `ActivationSpec` (`{ name, params }`); missing params take defaults.
 *
 * @param where Names the caller in error messages (e.g. `'Dense'`).
 * @throws UnknownIdentifierError for an unknown name (the message lists every valid name).
 * @throws ValueError for unknown parameters, non-finite values or values breaking a rule.
 */
export function getActivation(identifier?: ActivationIdentifier | (string & {}) | { name: string; [param: string]: unknown } | null, where = 'getActivation'): ActivationSpec {
  if (identifier === null || identifier === undefined) return buildSpec('linear', {}, where);
  if (typeof identifier === 'string') return buildSpec(resolveName(identifier, where), {}, where);
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
    return buildSpec(resolveName(name, where), given, where);
  }
  invalid({
    what: 'activation',
    where,
    expected: "a name string, null, or an object { name, ...params }",
    received: received('activation', identifier),
  });
}

/**
 * Serializable form for `getConfig`: the bare name when every parameter has its default,
 * else `{ name, ...params }` with all parameters (a "none" such as relu's `maxValue` as `null`).
 * `getActivation` accepts both forms back.
 */
export function serializeActivation(spec: ActivationSpec): string | { name: string; [p: string]: number | string | null } {
  const def = ACTIVATION_DEFS[spec.name];
  const allDefault = Object.keys(def.params).every((k) => spec.params[k] === def.params[k].default);
  if (allDefault) return spec.name;
  const params: Record<string, number | null> = {};
  for (const k of Object.keys(def.params)) params[k] = def.params[k].nullable && spec.params[k] === Infinity ? null : spec.params[k];
  return { name: spec.name, ...params };
}

/**
 * Weight initializers with Keras 3 semantics and defaults, and `getInitializer`
 * to resolve string / object identifiers.
 *
 * Seeding: an initializer built with a `seed` returns the same values on every
 * `generate` call; without one, each `generate` call uses its `seed` argument
 * or, if absent, the next seed of the global seed generator (so
 * `setRandomSeed(n)` makes a whole model construction reproducible).
 * `Zeros`, `Ones` and `Constant` never consume seeds.
 */
import { UnknownIdentifierError, describe, invalid, received } from '../errors';
import type { CamelCase, CustomInitializerNames, CustomNames, Spellings } from '../identifiers';
import type { Initializer } from './base';
import { Constant, Ones, Zeros } from './constant';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance-scaling';

export {
  BaseInitializer,
  SeededInitializer,
  computeFans,
  type Initializer,
  type InitializerDtype,
  type SeedOption,
} from './base';
export { Constant, Ones, Zeros, type ConstantOptions } from './constant';
export { RandomNormal, RandomUniform, TruncatedNormal, type NormalOptions, type UniformOptions } from './random';
export {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  TRUNCATED_NORMAL_STDDEV_FACTOR,
  VarianceScaling,
  type FanMode,
  type VarianceDistribution,
  type VarianceScalingOptions,
} from './variance-scaling';

/** A serialized initializer, Keras / TF.js layers format. */
export interface InitializerConfig {
  /** Class name, e.g. `'GlorotUniform'` (snake_case identifiers are accepted too). */
  className: string;
  /** Constructor options, e.g. `{ seed: 42 }`. */
  config?: Record<string, unknown>;
}

/**
 * Every initializer name: snake_case, camelCase and the Keras class name (`'glorot_uniform'`,
 * `'glorotUniform'`, `'GlorotUniform'`), and the aliases `zero`, `one`, `normal`, `uniform`.
 */
export type InitializerName =
  | Spellings<keyof typeof CANONICAL | keyof typeof ALIASES>
  | Capitalize<CamelCase<keyof typeof CANONICAL>>
  | CustomNames<CustomInitializerNames>;

/** Anything {@link getInitializer} accepts. */
export type InitializerIdentifier = InitializerName | Initializer | InitializerConfig;

type Factory = (config: Record<string, unknown> | undefined) => Initializer;

/** Canonical snake_case identifiers → constructors. */
const CANONICAL = {
  zeros: (c) => new Zeros(c as never),
  ones: (c) => new Ones(c as never),
  constant: (c) => new Constant(c),
  random_normal: (c) => new RandomNormal(c),
  random_uniform: (c) => new RandomUniform(c),
  truncated_normal: (c) => new TruncatedNormal(c),
  variance_scaling: (c) => new VarianceScaling(c),
  glorot_normal: (c) => new GlorotNormal(c),
  glorot_uniform: (c) => new GlorotUniform(c),
  he_normal: (c) => new HeNormal(c),
  he_uniform: (c) => new HeUniform(c),
  lecun_normal: (c) => new LecunNormal(c),
  lecun_uniform: (c) => new LecunUniform(c),
} satisfies Record<string, Factory>;

/** Keras aliases. */
const ALIASES = { zero: 'zeros', one: 'ones', normal: 'random_normal', uniform: 'random_uniform' } satisfies Record<string, keyof typeof CANONICAL>;

/** The identifiers {@link getInitializer} accepts as strings (snake_case; camelCase / PascalCase forms are accepted too). */
export const INITIALIZER_NAMES: readonly string[] = Object.keys(CANONICAL);

/** Normalized key (underscores removed, lower case) → factory. */
const LOOKUP = new Map<string, Factory>();
for (const [name, factory] of Object.entries(CANONICAL)) LOOKUP.set(normalize(name), factory);
for (const [alias, name] of Object.entries(ALIASES)) LOOKUP.set(normalize(alias), CANONICAL[name]);

function normalize(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

function lookup(name: string, what: string, where: string): Factory {
  const factory = LOOKUP.get(normalize(name));
  if (factory) return factory;
  return invalid(
    {
      what,
      where,
      expected: `one of ${INITIALIZER_NAMES.map((n) => `'${n}'`).join(', ')}`,
      received: describe(name),
      hint: 'camelCase and class names are accepted too, e.g. heNormal or HeNormal',
    },
    UnknownIdentifierError,
  );
}

function isInitializer(value: unknown): value is Initializer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Initializer).generate === 'function' &&
    typeof (value as Initializer).getConfig === 'function'
  );
}

/**
 * Resolve an initializer identifier (Keras `keras.initializers.get`).
 *
 * @param identifier One of:
 *   - a name: `'glorot_uniform'`, `'glorotUniform'`, `'GlorotUniform'`, … (see {@link INITIALIZER_NAMES};
 *     Keras aliases `'zero'`, `'one'`, `'normal'`, `'uniform'` too) — built with default options;
 *   - an {@link Initializer} instance — returned as is;
 *   - `{ className, config }` (TF.js / Keras format; Keras JSON's `class_name` is accepted as well).
 * @param where Where it was passed, for error messages (e.g. `'Dense kernelInitializer'`). Default `'getInitializer'`.
 * @throws UnknownIdentifierError for an unknown name; ValueError for anything else invalid.
 */
export function getInitializer(identifier: InitializerIdentifier | (string & {}), where = 'getInitializer'): Initializer {
  if (typeof identifier === 'string') return lookup(identifier, 'initializer', where)(undefined);
  if (isInitializer(identifier)) return identifier;
  if (typeof identifier === 'object' && identifier !== null) {
    const obj = identifier as unknown as Record<string, unknown>;
    const className = obj.className ?? obj.class_name;
    if (typeof className === 'string') {
      const config = obj.config;
      if (config != null && (typeof config !== 'object' || Array.isArray(config))) {
        invalid({ what: 'initializer config', where, expected: 'an object', received: received('config', config) });
      }
      return lookup(className, 'initializer className', where)((config ?? undefined) as Record<string, unknown> | undefined);
    }
  }
  return invalid({
    what: 'initializer',
    where,
    expected: 'a name, an Initializer instance, or { className, config }',
    received: received('initializer', identifier),
  });
}

/** The `{ className, config }` form of an initializer, accepted back by {@link getInitializer}. */
export function serializeInitializer(initializer: Initializer): InitializerConfig {
  return { className: initializer.name, config: initializer.getConfig() };
}

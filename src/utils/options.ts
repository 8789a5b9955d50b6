/**
 * Strict options objects. Keras raises on an argument it does not know; so do we, for every options
 * object of the public API, with a did-you-mean hint that knows Keras's snake_case spellings
 * (`batch_size` → `batchSize`) and says plainly when an option exists in Keras but not here yet.
 */
import { StateError, describe, invalid } from '../errors';
import { editDistance } from './edit-distance';

/** What one options object may hold. */
export interface OptionsSpec {
  /** The option names this call accepts (camelCase). */
  readonly known: readonly string[];
  /**
   * Options Keras (or TF.js) has that this library does not implement yet, camelCase, with an optional
   * note on what to use instead. Naming one is an error that says so.
   */
  readonly notImplemented?: Readonly<Record<string, string>>;
}

/** `batch_size` → `batchSize`; leaves camelCase as it is. */
export function snakeToCamel(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

function suggestion(key: string, known: readonly string[]): string | null {
  const camel = snakeToCamel(key);
  if (known.includes(camel)) return camel;
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const wanted = norm(key);
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 4)) + 1;
  for (const name of known) {
    const d = editDistance(wanted, norm(name));
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/**
 * Check an options argument and return it as a plain record (an absent one becomes `{}`).
 *
 * - `undefined` is an empty options object; `null`, arrays, functions and primitives are refused (a
 *   positional form such as `new SGD(0.1)` must be handled by the caller before this check).
 * - Every own enumerable key must be in `spec.known`; a key set to `undefined` counts as absent only
 *   when it is known.
 * - An unknown key throws a ValueError naming it, with a did-you-mean hint (snake_case spellings map
 *   to their camelCase names); a key in `spec.notImplemented` says it is not implemented yet.
 *
 * @param where Names the caller: `'Dense'`, `'fit'`, `'Adam'`.
 */
export function checkOptions<T extends object>(options: T | undefined | null, where: string, spec: OptionsSpec): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options) || ArrayBuffer.isView(options)) {
    const example = spec.known.slice(0, 2).map((k) => `${k}: …`).join(', ');
    invalid({
      what: 'options',
      where,
      expected: 'an options object (or nothing)',
      received: describe(options),
      hint: `pass an object of named options${example ? `, e.g. { ${example} }` : ''}, or leave the argument out${options === null ? ' (null is not "no options")' : ''}.`,
    });
  }
  for (const key of Object.keys(options)) {
    if (spec.known.includes(key)) continue;
    const camel = snakeToCamel(key);
    const missing = spec.notImplemented?.[key] ?? spec.notImplemented?.[camel];
    if (missing !== undefined) {
      invalid({
        what: `option '${key}'`,
        where,
        expected: `one of ${spec.known.join(', ') || '(none)'}`,
        received: `${key}=${describe((options as Record<string, unknown>)[key])}`,
        hint: `'${camel}' exists in Keras but is not implemented in webgpu-keras yet${missing ? `; ${missing}` : ''}.`,
      });
    }
    const guess = suggestion(key, spec.known);
    invalid({
      what: `option '${key}'`,
      where,
      expected: `one of ${spec.known.join(', ') || '(none)'}`,
      received: `${key}=${describe((options as Record<string, unknown>)[key])}`,
      hint: !guess
        ? "options are camelCase, e.g. batchSize for Keras's batch_size."
        : camel === guess
          ? `did you mean '${guess}'? Options are camelCase here (Keras's '${key}' is '${guess}').`
          : `did you mean '${guess}'?`,
    });
  }
  return options;
}

/** Throw a StateError in the usual template (what, rule, state, hint). */
export function badState(what: string, where: string, expected: string, receivedState: string, hint?: string): never {
  invalid({ what, where, expected, received: receivedState, hint }, StateError);
}

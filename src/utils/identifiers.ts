/** Resolving Keras string identifiers given in snake_case, camelCase or PascalCase. */
import { UnknownIdentifierError, describe } from '../errors';

/** `'sparseCategoricalCrossentropy'`, `'sparse_categorical_crossentropy'` → `'sparsecategoricalcrossentropy'`. */
export function normalizeIdentifier(name: string): string {
  return name.replace(/[_\s-]/g, '').toLowerCase();
}

/** camelCase or PascalCase to snake_case: `BatchNormalization` → `batch_normalization`, `useBias` → `use_bias`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Look `name` up in a table keyed by canonical snake_case names plus aliases, then through `custom` (the
 * registered custom objects); throws an UnknownIdentifierError that lists the valid names and, for a
 * custom name (`'package>name'`), says what to register.
 */
export function lookupIdentifier<T>(table: Record<string, T>, name: unknown, what: string, where: string, custom?: (name: string) => T | undefined): T {
  if (typeof name === 'string') {
    const wanted = normalizeIdentifier(name);
    for (const [key, value] of Object.entries(table)) if (normalizeIdentifier(key) === wanted) return value;
    const found = custom?.(name);
    if (found !== undefined) return found;
  }
  const valid = Object.keys(table).map((k) => `'${k}'`).join(', ');
  const registered = typeof name === 'string' && name.includes('>');
  throw new UnknownIdentifierError(
    `Invalid ${what} for ${where}: expected one of ${valid} (snake_case or camelCase). Received: ${describe(name)}.` +
      (registered ? `\nhint: '${name}' is a custom ${what}: register it (keras.${what === 'loss' ? 'losses' : `${what}s`}.register('${name.slice(name.indexOf('>') + 1)}', …)) before loading, or save the model with { includeExpressions: true }.` : ''),
  );
}

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
 * Look `name` up in a table keyed by canonical snake_case names plus aliases; throws an
 * UnknownIdentifierError that lists the valid names.
 */
export function lookupIdentifier<T>(table: Record<string, T>, name: unknown, what: string, where: string): T {
  if (typeof name === 'string') {
    const wanted = normalizeIdentifier(name);
    for (const [key, value] of Object.entries(table)) if (normalizeIdentifier(key) === wanted) return value;
  }
  const valid = Object.keys(table).map((k) => `'${k}'`).join(', ');
  throw new UnknownIdentifierError(
    `Invalid ${what} for ${where}: expected one of ${valid} (snake_case or camelCase). Received: ${describe(name)}.`,
  );
}

/**
 * Registered custom objects (functions and classes), Keras's `register_keras_serializable` convention:
 * an object is registered under `'package>name'` (package `'Custom'` by default, name the object's own),
 * saved under that key, and found by it when a model is loaded. The activation, loss, metric and
 * optimizer registries (`keras.activations.register`, …) are this one table.
 */
import { invalid, received } from '../errors';

const byKey = new Map<string, unknown>();
const byObject = new Map<unknown, string>();

/** Options of {@link registerKerasSerializable}. */
export interface RegisterOptions {
  /** The package part of the key (default `'Custom'`). */
  package?: string;
  /** The name part (default: the function's or class's own name). */
  name?: string;
}

const KEY_PART = /^[A-Za-z0-9_.-]+$/;

/** Register `obj` under `'package>name'`; returns the key. Registering a key again replaces its object. */
export function registerObject(obj: unknown, where: string, { package: pkg = 'Custom', name }: RegisterOptions = {}): string {
  const own = (obj as { name?: unknown })?.name;
  const objName = name ?? (typeof own === 'string' && own !== '' ? own : undefined);
  for (const [what, part] of [['package', pkg], ['name', objName]] as const) {
    if (typeof part !== 'string' || !KEY_PART.test(part)) {
      invalid({
        what,
        where,
        expected: 'a name of letters, digits, _, . and - (the key is package>name)',
        received: received(what, part),
        hint: what === 'name' ? 'an anonymous function needs a name: register(name, fn).' : undefined,
      });
    }
  }
  const key = `${pkg}>${objName}`;
  const previous = byKey.get(key);
  if (previous !== undefined) byObject.delete(previous);
  byKey.set(key, obj);
  byObject.set(obj, key);
  return key;
}

/** The key `obj` is registered under, or undefined. */
export function registeredName(obj: unknown): string | undefined {
  return byObject.get(obj);
}

/**
 * The object registered under `name`: the full key `'package>name'`, or the bare name when exactly one
 * package has it. Undefined when none (or several) do.
 */
export function registeredObject(name: string): unknown {
  if (byKey.has(name)) return byKey.get(name);
  const matches = [...byKey.keys()].filter((k) => k.slice(k.indexOf('>') + 1) === name);
  return matches.length === 1 ? byKey.get(matches[0]) : undefined;
}

/** Every registered key whose object passes `accept`. */
export function registeredKeys(accept: (obj: unknown) => boolean = () => true): string[] {
  return [...byKey.entries()].filter(([, v]) => accept(v)).map(([k]) => k);
}

/**
 * `keras.saving.registerKerasSerializable(package?, name?)`: a decorator-style registrar, as Keras's.
 * `registerKerasSerializable('my_package')(MyOptimizer)` registers `'my_package>MyOptimizer'`.
 */
export function registerKerasSerializable(pkg = 'Custom', name?: string): <T>(obj: T) => T {
  return <T>(obj: T): T => {
    registerObject(obj, 'registerKerasSerializable', { package: pkg, name });
    return obj;
  };
}

/**
 * Typed errors with one message template:
 *   `Invalid <what> for <where>: expected <rule>. Received: <received>.` + optional hint line.
 *
 * Every misuse of the public API throws one of these classes, so callers can
 * `catch (e) { if (e instanceof keras.errors.ValueError) … }`.
 */

/** Base class of every error this library throws on purpose. */
export class KerasError extends Error {
  // Names are spelled out (not taken from the constructor) so they survive a minifying bundler.
  static readonly errorName: string = 'KerasError';
  constructor(message: string) {
    super(message);
    this.name = (new.target as typeof KerasError).errorName;
  }
}

/** An argument has the right type but a value outside its rule (Keras's ValueError). */
export class ValueError extends KerasError {
  static override readonly errorName: string = 'ValueError';
}

/** Data of the wrong shape: ragged arrays, mismatched batch sizes, input shape not matching the model. */
export class ShapeError extends ValueError {
  static override readonly errorName: string = 'ShapeError';
}

/** A call made in the wrong state: `fit` before `compile`, weights of a model not yet built. */
export class StateError extends KerasError {
  static override readonly errorName: string = 'StateError';
}

/** A string identifier (activation, loss, optimizer, …) that is not known. */
export class UnknownIdentifierError extends ValueError {
  static override readonly errorName: string = 'UnknownIdentifierError';
}

/** The requested backend cannot run here (no WebGPU adapter, no `webgpu` package, …). */
export class BackendUnavailableError extends KerasError {
  static override readonly errorName: string = 'BackendUnavailableError';
}

/**
 * Reading or writing storage failed for a reason outside the arguments: the disk is full, a file size
 * limit, a folder that cannot be written. The message names the path and the system's code; `cause`
 * holds the original error.
 */
export class IOError extends KerasError {
  static override readonly errorName: string = 'IOError';
}

/** The GPU device was lost or ran out of memory during work. */
export class DeviceError extends KerasError {
  static override readonly errorName: string = 'DeviceError';
}

/**
 * Format a value for an error message: short, JSON-like, never huge, and safe on hostile values (deep
 * nesting, null-prototype objects, getters that throw).
 */
export function describe(value: unknown, depth = 0): string {
  if (typeof value === 'string') return `'${value.length > 80 ? `${value.slice(0, 77)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(value)) {
    if (depth >= 3) return `[… (${value.length} items)]`;
    const inner = value.slice(0, 6).map((v) => describe(v, depth + 1)).join(', ');
    return `[${inner}${value.length > 6 ? `, … (${value.length} items)` : ''}]`;
  }
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return Object.prototype.toString.call(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export interface InvalidArgument {
  /** What is wrong, e.g. `units`. */
  what: string;
  /** Where, e.g. `Dense` or `fit`. */
  where: string;
  /** The rule, phrased after "expected": `a positive integer`. */
  expected: string;
  /** What was received: either a preformatted `name=value` string or a raw value. */
  received: string;
  /** Optional advice on how to fix it. */
  hint?: string;
}

/** Build the one message template used everywhere. */
export function formatInvalid({ what, where, expected, received, hint }: InvalidArgument): string {
  const head = `Invalid ${what} for ${where}: expected ${expected}. Received: ${received}.`;
  return hint ? `${head}\nhint: ${hint}` : head;
}

/** Throw a ValueError (or the given subclass) in the standard template. */
export function invalid(
  arg: InvalidArgument,
  ErrorClass: new (message: string) => KerasError = ValueError,
): never {
  throw new ErrorClass(formatInvalid(arg));
}

/** `name=value` as the "Received" part of a message. */
export function received(name: string, value: unknown): string {
  return `${name}=${describe(value)}`;
}

/** Validate a positive integer argument. */
export function checkPositiveInt(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    invalid({ what: name, where, expected: 'a positive integer', received: received(name, value) });
  }
  return value;
}

/** Validate a finite number in a range; `lowOpen`/`highOpen` make the bound exclusive. */
export function checkNumberInRange(
  value: unknown,
  name: string,
  where: string,
  low: number,
  high: number,
  { lowOpen = false, highOpen = false } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (lowOpen ? value > low : value >= low) &&
    (highOpen ? value < high : value <= high);
  if (!ok) {
    const range = `${lowOpen ? '(' : '['}${low}, ${high}${highOpen ? ')' : ']'}`;
    invalid({ what: name, where, expected: `a number in ${range}`, received: received(name, value) });
  }
  return value as number;
}

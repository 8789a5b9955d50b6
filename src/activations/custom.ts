/**
 * Custom activations: functions of one symbolic value written with `keras.ops`, traced once into an
 * expression and differentiated automatically; registered ones are usable by name and saved by name
 * (`'Custom>my_mish'`). Also `describe`, the readable forward formula and derivative of any activation.
 */
import { invalid, received } from '../errors';
import { input } from '../expr/expr';
import { formatExpr } from '../expr/format';
import { elementwiseFn } from '../expr/functions';
import { checkArity, traceCall, tracedValue } from '../expr/keras-ops';
import { parseFormula } from '../expr/parse';
import { registerObject, registeredKeys, registeredName, registeredObject, type RegisterOptions } from '../io/object-registration';
import { getActivation, isActivationSpec, type ActivationFunction, type ActivationIdentifier, type ActivationSpec } from './index';

const traced = new WeakMap<ActivationFunction, ActivationSpec>();
const sources = new WeakMap<ActivationSpec, ActivationFunction>();
/** Activations registered by their expression (loaded from a file saved with includeExpressions). */
const registeredSpecs = new Set<ActivationSpec>();

/** The activation of a custom function, traced once (and again after it is registered, to take its name). */
export function customActivation(fn: ActivationFunction, where: string): ActivationSpec {
  const known = traced.get(fn);
  const name = registeredName(fn) ?? (fn.name || 'custom_activation');
  if (known && known.name === name) return known;
  checkArity(fn, 1, 'activation function', where, '(x) => keras.ops expression');
  const forward = tracedValue(traceCall('activation function', where, () => fn(input('x'))), 'activation function', where);
  const spec = elementwiseFn(name, forward);
  traced.set(fn, spec);
  sources.set(spec, fn);
  return spec;
}

/** The function a custom activation was traced from (undefined for built-ins and loaded expressions). */
export function customSource(spec: ActivationSpec): ActivationFunction | undefined {
  return sources.get(spec);
}

/** The registered key of a custom activation, if it is registered. */
export function registeredActivationName(spec: ActivationSpec): string | undefined {
  const fn = sources.get(spec);
  return fn ? registeredName(fn) : registeredSpecs.has(spec) ? spec.name : undefined;
}

/** A registered custom activation by key or bare name, or undefined. */
export function lookupCustomActivation(name: string): ActivationSpec | undefined {
  const obj = registeredObject(name);
  if (typeof obj === 'function') return customActivation(obj as ActivationFunction, 'getActivation');
  return isActivationSpec(obj) ? obj : undefined;
}

/** Keys of the registered custom activations. */
export function customActivationNames(): string[] {
  return registeredKeys((o) => typeof o === 'function' || isActivationSpec(o));
}

/**
 * `keras.activations.register(name, fn)`: make a custom activation usable by name (`activation: 'my_mish'`)
 * and saveable by name: it is registered, as Keras's `register_keras_serializable`, under
 * `'package>name'` (`'Custom>my_mish'`; `options.package` changes the package). Returns the key.
 */
export function registerActivation(name: string, fn: ActivationFunction, options: Omit<RegisterOptions, 'name'> = {}): string {
  if (typeof fn !== 'function') {
    invalid({ what: 'activation', where: 'keras.activations.register', expected: 'a function (x) => keras.ops expression', received: received('fn', fn) });
  }
  const key = registerObject(fn, 'keras.activations.register', { ...options, name });
  customActivation(fn, 'keras.activations.register'); // traced now: an untraceable function fails here
  return key;
}

/** @internal Register an activation rebuilt from a saved expression under its saved key. */
export function registerActivationSpec(spec: ActivationSpec): void {
  const [pkg, name] = spec.name.includes('>') ? spec.name.split('>', 2) : ['Custom', spec.name];
  registerObject(spec, 'loadModel', { package: pkg, name });
  registeredSpecs.add(spec);
}

/**
 * `keras.activations.fromFormula('x * tanh(softplus(x))')`: an activation from a formula written as text in
 * `keras.ops` terms (numbers, x, + − * / ^, brackets and ops functions by name), parsed safely (nothing
 * is evaluated as JavaScript), so a page can train with what a learner types. Named `name` (default
 * `'formula'`).
 */
export function activationFromFormula(formula: string, name = 'formula'): ActivationSpec {
  return elementwiseFn(name, parseFormula(formula, ['x'], 'keras.activations.fromFormula'));
}

/** What `describe` returns: the formulas as text. */
export interface ActivationDescription {
  name: string;
  params: Readonly<Record<string, number>>;
  /** y = f(x). */
  forward: string;
  /** f′(x), as the autodiff derived it (in terms of x, and of y = f(x) where it reuses it). */
  derivative: string;
}

/**
 * `keras.activations.describe('gelu')`, or of any user function: the forward formula and its derived
 * derivative as readable text, e.g. `{ forward: 'x * tanh(softplus(x))', derivative: '…' }`.
 */
export function describeActivation(activation: ActivationIdentifier): ActivationDescription {
  const spec = getActivation(activation, 'keras.activations.describe');
  if (spec.rowwise === 'softmax') {
    return { name: spec.name, params: spec.params, forward: 'exp(x - max(x)) / sum(exp(x - max(x)))', derivative: 'y * (dy - sum(dy * y)) (row-wise)' };
  }
  return { name: spec.name, params: spec.params, forward: formatExpr(spec.forward), derivative: formatExpr(spec.derivative) };
}

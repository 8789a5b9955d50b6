/**
 * Optimizers in saved files. Two forms:
 *
 * - this library's own, `{ class_name: 'Adam', config: { learning_rate, beta1, …, clipnorm, weight_decay } }`,
 *   kept in `userDefinedMetadata.webgpu_keras` and able to express every optimizer here;
 * - TF.js's `trainingConfig.optimizer_config`, written only when a TF.js optimizer computes the same
 *   update (no weight decay, clipping or schedule; no AMSGrad/AdamW). Its slot weights then follow TF.js's
 *   names and order (`iter`, then one group per slot kind, each over the trainable weights in order), so
 *   `tf.loadLayersModel` restores them too.
 *
 * TF.js's `Momentum` accumulates gradients (`acc = μ·acc + g; w -= lr·acc`) where Keras keeps the velocity
 * (`m = μ·m − lr·g; w += m`), so its slot is this library's divided by −lr. That conversion is used when
 * loading TF.js files; saving keeps SGD's own state (see `training-state.ts`).
 */
import { UnknownIdentifierError, ValueError, invalid, describe } from '../errors';
import { Adadelta, Adagrad, Adam, AdamW, Optimizer, RMSprop, SGD, type LearningRateSchedule } from '../optimizers';
import { ExpressionOptimizer } from '../optimizers/expression-optimizer';
import type { LoadContext, SaveContext } from './custom-objects';
import { registeredObject } from './object-registration';
import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay } from '../optimizers/schedules';
import { camelKeys, snakeKeys } from './keras-names';

/** One TF.js slot group: its name suffix, the slot of this library it holds (null: always zero), a factor. */
export interface TfjsSlot {
  suffix: string;
  ours: string | null;
  scale: number;
}

/** A TF.js optimizer equivalent to one of ours. */
export interface TfjsOptimizer {
  className: string;
  config: Record<string, unknown>;
  slots: TfjsSlot[];
}

type Args = Record<string, unknown>;

/** Hyper-parameter names of each optimizer class (constructor argument names). */
const CLASSES: Record<string, { fields: string[]; make: (args: Args) => Optimizer }> = {
  SGD: { fields: ['momentum', 'nesterov'], make: (a) => new SGD(a) },
  RMSprop: { fields: ['rho', 'momentum', 'epsilon', 'centered'], make: (a) => new RMSprop(a) },
  Adagrad: { fields: ['initialAccumulatorValue', 'epsilon'], make: (a) => new Adagrad(a) },
  Adadelta: { fields: ['rho', 'epsilon'], make: (a) => new Adadelta(a) },
  Adam: { fields: ['beta1', 'beta2', 'epsilon', 'amsgrad'], make: (a) => new Adam(a) },
  AdamW: { fields: ['beta1', 'beta2', 'epsilon', 'amsgrad'], make: (a) => new AdamW(a) },
};

const KIND_TO_CLASS: Record<string, string> = { sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad', adadelta: 'Adadelta', adam: 'Adam', adamw: 'AdamW' };

/** The library's learning-rate schedules, which are stored as `{ class_name, config }`. */
const SCHEDULES: Record<string, { is: (s: unknown) => boolean; make: (c: Args) => LearningRateSchedule }> = {
  ExponentialDecay: { is: (s) => s instanceof ExponentialDecay, make: (c) => new ExponentialDecay(c as never) },
  PiecewiseConstantDecay: {
    is: (s) => s instanceof PiecewiseConstantDecay,
    make: (c) => new PiecewiseConstantDecay(c.boundaries as number[], c.values as number[], { name: c.name as string | undefined }),
  },
  PolynomialDecay: { is: (s) => s instanceof PolynomialDecay, make: (c) => new PolynomialDecay(c as never) },
  CosineDecay: { is: (s) => s instanceof CosineDecay, make: (c) => new CosineDecay(c as never) },
};

/** A learning rate as stored: the number, or a schedule of this library as `{ class_name, config }`. */
function learningRateToJSON(lr: number | LearningRateSchedule): number | { class_name: string; config: Args } {
  if (typeof lr === 'number') return lr;
  const found = Object.entries(SCHEDULES).find(([, s]) => s.is(lr));
  if (!found || typeof lr.getConfig !== 'function') {
    return invalid({
      what: 'optimizer',
      where: 'saveModel',
      expected: `a constant learning rate or one of the schedules ${Object.keys(SCHEDULES).join(', ')} when includeOptimizer is true`,
      received: 'a custom learning-rate schedule',
      hint: 'save with includeOptimizer: false, or set a constant learningRate before saving.',
    });
  }
  return { class_name: found[0], config: snakeKeys(lr.getConfig()) };
}

function learningRateFromJSON(value: unknown, where: string): number | LearningRateSchedule | undefined {
  if (value == null || typeof value === 'number') return value ?? undefined;
  const v = value as Args;
  const entry = typeof v.class_name === 'string' && Object.hasOwn(SCHEDULES, v.class_name) ? SCHEDULES[v.class_name] : null;
  if (!entry || typeof v.config !== 'object' || v.config === null) {
    invalid({ what: 'learning_rate', where, expected: `a number or { class_name: one of ${Object.keys(SCHEDULES).join(', ')}, config }`, received: describe(value) });
  }
  return entry.make(camelKeys(v.config as Args));
}

/** The fields every optimizer's config has (camelCase). */
const BASE_FIELDS = ['name', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm'];

/**
 * This library's form of an optimizer: a built-in by its class, a custom one by its registered key with
 * its getConfig() (its rule stored too with includeExpressions, see custom-objects.ts). Throws for a custom
 * learning-rate schedule (code cannot be stored).
 */
export function optimizerToJSON(opt: Optimizer, ctx: SaveContext): { class_name: string; config: Record<string, unknown> } {
  const builtIn = Object.hasOwn(KIND_TO_CLASS, opt.kind) && !(opt instanceof ExpressionOptimizer);
  const className = builtIn ? KIND_TO_CLASS[opt.kind] : ctx.optimizer(opt);
  const held = opt as unknown as Record<string, unknown>;
  const own = builtIn ? {} : opt.getConfig();
  const config: Args = {
    ...own,
    name: opt.name,
    learningRate: learningRateToJSON(opt.learningRateSchedule),
    weightDecay: opt.weightDecay,
    clipnorm: opt.clipnorm || null,
    clipvalue: opt.clipvalue || null,
    globalClipnorm: opt.globalClipnorm || null,
  };
  if (builtIn) for (const f of CLASSES[className].fields) config[f] = held[f];
  return { class_name: className, config: snakeKeys(config) };
}

/**
 * An optimizer from this library's form: a built-in; a custom class registered under its key, built
 * with its saved config; or (includeExpressions) the saved rule.
 */
export function optimizerFromJSON(value: unknown, where: string, ctx: LoadContext): Optimizer {
  const v = value as Record<string, unknown> | null;
  const className = v && typeof v.class_name === 'string' ? v.class_name : null;
  const entry = className && Object.hasOwn(CLASSES, className) ? CLASSES[className] : null;
  const registered = className && !entry ? registeredObject(className) : undefined;
  const custom = typeof registered === 'function' && registered.prototype instanceof Optimizer ? (registered as new (args: Args) => Optimizer) : null;
  const rule = className && !entry && !custom ? ctx.optimizerRule(className) : undefined;
  if ((!entry && !custom && !rule) || typeof v!.config !== 'object' || v!.config === null) {
    const isCustom = className?.includes('>');
    invalid({
      what: 'optimizer',
      where,
      expected: `{ class_name: one of ${Object.keys(CLASSES).join(', ')} or a registered custom optimizer, config }`,
      received: describe(value),
      hint: isCustom ? `register the class with keras.optimizers.register(${className!.slice(className!.indexOf('>') + 1)}) before loading, or save the model with { includeExpressions: true }.` : undefined,
    }, isCustom ? UnknownIdentifierError : ValueError);
  }
  const c = camelKeys(v!.config as Args);
  const args: Args = {};
  const fields = entry ? [...BASE_FIELDS, ...entry.fields] : Object.keys(c).filter((k) => k !== 'learningRate');
  for (const key of fields) if (c[key] != null) args[key] = c[key];
  args.learningRate = learningRateFromJSON(c.learningRate, where);
  if (entry) return entry.make(args);
  if (custom) return new custom(args);
  const base: Args = {};
  for (const key of [...BASE_FIELDS, 'learningRate']) if (args[key] !== undefined) base[key] = args[key];
  return new ExpressionOptimizer(rule!, base);
}

/** The TF.js optimizer computing the same update as `opt`, or null when TF.js has none. */
export function tfjsEquivalent(opt: Optimizer): TfjsOptimizer | null {
  const lr = opt.learningRateSchedule;
  if (typeof lr !== 'number' || opt.weightDecay !== 0 || opt.clipnorm || opt.clipvalue || opt.globalClipnorm) return null;
  const h = opt as unknown as Record<string, number>;
  switch (opt.kind) {
    case 'sgd':
      if (h.momentum === 0) return { className: 'SGD', config: { learningRate: lr }, slots: [] };
      if (!(lr > 0)) return null;
      return {
        className: 'Momentum',
        config: { learningRate: lr, momentum: h.momentum, useNesterov: Boolean(h.nesterov) },
        slots: [{ suffix: 'momentum', ours: 'momentum', scale: -1 / lr }],
      };
    case 'rmsprop':
      return {
        className: 'RMSProp',
        config: { learningRate: lr, decay: h.rho, momentum: h.momentum, epsilon: h.epsilon, centered: Boolean(h.centered) },
        slots: [
          { suffix: 'rms', ours: 'velocity', scale: 1 },
          { suffix: 'momentum', ours: h.momentum > 0 ? 'momentum' : null, scale: 1 },
          ...(h.centered ? [{ suffix: 'mg', ours: 'average_gradient', scale: 1 }] : []),
        ],
      };
    case 'adagrad':
      if (h.epsilon !== 1e-7) return null; // TF.js's Adagrad always adds its backend epsilon, 1e-7
      return { className: 'Adagrad', config: { learningRate: lr, initialAccumulatorValue: h.initialAccumulatorValue }, slots: [{ suffix: 'accumulator', ours: 'accumulator', scale: 1 }] };
    case 'adadelta':
      return {
        className: 'Adadelta',
        config: { learningRate: lr, rho: h.rho, epsilon: h.epsilon },
        slots: [
          { suffix: 'accum_grad', ours: 'accumulated_grad', scale: 1 },
          { suffix: 'accum_var', ours: 'accumulated_delta_var', scale: 1 },
        ],
      };
    case 'adam':
      if (h.amsgrad) return null;
      return {
        className: 'Adam',
        config: { learningRate: lr, beta1: h.beta1, beta2: h.beta2, epsilon: h.epsilon },
        slots: [
          { suffix: 'm', ours: 'momentum', scale: 1 },
          { suffix: 'v', ours: 'velocity', scale: 1 },
        ],
      };
    default:
      return null;
  }
}

/** An optimizer of ours from a TF.js `optimizer_config` (camelCase or Keras snake_case keys). */
export function optimizerFromTfjs(value: unknown, where: string): Optimizer {
  const v = (value ?? {}) as Record<string, unknown>;
  const raw = typeof v.config === 'object' && v.config !== null ? (v.config as Args) : {};
  const c = camelKeys(raw) as Record<string, number>;
  const num = (x: unknown) => (x == null ? undefined : (x as number));
  const lr = num(c.learningRate ?? c.lr);
  switch (v.class_name ?? v.className) {
    case 'SGD':
      return new SGD({ learningRate: lr });
    case 'Momentum':
      return new SGD({ learningRate: lr, momentum: num(c.momentum), nesterov: Boolean(c.useNesterov) });
    case 'RMSProp':
    case 'RMSprop':
      return new RMSprop({ learningRate: lr, rho: num(c.decay ?? c.rho), momentum: num(c.momentum), epsilon: num(c.epsilon), centered: Boolean(c.centered) });
    case 'Adagrad':
      return new Adagrad({ learningRate: lr, initialAccumulatorValue: num(c.initialAccumulatorValue) });
    case 'Adadelta':
      return new Adadelta({ learningRate: lr, rho: num(c.rho), epsilon: num(c.epsilon) });
    case 'Adam':
      return new Adam({ learningRate: lr, beta1: num(c.beta1), beta2: num(c.beta2), epsilon: num(c.epsilon) });
    default:
      return invalid({
        what: 'optimizer',
        where,
        expected: "one of TF.js's 'SGD', 'Momentum', 'RMSProp', 'Adagrad', 'Adadelta', 'Adam'",
        received: describe(v.class_name ?? v.className),
        hint: 'pass { compile: false } to load the model without its training state.',
      });
  }
}

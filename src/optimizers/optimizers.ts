/** The optimizers, Keras 3 defaults. Each names its hyper-parameters; the math lives in the backends. */
import { checkNumberInRange, invalid, received } from '../errors';
import { Optimizer, optimizerOptions, type LearningRateSchedule, type OptimizerArgs } from './optimizer';

/** A boolean option, default false. */
function flag(value: unknown, name: string, where: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') invalid({ what: name, where, expected: 'a boolean', received: received(name, value) });
  return value === true;
}

/** What every optimizer constructor takes: options, or the learning rate (a number or a schedule). */
type Args<T> = T | number | LearningRateSchedule;

export interface SGDArgs extends OptimizerArgs {
  /** Momentum factor in [0, 1] (default 0). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}
/** Stochastic gradient descent (learning rate 0.01), with optional (Nesterov) momentum. */
export class SGD extends Optimizer {
  readonly kind = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<SGDArgs> = {}) {
    const args = optimizerOptions(options, 'SGD', ['momentum', 'nesterov']);
    super(args, { learningRate: 0.01, name: 'SGD' });
    this.momentum = checkNumberInRange(args.momentum ?? 0, 'momentum', 'SGD', 0, 1);
    this.nesterov = flag(args.nesterov, 'nesterov', 'SGD');
  }
  protected hyper() {
    return { momentum: this.momentum, nesterov: this.nesterov ? 1 : 0 };
  }
}

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}
/** RMSprop (learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false). */
export class RMSprop extends Optimizer {
  readonly kind = 'rmsprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<RMSpropArgs> = {}) {
    const args = optimizerOptions(options, 'RMSprop', ['rho', 'momentum', 'epsilon', 'centered']);
    super(args, { learningRate: 0.001, name: 'RMSprop' });
    this.rho = checkNumberInRange(args.rho ?? 0.9, 'rho', 'RMSprop', 0, 1);
    this.momentum = checkNumberInRange(args.momentum ?? 0, 'momentum', 'RMSprop', 0, 1);
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-7, 'epsilon', 'RMSprop', 0, Infinity);
    this.centered = flag(args.centered, 'centered', 'RMSprop');
  }
  protected hyper() {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered ? 1 : 0 };
  }
}

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}
/** Adagrad (learning rate 0.001, initial accumulator 0.1, epsilon 1e-7). */
export class Adagrad extends Optimizer {
  readonly kind = 'adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<AdagradArgs> = {}) {
    const args = optimizerOptions(options, 'Adagrad', ['initialAccumulatorValue', 'epsilon']);
    super(args, { learningRate: 0.001, name: 'Adagrad' });
    this.initialAccumulatorValue = checkNumberInRange(args.initialAccumulatorValue ?? 0.1, 'initialAccumulatorValue', 'Adagrad', 0, Infinity);
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-7, 'epsilon', 'Adagrad', 0, Infinity);
  }
  protected hyper() {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }
}

export interface AdadeltaArgs extends OptimizerArgs {
  rho?: number;
  epsilon?: number;
}
/** Adadelta (learning rate 0.001, rho 0.95, epsilon 1e-7). */
export class Adadelta extends Optimizer {
  readonly kind = 'adadelta';
  readonly rho: number;
  readonly epsilon: number;
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<AdadeltaArgs> = {}) {
    const args = optimizerOptions(options, 'Adadelta', ['rho', 'epsilon']);
    super(args, { learningRate: 0.001, name: 'Adadelta' });
    this.rho = checkNumberInRange(args.rho ?? 0.95, 'rho', 'Adadelta', 0, 1);
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-7, 'epsilon', 'Adadelta', 0, Infinity);
  }
  protected hyper() {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}
/** Adam (learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, amsgrad false). */
export class Adam extends Optimizer {
  readonly kind: 'adam' | 'adamw' = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<AdamArgs> = {}, defaults = { learningRate: 0.001, name: 'Adam', weightDecay: 0 }) {
    const args = optimizerOptions(options, defaults.name, ['beta1', 'beta2', 'epsilon', 'amsgrad']);
    super(args, defaults);
    this.beta1 = checkNumberInRange(args.beta1 ?? 0.9, 'beta1', defaults.name, 0, 1, { highOpen: true });
    this.beta2 = checkNumberInRange(args.beta2 ?? 0.999, 'beta2', defaults.name, 0, 1, { highOpen: true });
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-7, 'epsilon', defaults.name, 0, Infinity);
    this.amsgrad = flag(args.amsgrad, 'amsgrad', defaults.name);
  }
  protected hyper() {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad ? 1 : 0 };
  }
}

/** Adam with decoupled weight decay (default weightDecay 0.004, as Keras). */
export class AdamW extends Adam {
  override readonly kind = 'adamw';
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<AdamArgs> = {}) {
    super(options, { learningRate: 0.001, name: 'AdamW', weightDecay: 0.004 });
  }
}

export type { OptimizerArgs };

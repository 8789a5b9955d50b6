/** The optimizers, Keras 3 defaults. Each names its hyper-parameters; the math lives in the backends. */
import { checkNumberInRange } from '../errors';
import { Optimizer, type OptimizerArgs } from './optimizer';

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
  constructor(args: SGDArgs = {}) {
    super(args, { learningRate: 0.01, name: 'SGD' });
    this.momentum = checkNumberInRange(args.momentum ?? 0, 'momentum', 'SGD', 0, 1);
    this.nesterov = args.nesterov ?? false;
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
  constructor(args: RMSpropArgs = {}) {
    super(args, { learningRate: 0.001, name: 'RMSprop' });
    this.rho = checkNumberInRange(args.rho ?? 0.9, 'rho', 'RMSprop', 0, 1);
    this.momentum = checkNumberInRange(args.momentum ?? 0, 'momentum', 'RMSprop', 0, 1);
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-7, 'epsilon', 'RMSprop', 0, Infinity);
    this.centered = args.centered ?? false;
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
  constructor(args: AdagradArgs = {}) {
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
  constructor(args: AdadeltaArgs = {}) {
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
  constructor(args: AdamArgs = {}, defaults = { learningRate: 0.001, name: 'Adam', weightDecay: 0 }) {
    super(args, defaults);
    this.beta1 = checkNumberInRange(args.beta1 ?? 0.9, 'beta1', defaults.name, 0, 1, { highOpen: true });
    this.beta2 = checkNumberInRange(args.beta2 ?? 0.999, 'beta2', defaults.name, 0, 1, { highOpen: true });
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-7, 'epsilon', defaults.name, 0, Infinity);
    this.amsgrad = args.amsgrad ?? false;
  }
  protected hyper() {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad ? 1 : 0 };
  }
}

/** Adam with decoupled weight decay (default weightDecay 0.004, as Keras). */
export class AdamW extends Adam {
  override readonly kind = 'adamw';
  constructor(args: AdamArgs = {}) {
    super(args, { learningRate: 0.001, name: 'AdamW', weightDecay: 0.004 });
  }
}

export type { OptimizerArgs };

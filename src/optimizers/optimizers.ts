/**
 * The optimizers, Keras 3 defaults and update rules, each written once with `keras.ops` as a user would
 * write a custom optimizer (`slotNames` + `updateStep`); the base class adds clipping and weight decay.
 */
import { checkNumberInRange, invalid, received } from '../errors';
import { ops } from '../expr/keras-ops';
import type { Expr } from '../expr/expr';
import { Optimizer, optimizerOptions, type LearningRateSchedule, type OptimizerArgs, type UpdateResult, type UpdateValues } from './optimizer';

/** A boolean option, default false. */
function flag(value: unknown, name: string, where: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') invalid({ what: name, where, expected: 'a boolean', received: received(name, value) });
  return value === true;
}

/** What every optimizer constructor takes: options, or the learning rate (a number or a schedule). */
type Args<T> = T | number | LearningRateSchedule;

const { add, subtract: sub, multiply: mul, divide: div, sqrt, square, maximum, power } = ops;

export interface SGDArgs extends OptimizerArgs {
  /** Momentum factor in [0, 1] (default 0). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}
/** Stochastic gradient descent (learning rate 0.01), with optional (Nesterov) momentum. */
export class SGD extends Optimizer {
  static override readonly className: string = 'SGD';
  override readonly kind = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<SGDArgs> = {}) {
    const args = optimizerOptions(options, 'SGD', ['momentum', 'nesterov']);
    super(args, { learningRate: 0.01, name: 'SGD' });
    this.momentum = checkNumberInRange(args.momentum ?? 0, 'momentum', 'SGD', 0, 1);
    this.nesterov = flag(args.nesterov, 'nesterov', 'SGD');
  }
  override slotNames(): string[] {
    return this.momentum > 0 ? ['momentum'] : [];
  }
  /** m = μ·m − lr·g; w += m (Nesterov: w += μ·m − lr·g); without momentum w −= lr·g. */
  override updateStep({ gradient: g, variable: w, momentum }: UpdateValues, lr: Expr): UpdateResult {
    if (this.momentum === 0) return { variable: sub(w, mul(lr, g)) };
    const m = sub(mul(this.momentum, momentum), mul(lr, g));
    return { variable: add(w, this.nesterov ? sub(mul(this.momentum, m), mul(lr, g)) : m), momentum: m };
  }
  protected override hyper() {
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
  static override readonly className: string = 'RMSprop';
  override readonly kind = 'rmsprop';
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
  override slotNames(): string[] {
    return ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['average_gradient'] : [])];
  }
  /** v = ρv + (1 − ρ)g²; centered: a = ρa + (1 − ρ)g, v − a²; step lr·g/√(v + ε) (accumulated with momentum). */
  override updateStep({ gradient: g, variable: w, velocity, momentum, average_gradient }: UpdateValues, lr: Expr): UpdateResult {
    const rho = this.rho;
    const v = add(mul(rho, velocity), mul(1 - rho, square(g)));
    const out: Record<string, Expr> = { velocity: v };
    let denominator = add(v, this.epsilon);
    if (this.centered) {
      const a = add(mul(rho, average_gradient), mul(1 - rho, g));
      out.average_gradient = a;
      denominator = sub(denominator, square(a));
    }
    const increment = div(mul(lr, g), sqrt(denominator));
    if (this.momentum > 0) {
      const m = add(mul(this.momentum, momentum), increment);
      return { ...out, momentum: m, variable: sub(w, m) };
    }
    return { ...out, variable: sub(w, increment) };
  }
  protected override hyper() {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered ? 1 : 0 };
  }
}

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}
/** Adagrad (learning rate 0.001, initial accumulator 0.1, epsilon 1e-7). */
export class Adagrad extends Optimizer {
  static override readonly className: string = 'Adagrad';
  override readonly kind = 'adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<AdagradArgs> = {}) {
    const args = optimizerOptions(options, 'Adagrad', ['initialAccumulatorValue', 'epsilon']);
    super(args, { learningRate: 0.001, name: 'Adagrad' });
    this.initialAccumulatorValue = checkNumberInRange(args.initialAccumulatorValue ?? 0.1, 'initialAccumulatorValue', 'Adagrad', 0, Infinity);
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-7, 'epsilon', 'Adagrad', 0, Infinity);
  }
  override slotNames(): string[] {
    return ['accumulator'];
  }
  /** acc += g²; w −= lr·g/√(acc + ε). */
  override updateStep({ gradient: g, variable: w, accumulator }: UpdateValues, lr: Expr): UpdateResult {
    const acc = add(accumulator, square(g));
    return { accumulator: acc, variable: sub(w, div(mul(lr, g), sqrt(add(acc, this.epsilon)))) };
  }
  protected override hyper() {
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
  static override readonly className: string = 'Adadelta';
  override readonly kind = 'adadelta';
  readonly rho: number;
  readonly epsilon: number;
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<AdadeltaArgs> = {}) {
    const args = optimizerOptions(options, 'Adadelta', ['rho', 'epsilon']);
    super(args, { learningRate: 0.001, name: 'Adadelta' });
    this.rho = checkNumberInRange(args.rho ?? 0.95, 'rho', 'Adadelta', 0, 1);
    this.epsilon = checkNumberInRange(args.epsilon ?? 1e-7, 'epsilon', 'Adadelta', 0, Infinity);
  }
  override slotNames(): string[] {
    return ['accumulated_grad', 'accumulated_delta_var'];
  }
  /** A = ρA + (1 − ρ)g²; Δ = −√(D + ε)/√(A + ε)·g; D = ρD + (1 − ρ)Δ²; w += lr·Δ. */
  override updateStep({ gradient: g, variable: w, accumulated_grad, accumulated_delta_var }: UpdateValues, lr: Expr): UpdateResult {
    const rho = this.rho;
    const accGrad = add(mul(rho, accumulated_grad), mul(1 - rho, square(g)));
    const delta = mul(div(ops.negative(sqrt(add(accumulated_delta_var, this.epsilon))), sqrt(add(accGrad, this.epsilon))), g);
    return {
      accumulated_grad: accGrad,
      accumulated_delta_var: add(mul(rho, accumulated_delta_var), mul(1 - rho, square(delta))),
      variable: add(w, mul(lr, delta)),
    };
  }
  protected override hyper() {
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
  static override readonly className: string = 'Adam';
  override readonly kind: 'adam' | 'adamw' = 'adam';
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
  override slotNames(): string[] {
    return ['momentum', 'velocity', ...(this.amsgrad ? ['velocity_hat'] : [])];
  }
  /**
   * m += (g − m)(1 − β₁); v += (g² − v)(1 − β₂) (amsgrad: v̂ = max(v̂, v)); w −= α·m/(√v + ε) with the bias
   * correction folded into α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), t = iterations + 1, as Keras does (a scalar-only
   * expression: computed once per step on the host, in float64).
   */
  override updateStep({ gradient: g, variable: w, momentum, velocity, velocity_hat }: UpdateValues, lr: Expr): UpdateResult {
    const t = add(this.iterations, 1);
    const alpha = div(mul(lr, sqrt(sub(1, power(this.beta2, t)))), sub(1, power(this.beta1, t)));
    const m = add(momentum, mul(sub(g, momentum), 1 - this.beta1));
    const v = add(velocity, mul(sub(square(g), velocity), 1 - this.beta2));
    const out: Record<string, Expr> = { momentum: m, velocity: v };
    let denominatorV = v;
    if (this.amsgrad) denominatorV = out.velocity_hat = maximum(velocity_hat, v);
    return { ...out, variable: sub(w, div(mul(alpha, m), add(sqrt(denominatorV), this.epsilon))) };
  }
  protected override hyper() {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad ? 1 : 0 };
  }
}

/** Adam with decoupled weight decay (default weightDecay 0.004, as Keras). */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';
  override readonly kind = 'adamw';
  /** @param options Options, or the learning rate (Keras's first positional argument). */
  constructor(options: Args<AdamArgs> = {}) {
    super(options, { learningRate: 0.001, name: 'AdamW', weightDecay: 0.004 });
  }
}

export type { OptimizerArgs };

/** The issue's Lion, as a user writes it (Keras 3's shape: slotNames + updateStep). */
import * as keras from '../../src';

const { ops } = keras;

export interface LionArgs extends keras.optimizers.OptimizerArgs {
  beta1?: number;
  beta2?: number;
}

export class Lion extends keras.optimizers.Optimizer {
  beta1: number;
  beta2: number;
  constructor({ beta1 = 0.9, beta2 = 0.99, ...args }: LionArgs = {}) {
    super({ name: 'Lion', learningRate: 1e-4, ...args });
    this.beta1 = beta1;
    this.beta2 = beta2;
  }
  override slotNames() {
    return ['momentum'];
  }
  override updateStep({ gradient, variable, momentum }: keras.optimizers.UpdateValues, learningRate: keras.Expr) {
    const update = ops.sign(ops.add(ops.multiply(momentum, this.beta1), ops.multiply(gradient, 1 - this.beta1)));
    return {
      variable: ops.subtract(variable, ops.multiply(learningRate, update)),
      momentum: ops.add(ops.multiply(momentum, this.beta2), ops.multiply(gradient, 1 - this.beta2)),
    };
  }
}

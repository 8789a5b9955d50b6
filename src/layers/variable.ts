import type { Tensor } from '../tensor/tensor';

/**
 * A weight of a layer: its value, its gradient buffer (trainable weights only) and whether the optimizer
 * updates it. Both tensors are owned by the layer and live as long as the model.
 */
export class Variable {
  constructor(
    /** Keras-style path, e.g. `dense_1/kernel`. */
    readonly name: string,
    public value: Tensor,
    /** Receives the gradient in each backward pass; null for non-trainable weights. */
    public grad: Tensor | null,
    /** Updated by the optimizer (false for batch-norm moving statistics). */
    readonly trainable: boolean,
  ) {}

  get shape(): readonly number[] {
    return this.value.shape;
  }

  dispose(): void {
    this.value.dispose();
    this.grad?.dispose();
  }
}

import type { Backend, DType, TypedArray } from '../backend/backend';
import { StateError } from '../errors';
import { sizeOf } from './shape';

/** A nested JavaScript array of numbers, as `Tensor.array()` returns it. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array whose storage belongs to a backend (a typed array on the CPU, a GPU buffer on
 * WebGPU). A tensor holds no math: it is a shape, a dtype and a handle. Reading is asynchronous because
 * the data may live on a GPU.
 */
export class Tensor {
  /** Number of elements. */
  readonly size: number;
  private disposedFlag = false;
  /** Calls (fit, evaluate, predict) using the storage in place; a dispose waits for them. */
  private holds = 0;
  private freed = false;

  /** @internal Tensors are made by backends (`backend.alloc`/`backend.upload`) or `keras.tensor`. */
  constructor(
    /** Dimensions, outermost first. */
    readonly shape: readonly number[],
    /** Element type. */
    readonly dtype: DType,
    /** The backend that owns the storage. */
    readonly backend: Backend,
    /** @internal Backend-owned storage handle. */
    readonly handle: unknown,
  ) {
    this.size = sizeOf(shape);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True once `dispose()` was called. */
  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** A copy of the values as a flat typed array (row-major). */
  async data(): Promise<TypedArray> {
    if (this.disposedFlag) this.throwDisposed('data');
    return this.backend.read(this);
  }

  /** The values as nested JavaScript arrays of this tensor's shape. */
  async array(): Promise<NestedArray> {
    const flat = await this.data();
    return nest(flat, this.shape);
  }

  /**
   * Release the storage. Safe to call twice. While a `fit`, `evaluate` or `predict` call that was given
   * this tensor is running (it may use the storage in place), the storage is released when that call
   * ends; the tensor counts as disposed at once.
   */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    if (this.holds === 0) this.free();
  }

  /**
   * @internal Keep the storage alive until the returned function is called, even through a `dispose`
   * in between (which then takes effect at the release). Throws a StateError on a disposed tensor.
   */
  hold(operation: string): () => void {
    if (this.disposedFlag) this.throwDisposed(operation);
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0 && this.disposedFlag) this.free();
    };
  }

  /** @internal Throw if the storage is gone (disposed and not held by a running call). */
  assertLive(operation: string): void {
    if (this.freed) this.throwDisposed(operation);
  }

  private free(): void {
    this.freed = true;
    this.backend.free(this);
  }

  private throwDisposed(operation: string): never {
    throw new StateError(
      `Invalid tensor for ${operation}: expected a live tensor. Received: a disposed tensor of shape [${this.shape}].` +
        `\nhint: keep the tensor until you are done with it, or clone it before disposing.`,
    );
  }

  toString(): string {
    return `Tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}, backend=${this.backend.name})`;
  }
}

/** Reshape a flat array into nested arrays of the given shape. */
export function nest(flat: ArrayLike<number>, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return flat[0];
  const build = (dim: number, offset: number): NestedArray[] => {
    const n = shape[dim];
    const stride = sizeOf(shape.slice(dim + 1));
    const result: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      result[i] = dim === shape.length - 1 ? flat[offset + i] : build(dim + 1, offset + i * stride);
    }
    return result;
  };
  return build(0, 0);
}

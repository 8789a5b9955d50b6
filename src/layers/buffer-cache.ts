import type { Backend, DType } from '../backend/backend';
import type { Tensor } from '../tensor/tensor';

/**
 * Scratch tensors a layer (or the trainer) reuses across steps: one tensor per (purpose, shape), made on
 * first use and kept. A training run sees two or three batch shapes (the full batch, the last partial
 * batch, the evaluation batch), so memory stays flat across epochs. Everything is released by `clear`.
 */
export class BufferCache {
  private readonly buffers = new Map<string, Tensor>();

  /** The tensor for `purpose` with this shape, allocated once. */
  get(backend: Backend, purpose: string, shape: readonly number[], dtype: DType): Tensor {
    const key = `${purpose}:${shape.join('x')}:${dtype}:${backend.name}`;
    let t = this.buffers.get(key);
    if (!t || t.backend !== backend || t.isDisposed) {
      t = backend.alloc(shape, dtype);
      this.buffers.set(key, t);
    }
    return t;
  }

  /** Dispose every cached tensor. */
  clear(): void {
    for (const t of this.buffers.values()) t.dispose();
    this.buffers.clear();
  }
}

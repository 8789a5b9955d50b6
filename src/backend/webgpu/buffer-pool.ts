/**
 * A size-bucketed pool of GPU buffers that reuses and releases.
 *
 * - Sizes are rounded up to a bucket (powers of two up to 4 KiB, then quarter steps between powers of
 *   two: at most 25 % slack), so a buffer serves later requests of similar size.
 * - A buffer released while recorded work that is not yet submitted may use it is first *pending*
 *   (`release`); it becomes reusable after the next submit (`afterSubmit`), after which the queue orders
 *   any new use behind that work. With nothing recorded, a released buffer is reusable at once
 *   (`releaseNow`): submitted work and writes are ordered by the queue anyway.
 * - Free buffers above `maxFreeBytes` are destroyed, oldest first, so the pool never only grows (the
 *   leak of pools that keep every size they ever saw). `trim()` destroys them all.
 */
export interface PoolStats {
  /** Buffers handed out and not released. */
  inUse: number;
  /** Released buffers waiting for the next submit, and their bytes. */
  pending: number;
  pendingBytes: number;
  /** Reusable buffers and their bytes. */
  free: number;
  freeBytes: number;
  /** Buffers created and destroyed over the pool's life. */
  created: number;
  destroyed: number;
}

/** The bucket a request of `bytes` is served from (≥ 16 bytes, a multiple of 4). */
export function bucketSize(bytes: number): number {
  const b = Math.max(16, Math.ceil(bytes / 4) * 4);
  if (b <= 4096) return 2 ** Math.ceil(Math.log2(b));
  const step = 2 ** Math.floor(Math.log2(b)) / 4;
  return Math.ceil(b / step) * step;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Free buffers in release order: the oldest is destroyed first. */
  private readonly freeOrder = new Set<GPUBuffer>();
  private pending: GPUBuffer[] = [];
  private pendingBytes = 0;
  private freeBytes = 0;
  private inUse = 0;
  private created = 0;
  private destroyed = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly label: string,
    /** Largest size a buffer may have (the device's maxBufferSize). */
    private readonly maxBufferSize: number,
    /** Bytes of free buffers kept for reuse; above it the oldest are destroyed. */
    public maxFreeBytes: number,
    /** Called before a buffer is destroyed (bind groups that use it are dropped). */
    private readonly onDestroy: (buffer: GPUBuffer) => void = () => {},
    /** Wraps buffer creation (error scopes). */
    private readonly create: (make: () => GPUBuffer, bytes: number) => GPUBuffer = (make) => make(),
  ) {}

  /** A buffer of at least `bytes`; `fresh` buffers are zero-filled, reused ones hold old data. */
  acquire(bytes: number): { buffer: GPUBuffer; fresh: boolean } {
    let size = bucketSize(bytes);
    if (size > this.maxBufferSize) size = Math.ceil(bytes / 4) * 4;
    this.inUse++;
    const stack = this.free.get(size);
    const reused = stack?.pop();
    if (reused) {
      this.freeOrder.delete(reused);
      this.freeBytes -= size;
      return { buffer: reused, fresh: false };
    }
    this.created++;
    const buffer = this.create(() => this.device.createBuffer({ label: `${this.label} ${size} B`, size, usage: this.usage }), size);
    return { buffer, fresh: true };
  }

  /** Give a buffer back that recorded, unsubmitted work may use; reusable after the next `afterSubmit`. */
  release(buffer: GPUBuffer): void {
    this.inUse--;
    this.pending.push(buffer);
    this.pendingBytes += buffer.size;
  }

  /** Give a buffer back that no unsubmitted work uses: reusable at once. */
  releaseNow(buffer: GPUBuffer): void {
    this.inUse--;
    this.addFree(buffer);
    this.trim(this.maxFreeBytes);
  }

  /** Queued work was submitted: pending buffers become reusable; trim to `maxFreeBytes`. */
  afterSubmit(): void {
    for (const buffer of this.pending) this.addFree(buffer);
    this.pending = [];
    this.pendingBytes = 0;
    this.trim(this.maxFreeBytes);
  }

  private addFree(buffer: GPUBuffer): void {
    const size = buffer.size;
    let stack = this.free.get(size);
    if (!stack) this.free.set(size, (stack = []));
    stack.push(buffer);
    this.freeOrder.add(buffer);
    this.freeBytes += size;
  }

  /** Destroy free buffers, oldest first, until at most `keepBytes` are kept. */
  trim(keepBytes = 0): void {
    for (const buffer of this.freeOrder) {
      if (this.freeBytes <= keepBytes) break;
      this.freeOrder.delete(buffer);
      const stack = this.free.get(buffer.size)!;
      stack.splice(stack.indexOf(buffer), 1);
      this.freeBytes -= buffer.size;
      this.destroy(buffer);
    }
  }

  stats(): PoolStats {
    return {
      inUse: this.inUse,
      pending: this.pending.length,
      pendingBytes: this.pendingBytes,
      free: this.freeOrder.size,
      freeBytes: this.freeBytes,
      created: this.created,
      destroyed: this.destroyed,
    };
  }

  /** Destroy every free and pending buffer (buffers in use belong to their owners). */
  dispose(): void {
    for (const buffer of this.pending) this.destroy(buffer);
    this.pending = [];
    this.pendingBytes = 0;
    this.trim(0);
  }

  private destroy(buffer: GPUBuffer): void {
    this.onDestroy(buffer);
    // destroy() waits for submitted work that still uses the buffer.
    buffer.destroy();
    this.destroyed++;
  }
}

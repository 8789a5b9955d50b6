/**
 * The wasm backend's memory: one `WebAssembly.Memory` (shared when threads run) holding every tensor,
 * and the allocator that hands out its bytes.
 *
 * - Tensors hold byte offsets, never typed arrays: `memory.grow` replaces (unshared) or extends
 *   (shared) the buffer, so a view taken before a growth is stale. `f32`/`i32`/`u8` re-derive views from
 *   the current buffer, and callers take them after any allocation of the same operation.
 * - Blocks are 64-byte aligned (cache lines, and whole SIMD vectors) and come in size classes, eight per
 *   doubling (at most 12.5 % slack), each with a free list, so the per-batch tensors a training step
 *   frees and allocates again are reused at once. New blocks come from the top; the memory grows in
 *   steps of at least an eighth of its size, so growth is rare.
 * - When the memory cannot grow, the free blocks are coalesced (neighbours merged, a free run at the
 *   top given back to the top) and the allocation is tried once more before it fails with a
 *   DeviceError that says what is in use. WebAssembly memory never shrinks, so freed blocks stay
 *   reserved for reuse.
 * - The heap keeps 64 bytes of slack above its top inside the memory, so a kernel that reads a whole
 *   vector past a tensor's last element (the matmul's edge tiles) stays in bounds.
 */
import { DeviceError } from '../../errors';
import { ADDR } from './kernels/layout';
import { MAX_PAGES } from './kernels/module';

const PAGE = 65536;
const SLACK = 64;

/** Bytes of the size class that holds `bytes` (≥ 64, a multiple of 64). */
export function sizeClass(bytes: number): number {
  if (bytes <= 64) return 64;
  // Eight classes between 2^e and 2^(e+1): a step of 2^(e−3).
  const step = Math.max(64, 2 ** (Math.ceil(Math.log2(bytes)) - 4));
  return Math.ceil(bytes / step) * step;
}

/** Counters of the heap (beyond the backend's tensor counts). */
export interface HeapStats {
  /** Bytes of the memory now (grows, never shrinks). */
  memoryBytes: number;
  /** Bytes below the top: in blocks handed out or free for reuse. */
  reservedBytes: number;
  /** Bytes in free blocks. */
  freeBytes: number;
  /** Blocks handed out and not released. */
  liveBlocks: number;
}

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  private top: number = ADDR.heapStart;
  /** Free blocks by exact size (a size class, or any multiple of 64 after coalescing). */
  private free = new Map<number, number[]>();
  private freeBytes = 0;
  private liveBlocks = 0;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private u8View = new Uint8Array(0);

  /** `maximumPages`: the memory's limit in 64 KiB pages (default 4 GiB; tests use small ones). */
  constructor(readonly shared: boolean, private readonly maximumPages: number = MAX_PAGES) {
    this.memory = createMemory(shared, maximumPages);
  }

  /** Allocate a 64-byte aligned block of at least `bytes` bytes; returns its offset and size. */
  alloc(bytes: number): { offset: number; block: number } {
    const block = sizeClass(bytes);
    const reused = this.free.get(block)?.pop();
    if (reused !== undefined) {
      this.freeBytes -= block;
      this.liveBlocks++;
      return { offset: reused, block };
    }
    if (this.ensure(this.top + block)) {
      const offset = this.top;
      this.top += block;
      this.liveBlocks++;
      return { offset, block };
    }
    this.coalesce();
    const offset = this.takeFit(block) ?? (this.ensure(this.top + block) ? (this.top += block) - block : null);
    if (offset === null) {
      throw new DeviceError(
        `Allocation of ${bytes} bytes failed on the wasm backend: its memory cannot grow past ${this.memory.buffer.byteLength} bytes ` +
          `(${this.top - ADDR.heapStart - this.freeBytes} bytes in use in ${this.liveBlocks} blocks, ${this.freeBytes} free but fragmented).\n` +
          'hint: use a smaller batch size or model, dispose tensors you no longer need, or use the CPU backend.',
      );
    }
    this.liveBlocks++;
    return { offset, block };
  }

  /** Give a block back (its offset and the `block` size `alloc` returned). */
  release(offset: number, block: number): void {
    if (block === 0) return;
    let list = this.free.get(block);
    if (!list) this.free.set(block, (list = []));
    list.push(offset);
    this.freeBytes += block;
    this.liveBlocks--;
  }

  /** float32 view of `length` elements at byte `offset`, on the current buffer. */
  f32(offset: number, length: number): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.refresh();
    return this.f32View.subarray(offset >>> 2, (offset >>> 2) + length);
  }

  /** int32 view of `length` elements at byte `offset`, on the current buffer. */
  i32(offset: number, length: number): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.refresh();
    return this.i32View.subarray(offset >>> 2, (offset >>> 2) + length);
  }

  /** Bytes of the whole memory, on the current buffer. */
  get u8(): Uint8Array {
    if (this.u8View.buffer !== this.memory.buffer) this.refresh();
    return this.u8View;
  }

  stats(): HeapStats {
    return {
      memoryBytes: this.memory.buffer.byteLength,
      reservedBytes: this.top - ADDR.heapStart,
      freeBytes: this.freeBytes,
      liveBlocks: this.liveBlocks,
    };
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    this.f32View = new Float32Array(buffer);
    this.i32View = new Int32Array(buffer);
    this.u8View = new Uint8Array(buffer);
  }

  /** Grow the memory so that `end` plus the slack fits; false when it cannot. */
  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end + SLACK <= have) return true;
    const pages = have / PAGE;
    const needed = Math.ceil((end + SLACK) / PAGE) - pages;
    if (pages + needed > this.maximumPages) return false;
    // At least an eighth of the memory (and 16 MiB) per growth, but never past the maximum.
    const wanted = Math.min(this.maximumPages - pages, Math.max(needed, Math.ceil(pages / 8), 256));
    for (const delta of wanted > needed ? [wanted, needed] : [needed]) {
      try {
        this.memory.grow(delta);
        return true;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
      }
    }
    return false;
  }

  /** Merge neighbouring free blocks; a free run that ends at the top lowers the top. */
  private coalesce(): void {
    const blocks: [number, number][] = [];
    for (const [size, offsets] of this.free) for (const o of offsets) blocks.push([o, size]);
    blocks.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [o, size] of blocks) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === o) last[1] += size;
      else merged.push([o, size]);
    }
    const tail = merged[merged.length - 1];
    if (tail && tail[0] + tail[1] === this.top) {
      this.top = tail[0];
      this.freeBytes -= tail[1];
      merged.pop();
    }
    this.free = new Map();
    for (const [o, size] of merged) {
      let list = this.free.get(size);
      if (!list) this.free.set(size, (list = []));
      list.push(o);
    }
  }

  /** Take the smallest free block of at least `block` bytes, splitting off the rest; null if none. */
  private takeFit(block: number): number | null {
    let best = -1;
    for (const [size, offsets] of this.free) if (size >= block && offsets.length > 0 && (best < 0 || size < best)) best = size;
    if (best < 0) return null;
    const offset = this.free.get(best)!.pop()!;
    this.freeBytes -= best;
    if (best > block) {
      this.liveBlocks++; // release() below counts the remainder as a block going back
      this.release(offset + block, best - block);
    }
    return offset;
  }
}

/** The memory: shared (threads) or not, with the largest maximum the engine accepts. */
function createMemory(shared: boolean, maximumPages: number): WebAssembly.Memory {
  let lastError: unknown;
  // 4 GiB, then 1 GiB for engines (32-bit, or memory-constrained) that refuse to reserve 4 GiB.
  for (const maximum of [maximumPages, Math.min(maximumPages, MAX_PAGES / 4)]) {
    try {
      return new WebAssembly.Memory({ initial: Math.min(16, maximum), maximum, shared } as WebAssembly.MemoryDescriptor);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

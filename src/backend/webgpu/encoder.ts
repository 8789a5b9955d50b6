/**
 * The step encoder: everything a training step asks for is recorded into ONE command encoder, in as few
 * compute passes as possible (a pass ends only for a buffer copy), and submitted once by `flush()`.
 *
 * Uniforms go through an arena: each dispatch gets a 256-byte slot in a few 64 KiB uniform buffers,
 * bound with a dynamic offset. The slots are written into a CPU-side mirror while encoding and uploaded
 * with one `writeBuffer` per chunk just before the submit, which the queue orders before the commands
 * that read them and after the previous submit's. So no buffer is created per dispatch, and because a
 * training step encodes the same dispatches in the same order every time, slot offsets repeat and the
 * bind groups that name the chunks are reused.
 */
import { BUFFER_USAGE } from './device';

/** Bytes per uniform slot: WebGPU's usual minUniformBufferOffsetAlignment, and room for 64 scalars. */
export const UNIFORM_SLOT_BYTES = 256;
const CHUNK_BYTES = 64 * 1024;

interface Chunk {
  buffer: GPUBuffer;
  data: ArrayBuffer;
  u32: Uint32Array;
  f32: Float32Array;
  used: number;
}

/** Where one dispatch's uniforms live. */
export interface UniformSlot {
  chunk: number;
  buffer: GPUBuffer;
  offset: number;
}

export class UniformArena {
  private readonly chunks: Chunk[] = [];
  private current = 0;
  private readonly slotBytes: number;

  constructor(
    private readonly device: GPUDevice,
    alignment: number,
  ) {
    this.slotBytes = Math.max(UNIFORM_SLOT_BYTES, alignment);
  }

  /**
   * Store one dispatch's uniforms. `format` has one letter per 4-byte field: `u` (u32), `i` (i32) or
   * `f` (f32), in the order of the WGSL struct.
   */
  push(format: string, values: readonly number[]): UniformSlot {
    let chunk = this.chunks[this.current];
    if (chunk && chunk.used + this.slotBytes > CHUNK_BYTES) chunk = this.chunks[++this.current];
    if (!chunk) {
      const data = new ArrayBuffer(CHUNK_BYTES);
      chunk = {
        buffer: this.device.createBuffer({
          label: `uniform arena ${this.chunks.length}`,
          size: CHUNK_BYTES,
          usage: BUFFER_USAGE.UNIFORM | BUFFER_USAGE.COPY_DST,
        }),
        data,
        u32: new Uint32Array(data),
        f32: new Float32Array(data),
        used: 0,
      };
      this.chunks.push(chunk);
    }
    const offset = chunk.used;
    const base = offset / 4;
    for (let i = 0; i < format.length; i++) {
      const v = values[i];
      if (format[i] === 'f') chunk.f32[base + i] = v;
      else chunk.u32[base + i] = v >>> 0;
    }
    chunk.used += this.slotBytes;
    return { chunk: this.current, buffer: chunk.buffer, offset };
  }

  /** Write the used slots to the GPU (before the submit) and start over. */
  upload(queue: GPUQueue): void {
    for (const chunk of this.chunks) {
      if (chunk.used > 0) queue.writeBuffer(chunk.buffer, 0, chunk.data, 0, chunk.used);
      chunk.used = 0;
    }
    this.current = 0;
  }

  dispose(): void {
    for (const chunk of this.chunks) chunk.buffer.destroy();
    this.chunks.length = 0;
  }
}

export class StepEncoder {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private steps = 0;

  constructor(private readonly device: GPUDevice) {}

  /** True when something is recorded and not yet submitted. */
  get hasWork(): boolean {
    return this.encoder !== null;
  }

  dispatch(pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, uniformOffset: number, x: number, y: number, z = 1): void {
    if (!this.pass) this.pass = this.commands().beginComputePass({ label: `step ${this.steps} pass` });
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup, [uniformOffset]);
    this.pass.dispatchWorkgroups(x, y, z);
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.endPass();
    this.commands().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** The recorded command buffer, or null if nothing was recorded; starts a new step. */
  finish(): GPUCommandBuffer | null {
    if (!this.encoder) return null;
    this.endPass();
    const commands = this.encoder.finish({ label: `step ${this.steps}` });
    this.encoder = null;
    this.steps++;
    return commands;
  }

  private commands(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: `step ${this.steps}` });
    return this.encoder;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }
}

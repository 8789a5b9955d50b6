/**
 * Runs one kernel: finds its pipeline, stores its uniforms, finds (or makes) its bind group, and records
 * the dispatch. The kernel wrappers in `kernels/` speak only to this class.
 *
 * Aliasing: WebGPU forbids a buffer bound writable and bound again in the same dispatch. When an input
 * is also the output (`activation(x, x)`), the input is first copied to a scratch buffer.
 */
import type { BufferPool } from './buffer-pool';
import { UNIFORM_SLOT_BYTES, type StepEncoder, type UniformArena } from './encoder';
import type { BindingSignature, Defines, KernelSource, PipelineCache } from './pipeline-cache';

/** A storage buffer and how many bytes of it a kernel sees. */
export interface GpuBuffer {
  readonly buffer: GPUBuffer;
  /** Bytes bound: the tensor's bytes, padded to 4, at least 4. */
  readonly bytes: number;
}

export interface Binding extends GpuBuffer {
  readonly binding: number;
  readonly write?: boolean;
}

/** One dispatch: the kernel variant, its bindings, its uniforms and its workgroup grid. */
export interface KernelCall {
  source: KernelSource;
  defines: Defines;
  bindings: readonly Binding[];
  /** Uniform fields, one letter each: `u`, `i` or `f` (see UniformArena.push). */
  format: string;
  values: readonly number[];
  /** Workgroups in x, y and optionally z (`grid1d`/`grid2d` fold wide grids within the limits). */
  groups: readonly [number, number] | readonly [number, number, number];
}

/** What the kernel wrappers need: record a dispatch, borrow scratch storage, size a 1-D grid. */
export interface Runner {
  run(call: KernelCall): void;
  temp(bytes: number): GpuBuffer;
  release(buffer: GpuBuffer): void;
  grid1d(invocations: number, workgroupSize?: number): [number, number, number];
  /**
   * Workgroups for an x × y grid of workgroups, y folded into z past the per-dimension limit: the kernel
   * reads its row as `id.y + id.z · num_workgroups.y` and skips rows past the end.
   */
  grid2d(x: number, y: number): [number, number, number];
}

/** `grid2d` for a per-dimension limit `max`. */
export function foldGrid2d(x: number, y: number, max: number): [number, number, number] {
  const z = Math.max(1, Math.ceil(y / max));
  return [x, Math.ceil(y / z), z];
}

/** The storage bindings of a call as a layout signature. */
export function signatureOf(bindings: readonly Binding[]): BindingSignature {
  return bindings.map((b) => [b.binding, b.write === true] as const);
}

/** Bind groups are cached by layout, buffers and ranges; entries die with any buffer they name. */
class BindGroupCache {
  private readonly groups = new Map<string, GPUBindGroup>();
  private readonly byBuffer = new Map<GPUBuffer, Set<string>>();
  private readonly ids = new WeakMap<GPUBuffer, number>();
  private nextId = 1;
  /** A bound on the cache, so shapes seen once do not pile up. */
  private static readonly MAX = 4096;

  constructor(private readonly device: GPUDevice) {}

  get(kernel: { layout: GPUBindGroupLayout; layoutKey: string }, uniform: GPUBuffer, chunk: number, bindings: readonly Binding[]): GPUBindGroup {
    let key = `${kernel.layoutKey}|${chunk}`;
    for (const b of bindings) key += `|${b.binding}:${this.id(b.buffer)}:${b.bytes}`;
    let group = this.groups.get(key);
    if (group) return group;
    if (this.groups.size >= BindGroupCache.MAX) this.clear();
    group = this.device.createBindGroup({
      label: key,
      layout: kernel.layout,
      entries: [
        { binding: 0, resource: { buffer: uniform, offset: 0, size: UNIFORM_SLOT_BYTES } },
        ...bindings.map((b) => ({ binding: b.binding, resource: { buffer: b.buffer, offset: 0, size: b.bytes } })),
      ],
    });
    this.groups.set(key, group);
    for (const b of bindings) {
      let keys = this.byBuffer.get(b.buffer);
      if (!keys) this.byBuffer.set(b.buffer, (keys = new Set()));
      keys.add(key);
    }
    return group;
  }

  /** Drop every bind group that names this buffer (it is about to be destroyed). */
  forget(buffer: GPUBuffer): void {
    for (const key of this.byBuffer.get(buffer) ?? []) this.groups.delete(key);
    this.byBuffer.delete(buffer);
  }

  clear(): void {
    this.groups.clear();
    this.byBuffer.clear();
  }

  private id(buffer: GPUBuffer): number {
    let id = this.ids.get(buffer);
    if (id === undefined) this.ids.set(buffer, (id = this.nextId++));
    return id;
  }
}

export class KernelRunner implements Runner {
  readonly bindGroups: BindGroupCache;

  constructor(
    device: GPUDevice,
    private readonly pipelines: PipelineCache,
    private readonly uniforms: UniformArena,
    private readonly encoder: StepEncoder,
    private readonly scratch: BufferPool,
    /** The device's maxComputeWorkgroupsPerDimension (or the lower `maxWorkgroupsPerDimension` flag). */
    readonly maxGroupsPerDim: number,
  ) {
    this.bindGroups = new BindGroupCache(device);
  }

  run(call: KernelCall): void {
    const [x, y, z = 1] = call.groups;
    if (x === 0 || y === 0 || z === 0) return;
    if (x > this.maxGroupsPerDim || y > this.maxGroupsPerDim || z > this.maxGroupsPerDim) {
      throw new Error(`webgpu-keras bug: kernel '${call.source.name}' asked for ${x}×${y}×${z} workgroups (limit ${this.maxGroupsPerDim} per dimension).`);
    }
    const { bindings, copies } = this.unalias(call);
    const kernel = this.pipelines.get(call.source, call.defines, signatureOf(bindings));
    const slot = this.uniforms.push(call.format, call.values);
    const group = this.bindGroups.get(kernel, slot.buffer, slot.chunk, bindings);
    this.encoder.dispatch(kernel.pipeline, group, slot.offset, x, y, z);
    for (const c of copies) this.scratch.release(c);
  }

  /** Scratch storage for one operation; give it back with `release` once its dispatches are recorded. */
  temp(bytes: number): GpuBuffer {
    const padded = Math.max(4, Math.ceil(bytes / 4) * 4);
    return { buffer: this.scratch.acquire(padded).buffer, bytes: padded };
  }

  release(buffer: GpuBuffer): void {
    this.scratch.release(buffer.buffer);
  }

  /**
   * Workgroups for `invocations` 1-D invocations, folded into 2-D, then 3-D, past the per-dimension
   * limit (kernels read `linear_id` of math.wgsl and skip ids past the end).
   */
  grid1d(invocations: number, workgroupSize = 64): [number, number, number] {
    const max = this.maxGroupsPerDim;
    const groups = Math.ceil(invocations / workgroupSize);
    if (groups <= max) return [groups, 1, 1];
    const rows = Math.ceil(groups / max);
    const z = Math.ceil(rows / max);
    const y = Math.ceil(rows / z);
    return [Math.ceil(groups / (y * z)), y, z];
  }

  grid2d(x: number, y: number): [number, number, number] {
    return foldGrid2d(x, y, this.maxGroupsPerDim);
  }

  private unalias(call: KernelCall): { bindings: Binding[]; copies: GPUBuffer[] } {
    const writes = call.bindings.filter((b) => b.write);
    const copies: GPUBuffer[] = [];
    const bindings = call.bindings.map((b) => {
      const clash = writes.find((w) => w !== b && w.buffer === b.buffer);
      if (!clash) return b;
      if (b.write) throw new Error(`webgpu-keras bug: kernel '${call.source.name}' writes one buffer through two bindings.`);
      const copy = this.scratch.acquire(b.bytes).buffer;
      this.encoder.copy(b.buffer, 0, copy, 0, b.bytes);
      copies.push(copy);
      return { ...b, buffer: copy };
    });
    return { bindings, copies };
  }
}

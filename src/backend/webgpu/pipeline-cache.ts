/**
 * Compiled compute pipelines, one per kernel variant, compiled once and cached by variant key.
 *
 * A variant is a kernel source (WGSL files joined) specialised by `wgsl-preprocessor`: every `${NAME}`
 * in the source is replaced by `defines[NAME]`, and `#if ${NAME}` blocks are kept or dropped. The
 * bind group layout is explicit (binding 0: the uniform slot, with a dynamic offset; the rest storage
 * buffers), so one layout serves every kernel with the same bindings.
 *
 * Encoding a step is synchronous, so a miss compiles synchronously (`syncCompiles` counts them);
 * `compile` does the same work with `createComputePipelineAsync`, for compiling many variants in
 * parallel ahead of the step, and `compileSync` compiles ahead one by one. A WGSL compile error is a bug
 * in this library and is loud: it names the kernel, line:column, and prints the offending line.
 */
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { SHADER_STAGE_COMPUTE } from './device';

export type Defines = Readonly<Record<string, boolean | number | string>>;

/** A kernel: the WGSL files it is made of and its entry point (`defines.ENTRY` overrides it). */
export interface KernelSource {
  readonly name: string;
  readonly entryPoint: string;
  readonly parts: readonly string[];
}

/** Binding number → read-only or writable storage buffer (binding 0 is always the uniform slot). */
export type BindingSignature = ReadonlyArray<readonly [binding: number, write: boolean]>;

export interface CompiledKernel {
  readonly key: string;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly layoutKey: string;
}

/** The WGSL of one variant. Throws if the source uses a name `defines` lacks (a library bug). */
export function specialise(source: KernelSource, defines: Defines): string {
  const code = source.parts.join('\n');
  const strings: string[] = [];
  const values: unknown[] = [];
  let last = 0;
  for (const match of code.matchAll(/\$\{(\w+)\}/g)) {
    const name = match[1];
    if (!Object.hasOwn(defines, name)) throw new Error(`webgpu-keras bug: kernel '${source.name}' uses \${${name}} but no value was given.`);
    strings.push(code.slice(last, match.index));
    values.push(defines[name]);
    last = match.index! + match[0].length;
  }
  strings.push(code.slice(last));
  return wgsl(Object.assign(strings, { raw: strings }) as unknown as TemplateStringsArray, ...values);
}

/** The compile errors of a shader module as one message with line:column and source lines, or null. */
export async function compileErrorOf(module: GPUShaderModule, code: string, label: string): Promise<Error | null> {
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length === 0) return null;
  const lines = code.split('\n');
  const text = errors
    .map((m) => {
      const line = lines[m.lineNum - 1] ?? '';
      return `${label}.wgsl:${m.lineNum}:${m.linePos}: ${m.message}\n  ${line}\n  ${' '.repeat(Math.max(0, m.linePos - 1))}^`;
    })
    .join('\n');
  const error = new Error(`WGSL compile error in kernel '${label}' (a bug in webgpu-keras; please report it):\n${text}`);
  error.name = 'ShaderCompileError';
  return error;
}

export class PipelineCache {
  private readonly pipelines = new Map<string, CompiledKernel>();
  private readonly compiling = new Map<string, Promise<CompiledKernel>>();
  private readonly layouts = new Map<string, { bindGroup: GPUBindGroupLayout; pipeline: GPUPipelineLayout }>();
  private misses = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Receives compile errors found after a synchronous compile. */
    private readonly onError: (error: Error) => void,
    /** Print every specialised shader (the `printShaders` flag). */
    private readonly print: () => boolean = () => false,
  ) {}

  /** Number of compiled variants. */
  get size(): number {
    return this.pipelines.size;
  }

  /**
   * Number of variants `get` had to compile synchronously, while a step was being encoded: the stalls
   * that `compile` (warm-up, compile-ahead) exists to avoid.
   */
  get syncCompiles(): number {
    return this.misses;
  }

  /** The pipeline of a variant, compiled now (synchronously, a miss) if needed. */
  get(source: KernelSource, defines: Defines, signature: BindingSignature): CompiledKernel {
    const key = variantKey(source, defines, signature);
    const hit = this.pipelines.get(key);
    if (hit) return hit;
    this.misses++;
    return this.compileNow(key, source, defines, signature);
  }

  /** Compile a variant synchronously unless it is cached, ahead of the step that uses it (not a miss). */
  compileSync(source: KernelSource, defines: Defines, signature: BindingSignature): void {
    const key = variantKey(source, defines, signature);
    if (!this.pipelines.has(key)) this.compileNow(key, source, defines, signature);
  }

  private compileNow(key: string, source: KernelSource, defines: Defines, signature: BindingSignature): CompiledKernel {
    const { code, label, entryPoint, layout, layoutKey } = this.prepare(source, defines, signature);
    const module = this.createModule(code, label);
    this.device.pushErrorScope('validation');
    const pipeline = this.device.createComputePipeline({ label, layout: layout.pipeline, compute: { module, entryPoint } });
    void this.device.popErrorScope().then(async (error) => {
      if (!error) return;
      this.onError((await compileErrorOf(module, code, label)) ?? new Error(`webgpu-keras bug: pipeline '${label}' is invalid: ${error.message}`));
    });
    const compiled = { key, pipeline, layout: layout.bindGroup, layoutKey };
    this.pipelines.set(key, compiled);
    return compiled;
  }

  /** Compile a variant asynchronously (deduplicated); rejects with the compile error. */
  compile(source: KernelSource, defines: Defines, signature: BindingSignature): Promise<CompiledKernel> {
    const key = variantKey(source, defines, signature);
    const hit = this.pipelines.get(key);
    if (hit) return Promise.resolve(hit);
    let job = this.compiling.get(key);
    if (!job) {
      job = this.compileAsync(key, source, defines, signature).finally(() => this.compiling.delete(key));
      this.compiling.set(key, job);
    }
    return job;
  }

  private async compileAsync(key: string, source: KernelSource, defines: Defines, signature: BindingSignature): Promise<CompiledKernel> {
    const { code, label, entryPoint, layout, layoutKey } = this.prepare(source, defines, signature);
    const module = this.createModule(code, label);
    let pipeline: GPUComputePipeline;
    try {
      pipeline = await this.device.createComputePipelineAsync({ label, layout: layout.pipeline, compute: { module, entryPoint } });
    } catch (error) {
      throw (await compileErrorOf(module, code, label)) ?? error;
    }
    const compiled = this.pipelines.get(key) ?? { key, pipeline, layout: layout.bindGroup, layoutKey };
    this.pipelines.set(key, compiled);
    return compiled;
  }

  private prepare(source: KernelSource, defines: Defines, signature: BindingSignature) {
    const code = specialise(source, defines);
    const entryPoint = typeof defines.ENTRY === 'string' ? defines.ENTRY : source.entryPoint;
    const label = `${source.name}:${entryPoint}`;
    if (this.print()) console.log(`// ---- ${label} ${JSON.stringify(defines)}\n${code}`);
    const layoutKey = signature.map(([b, w]) => `${b}${w ? 'w' : 'r'}`).join(',');
    return { code, label, entryPoint, layout: this.layoutFor(layoutKey, signature), layoutKey };
  }

  // The validation error of a bad module is caught here and reported, with line:column, by the pipeline
  // creation that follows, instead of escaping as an anonymous uncaptured error.
  private createModule(code: string, label: string): GPUShaderModule {
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ label, code });
    void this.device.popErrorScope();
    return module;
  }

  private layoutFor(layoutKey: string, signature: BindingSignature) {
    let layout = this.layouts.get(layoutKey);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: SHADER_STAGE_COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
        ...signature.map(([binding, write]) => ({
          binding,
          visibility: SHADER_STAGE_COMPUTE,
          buffer: { type: write ? ('storage' as const) : ('read-only-storage' as const) },
        })),
      ];
      const bindGroup = this.device.createBindGroupLayout({ label: `bindings ${layoutKey}`, entries });
      layout = { bindGroup, pipeline: this.device.createPipelineLayout({ label: `layout ${layoutKey}`, bindGroupLayouts: [bindGroup] }) };
      this.layouts.set(layoutKey, layout);
    }
    return layout;
  }
}

function variantKey(source: KernelSource, defines: Defines, signature: BindingSignature): string {
  return `${source.name}|${JSON.stringify(defines)}|${signature.map(([b, w]) => `${b}${w ? 'w' : 'r'}`).join(',')}`;
}

/**
 * Checks the test environment itself: an adapter exists, its limits are what the library
 * plans for, and a compute shader runs and reads back. Runs in the node project (Dawn)
 * and, listed by name in vitest.config.ts, in the browser project (Chromium).
 */
import { expect, it } from 'vitest';
import { describeGpu, isBrowser } from '../setup/webgpu-env';

const ADD_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&out)) {
    out[id.x] = a[id.x] + b[id.x];
  }
}`;

const MATMUL_WGSL = (n: number) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
const N = ${n}u;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= N || id.y >= N) { return; }
  var sum = 0.0;
  for (var k = 0u; k < N; k++) { sum += a[id.y * N + k] * b[k * N + id.x]; }
  out[id.y * N + id.x] = sum;
}`;

/** Runs a 3-binding compute shader (two inputs, one output) and returns the output. */
async function run3(
  device: GPUDevice,
  code: string,
  a: Float32Array,
  b: Float32Array,
  outLength: number,
  workgroups: [number, number?],
): Promise<Float32Array> {
  const upload = (data: Float32Array) => {
    const buffer = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
    new Float32Array(buffer.getMappedRange()).set(data);
    buffer.unmap();
    return buffer;
  };
  const size = outLength * 4;
  const inputs = [upload(a), upload(b)];
  const out = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readback = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const pipeline = await device.createComputePipelineAsync({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [...inputs, out].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1);
  pass.end();
  encoder.copyBufferToBuffer(out, 0, readback, 0, size);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const result = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  for (const buffer of [...inputs, out, readback]) buffer.destroy();
  return result;
}

describeGpu('WebGPU test environment', (ctx) => {
  it('has an adapter with the limits the library relies on', () => {
    const { info, limits, features } = ctx.adapter;
    console.log(
      `[webgpu] ${isBrowser ? 'browser' : 'node/dawn'}: ${info.vendor} ${info.architecture} ${info.description}`.trim(),
      JSON.stringify({
        features: [...features].sort(),
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      }),
    );
    // WebGPU's guaranteed minimums; tests must not assume more than these.
    expect(limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
    expect(limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
    expect(limits.maxComputeWorkgroupsPerDimension).toBeGreaterThanOrEqual(65535);
    expect(limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(256);
    expect(limits.maxComputeWorkgroupStorageSize).toBeGreaterThanOrEqual(16384);
  });

  it('adds two arrays in a compute shader and reads the result back', async () => {
    const n = 1000; // not a multiple of the workgroup size on purpose
    const a = Float32Array.from({ length: n }, (_, i) => i);
    const b = Float32Array.from({ length: n }, (_, i) => 0.5 * i);
    const out = await run3(ctx.device, ADD_WGSL, a, b, n, [Math.ceil(n / 64)]);
    expect(Array.from(out)).toEqual(Array.from(a, (x, i) => x + b[i]!));
  });

  it('multiplies 64x64 matrices like the CPU does', async () => {
    const n = 64;
    const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) / 13 - 0.5);
    const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 5) % 11) / 11 - 0.5);
    const out = await run3(ctx.device, MATMUL_WGSL(n), a, b, n * n, [n / 8, n / 8]);
    let maxError = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += a[r * n + k]! * b[k * n + c]!;
        maxError = Math.max(maxError, Math.abs(sum - out[r * n + c]!));
      }
    }
    expect(maxError).toBeLessThan(1e-4);
  });

  it('reports a WGSL compilation error instead of crashing', async () => {
    // Inside an error scope the validation errors are ours to check, not uncaptured ones.
    ctx.device.pushErrorScope('validation');
    const module = ctx.device.createShaderModule({ code: 'fn main( {' });
    ctx.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const error = await ctx.device.popErrorScope();
    expect(error).toBeInstanceOf(GPUValidationError);
    const info = await module.getCompilationInfo();
    expect(info.messages.some((m) => m.type === 'error')).toBe(true);
  });
});

/**
 * The WebGPU backend's device handling: starting it from a GPU object (with the adapter's real limits)
 * and through the registry, the matmul switch, one submit per step, loud shader compile errors,
 * asynchronous device errors turned into DeviceError rejections, and the warm-up.
 */
import { afterAll, expect, it } from 'vitest';
import { backendFallbackReason, getBackend, setBackend, setBackendLogger } from '../../../src/backend/registry';
import { PipelineCache } from '../../../src/backend/webgpu/pipeline-cache';
import { createWebGpuBackend } from '../../../src/backend/webgpu/webgpu-backend';
import { DeviceError } from '../../../src/errors';
import { describeGpu } from '../../setup/webgpu-env';
import { gpuBackend } from './helpers';
import { getActivation } from '../../../src/activations';
import { SparseCategoricalCrossentropy } from '../../../src/losses';
import { SGD } from '../../../src/optimizers';

describeGpu('WebGPU backend device', (ctx) => {
  afterAll(async () => {
    await setBackend('cpu');
  });

  it("requests the adapter's real limits and recognises CPU adapters", async () => {
    const backend = await createWebGpuBackend({ gpu: ctx.gpu });
    for (const name of ['maxStorageBuffersPerShaderStage', 'maxStorageBufferBindingSize', 'maxBufferSize'] as const) {
      expect(backend.device.limits[name], name).toBe(ctx.adapter.limits[name]);
    }
    const info = ctx.adapter.info;
    const software = /swiftshader|llvmpipe|lavapipe/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
    expect(backend.isCpuAdapter).toBe(software);
    expect(backend.matmulKernel).toBe(software ? 'blocked' : 'tiled');
    backend.dispose();
  });

  it("starts through the registry: setBackend('webgpu')", async () => {
    expect(await setBackend('webgpu', { gpu: ctx.gpu })).toBe('webgpu');
    expect(getBackend()).toBe('webgpu');
  });

  it("under auto, skips a software adapter for wasm, saying why in one line; setBackend('webgpu') still uses it", async () => {
    const lines: string[] = [];
    setBackendLogger((line) => lines.push(line));
    try {
      const probe = await createWebGpuBackend({ gpu: ctx.gpu });
      const software = probe.isCpuAdapter;
      probe.dispose();
      expect(await setBackend('auto', { gpu: ctx.gpu })).toBe(software ? 'wasm' : 'webgpu');
      if (software) {
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^webgpu-keras: using the 'wasm' backend \(webgpu unavailable: the only WebGPU adapter is a software renderer \(.+\), slower than the CPU backends; setBackend\('webgpu'\) uses it anyway\)\.$/);
        expect(backendFallbackReason()).toBe(lines[0]);
      }
      expect(await setBackend('webgpu', { gpu: ctx.gpu })).toBe('webgpu');
    } finally {
      setBackendLogger((line) => console.warn(line));
    }
  });

  it('submits everything a training step records once, at flush()', async () => {
    const backend = await gpuBackend(ctx);
    const queue = backend.device.queue;
    const submit = queue.submit;
    let submits = 0;
    queue.submit = function (this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
      submits++;
      return submit.call(this, buffers);
    };
    try {
      const x = backend.upload([1, 2, 3, 4, 5, 6], [2, 3], 'float32');
      const w = backend.upload([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 2], 'float32');
      const y = backend.upload([1, 0], [2, 1], 'float32');
      const [out, grad, dw, acc] = [backend.alloc([2, 2], 'float32'), backend.alloc([2, 2], 'float32'), backend.alloc([3, 2], 'float32'), backend.alloc([2], 'float32')];
      const slot = backend.alloc([3, 2], 'float32');
      await backend.sync();
      submits = 0;
      backend.matmul(x, w, out, { activation: getActivation('relu') });
      backend.loss(new SparseCategoricalCrossentropy({ fromLogits: true }).program(), out, y, acc, grad);
      backend.matmul(x, grad, dw, { transposeA: true });
      const rule = new SGD({ learningRate: 0.1, momentum: 0.9, clipnorm: 1 }).rule();
      backend.optimizerUpdate(rule, [w], [dw], [[slot]], { scalars: { learning_rate: 0.1, iteration: 0 }, clipnorm: 1, globalClipnorm: 0 });
      expect(submits).toBe(0);
      backend.flush();
      expect(submits).toBe(1);
      backend.flush(); // nothing new recorded: nothing submitted
      expect(submits).toBe(1);
    } finally {
      queue.submit = submit;
    }
  });

  it('reports a WGSL compile error with the kernel, line:column and the source line', async () => {
    const errors: Error[] = [];
    const cache = new PipelineCache(ctx.device, (e) => errors.push(e));
    const source = { name: 'broken', entryPoint: 'main', parts: ['@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_name;\n}'] };
    const rejection = cache.compile(source, {}, []);
    await expect(rejection).rejects.toThrow(/WGSL compile error in kernel 'broken:main'/);
    await expect(rejection).rejects.toThrow(/broken:main\.wgsl:3:\d+: .*\n {2} {2}let x: f32 = undefined_name;/);
    cache.get(source, {}, []); // the synchronous path reports it too
    await ctx.device.queue.onSubmittedWorkDone();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors.map((e) => e.message).join('\n')).toMatch(/broken:main\.wgsl:3:/);
  });

  it('turns an asynchronous validation error into a DeviceError on the next sync, once', async () => {
    const backend = await createWebGpuBackend({ gpu: ctx.gpu });
    backend.device.createBuffer({ label: 'invalid on purpose', size: 4, usage: 0 });
    await expect(backend.sync()).rejects.toThrow(DeviceError);
    await expect(backend.sync()).resolves.toBeUndefined();
    backend.dispose();
  });

  it('rejects reads with a DeviceError once the device is lost', async () => {
    const backend = await createWebGpuBackend({ gpu: ctx.gpu });
    const t = backend.upload([1, 2, 3], [3], 'float32');
    expect(Array.from(await t.data())).toEqual([1, 2, 3]);
    backend.device.destroy();
    await expect(t.data()).rejects.toThrow(DeviceError);
    await expect(backend.sync()).rejects.toThrow(/lost/);
  });

  it('warms up kernels in parallel before the first step', async () => {
    const backend = await gpuBackend(ctx);
    const before = backend.stats().pipelines;
    await backend.warmup(['rows', 'columns', 'reduce']);
    expect(backend.stats().pipelines).toBeGreaterThan(before + 20);
  });
});

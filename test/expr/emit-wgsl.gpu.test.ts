/**
 * The WGSL target on a real WebGPU device: each op of the language, lowered and written by emit-wgsl.ts
 * into a small kernel, against the op table's float64 value on the CPU, on 1,000 points of [−10, 10]
 * (positive for log-like ops) plus special points, with uniforms and device scalars bound as the fused
 * kernels bind them.
 *
 * Tolerance: 1e-6 relative + 1e-6 absolute + (3 + 2|x|) float32 ULPs relative for ops built on exp
 * (WGSL's accuracy for exp: 3 + 2|x| ULP; the float32 simulation of the same lowering is within 5e-7,
 * emit-js.test.ts). The absolute part covers values near 0. The trigonometric ops are WGSL's builtins,
 * whose accuracy WGSL sets far lower (sin, cos: 2^-11 absolute on [−π, π]; atan: 4096 ULP): they are
 * checked to that bound, on [−π, π].
 */
import { beforeAll, expect, it } from 'vitest';
import { binaryOp, input, scalar, unaryOp, type Expr } from '../../src/expr/expr';
import { uniformFields, wgslFunction, wgslProgram } from '../../src/expr/emit-wgsl';
import { OPS, type BinaryOp, type UnaryOp } from '../../src/expr/op-table';
import { uniformValues } from '../../src/expr/program';
import { describeGpu } from '../setup/webgpu-env';

const x = input('x');
const y = input('y');
const N = 1000;
const POSITIVE = new Set<string>(['log', 'sqrt', 'rsqrt', 'log1p', 'raw_log']);
const TRIG = new Set<string>(['sin', 'cos', 'tan', 'atan']);
const SKIP = new Set<string>(['input', 'scalar', 'const', 'raw_log', 'raw_pow', ...TRIG]);

function points(op: string): Float32Array<ArrayBuffer> {
  const special = [0, 1e-7, -1e-7, 0.5, -0.5, 1, -1, 2, -2, 3, -3, 6, 9.5, -9.5];
  return Float32Array.from({ length: N }, (_, i) => {
    const v = i < special.length ? special[i] : -10 + (20 * i) / N;
    return POSITIVE.has(op) ? Math.abs(v) + (op === 'log1p' ? 0 : 1e-6) : v;
  });
}

describeGpu('WGSL emitted for every op', (ctx) => {
  let run: (e: Expr, xs: Float32Array<ArrayBuffer>, ys: Float32Array<ArrayBuffer>, scalars?: Record<string, number>) => Promise<Float32Array>;

  beforeAll(() => {
    const device = ctx.device;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    run = async (e, xs, ys, scalars = {}) => {
      const program = wgslProgram([e], ['d']);
      const fn = wgslFunction(program, { name: 'f', params: ['x', 'y', 'd'] });
      const code = `struct Params { n: u32, ${uniformFields(program.uniforms.length)} }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ys: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${fn}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let d = 0.25f;
  out[i] = f(xs[i], ys[i], d);
}`;
      const module = device.createShaderModule({ label: 'op test', code });
      const info = await module.getCompilationInfo();
      const errors = info.messages.filter((m) => m.type === 'error');
      if (errors.length) throw new Error(`${errors.map((m) => m.message).join('\n')}\n${code}`);
      const pipeline = device.createComputePipeline({ label: 'op test', layout: 'auto', compute: { module, entryPoint: 'main' } });
      const uniform = new ArrayBuffer(256);
      new Uint32Array(uniform)[0] = xs.length;
      const values = uniformValues(program, scalars, new Float64Array(program.uniforms.length), true);
      new Float32Array(uniform, 4).set(values);
      const ub = device.createBuffer({ label: 'u', size: 256, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(ub, 0, uniform);
      const buffer = (data: Float32Array<ArrayBuffer>) => {
        const b = device.createBuffer({ label: 'data', size: data.byteLength, usage });
        device.queue.writeBuffer(b, 0, data);
        return b;
      };
      const [bx, by, bo] = [buffer(xs), buffer(ys), buffer(new Float32Array(xs.length))];
      const read = device.createBuffer({ label: 'read', size: xs.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const group = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [ub, bx, by, bo].map((b, binding) => ({ binding, resource: { buffer: b } })),
      });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(Math.ceil(xs.length / 64));
      pass.end();
      enc.copyBufferToBuffer(bo, 0, read, 0, xs.byteLength);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const result = new Float32Array(read.getMappedRange().slice(0));
      read.unmap();
      for (const b of [ub, bx, by, bo, read]) b.destroy();
      return result;
    };
  });

  function expectClose(got: Float32Array, xs: Float32Array, want: (i: number) => number, label: string, expBased: boolean, atol = 1e-6, rtolExtra = 0): void {
    for (let i = 0; i < got.length; i++) {
      const w = want(i);
      if (Number.isNaN(w) || !Number.isFinite(w) || Math.abs(w) > 3e38) continue;
      const rtol = 1e-6 + rtolExtra + (expBased ? (3 + 2 * Math.abs(xs[i])) * 2 ** -23 : 0);
      expect(Math.abs(got[i] - w), `${label} at x=${xs[i]}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(rtol * Math.abs(w) + atol);
    }
  }

  const unary = Object.entries(OPS).filter(([op, info]) => info.arity === 1 && info.eval && !SKIP.has(op)).map(([op]) => op as UnaryOp);
  it('computes every unary op (lowered where WGSL lacks it) as the CPU does', async () => {
    for (const op of unary) {
      const xs = points(op);
      const got = await run(unaryOp(op, x), xs, xs);
      expectClose(got, xs, (i) => OPS[op].eval!(xs[i]), op, !['neg', 'abs', 'sign', 'floor', 'ceil', 'round', 'sqrt', 'rsqrt', 'not', 'stop_gradient'].includes(op));
    }
  });

  it('computes the trigonometric ops to WGSL’s accuracy on [−π, π]', async () => {
    const xs = Float32Array.from({ length: N }, (_, i) => -3.1 + (6.2 * i) / N);
    for (const op of ['sin', 'cos', 'atan'] as const) {
      const got = await run(unaryOp(op, x), xs, xs);
      expectClose(got, xs, (i) => OPS[op].eval!(xs[i]), op, false, 2 ** -11, op === 'atan' ? 4096 * 2 ** -23 : 0);
    }
  });

  const binary = Object.entries(OPS).filter(([op, info]) => info.arity === 2 && !SKIP.has(op)).map(([op]) => op as BinaryOp);
  it('computes every binary op as the CPU does', async () => {
    for (const op of binary) {
      const xs = points(op === 'pow' ? 'log' : op).map((v) => (op === 'pow' ? Math.min(v, 5) : v));
      const ys = Float32Array.from(xs, (_, i) => Math.fround((i % 7) - 3 + (i % 2 ? 0.5 : 0) + (op === 'div' ? 0.25 : 0)));
      const got = await run(binaryOp(op, x, y), xs, ys);
      expectClose(got, xs, (i) => OPS[op].eval!(xs[i], ys[i]), op, op === 'pow');
    }
  });

  it('reads uniforms (hoisted scalar expressions) and device scalars', async () => {
    const xs = points('add');
    const e = binaryOp('add', binaryOp('mul', unaryOp('exp', scalar('a')), x), scalar('d'));
    const got = await run(e, xs, xs, { a: 0.5 });
    expectClose(got, xs, (i) => Math.exp(0.5) * xs[i] + 0.25, 'exp(a)·x + d', false);
  });
});

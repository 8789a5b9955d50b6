/**
 * Throughput of the CPU-side matmuls on the MLP training step's shapes and at 1024³: the CPU backend's
 * JavaScript matmul (float32, float64) and the wasm backend's SIMD kernels on one thread and on all.
 *
 *   npx vite-node bench/cpu-matmul.ts                 every engine
 *   npx vite-node bench/cpu-matmul.ts f32             float32 only (CPU float32, wasm)
 *   npx vite-node bench/cpu-matmul.ts wasm            the wasm rows only
 *   node --experimental-wasm-relaxed-simd node_modules/vite-node/dist/cli.mjs bench/cpu-matmul.ts wasm
 *                                                     the same with relaxed SIMD on Node 20
 *
 * Prints GFLOP/s = 2·m·n·k / time, the median of 7 timed batches after a warm-up (the wasm rows through
 * the backend contract, so their time includes the call and the thread hand-off). The machine may be
 * shared: compare runs made close together.
 */
import os from 'node:os';
import type { Backend } from '../src/backend/backend';
import { matmul, type FloatArray } from '../src/backend/cpu/matmul';
import { createWasmBackend } from '../src/backend/wasm/wasm-backend';

interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
}

const shape = (name: string, m: number, k: number, n: number, transposeA = false, transposeB = false): Shape => ({
  name, m, n, k, transposeA, transposeB,
});

const SHAPES: Shape[] = [
  shape('forward x·W', 128, 784, 128),
  shape('forward x·W', 256, 784, 1024),
  shape('forward x·W', 256, 1024, 1024),
  shape('forward x·W', 128, 128, 10),
  shape('weight grad xᵀ·dy', 784, 128, 128, true),
  shape('weight grad xᵀ·dy', 1024, 256, 1024, true),
  shape('input grad dy·Wᵀ', 128, 10, 128, false, true),
  shape('input grad dy·Wᵀ', 256, 1024, 1024, false, true),
  shape('square', 1024, 1024, 1024),
];

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

function randomArray(Type: Ctor, length: number): FloatArray {
  const x = new Type(length);
  for (let i = 0; i < length; i++) x[i] = Math.random() - 0.5;
  return x;
}

/** Median GFLOP/s of `run` (one product of `flop` operations); each timed batch lasts roughly 50 ms. */
function measure(flop: number, run: () => void): number {
  const warmStart = performance.now();
  let calls = 0;
  while (performance.now() - warmStart < 150) {
    run();
    calls++;
  }
  const reps = Math.max(1, Math.round((calls * 50) / (performance.now() - warmStart)));
  const times: number[] = [];
  for (let t = 0; t < 7; t++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) run();
    times.push((performance.now() - start) / reps);
  }
  times.sort((x, y) => x - y);
  return flop / (times[3] * 1e6);
}

function cpuRun(Type: Ctor, s: Shape): () => void {
  const a = randomArray(Type, s.m * s.k);
  const b = randomArray(Type, s.k * s.n);
  const out = new Type(s.m * s.n);
  return () => void matmul(a, b, out, s.m, s.n, s.k, s.transposeA, s.transposeB);
}

function backendRun(backend: Backend, s: Shape): () => void {
  const a = backend.upload(randomArray(Float32Array, s.m * s.k), s.transposeA ? [s.k, s.m] : [s.m, s.k], 'float32');
  const b = backend.upload(randomArray(Float32Array, s.k * s.n), s.transposeB ? [s.n, s.k] : [s.k, s.n], 'float32');
  const out = backend.alloc([s.m, s.n], 'float32');
  return () => backend.matmul(a, b, out, { transposeA: s.transposeA, transposeB: s.transposeB });
}

const only = process.argv[2];
const engines: [string, (s: Shape) => () => void][] = [];
if (only !== 'wasm') engines.push(['cpu float32', (s) => cpuRun(Float32Array, s)]);
if (only !== 'wasm' && only !== 'f32') engines.push(['cpu float64', (s) => cpuRun(Float64Array, s)]);
const threads = os.availableParallelism();
for (const t of threads > 1 ? [1, threads] : [1]) {
  const wasm = await createWasmBackend({ flags: { threads: t } });
  engines.push([`wasm ${wasm.info.simd}, ${t} thread${t > 1 ? 's' : ''}`, (s) => backendRun(wasm, s)]);
}

console.log(`machine: ${os.cpus()[0]?.model.trim()}, ${threads} threads; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| engine                  | shape (m×k · k×n)      | variant              | GFLOP/s |');
console.log('|-------------------------|------------------------|----------------------|---------|');
for (const [name, make] of engines) {
  for (const s of SHAPES) {
    const gflops = measure(2 * s.m * s.n * s.k, make(s));
    const dims = `${s.m}×${s.k} · ${s.k}×${s.n}`;
    console.log(`| ${name.padEnd(23)} | ${dims.padEnd(22)} | ${s.name.padEnd(20)} | ${gflops.toFixed(2).padStart(7)} |`);
  }
}
process.exit(0);

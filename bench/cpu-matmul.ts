/**
 * Throughput of the CPU backend's matmul on the MLP training step's shapes.
 *
 *   npx vite-node bench/cpu-matmul.ts            float32 and float64
 *   npx vite-node bench/cpu-matmul.ts f32        float32 only
 *
 * Prints GFLOP/s = 2·m·n·k / time, the median of 7 timed batches after a warm-up.
 * The machine may be shared: compare runs made close together.
 */
import { matmul, type FloatArray } from '../src/backend/cpu/matmul';

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
];

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

function randomArray(Type: Ctor, length: number): FloatArray {
  const x = new Type(length);
  for (let i = 0; i < length; i++) x[i] = Math.random() - 0.5;
  return x;
}

/** Median GFLOP/s of one shape; each timed batch lasts roughly 50 ms. */
function measure(Type: Ctor, s: Shape): number {
  const a = randomArray(Type, s.m * s.k);
  const b = randomArray(Type, s.k * s.n);
  const out = new Type(s.m * s.n);
  const flop = 2 * s.m * s.n * s.k;
  const run = (): void => {
    matmul(a, b, out, s.m, s.n, s.k, s.transposeA, s.transposeB);
  };
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

const types: [string, Ctor][] = [['float32', Float32Array]];
if (process.argv[2] !== 'f32') types.push(['float64', Float64Array]);

console.log('| type    | shape (m×k · k×n)     | variant              | GFLOP/s |');
console.log('|---------|-----------------------|----------------------|---------|');
for (const [typeName, Type] of types) {
  for (const s of SHAPES) {
    const gflops = measure(Type, s);
    const dims = `${s.m}×${s.k} · ${s.k}×${s.n}`;
    console.log(`| ${typeName} | ${dims.padEnd(21)} | ${s.name.padEnd(20)} | ${gflops.toFixed(2).padStart(7)} |`);
  }
}

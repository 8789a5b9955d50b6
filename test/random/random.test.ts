import { afterEach, describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors';
import {
  COUNTER_RNG_WGSL,
  MAX_SEED,
  SeedGenerator,
  checkSeed,
  fillNormal,
  fillTruncatedNormal,
  fillUniform,
  getGlobalSeed,
  getGlobalSeedGenerator,
  randomU32,
  randomUniform01,
  randomUniform53,
  resolveSeed,
  setRandomSeed,
  shuffleIndices,
} from '../../src/random';
import { describeGpu } from '../setup/webgpu-env';

// ---------------------------------------------------------------------------
// Independent reference: the documented algorithm re-implemented on BigInt.
// ---------------------------------------------------------------------------
const MASK = 0xffffffffn;
function refMix(x: bigint): bigint {
  x ^= x >> 16n;
  x = (x * 0x85ebca6bn) & MASK;
  x ^= x >> 13n;
  x = (x * 0xc2b2ae35n) & MASK;
  x ^= x >> 16n;
  return x;
}
function refU32(seed: number, stream: number, index: number): number {
  const k = refMix((BigInt(seed) + 0x9e3779b9n) & MASK);
  const s = refMix(k ^ ((BigInt(stream) + 0x7f4a7c15n) & MASK));
  const h = refMix(s ^ BigInt(index));
  return Number(refMix((h + k) & MASK));
}

/** A tiny xorshift to produce many key triples for the cross-check. */
function* keyTriples(count: number): Generator<[number, number, number]> {
  let x = 0x12345678;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  for (let i = 0; i < count; i++) yield [next(), next(), next()];
}

const VECTORS: [number, number, number, number][] = [
  [0, 0, 0, 0x599e569b],
  [0, 0, 1, 0x68362350],
  [1, 0, 0, 0x42b64707],
  [0, 1, 0, 0x0332eed3],
  [42, 7, 123456, 0x06c29ac2],
  [0xffffffff, 0xffffffff, 0xffffffff, 0x3ed9049e],
  [123456789, 987654321, 2 ** 31, 0xfaa8df43],
];

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
function variance(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return s / a.length;
}
function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
/** Pearson chi-square of `values` in [0,1) over `bins` equal bins. */
function chiSquare(values: ArrayLike<number>, bins: number): number {
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) counts[Math.floor(values[i] * bins)]++;
  const expected = values.length / bins;
  let chi = 0;
  for (const c of counts) chi += (c - expected) ** 2 / expected;
  return chi;
}
function uniforms(n: number, key: (i: number) => [number, number, number]): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = randomUniform01(...key(i));
  return out;
}

const N = 100_000;
// chi-square with 63 degrees of freedom: mean 63, sd ≈ 11.2; P(χ² > 120) ≈ 2e-5.
const CHI2_63_BOUND = 120;

describe('counter RNG', () => {
  it('matches fixed test vectors and the BigInt reference', () => {
    for (const [seed, stream, index, expected] of VECTORS) {
      expect(refU32(seed, stream, index)).toBe(expected);
      expect(randomU32(seed, stream, index)).toBe(expected);
    }
  });

  it('agrees with the BigInt reference on 5000 random keys', () => {
    for (const [a, b, c] of keyTriples(5000)) expect(randomU32(a, b, c)).toBe(refU32(a, b, c));
  });

  it('randomUniform01 is (h >>> 8) * 2^-24, exact in float32, in [0, 1)', () => {
    for (const [a, b, c] of keyTriples(2000)) {
      const u = randomUniform01(a, b, c);
      expect(u).toBe((refU32(a, b, c) >>> 8) / 16777216);
      expect(Math.fround(u)).toBe(u);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });

  it('is a bijection in index for a fixed (seed, stream) (no collisions in 2^16 indices)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 65536; i++) seen.add(randomU32(9, 3, i));
    expect(seen.size).toBe(65536);
  });

  it('is uniform over indices: mean, variance, chi-square over 64 bins', () => {
    const u = uniforms(N, (i) => [12345, 0, i]);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.005); // sd of the mean ≈ 0.0009
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.002);
    expect(chiSquare(u, 64)).toBeLessThan(CHI2_63_BOUND);
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('is uniform across seeds and across streams at a fixed index', () => {
    expect(chiSquare(uniforms(N, (i) => [i, 0, 0]), 64)).toBeLessThan(CHI2_63_BOUND);
    expect(chiSquare(uniforms(N, (i) => [7, i, 5]), 64)).toBeLessThan(CHI2_63_BOUND);
  });

  it('has balanced output bits and avalanches single input-bit flips', () => {
    const ones = new Float64Array(32);
    for (let i = 0; i < 20000; i++) {
      const h = randomU32(1, 2, i);
      for (let b = 0; b < 32; b++) ones[b] += (h >>> b) & 1;
    }
    for (const c of ones) expect(Math.abs(c / 20000 - 0.5)).toBeLessThan(0.02);

    let flipped = 0;
    let trials = 0;
    for (const [a, b, c] of keyTriples(300)) {
      const h = randomU32(a, b, c);
      for (let bit = 0; bit < 32; bit++) {
        for (const h2 of [
          randomU32((a ^ (1 << bit)) >>> 0, b, c),
          randomU32(a, (b ^ (1 << bit)) >>> 0, c),
          randomU32(a, b, (c ^ (1 << bit)) >>> 0),
        ]) {
          let d = (h ^ h2) >>> 0;
          while (d) {
            flipped += d & 1;
            d >>>= 1;
          }
          trials++;
        }
      }
    }
    expect(Math.abs(flipped / trials - 16)).toBeLessThan(0.2);
  });

  it('decorrelates adjacent indices, streams and seeds', () => {
    const base = uniforms(N + 1, (i) => [2024, 11, i]);
    expect(Math.abs(correlation(base.subarray(0, N), base.subarray(1)))).toBeLessThan(0.01);
    const nextStream = uniforms(N, (i) => [2024, 12, i]);
    expect(Math.abs(correlation(base.subarray(0, N), nextStream))).toBeLessThan(0.01);
    const nextSeed = uniforms(N, (i) => [2025, 11, i]);
    expect(Math.abs(correlation(base.subarray(0, N), nextSeed))).toBeLessThan(0.01);
    let same = 0;
    for (let i = 0; i < N; i++) if (base[i] === nextStream[i] || base[i] === nextSeed[i]) same++;
    expect(same).toBeLessThan(5);
  });

  it('randomUniform53 combines two draws into [0, 1) with 53-bit resolution', () => {
    const u = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      u[i] = randomUniform53(5, 1, i);
      const hi = refU32(5, 2, i) >>> 5;
      const lo = refU32(5, 3, i) >>> 6;
      if (i < 1000) expect(u[i]).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
    }
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.005);
    expect(chiSquare(u, 64)).toBeLessThan(CHI2_63_BOUND);
  });

  it('ships a WGSL mirror with the documented functions and constants', () => {
    expect(COUNTER_RNG_WGSL).toContain('fn random_u32(seed: u32, stream: u32, index: u32) -> u32');
    expect(COUNTER_RNG_WGSL).toContain('fn random_uniform01(seed: u32, stream: u32, index: u32) -> f32');
    for (const c of ['0x85EBCA6Bu', '0xC2B2AE35u', '0x9E3779B9u', '0x7F4A7C15u']) expect(COUNTER_RNG_WGSL).toContain(c);
  });
});

// ---------------------------------------------------------------------------
// The WGSL mirror, run through WebGPU (Dawn; SwiftShader or a real GPU) when an adapter exists.
// ---------------------------------------------------------------------------
describeGpu('counter RNG in WGSL (GPU)', (ctx) => {
  it('random_u32 and random_uniform01 match the CPU bit for bit', async () => {
    const device = ctx.device;
    const edges = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff];
    const keys: [number, number, number][] = [];
    for (const a of edges) for (const b of edges) for (const c of edges) keys.push([a, b, c]);
    keys.push(...keyTriples(4096 - keys.length));
    const n = keys.length;
    const input = new Uint32Array(n * 3);
    keys.forEach(([a, b, c], i) => input.set([a, b, c], 3 * i));
    const code = `${COUNTER_RNG_WGSL}
@group(0) @binding(0) var<storage, read> keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> bits: array<u32>;
@group(0) @binding(2) var<storage, read_write> unif: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= arrayLength(&bits)) { return; }
  bits[i] = random_u32(keys[3u * i], keys[3u * i + 1u], keys[3u * i + 2u]);
  unif[i] = random_uniform01(keys[3u * i], keys[3u * i + 1u], keys[3u * i + 2u]);
}`;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const keyBuf = device.createBuffer({ size: input.byteLength, usage });
    device.queue.writeBuffer(keyBuf, 0, input);
    const bitsBuf = device.createBuffer({ size: n * 4, usage });
    const unifBuf = device.createBuffer({ size: n * 4, usage });
    const readBuf = device.createBuffer({ size: n * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
    });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [keyBuf, bitsBuf, unifBuf].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(n / 64));
    pass.end();
    encoder.copyBufferToBuffer(bitsBuf, 0, readBuf, 0, n * 4);
    encoder.copyBufferToBuffer(unifBuf, 0, readBuf, n * 4, n * 4);
    device.queue.submit([encoder.finish()]);
    await readBuf.mapAsync(GPUMapMode.READ);
    const raw = readBuf.getMappedRange().slice(0);
    readBuf.unmap();
    const gpuBits = new Uint32Array(raw, 0, n);
    const gpuUnif = new Float32Array(raw, n * 4, n);
    let mismatches = 0;
    keys.forEach(([a, b, c], i) => {
      if (gpuBits[i] !== randomU32(a, b, c) || gpuUnif[i] !== randomUniform01(a, b, c)) mismatches++;
    });
    expect(mismatches).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------
describe('seeds', () => {
  afterEach(() => setRandomSeed(1337));

  it('SeedGenerator is a deterministic, seed-dependent sequence of uint32', () => {
    const a = new SeedGenerator(7);
    const b = new SeedGenerator(7);
    const c = new SeedGenerator(8);
    const sa = Array.from({ length: 1000 }, () => a.next());
    const sb = Array.from({ length: 1000 }, () => b.next());
    const sc = Array.from({ length: 1000 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(new Set(sa).size).toBe(1000);
    for (const s of sa) expect(Number.isInteger(s) && s >= 0 && s <= MAX_SEED).toBe(true);
    expect(a.seed).toBe(7);
    expect(a.count).toBe(1000);
  });

  it('setRandomSeed resets the global generator', () => {
    setRandomSeed(42);
    expect(getGlobalSeed()).toBe(42);
    const first = [getGlobalSeedGenerator().next(), getGlobalSeedGenerator().next(), resolveSeed(undefined)];
    setRandomSeed(42);
    const second = [getGlobalSeedGenerator().next(), getGlobalSeedGenerator().next(), resolveSeed(null)];
    expect(second).toEqual(first);
    expect(first).toEqual(Array.from({ length: 3 }, (_, i) => randomU32(42, 0x53454544, i)));
    setRandomSeed(43);
    expect(getGlobalSeedGenerator().next()).not.toBe(first[0]);
  });

  it('new SeedGenerator() takes its seed from the global generator', () => {
    setRandomSeed(5);
    const expected = getGlobalSeedGenerator().next();
    setRandomSeed(5);
    expect(new SeedGenerator().seed).toBe(expected);
    expect(resolveSeed(99)).toBe(99);
  });

  it('rejects invalid seeds with the standard message', () => {
    for (const bad of [-1, 1.5, 2 ** 32, NaN, Infinity, '3', null]) {
      expect(() => setRandomSeed(bad as number)).toThrow(ValueError);
    }
    expect(() => setRandomSeed(-1)).toThrow(
      'Invalid seed for setRandomSeed: expected an integer in [0, 4294967295]. Received: seed=-1.',
    );
    expect(() => new SeedGenerator(2 ** 32)).toThrow(/Invalid seed for SeedGenerator.*\nhint: use `4294967296 >>> 0`/);
    expect(() => checkSeed(0.5, 'fit', 'seed')).toThrow('Invalid seed for fit');
    expect(checkSeed(MAX_SEED)).toBe(MAX_SEED);
  });
});

// ---------------------------------------------------------------------------
// Distributions
// ---------------------------------------------------------------------------
function moments(a: ArrayLike<number>): { mean: number; std: number; skew: number; kurt: number } {
  const m = mean(a);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - m;
    m2 += d * d;
    m3 += d ** 3;
    m4 += d ** 4;
  }
  m2 /= a.length;
  m3 /= a.length;
  m4 /= a.length;
  return { mean: m, std: Math.sqrt(m2), skew: m3 / m2 ** 1.5, kurt: m4 / (m2 * m2) };
}

describe('distributions', () => {
  it('fillUniform: range, moments, determinism, prefix stability, float32 = rounded float64', () => {
    const a = fillUniform(new Float64Array(N), 3, -2, 6);
    expect(a.every((x) => x >= -2 && x < 6)).toBe(true);
    const m = moments(a);
    expect(m.mean).toBeCloseTo(2, 1);
    expect(m.std).toBeCloseTo(8 / Math.sqrt(12), 1);
    expect(chiSquare(a.map((x) => (x + 2) / 8), 64)).toBeLessThan(CHI2_63_BOUND);
    expect(fillUniform(new Float64Array(N), 3, -2, 6)).toEqual(a);
    expect(fillUniform(new Float64Array(10), 3, -2, 6)).toEqual(a.subarray(0, 10));
    expect(fillUniform(new Float64Array(10), 4, -2, 6)).not.toEqual(a.subarray(0, 10));
    const f = fillUniform(new Float32Array(1000), 3, -2, 6);
    expect(Array.from(f)).toEqual(Array.from(a.subarray(0, 1000), Math.fround));
  });

  it('fillNormal: moments of N(mean, stddev²), odd lengths, determinism', () => {
    const a = fillNormal(new Float64Array(N), 11, 1.5, 0.5);
    const m = moments(a);
    expect(Math.abs(m.mean - 1.5)).toBeLessThan(0.01);
    expect(Math.abs(m.std / 0.5 - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.skew)).toBeLessThan(0.05);
    expect(Math.abs(m.kurt - 3)).toBeLessThan(0.1);
    // About 4.55% of a normal lies beyond 2 sd.
    const tail = a.filter((x) => Math.abs(x - 1.5) > 1).length / N;
    expect(Math.abs(tail - 0.0455)).toBeLessThan(0.004);
    const odd = fillNormal(new Float64Array(7), 11, 1.5, 0.5);
    expect(odd).toEqual(a.subarray(0, 7));
    expect(fillNormal(new Float32Array(7), 11, 1.5, 0.5)).toEqual(Float32Array.from(odd));
    // The cosine and sine halves of each pair are uncorrelated.
    const even = a.filter((_, i) => i % 2 === 0);
    const oddHalf = a.filter((_, i) => i % 2 === 1);
    expect(Math.abs(correlation(even, oddHalf))).toBeLessThan(0.02);
  });

  it('fillTruncatedNormal: bounded by 2 stddev, stddev ≈ 0.8796·stddev', () => {
    const a = fillTruncatedNormal(new Float64Array(N), 21, -1, 2);
    expect(a.every((x) => Math.abs(x + 1) <= 4)).toBe(true);
    const m = moments(a);
    expect(Math.abs(m.mean + 1)).toBeLessThan(0.02);
    expect(Math.abs(m.std / (2 * 0.87962566103423978) - 1)).toBeLessThan(0.02);
    expect(fillTruncatedNormal(new Float64Array(N), 21, -1, 2)).toEqual(a);
    const f = fillTruncatedNormal(new Float32Array(N), 21, 0, 1);
    expect(f.every((x) => Math.abs(x) <= 2)).toBe(true);
  });

  it('stddev 0 and zero-length outputs are fine', () => {
    expect(Array.from(fillNormal(new Float32Array(3), 1, 4, 0))).toEqual([4, 4, 4]);
    expect(fillTruncatedNormal(new Float64Array(0), 1)).toHaveLength(0);
  });

  it('shuffleIndices is a permutation, deterministic, and unbiased', () => {
    const p = shuffleIndices(1000, 77);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(shuffleIndices(1000, 77)).toEqual(p);
    expect(shuffleIndices(1000, 78)).not.toEqual(p);
    expect(shuffleIndices(0, 1)).toEqual(new Int32Array(0));
    expect(shuffleIndices(1, 1)).toEqual(new Int32Array([0]));
    // Where each element of a 4-element array lands, over many seeds: 16 cells, uniform.
    const counts = new Float64Array(16);
    const trials = 40000;
    for (let s = 0; s < trials; s++) {
      const q = shuffleIndices(4, s);
      for (let pos = 0; pos < 4; pos++) counts[q[pos] * 4 + pos]++;
    }
    const expected = trials / 4;
    let chi = 0;
    for (const c of counts) chi += (c - expected) ** 2 / expected;
    expect(chi).toBeLessThan(50); // 9 effective dof; P(χ²_9 > 50) < 1e-6
    // All 24 permutations of 4 appear about equally often.
    const perms = new Map<string, number>();
    for (let s = 0; s < 24000; s++) {
      const key = shuffleIndices(4, s).join('');
      perms.set(key, (perms.get(key) ?? 0) + 1);
    }
    expect(perms.size).toBe(24);
    for (const c of perms.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('validates arguments', () => {
    expect(() => fillUniform([] as unknown as Float32Array, 1)).toThrow(
      'Invalid out for fillUniform: expected a Float32Array or Float64Array. Received: out=[].',
    );
    expect(() => fillUniform(new Float32Array(1), 1, 2, 1)).toThrow('expected minval ≤ maxval');
    expect(() => fillNormal(new Float32Array(1), 1, 0, -1)).toThrow('Invalid stddev for fillNormal');
    expect(() => fillTruncatedNormal(new Float32Array(1), -3)).toThrow('Invalid seed for fillTruncatedNormal');
    expect(() => shuffleIndices(-1, 0)).toThrow('Invalid n for shuffleIndices');
    expect(() => shuffleIndices(2.5, 0)).toThrow(ValueError);
  });
});

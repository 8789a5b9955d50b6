/**
 * Shared helpers of the WebGPU kernel tests: seeded random inputs, a CPU twin of every GPU tensor, and a
 * closeness check that names the first element out of tolerance.
 */
import { expect } from 'vitest';
import type { ActivationSpec } from '../../../src/activations';
import type { Backend, DType } from '../../../src/backend/backend';
import { CpuBackend } from '../../../src/backend/cpu/cpu-backend';
import { createWebGpuBackend, type WebGpuBackend } from '../../../src/backend/webgpu/webgpu-backend';
import type { WebGpuFlags } from '../../../src/backend/webgpu/flags';
import { randomUniform01 } from '../../../src/random/counter-rng';
import type { Tensor } from '../../../src/tensor/tensor';
import type { GpuSuiteContext } from '../../setup/webgpu-env';

/** A seeded stream of uniforms in [0, 1) from the library's counter-based RNG, so failures reproduce. */
export function seeded(seed: number): () => number {
  let index = 0;
  return () => randomUniform01(seed, 0, index++);
}

/** `n` uniform values in [lo, hi), rounded to float32. */
export function uniform(rand: () => number, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
}

/** A WebGPU backend on the suite's device (the suite's error listener sees everything it does). */
export function gpuBackend(ctx: GpuSuiteContext, flags: Partial<WebGpuFlags> = {}): Promise<WebGpuBackend> {
  return createWebGpuBackend({ device: ctx.device, flags });
}

/** The same values on the CPU reference and on the GPU. */
export class Twins {
  readonly cpu = new CpuBackend();
  constructor(readonly gpu: Backend) {}

  upload(values: ArrayLike<number>, shape: number[], dtype: DType = 'float32'): [Tensor, Tensor] {
    return [this.cpu.upload(values, shape, dtype), this.gpu.upload(values, shape, dtype)];
  }

  alloc(shape: number[], dtype: DType = 'float32'): [Tensor, Tensor] {
    return [this.cpu.alloc(shape, dtype), this.gpu.alloc(shape, dtype)];
  }
}

/** What a twin product adds to `op(A)·op(B)`; `accumulate` starts the output (and preActivation) at random values. */
export interface MatmulExtras {
  bias?: boolean;
  activation?: ActivationSpec;
  pre?: boolean;
  accumulate?: boolean;
}

/**
 * One product from the same seeded inputs on both twins (A is [k, m] when transposed, B [n, k]); returns
 * [cpu, gpu] of the output and of the preActivation.
 */
export function twinMatmul(twins: Twins, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, extra: MatmulExtras = {}, seed = m * 131 + n * 17 + k) {
  const r = seeded(seed);
  const [ac, ag] = twins.upload(uniform(r, m * k), transposeA ? [k, m] : [m, k]);
  const [bc, bg] = twins.upload(uniform(r, k * n), transposeB ? [n, k] : [k, n]);
  const start = extra.accumulate ? uniform(r, m * n) : null;
  const [oc, og] = start ? twins.upload(start, [m, n]) : twins.alloc([m, n]);
  const [biasC, biasG] = extra.bias ? twins.upload(uniform(r, n), [n]) : [null, null];
  const [preC, preG] = extra.pre ? (start ? twins.upload(start, [m, n]) : twins.alloc([m, n])) : [null, null];
  const options = { transposeA, transposeB, activation: extra.activation ?? null, accumulate: extra.accumulate ?? false };
  twins.cpu.matmul(ac, bc, oc, { ...options, bias: biasC, preActivation: preC });
  twins.gpu.matmul(ag, bg, og, { ...options, bias: biasG, preActivation: preG });
  return { out: [oc, og] as const, pre: [preC, preG] as const };
}

/** `twinMatmul` in all four transpose combinations, each output within `tol` of the CPU's. */
export async function expectTransposesClose(twins: Twins, m: number, n: number, k: number, tol: Tolerance, seed?: number): Promise<void> {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const { out } = twinMatmul(twins, m, n, k, transposeA, transposeB, {}, seed);
      await expectTwinsClose(out[0], out[1], tol, `transposeA=${transposeA} transposeB=${transposeB}`);
    }
  }
}

export interface Tolerance {
  /** Relative to |expected|. */
  rtol: number;
  /** Absolute. */
  atol: number;
}

/** |actual − expected| ≤ atol + rtol·|expected| everywhere (NaN only where expected is NaN). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, { rtol, atol }: Tolerance, what = 'values'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      const excess = Number.isNaN(a) ? Infinity : Math.abs(a - e) - (atol + rtol * Math.abs(e));
      if (worst < 0 || excess > worstExcess) [worst, worstExcess] = [i, excess];
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol}).`);
  }
}

/** Read both twins and compare. */
export async function expectTwinsClose(cpu: Tensor, gpu: Tensor, tol: Tolerance, what?: string): Promise<void> {
  expectClose(await gpu.data(), await cpu.data(), tol, what);
}

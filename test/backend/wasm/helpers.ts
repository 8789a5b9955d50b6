/**
 * Shared helpers of the wasm backend's tests: backends with given flags (started once per flag set and
 * file), and the matmul tolerance. The twin helpers (seeded inputs, CPU twins, closeness) are the WebGPU
 * tests' ones: they only speak the backend contract.
 */
import { afterAll } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../../../src/backend/wasm/wasm-backend';
import type { WasmFlags } from '../../../src/backend/wasm/flags';

export { Twins, expectClose, expectTransposesClose, expectTwinsClose, seeded, twinMatmul, uniform, type Tolerance } from '../webgpu/helpers';

const started = new Map<string, Promise<WasmBackend>>();
afterAll(async () => {
  for (const backend of started.values()) (await backend).dispose();
  started.clear();
});

/** A wasm backend with these flags, started once per test file. */
export function wasmBackend(flags: Partial<WasmFlags> = {}): Promise<WasmBackend> {
  const key = JSON.stringify(flags);
  let backend = started.get(key);
  if (!backend) started.set(key, (backend = createWasmBackend({ flags })));
  return backend;
}

/**
 * The matmul's tolerance against the CPU: |wasm − cpu| ≤ 2⁻²²·|cpu| + 4·k·2⁻²⁴ for inputs in [−1, 1).
 * The CPU accumulates in float64 and rounds once; wasm accumulates k products in float32. Measured worst
 * |wasm − cpu| / k over every transpose combination, plain and relaxed SIMD: 0.67–1.06 × 2⁻²⁴ for
 * k = 36 … 4,100 (shapes up to 512×1024·1024×384); the bound leaves a factor of 4.
 */
export const matmulTolerance = (k: number) => ({ rtol: 2 ** -22, atol: 4 * Math.max(k, 1) * 2 ** -24 });

/**
 * The CPU backend's tunables. Pass them as `setBackend('cpu', { flags })` or `new CpuBackend(flags)`.
 */
import { checkOptions } from '../../utils/options';
import { DEFAULT_WASM_FLAGS } from '../wasm/flags';
import { DEFAULT_FLAGS as WEBGPU_FLAGS } from '../webgpu/flags';

export interface CpuFlags {
  /** Print the JavaScript generated for each formula as it is compiled (default false): WebGPU's printShaders. */
  printCode: boolean;
}

export const DEFAULT_CPU_FLAGS: Readonly<CpuFlags> = { printCode: false };

/**
 * The flags with defaults filled in, checked. The other built-in backends' flag names are accepted and
 * ignored (`setBackend('auto', { flags })` hands the same object to every backend it tries).
 */
export function resolveCpuFlags(flags: object | undefined): CpuFlags {
  const known = Object.keys(DEFAULT_CPU_FLAGS);
  const given = checkOptions(flags as Record<string, unknown> | undefined, 'the CPU backend flags', {
    known: [...known, ...Object.keys(WEBGPU_FLAGS), ...Object.keys(DEFAULT_WASM_FLAGS)],
  });
  const out: CpuFlags = { ...DEFAULT_CPU_FLAGS };
  if (given.printCode !== undefined) out.printCode = Boolean(given.printCode);
  return out;
}

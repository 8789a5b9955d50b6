/** The CPU's printCode flag (WebGPU's printShaders for the CPU): each formula's generated source, once. */
import { afterEach, expect, it, vi } from 'vitest';
import { getActivation } from '../../../src/activations';
import { CpuBackend } from '../../../src/backend/cpu/cpu-backend';

afterEach(() => vi.restoreAllMocks());

it('prints the JavaScript generated for a formula the first time it is compiled', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const backend = new CpuBackend({ printCode: true });
  const x = backend.upload([1, -2, 3], [1, 3], 'float32');
  const y = backend.alloc([1, 3], 'float32');
  const celu = getActivation({ name: 'celu', alpha: 0.7 });
  backend.activation(x, y, celu);
  backend.activation(x, y, celu);
  expect(log).toHaveBeenCalledTimes(1);
  const printed = String(log.mock.calls[0][0]);
  expect(printed).toMatch(/^\/\/ ---- cpu activation celu forward\n/);
  expect(printed).toContain('Math.expm1');
  expect(printed).toContain('for (let i = 0; i < n; i++)');
});

it("refuses an unknown flag and accepts the other backends' flag names (setBackend('auto') hands one object to all)", () => {
  expect(() => new CpuBackend({ printcode: true } as never)).toThrow(/printcode.*did you mean 'printCode'/s);
  expect(new CpuBackend({ threads: 1, matmulKernel: 'tiled', printCode: true } as never).flags).toEqual({ printCode: true });
});

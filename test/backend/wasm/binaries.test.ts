/**
 * The wasm backend's kernels are built from source by `npm run build:wasm` and inlined in
 * binaries.generated.ts: the committed file must equal a fresh build, the shared-memory variants made
 * from it must equal theirs, and every variant must be a module this engine accepts (relaxed SIMD ones
 * where the engine has relaxed SIMD).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasRelaxedSimd } from '../../../src/backend/wasm/features';
import { KERNEL_BINARIES } from '../../../src/backend/wasm/kernels/binaries.generated';
import { VARIANTS, buildKernelModule, shareMemory, variantName } from '../../../src/backend/wasm/kernels/module';
import { renderBinaries } from '../../../src/backend/wasm/kernels/render-binaries';

const generated = resolve(import.meta.dirname, '../../../src/backend/wasm/kernels/binaries.generated.ts');

describe('the inlined wasm kernels', () => {
  it('equal a fresh build of the kernel sources (run `npm run build:wasm` after changing them)', () => {
    expect(readFileSync(generated, 'utf8')).toBe(renderBinaries());
  });

  it('decode to the bytes the emitter builds, and give the shared-memory variants by one flag byte', () => {
    for (const variant of VARIANTS) {
      const unshared = Uint8Array.from(atob(KERNEL_BINARIES[variantName({ ...variant, shared: false })]), (c) => c.charCodeAt(0));
      const bytes = variant.shared ? shareMemory(unshared) : unshared;
      expect(bytes, variantName(variant)).toEqual(buildKernelModule(variant));
    }
  });

  it('are valid WebAssembly in every variant the engine supports', () => {
    const relaxed = hasRelaxedSimd();
    for (const variant of VARIANTS) {
      if (variant.relaxed && !relaxed) continue;
      expect(WebAssembly.validate(buildKernelModule(variant)), variantName(variant)).toBe(true);
    }
  });

  it('are refused as a whole when relaxed SIMD is missing, so the start-up probe decides alone', () => {
    // Node 20 has no relaxed SIMD without --experimental-wasm-relaxed-simd; elsewhere both validate.
    const relaxedModule = buildKernelModule({ relaxed: true, shared: false });
    expect(WebAssembly.validate(relaxedModule)).toBe(hasRelaxedSimd());
  });
});

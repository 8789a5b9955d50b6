/**
 * Split-k: whether a matmul cuts its inner dimension k into slices. A product with few output tiles and
 * a long k (the weight gradient xᵀ·dy of a large batch: m·n is a layer's weights, k the batch) keeps a
 * few units of work walking all of k while the rest of the device idles. Split, each slice of k is
 * summed by units of its own into partial sums, and a second pass adds the slices in a fixed order and
 * applies the epilogue (kernels/matmul.ts, shaders/matmul_split_k.wgsl).
 *
 * The rule: slices = min(⌊target / tiles⌋, ⌊k / MIN_K⌋), split when that is at least 2. `tiles` counts
 * the output's units of parallel work: 8×8 blocks (an invocation each) for the blocked kernel, 64×64
 * tiles (a workgroup each) for the tiled one. `target` is the units that keep the device busy.
 *
 * blocked (CPU adapters), target = one 64-invocation workgroup per CPU thread: SwiftShader runs a
 * workgroup on one thread, 4 invocations to a SIMD group, and the split grid packs (block, slice)
 * pairs so every lane works. Measured, xᵀ·dy, median of 5 × 4 products:
 * - here, SwiftShader on 2 busy cores (target 128): 128×10 (32 blocks) ran 2× faster split at every k
 *   from 512 to 8192 with 2–16 slices (k = 512: 3.9–4.0 → 1.3–2.0 ms; 4096: 19–32 → 7.8–9.5), 1.6× at
 *   k = 128 (1.0 → 0.63 ms); 10×1 (2 blocks) 3–4× (k = 512: 0.68 → 0.21 ms; 8192: 5.3 → 1.4); 64×10
 *   (16 blocks, k = 2048) 2.5×; 128×32 (64 blocks) 1.2–1.4× at best; 128×64 and 256×128 neither gained
 *   nor lost at 2 slices and lost at more; 784×128 and 512×512 only lost (512×512×64: 21 → 53–70 ms);
 *   at k = 64 (10×1) nothing changed.
 * - SwiftShader on 16 cores (an H200 machine's CPU, target 1024): the best slice counts brought the grid
 *   to 1024 invocations: 128×10×4096 24.5 → 1.8 ms at 32 slices, 64×10×2048 6.8 → 0.8 at 64, 128×32×2048
 *   19.7 → 1.9 at 16, 128×64×4096 32 → 7.5 at 8–32, 256×128×1024 10.0 → 7.4 at 2.
 * tiled (GPUs), target 96 workgroups, measured on an NVIDIA H200 (132 SMs) through Dawn and Vulkan:
 * 128×10×4096 (2 tiles) 326 → 55–57 µs at 32–64 slices, 128×10×32768 2497 → 82–89 at 64–128, 10×1×8192
 * 602 → 58–62, 256×256×8192 (16 tiles) 617 → 147 at 8, 784×128×4096 (26 tiles) 314 → 108–137 at 4–8,
 * 128×10×512 61 → 40–41 at 8–16 (32–64 values of k a slice); 784×128×256 gained nothing and 512×512×1024
 * (64 tiles) lost at 2 slices (90 → 103 µs), hence ⌊96 / tiles⌋. Other GPUs have fewer cores; a split
 * there costs only the partial sums' traffic.
 */
import { hardwareThreads } from '../device';
import type { MatmulKernel } from './matmul';

/** `'auto'`: by the rule above; `'always'`: wherever k allows two slices (tests); `'never'`. */
export type SplitKMode = 'auto' | 'always' | 'never';

/** How a product is split: `slices` slices of `kSlice` values of k each (1 slice: not split). */
export interface SplitK {
  slices: number;
  kSlice: number;
}

/** k values per slice are a multiple of this: the tiled kernel's k step, and vec4 alignment for the blocked one. */
export const K_ALIGN = 8;
/** The fewest values of k worth a slice of their own (10×1×64 gained nothing at 32 a slice, above). */
const MIN_K = 64;
/** Units of work that keep a GPU busy: workgroups of the tiled kernel (H200, above). */
const TILED_TARGET = 96;
/** Invocations of the blocked kernel per CPU thread: one workgroup each (SwiftShader, above). */
const BLOCKED_PER_THREAD = 64;
/** CPU threads assumed where the platform does not say (Node 20 has no navigator.hardwareConcurrency). */
const DEFAULT_THREADS = 4;

/**
 * The split of a product whose output is `tiles` units of `kernel`'s work, with inner dimension `k`.
 * `'always'` takes up to the same number of slices but as short as K_ALIGN, and at least 2.
 */
export function splitK(kernel: MatmulKernel, tiles: number, k: number, mode: SplitKMode, threads = hardwareThreads() ?? DEFAULT_THREADS): SplitK {
  const none = { slices: 1, kSlice: k };
  if (mode === 'never') return none;
  const target = kernel === 'blocked' ? BLOCKED_PER_THREAD * threads : TILED_TARGET;
  const wanted = Math.min(Math.floor(target / tiles), Math.floor(k / (mode === 'always' ? K_ALIGN : MIN_K)));
  if (wanted < 2 && mode === 'auto') return none;
  const kSlice = Math.ceil(k / Math.max(2, wanted) / K_ALIGN) * K_ALIGN;
  const slices = Math.ceil(k / kSlice);
  return slices < 2 ? none : { slices, kSlice };
}

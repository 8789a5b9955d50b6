/**
 * Rounding a float64 parameter to float32 in a chosen direction, so that comparing a float32 value with
 * it on the GPU gives the same answer as the CPU's float64 comparison: for a float32 z,
 * `z ≤ v ⟺ z ≤ down(v)`, `z > v ⟺ z > down(v)`, `z < v ⟺ z < up(v)`, `z ≥ v ⟺ z ≥ up(v)`.
 */
const bits = new Float32Array(1);
const word = new Int32Array(bits.buffer);

/** The float32 next to `f` (itself a float32) towards +∞ (`dir` 1) or −∞ (`dir` −1). */
function nextFloat32(f: number, dir: 1 | -1): number {
  if (f === 0) return dir * 1.401298464324817e-45;
  bits[0] = f;
  word[0] += (f > 0 ? 1 : -1) * dir;
  return bits[0];
}
/** Largest float32 ≤ v. */
export const down = (v: number) => (Math.fround(v) <= v ? Math.fround(v) : nextFloat32(Math.fround(v), -1));
/** Smallest float32 ≥ v. */
export const up = (v: number) => (Math.fround(v) >= v ? Math.fround(v) : nextFloat32(Math.fround(v), 1));

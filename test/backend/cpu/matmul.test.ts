import { describe, it, expect } from 'vitest';
import { matmul, type FloatArray } from '../../../src/backend/cpu/matmul';
import { ShapeError, ValueError } from '../../../src/errors';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** mulberry32: a tiny seeded PRNG, so failures reproduce. Values in [-1, 1). */
function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

function randomArray(Type: Ctor, length: number, random: () => number): FloatArray {
  const x = new Type(length);
  for (let i = 0; i < length; i++) x[i] = random();
  return x;
}

/**
 * Naive reference in float64 (float32 inputs are exact in float64). Returns the expected values and,
 * per element, the scale |c0| + Σ_p |op(A)[i,p]|·|op(B)[p,j]| that rounding errors are measured against.
 */
function reference(
  a: FloatArray, b: FloatArray, c0: FloatArray | null, m: number, n: number, k: number, tA: boolean, tB: boolean,
): { expected: Float64Array; scale: Float64Array } {
  const expected = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = c0 ? c0[i * n + j] : 0;
      let abs = Math.abs(sum);
      for (let p = 0; p < k; p++) {
        const x = a[tA ? p * m + i : i * k + p] * b[tB ? j * k + p : p * n + j];
        sum += x;
        abs += Math.abs(x);
      }
      expected[i * n + j] = sum;
      scale[i * n + j] = abs;
    }
  }
  return { expected, scale };
}

/**
 * Tolerances, relative to the element's scale |c0| + Σ|a||b| (an absolute error bound for a dot product
 * is a multiple of that sum; relative to |ref| alone it would blow up wherever terms cancel):
 * - float64: 1e-12. Any correct summation order has error ≤ k·2⁻⁵³·scale ≈ 7e-14·scale for k = 600,
 *   and so does the reference, so 1e-12 leaves room for both while catching any indexing mistake (O(1)).
 * - float32: 1e-6·√k. The kernel accumulates in double and rounds to float32 once per 256-step block
 *   (error ≈ a few 2⁻²⁴ ≈ 6e-8 of scale); the √k allowance also admits a float32 accumulator, whose
 *   error grows like √k·2⁻²⁴ for random data. Wrong results are off by O(scale), far above either.
 */
function tolerance(Type: Ctor, k: number): number {
  return Type === Float64Array ? 1e-12 : 1e-6 * Math.sqrt(Math.max(k, 1));
}

/** Element-wise equality; much faster than toEqual on large typed arrays. */
function sameValues(x: FloatArray, y: FloatArray): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

const TYPES: [string, Ctor][] = [['float32', Float32Array], ['float64', Float64Array]];

/**
 * [m, n, k]: ones, odd sizes, sizes that are not multiples of the 4×4 tile, m above the 128-row
 * block, n above the 1024-column block, and k above the 256-step block (600 = 2 full blocks + 88).
 */
const SIZES: [number, number, number][] = [
  [1, 1, 1], [1, 5, 3], [3, 1, 5], [5, 3, 1], [4, 4, 4], [8, 8, 8],
  [17, 33, 65], [33, 17, 5], [65, 3, 17],
  [130, 33, 17], [5, 257, 33], [130, 257, 3],
  [33, 65, 600], [5, 17, 257], [3, 1030, 5], [130, 6, 513],
];

const VARIANTS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

describe('matmul', () => {
  for (const [typeName, Type] of TYPES) {
    for (const [tA, tB] of VARIANTS) {
      for (const accumulate of [false, true]) {
        const label = `${typeName} transposeA=${tA} transposeB=${tB} accumulate=${accumulate}`;
        it(`matches a naive float64 product: ${label}`, () => {
          const random = makeRandom(1234 + (tA ? 1 : 0) + (tB ? 2 : 0) + (accumulate ? 4 : 0));
          for (const [m, n, k] of SIZES) {
            const a = randomArray(Type, m * k, random);
            const b = randomArray(Type, k * n, random);
            const out = randomArray(Type, m * n, random);
            const c0 = accumulate ? Type.from(out) : null;
            const aCopy = Type.from(a);
            const bCopy = Type.from(b);
            const { expected, scale } = reference(a, b, c0, m, n, k, tA, tB);

            const result = matmul(a, b, out, m, n, k, tA, tB, accumulate);

            expect(result).toBe(out);
            expect(sameValues(a, aCopy) && sameValues(b, bCopy), 'inputs unchanged').toBe(true);
            const tol = tolerance(Type, k);
            let worst = 0;
            for (let i = 0; i < m * n; i++) {
              worst = Math.max(worst, Math.abs(out[i] - expected[i]) / (scale[i] || 1));
            }
            expect(worst, `m=${m} n=${n} k=${k}`).toBeLessThanOrEqual(tol);
          }
        });
      }
    }
  }

  it('leaves out untouched past m·n', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const b = new Float32Array([5, 6, 7, 8]);
    const out = new Float32Array(6).fill(9);
    matmul(a, b, out, 2, 2, 2);
    expect(Array.from(out)).toEqual([19, 22, 43, 50, 9, 9]);
  });

  it('handles zero-size dimensions', () => {
    for (const [, Type] of TYPES) {
      // k = 0: the product is all zeros, or out is unchanged when accumulating.
      const out = new Type([1, 2, 3, 4, 5, 6]);
      matmul(new Type(0), new Type(0), out, 2, 3, 0, false, false, true);
      expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const [tA, tB] of VARIANTS) {
        out.set([1, 2, 3, 4, 5, 6]);
        expect(matmul(new Type(0), new Type(0), out, 2, 3, 0, tA, tB)).toBe(out);
        expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
      }
      // m = 0 or n = 0: out has no elements to write; nothing else is touched.
      const guard = new Type([7, 7]);
      matmul(new Type(0), new Type(6), guard, 0, 3, 2);
      matmul(new Type(8), new Type(0), guard, 4, 0, 2, true, true);
      matmul(new Type(0), new Type(0), guard, 0, 0, 0);
      expect(Array.from(guard)).toEqual([7, 7]);
    }
  });

  it('rejects arrays that are too small, bad dimensions and aliasing', () => {
    const x = new Float32Array(4);
    expect(() => matmul(x, new Float32Array(3), new Float32Array(4), 2, 2, 2)).toThrow(ShapeError);
    expect(() => matmul(x, new Float32Array(4), new Float32Array(4), 2, 2, 1.5)).toThrow(ShapeError);
    expect(() => matmul(x, new Float32Array(4), new Float32Array(4), -1, 2, 2)).toThrow(ShapeError);
    expect(() => matmul(x, new Float32Array(4), x, 2, 2, 2)).toThrow(ValueError);
  });
});

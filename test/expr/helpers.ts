/**
 * Shared helpers of the expression-language tests: evaluating an expression through the JavaScript target
 * (in float64, or simulating float32), a central finite difference with Richardson extrapolation, and the
 * grids the derivative checks use.
 */
import { compileElementFn } from '../../src/expr/emit-js';
import type { Expr } from '../../src/expr/expr';
import { jsProgram } from '../../src/expr/emit-js';
import { uniformValues } from '../../src/expr/program';

/** `e` as a function of the named inputs (scalars from `scalars`), through the JavaScript target. */
export function jsFunction(e: Expr, inputs: string[], scalars: Record<string, number> = {}, float32 = false): (...args: number[]) => number {
  const fn = compileElementFn([e], inputs, { float32 });
  const program = jsProgram([e], { float32 });
  const u = uniformValues(program, scalars, new Float64Array(program.uniforms.length), float32);
  const out = new Float64Array(1);
  const args = new Float64Array(inputs.length);
  return (...values: number[]) => {
    values.forEach((v, i) => (args[i] = float32 ? Math.fround(v) : v));
    fn(args, u, out);
    return out[0];
  };
}

/**
 * f′(x) by central differences at steps h and h/2 combined by Richardson extrapolation (truncation
 * O(h⁴)), with a bound on its rounding error: 8ε·max|f|/h (a difference of nearly equal values of a
 * nearly flat f resolves no better) plus the rounding of x ± h itself, 8ε|x|/h relative. The step is 1e-5 of |x| (at least 1e-7), and 1e-3 of the distance
 * to the nearest kink (or edge of the domain) at most, so a difference never straddles one and the
 * function is smooth on its scale.
 */
export function numericDerivative(f: (x: number) => number, x: number, kinks: readonly number[] = []): { value: number; rounding: number } {
  let h = 1e-5 * Math.max(Math.abs(x), 1e-2);
  for (const k of kinks) if (k !== x) h = Math.min(h, Math.abs(x - k) * 1e-3);
  const c = (s: number) => (f(x + s) - f(x - s)) / (2 * s);
  const scale = Math.max(Math.abs(f(x - h)), Math.abs(f(x + h)), Math.abs(f(x)));
  const value = (4 * c(h / 2) - c(h)) / 3;
  // x ± h is itself rounded (to ε|x|): a relative error of ε|x|/h in the step.
  const step = (4 * 2 ** -52 * Math.abs(x)) / (h / 2);
  return { value, rounding: (8 * 2 ** -52 * scale) / (h / 2) + step * Math.abs(value) };
}

/** Points of a derivative check: a spread over [lo, hi], ±80 and tiny magnitudes where in range, and both sides of each kink. */
export function grid(lo: number, hi: number, kinks: readonly number[] = []): number[] {
  const points = new Set<number>();
  for (let i = 0; i <= 40; i++) points.add(lo + ((hi - lo) * (i + 0.37)) / 41);
  for (const v of [80, -80, 1e-8, -1e-8, 1e-30, -1e-30, 3e-4, -3e-4]) if (v > lo && v < hi) points.add(v);
  for (const k of kinks) for (const d of [1e-6, 1e-3, 0.1]) for (const v of [k - d, k + d]) if (v > lo && v < hi) points.add(v);
  return [...points].filter((v) => !kinks.includes(v));
}

/** |actual − expected| ≤ rtol·|expected| + atol. */
export function close(actual: number, expected: number, rtol: number, atol = 0): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= rtol * Math.abs(expected) + atol;
}

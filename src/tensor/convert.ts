/**
 * Turning user data (nested arrays, typed arrays with a shape, tensors) into flat host arrays and tensors,
 * with the checks every entry point shares: rectangular nesting, numbers only, finite values.
 */
import type { DType, TypedArray } from '../backend/backend';
import { currentBackend } from '../backend/registry';
import { getFloatx } from '../config';
import { ShapeError, ValueError, describe, invalid } from '../errors';
import { sizeOf } from './shape';
import { Tensor, type NestedArray } from './tensor';

/** Anything accepted where data goes in. */
export type TensorLike = Tensor | NestedArray | TypedArray | number[];

/** Flat values and their shape, on the host. */
export interface HostArray {
  values: Float32Array | Float64Array | Int32Array;
  shape: number[];
}

/** Shape of a nested array, checking that it is rectangular. */
function nestedShape(value: NestedArray, where: string, what: string): number[] {
  const shape: number[] = [];
  let probe: NestedArray = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const check = (v: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        throw new ValueError(`Invalid ${what} for ${where}: expected numbers only. Received: ${describe(v)} at ${what}${path}.`);
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        `Invalid ${what} for ${where}: expected a rectangular (non-ragged) array of shape [${shape}]. ` +
          `Received: ${Array.isArray(v) ? `length ${v.length}` : describe(v)} at ${what}${path}.` +
          `\nhint: every row must have the same length; pad or trim the data first.`,
      );
    }
    for (let i = 0; i < v.length; i++) check(v[i], dim + 1, `${path}[${i}]`);
  };
  check(value, 0, '');
  return shape;
}

function flattenNested(value: NestedArray, size: number, out: Float64Array): void {
  let i = 0;
  const walk = (v: NestedArray) => {
    if (Array.isArray(v)) for (const item of v) walk(item);
    else out[i++] = v;
  };
  walk(value);
  if (i !== size) throw new ShapeError(`Internal: flattened ${i} values, expected ${size}.`);
}

/** Largest float32; anything larger in magnitude rounds to ±Infinity (from 2¹²⁸ − 2¹⁰³ on). */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Throw a ValueError naming the first NaN or infinite value, checked in the dtype the values are computed
 * in: in float32, 1e39 is finite in JavaScript but becomes Infinity once converted.
 */
export function checkFinite(values: ArrayLike<number>, shape: readonly number[], what: string, where: string, dtype: DType = 'float64'): void {
  const in32 = dtype === 'float32';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(in32 ? Math.fround(v) : v)) {
      const cols = shape.length > 1 ? sizeOf(shape.slice(1)) : 1;
      const overflow = Number.isFinite(v);
      invalid({
        what,
        where,
        expected: overflow ? `finite numbers in ${dtype} (|x| ≤ ${FLOAT32_MAX.toExponential(7)})` : 'finite numbers (no NaN or Infinity)',
        received: `${v} at sample ${Math.floor(i / cols)}, feature ${i % cols}`,
        hint: overflow ? 'scale the data; float32 overflows to Infinity above 3.4e38.' : 'clean or impute missing values before training.',
      });
    }
  }
}

/**
 * Flat host values of any accepted input. A typed array or flat number array without a shape is taken as
 * given by `shape` (when provided) or as 1-D.
 */
export async function toHostArray(data: TensorLike, what: string, where: string, shape?: readonly number[]): Promise<HostArray> {
  if (data instanceof Tensor) {
    // The storage check, not the user's: a call holding the tensor may read it after a dispose.
    data.assertLive(where);
    return { values: (await data.backend.read(data)) as HostArray['values'], shape: [...data.shape] };
  }
  if (ArrayBuffer.isView(data)) {
    const values = data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array ? data : Float64Array.from(data as ArrayLike<number>);
    return { values, shape: shape ? [...shape] : [values.length] };
  }
  if (!Array.isArray(data)) {
    throw new ValueError(
      `Invalid ${what} for ${where}: expected a Tensor, a nested array of numbers or a typed array. Received: ${describe(data)}.`,
    );
  }
  return nestedToHostArray(data, what, where);
}

/** A nested array of numbers, checked rectangular and numeric, as flat float64 values and a shape (synchronous). */
export function nestedToHostArray(data: NestedArray, what: string, where: string): HostArray {
  const nested = nestedShape(data, where, what);
  const values = new Float64Array(sizeOf(nested));
  flattenNested(data, values.length, values);
  return { values, shape: nested };
}

/**
 * Make a tensor on the current backend: `keras.tensor([[1, 2], [3, 4]])`,
 * `keras.tensor(float32Array, [2, 2])`, `keras.tensor([1, 2, 3], null, 'int32')`.
 */
export function tensor(values: TensorLike, shape?: number[] | null, dtype?: DType): Tensor {
  if (shape != null && (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))) {
    invalid({ what: 'shape', where: 'tensor', expected: 'an array of non-negative integers (or nothing)', received: describe(shape) });
  }
  if (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32') {
    invalid({ what: 'dtype', where: 'tensor', expected: "'float32', 'float64' or 'int32'", received: describe(dtype) });
  }
  if (values instanceof Tensor) return values;
  if (typeof values !== 'number' && !Array.isArray(values) && !ArrayBuffer.isView(values)) {
    invalid({ what: 'values', where: 'tensor', expected: 'a number, a nested array of numbers or a typed array', received: describe(values) });
  }
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    inferred = [flat.length];
  } else if (typeof values === 'number') {
    flat = [values];
    inferred = [];
  } else {
    const nested = nestedShape(values as NestedArray, 'tensor', 'values');
    const out = new Float64Array(sizeOf(nested));
    flattenNested(values as NestedArray, out.length, out);
    flat = out;
    inferred = nested;
  }
  const finalShape = shape ?? inferred;
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(
      `Invalid shape for tensor: expected ${flat.length} elements to fill it. Received: shape [${finalShape}] (${sizeOf(finalShape)} elements).`,
    );
  }
  const type: DType = dtype ?? (values instanceof Int32Array ? 'int32' : values instanceof Float64Array && getFloatx() === 'float64' ? 'float64' : getFloatx());
  return currentBackend().upload(flat, finalShape, type);
}

/**
 * What a dataset element is, and how its parts become flat blocks.
 *
 * An element is `x`, a tuple `[x]`, `[x, y]`, `[x, y, sampleWeight]` (Keras's tuples), or an object
 * `{ xs, ys?, sampleWeight? }` (TF.js's names). A JavaScript array at the top of an element is always
 * a tuple, never a feature vector: a lone vector is `[x]`, `{ xs: x }`, or a typed array. Each part is a
 * number, a nested array of numbers, a typed array (1-D), a `{ values, shape }` shaped array or a Tensor.
 */
import type { TypedArray } from '../backend/backend';
import { ShapeError, ValueError, describe } from '../errors';
import { nestedToHostArray, toHostArray } from '../tensor/convert';
import { sizeOf } from '../tensor/shape';
import { Tensor, type NestedArray } from '../tensor/tensor';

/** A flat typed array read as an n-dimensional array of `shape` (row-major). */
export interface ShapedArray<V extends TypedArray = TypedArray> {
  /** The values, row-major. */
  values: V;
  /** Dimensions, outermost first; their product is `values.length`. */
  shape: number[];
}

/**
 * One part of a batch: contiguous float values and their shape `[rows, ...sample]`. Float32Array when
 * every sample of the part was float32 (a Float32Array or a float32 tensor), else Float64Array, so no
 * precision is lost before the consumer converts to its compute dtype.
 */
export type BatchArray = ShapedArray<Float32Array | Float64Array>;

/** One part of an element: the x, y or sample weight of one sample (or of one batch). */
export type ElementValue = number | NestedArray | TypedArray | ShapedArray | Tensor;

/** The element forms a dataset may hold (see the module comment). */
export type Element =
  | ElementValue
  | [ElementValue]
  | [ElementValue, ElementValue]
  | [ElementValue, ElementValue, ElementValue]
  | { xs: ElementValue; ys?: ElementValue; sampleWeight?: ElementValue };

/** A batch: the element's form, each part a {@link BatchArray}. */
export type Batch =
  | BatchArray
  | [BatchArray]
  | [BatchArray, BatchArray]
  | [BatchArray, BatchArray, BatchArray]
  | { xs: BatchArray; ys?: BatchArray; sampleWeight?: BatchArray };

/** The batch that `batch()` makes of elements of type `T` (same form, parts as {@link BatchArray}). */
export type BatchOf<T> = T extends readonly unknown[]
  ? number extends T['length']
    ? Batch
    : { [K in keyof T]: BatchArray }
  : T extends { xs: unknown }
    ? { [K in keyof T]: BatchArray }
    : BatchArray;

/** The role of a part: what fit reads it as. */
export type Role = 'x' | 'y' | 'sampleWeight';

const ROLES: readonly Role[] = ['x', 'y', 'sampleWeight'];
const KEYS = { xs: 'x', ys: 'y', sampleWeight: 'sampleWeight' } as const;

/** The form of an element: bare x, a tuple of 1 to 3 parts, or an object with some of xs/ys/sampleWeight. */
export interface Structure {
  readonly kind: 'bare' | 'tuple' | 'object';
  /** Roles of the parts, in order. */
  readonly roles: readonly Role[];
  /** Names of the parts for messages: the roles for a tuple or a lone x, the keys (`xs`, `ys`, …) for an object. */
  readonly names: readonly string[];
  /** A short description (`[x, y]`, `{ xs, ys }`, `x`), equal for equal structures. */
  readonly signature: string;
}

// Made once: every element of a stream is split, so its structure should cost nothing.
const BARE: Structure = { kind: 'bare', roles: ['x'], names: ['x'], signature: 'x' };
const TUPLES: Structure[] = [1, 2, 3].map((n) => {
  const roles = ROLES.slice(0, n);
  return { kind: 'tuple', roles, names: roles, signature: `[${roles.join(', ')}]` };
});

/** True for `{ values, shape }` with a typed array and an array of dimensions. */
export function isShapedArray(value: unknown): value is ShapedArray {
  const v = value as ShapedArray | null;
  return typeof v === 'object' && v !== null && ArrayBuffer.isView(v.values) && Array.isArray(v.shape);
}

function isPart(value: unknown): boolean {
  return typeof value === 'number' || Array.isArray(value) || ArrayBuffer.isView(value) || value instanceof Tensor || isShapedArray(value);
}

const FORMS = '[x], [x, y], [x, y, sampleWeight], { xs, ys?, sampleWeight? } or a lone x (number, typed array, shaped array, tensor)';

function badElement(where: string, index: number, value: unknown, hint: string): never {
  throw new ValueError(`Invalid element ${index} for ${where}: expected ${FORMS}. Received: ${describe(value)}.\nhint: ${hint}`);
}

/** Split an element into its structure and its parts (in role order). */
export function splitElement(element: unknown, where: string, index: number): { structure: Structure; parts: unknown[] } {
  if (Array.isArray(element)) {
    if (element.length < 1 || element.length > 3) {
      badElement(where, index, element, 'a JavaScript array at the top of an element is a tuple; wrap a feature vector as [x] or { xs: x }, or yield a Float32Array.');
    }
    return { structure: TUPLES[element.length - 1], parts: element };
  }
  if (isPart(element)) return { structure: BARE, parts: [element] };
  if (typeof element === 'object' && element !== null) {
    const keys = Object.keys(element).filter((k) => (element as Record<string, unknown>)[k] !== undefined);
    const unknown = keys.filter((k) => !(k in KEYS));
    if (unknown.length > 0 || !keys.includes('xs')) {
      const named = unknown.length > 0 ? `'${unknown[0]}' is not one of them` : 'xs is missing';
      badElement(where, index, element, `the parts of an object element are named xs, ys and sampleWeight (TF.js's names); ${named}.`);
    }
    const names = (Object.keys(KEYS) as (keyof typeof KEYS)[]).filter((k) => keys.includes(k));
    const parts = names.map((k) => (element as Record<string, unknown>)[k]);
    return { structure: { kind: 'object', roles: names.map((k) => KEYS[k]), names, signature: `{ ${names.join(', ')} }` }, parts };
  }
  return badElement(where, index, element, 'map each element to [x, y] or { xs, ys } first.');
}

/** Rebuild an element of `structure` from its parts. */
export function joinElement<P>(structure: Structure, parts: P[]): P | P[] | Record<string, P> {
  if (structure.kind === 'bare') return parts[0];
  if (structure.kind === 'tuple') return parts;
  return Object.fromEntries(structure.names.map((n, i) => [n, parts[i]]));
}

/** A part on the host: flat values (a number array for a lone number) and a shape. */
export interface Block {
  values: TypedArray | number[];
  shape: number[];
}

/**
 * A part as a {@link Block}: a nested array is checked and flattened, a typed array is 1-D, a shaped
 * array is checked, typed arrays are used as they are (no copy); only a tensor needs a promise (it is
 * read on its backend), so plain data costs no await per element.
 */
export function toBlock(value: unknown, what: string, where: string): Block | Promise<Block> {
  if (typeof value === 'number') return { values: [value], shape: [] };
  if (isShapedArray(value)) {
    const { values, shape } = value;
    if (!shape.every((d) => Number.isInteger(d) && d >= 0) || sizeOf(shape) !== values.length) {
      throw new ShapeError(`Invalid ${what} for ${where}: expected a shaped array whose shape holds its ${values.length} values. Received: shape [${shape}].`);
    }
    return { values: value.values, shape: [...shape] };
  }
  if (ArrayBuffer.isView(value)) return { values: value as TypedArray, shape: [(value as TypedArray).length] };
  if (Array.isArray(value)) return nestedToHostArray(value, what, where);
  if (value instanceof Tensor) return toHostArray(value, what, where);
  throw new ValueError(`Invalid ${what} for ${where}: expected a number, a nested array of numbers, a typed array, a { values, shape } array or a Tensor. Received: ${describe(value)}.`);
}

/** True when the values of a block came as float32. */
export function isFloat32(block: Block): boolean {
  return block.values instanceof Float32Array;
}

/**
 * Stack blocks of one sample shape into a batch part `[rows, ...sample]`, in float32 when every block
 * is float32, else float64 (see {@link BatchArray}).
 */
export function stackBlocks(blocks: readonly Block[], sample: readonly number[]): BatchArray {
  const size = sizeOf(sample);
  const values = blocks.every(isFloat32) ? new Float32Array(blocks.length * size) : new Float64Array(blocks.length * size);
  for (let i = 0; i < blocks.length; i++) values.set(blocks[i].values, i * size);
  return { values, shape: [blocks.length, ...sample] };
}

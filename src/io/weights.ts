/**
 * Weight bytes ↔ named arrays. Stored weights are little-endian `float32` (TF.js has no `float64`), and
 * the optimizer's step count is an `int32` scalar, as TF.js writes it. Decoding checks every spec against
 * the bytes before anything is used, so a truncated or hostile file fails here with nothing applied.
 */
import { ValueError, describe, invalid, received } from '../errors';
import type { WeightsManifestEntry } from './types';

/** A decoded weight. `values` is a fresh array the caller owns. */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
  group: 'model' | 'optimizer';
}

const BYTES: Record<string, number> = { float32: 4, int32: 4 };

/** Number of elements of a checked shape. */
function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** One buffer from a buffer or a list of shards. */
export function joinBuffers(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  if (!Array.isArray(data)) return data;
  if (data.length === 1) return data[0];
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Specs and bytes for weights, in the given order (model weights as float32). */
export function encodeWeights(weights: NamedWeight[]): { specs: WeightsManifestEntry[]; data: ArrayBuffer } {
  const total = weights.reduce((n, w) => n + w.values.length * 4, 0);
  const bytes = new Uint8Array(total);
  const specs: WeightsManifestEntry[] = [];
  let offset = 0;
  for (const w of weights) {
    const typed = w.values instanceof Int32Array ? w.values : Float32Array.from(w.values);
    bytes.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), offset);
    offset += typed.byteLength;
    const spec: WeightsManifestEntry = { name: w.name, shape: [...w.shape], dtype: w.values instanceof Int32Array ? 'int32' : 'float32' };
    if (w.group === 'optimizer') spec.group = 'optimizer';
    specs.push(spec);
  }
  return { specs, data: bytes.buffer };
}

/** Validate one manifest entry's structure; returns its byte size. */
function checkSpec(spec: unknown, index: number, where: string): number {
  const what = `weightSpecs[${index}]`;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    invalid({ what, where, expected: 'an object { name, shape, dtype }', received: describe(spec) });
  }
  const s = spec as Record<string, unknown>;
  if (typeof s.name !== 'string' || s.name.length === 0) {
    invalid({ what: `${what}.name`, where, expected: 'a non-empty string', received: received('name', s.name) });
  }
  const shape = s.shape;
  if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    invalid({ what: `shape of weight '${s.name}'`, where, expected: 'an array of at most 8 non-negative integers', received: received('shape', shape) });
  }
  if (s.quantization != null) {
    invalid({
      what: `weight '${s.name}'`,
      where,
      expected: 'unquantized float32 values',
      received: `quantization=${describe(s.quantization)}`,
      hint: 'convert the model again without weight quantization.',
    });
  }
  if (typeof s.dtype !== 'string' || !(s.dtype in BYTES)) {
    invalid({ what: `dtype of weight '${s.name}'`, where, expected: "'float32' (or 'int32' for the optimizer step count)", received: received('dtype', s.dtype) });
  }
  if (s.group !== undefined && s.group !== 'model' && s.group !== 'optimizer') {
    invalid({ what: `group of weight '${s.name}'`, where, expected: "'model' or 'optimizer'", received: received('group', s.group) });
  }
  const bytes = elementCount(shape as number[]) * BYTES[s.dtype];
  if (!Number.isSafeInteger(bytes)) {
    invalid({ what: `shape of weight '${s.name}'`, where, expected: 'a size that fits in memory', received: received('shape', shape) });
  }
  return bytes;
}

/** Check every spec (structure, dtype, unique names); returns each one's byte size. */
export function checkSpecs(specs: unknown, where: string): number[] {
  if (!Array.isArray(specs)) {
    invalid({ what: 'weightSpecs', where, expected: 'an array of { name, shape, dtype } entries', received: describe(specs) });
  }
  const sizes = specs.map((s, i) => checkSpec(s, i, where));
  const seen = new Set<string>();
  for (const s of specs as WeightsManifestEntry[]) {
    if (seen.has(s.name)) invalid({ what: 'weightSpecs', where, expected: 'unique weight names', received: `'${s.name}' twice` });
    seen.add(s.name);
  }
  return sizes;
}

/** The error for weight bytes that are not what the specs describe. */
export function wrongByteCount(expected: number, got: number, count: number, where: string): never {
  throw new ValueError(
    `Invalid weight data for ${where}: expected ${expected} bytes for ${count} weights. Received: ${got} bytes.` +
      `\nhint: ${got < expected ? 'the weights file is truncated or belongs to another model' : 'the weights file holds more than its manifest describes'}.`,
  );
}

/**
 * Decode all weights after checking the specs (structure, dtype, unique names) and that the bytes hold
 * exactly what the specs describe.
 */
export function decodeWeights(specs: unknown, data: unknown, where: string): NamedWeight[] {
  const sizes = checkSpecs(specs, where);
  const typed = specs as WeightsManifestEntry[];
  const isBuffer = (b: unknown) => b instanceof ArrayBuffer || Object.prototype.toString.call(b) === '[object ArrayBuffer]';
  if (!(isBuffer(data) || (Array.isArray(data) && data.every(isBuffer)))) {
    invalid({ what: 'weightData', where, expected: 'an ArrayBuffer (or an array of ArrayBuffer shards)', received: describe(data) });
  }
  const buffer = joinBuffers(data as ArrayBuffer | ArrayBuffer[]);
  const expected = sizes.reduce((a, b) => a + b, 0);
  if (buffer.byteLength !== expected) wrongByteCount(expected, buffer.byteLength, typed.length, where);
  let offset = 0;
  return typed.map((s, i) => {
    const slice = buffer.slice(offset, offset + sizes[i]);
    offset += sizes[i];
    const values = s.dtype === 'int32' ? new Int32Array(slice) : new Float32Array(slice);
    return { name: s.name, shape: [...s.shape], values, group: s.group === 'optimizer' ? 'optimizer' : 'model' };
  });
}

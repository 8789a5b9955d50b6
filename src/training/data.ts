/**
 * Checking and converting the data given to fit/evaluate/predict, once per call, before any weight is
 * touched: a failed call changes nothing. Inside the library a dataset is 2-D `[samples, features]`.
 */
import type { Backend } from '../backend/backend';
import { getFloatx } from '../config';
import { ShapeError, invalid } from '../errors';
import type { Loss } from '../losses';
import type { Sequential } from '../models/sequential';
import { checkFinite, toHostArray, type HostArray, type TensorLike } from '../tensor/convert';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** Inputs as `[n, features]`, checked against (or building) the model. */
export async function prepareInputs(model: Sequential, x: TensorLike, where: string, what = 'x'): Promise<HostArray> {
  const expected = model.inputShape;
  const host = await toHostArray(x, what, where);
  // A flat typed array carries no shape: read it as samples of the model's input shape.
  if (ArrayBuffer.isView(x) && expected) host.shape = [host.values.length / sizeOf(expected), ...expected];
  if (host.shape[0] === 0) invalid({ what, where, expected: 'at least one sample', received: `an empty dataset (shape [${host.shape}])` });
  if (host.shape.length < 2 || !Number.isInteger(host.shape[0])) {
    throw new ShapeError(
      `Invalid ${what} for ${where}: expected a batch of samples, shape [samples, ...features]. Received: shape [${host.shape}].` +
        `\nhint: wrap a single sample in an array: [[…]].`,
    );
  }
  const n = host.shape[0];
  const sample = host.shape.slice(1);
  if (!expected) model.build(sample);
  else if (!shapesEqual(sample, expected)) {
    throw new ShapeError(
      `Invalid ${what} for ${where}: expected samples of shape ${formatShape(expected)} (the model's input). Received: ${formatShape(sample)} (data shape [${host.shape}]).`,
    );
  }
  checkFinite(host.values, host.shape, what, where, getFloatx());
  return { values: host.values, shape: [n, sizeOf(sample)] };
}

/**
 * Inputs for `backend`. A float tensor already on it, of the model's input shape, with only finite values,
 * is used in place as a `[n, features]` view: no readback, no copy (what makes repeated `predict` and
 * `evaluate` calls on GPU-resident data cheap). Anything else goes through `prepareInputs` on the host.
 */
export async function inputsFor(backend: Backend, model: Sequential, x: TensorLike, where: string, what = 'x'): Promise<Tensor | HostArray> {
  const view = await inPlaceView(backend, model, x);
  return view ?? prepareInputs(model, x, where, what);
}

async function inPlaceView(backend: Backend, model: Sequential, x: TensorLike): Promise<Tensor | null> {
  // A tensor disposed during the call is still held by it (holdTensors), so its storage is there.
  if (!(x instanceof Tensor) || x.backend !== backend || x.dtype !== getFloatx()) return null;
  const [n, ...sample] = x.shape;
  if (sample.length === 0 || !(n > 0) || sample.some((d) => !(d > 0))) return null;
  const expected = model.inputShape;
  if (expected && !shapesEqual(sample, expected)) return null; // the host path names the mismatch
  const features = sizeOf(sample);
  const view = new Tensor([n, features], x.dtype, backend, x.handle);
  // Column sums carry any NaN or Infinity into the result: one small read instead of the whole tensor.
  // A sum that overflows to Infinity from finite values sends the data to the host path, which accepts it.
  const sums = backend.alloc([features], x.dtype);
  try {
    backend.sumRows(view, sums);
    if (!(await sums.data()).every(Number.isFinite)) return null;
  } finally {
    sums.dispose();
  }
  if (!expected) model.build(sample);
  return view;
}

/**
 * Hold every tensor among `values` for the duration of a call:
 * a tensor the call uses in place and the user disposes meanwhile keeps its storage until the returned
 * function runs. Throws a StateError (releasing what it held) if one is already disposed.
 */
export function holdTensors(values: unknown[], where: string): () => void {
  const releases: (() => void)[] = [];
  const release = () => releases.forEach((r) => r());
  try {
    for (const v of values) if (v instanceof Tensor) releases.push(v.hold(where));
  } catch (error) {
    release();
    throw error;
  }
  return release;
}

/** A device tensor for data that may still be on the host; `dispose` releases only what was uploaded here. */
export function onDevice(backend: Backend, data: Tensor | HostArray): { tensor: Tensor; dispose(): void } {
  if (data instanceof Tensor) return { tensor: data, dispose: () => {} };
  const tensor = upload(backend, data);
  return { tensor, dispose: () => tensor.dispose() };
}

/** Targets as `[n, cols]`, and the shape they were given in (which resolves `'accuracy'`). */
export interface Targets extends HostArray {
  labelShape: number[];
}

/** Targets as `[n, cols]`, checked against the loss and the model's output. */
export async function prepareTargets(model: Sequential, loss: Loss, y: TensorLike, n: number, where: string, what = 'y'): Promise<Targets> {
  const host = await toHostArray(y, what, where);
  const units = sizeOf(model.outputShape!);
  if (ArrayBuffer.isView(y)) {
    const len = host.values.length;
    host.shape = loss.sparseLabels || units === 1 ? [len] : [len / units, units];
  }
  if ((host.shape[0] ?? 0) !== n) {
    throw new ShapeError(
      `Invalid ${what} for ${where}: expected ${n} samples, one per input sample. Received: ${host.shape[0] ?? 0} samples (shape [${host.shape}]).` +
        `\nhint: x and y must have the same length.`,
    );
  }
  const cols = host.shape.length === 1 ? 1 : sizeOf(host.shape.slice(1));
  checkFinite(host.values, host.shape, what, where, getFloatx());
  if (loss.sparseLabels) {
    if (cols !== 1) {
      throw new ShapeError(`Invalid ${what} for ${where}: expected integer class labels, shape [${n}] or [${n}, 1], for sparse_categorical_crossentropy. Received: shape [${host.shape}].\nhint: use categorical_crossentropy for one-hot targets.`);
    }
    for (let i = 0; i < n; i++) {
      const label = host.values[i];
      if (!Number.isInteger(label) || label < 0 || label >= units) {
        invalid({ what: `${what} label`, where, expected: `an integer class index in [0, ${units - 1}] (the output has ${units} units)`, received: `${label} at sample ${i}` });
      }
    }
  } else if (cols !== units) {
    throw new ShapeError(
      `Invalid ${what} for ${where}: expected targets with ${units} value(s) per sample to match the model's output. Received: shape [${host.shape}].` +
        (loss.kind === 'categorical_crossentropy' && cols === 1 ? `\nhint: one-hot encode the labels, or use sparse_categorical_crossentropy.` : ''),
    );
  }
  if (loss.kind === 'binary_crossentropy') {
    for (let i = 0; i < host.values.length; i++) {
      const t = host.values[i];
      if (t < 0 || t > 1) invalid({ what, where, expected: 'targets in [0, 1] for binary_crossentropy', received: `${t} at element ${i}` });
    }
  }
  return { values: host.values, shape: [n, cols], labelShape: [...host.shape] };
}

/** Rows `[from, to)` of a host array. */
export function sliceRows(data: HostArray, from: number, to: number): HostArray {
  const cols = data.shape[1];
  return { values: data.values.subarray(from * cols, to * cols), shape: [to - from, cols] };
}

/** Upload a host array as a float tensor in floatx. */
export function upload(backend: Backend, data: HostArray): Tensor {
  return backend.upload(data.values, data.shape, getFloatx());
}

/**
 * `[start, rows]` of one batch of each size that `batches` batches of `batchSize` over `n` samples meet
 * (wrapping around the data): the full batch and, when it is reached, the smaller last one.
 */
export function batchShapes(n: number, batchSize: number, batches = Math.ceil(n / batchSize)): [start: number, rows: number][] {
  const first: [number, number] = [0, Math.min(batchSize, n)];
  const lastStart = (Math.min(batches, Math.ceil(n / batchSize)) - 1) * batchSize;
  const lastRows = Math.min(batchSize, n - lastStart);
  return lastRows === first[1] ? [first] : [first, [lastStart, lastRows]];
}

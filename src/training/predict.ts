/** `model.predict`: inference in batches, outputs gathered into one tensor the caller owns. */
import { checkPositiveInt } from '../errors';
import { ready } from '../backend/registry';
import { CallbackList, type Callback } from '../callbacks/callback';
import { callbacksFrom, type LambdaCallbackArgs } from '../callbacks/lambda-callback';
import { checkOptions } from '../utils/options';
import { getFloatx } from '../config';
import type { Sequential } from '../models/sequential';
import type { TensorLike } from '../tensor/convert';
import type { Tensor } from '../tensor/tensor';
import { batchShapes, holdTensors, inputsFor, onDevice } from './data';
import { arange } from './evaluate';
import { checkVerbose, progressFor } from './progress';
import { StepPlan } from './step';

/** Options of `predict`. */
export interface PredictArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** 0 silent, 1 a progress bar, 2 one line at the end (default 1 on a terminal, else 2), as in `fit`. */
  verbose?: 0 | 1 | 2;
  /** Callbacks (their `onPredict*` hooks run), as in `fit`: Callback objects or plain objects of hooks. */
  callbacks?: Callback | LambdaCallbackArgs | (Callback | LambdaCallbackArgs)[] | null;
}

export async function predictModel(model: Sequential, x: TensorLike, options: PredictArgs | undefined): Promise<Tensor> {
  const where = 'predict';
  model.assertUsable(where);
  const args = checkOptions(options, where, { known: ['batchSize', 'callbacks', 'verbose'], notImplemented: { steps: 'predict runs over all of x' } });
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize', where);
  const verbose = checkVerbose(args.verbose, where);
  const callbackList = callbacksFrom(args.callbacks, where);
  const release = holdTensors([x], where);
  try {
    return await predictHeld(model, x, batchSize, verbose, callbackList, where);
  } finally {
    release();
  }
}

async function predictHeld(model: Sequential, x: TensorLike, batchSize: number, verbose: 0 | 1 | 2, callbackList: Callback[], where: string): Promise<Tensor> {
  const backend = await ready();
  const inputs = await inputsFor(backend, model, x, where);
  await model.placeOn(backend);
  const dtype = getFloatx();
  const [n, features] = inputs.shape;
  const outShape = model.outputShape!;
  const units = outShape.reduce((a, b) => a * b, 1);
  const plan = new StepPlan(model, backend);
  const xDevice = onDevice(backend, inputs);
  const xData = xDevice.tensor;
  const order = arange(backend, n);
  const result = backend.alloc([n, ...outShape], dtype);
  const progress = progressFor(verbose);
  const callbacks = new CallbackList([...callbackList, ...(progress ? [progress] : [])]);
  const params = { epochs: 1, steps: Math.ceil(n / batchSize), verbose };
  for (const c of callbacks.callbacks) {
    c.setModel(model);
    c.setParams(params);
  }
  const ctx = { backend, training: false, step: 0, runSeed: 0, logitsLayer: null };
  /** Rows `[start, start + rows)` of x through the model, into the same rows of the result. */
  const predictBatch = (start: number, rows: number) => {
    const xb = plan.scratch('x', [rows, features], dtype);
    backend.gatherRows(xData, order, start, xb);
    backend.copy(plan.forward(xb, ctx), result, start * units);
    backend.flush();
  };
  try {
    await plan.compileAhead(() => batchShapes(n, batchSize).forEach(([start, rows]) => predictBatch(start, rows)));
    await callbacks.call('onPredictBegin');
    for (let start = 0, batch = 0; start < n; start += batchSize, batch++) {
      const rows = Math.min(batchSize, n - start);
      await callbacks.call('onPredictBatchBegin', batch, { batch, size: rows });
      predictBatch(start, rows);
      await callbacks.call('onPredictBatchEnd', batch, { batch, size: rows });
    }
    await callbacks.call('onPredictEnd');
  } catch (error) {
    result.dispose();
    throw error;
  } finally {
    xDevice.dispose();
    order.dispose();
    plan.dispose();
  }
  return result;
}

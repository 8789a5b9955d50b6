/** `model.evaluate` and the validation pass of `fit`: inference-mode forward, loss and metrics summed on the device. */
import { checkPositiveInt } from '../errors';
import type { Backend } from '../backend/backend';
import { ready } from '../backend/registry';
import { CallbackList, type Callback, type Logs } from '../callbacks/callback';
import { callbacksFrom, type LambdaCallbackArgs } from '../callbacks/lambda-callback';
import type { Loss } from '../losses';
import { checkOptions } from '../utils/options';
import { getFloatx } from '../config';
import type { Sequential } from '../models/sequential';
import type { TensorLike } from '../tensor/convert';
import type { Tensor } from '../tensor/tensor';
import { batchShapes, holdTensors, inputsFor, onDevice, prepareTargets, upload } from './data';
import { checkVerbose, progressFor } from './progress';
import { Accumulators, StepPlan } from './step';

/** Options of `evaluate`. */
export interface EvaluateArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** 0 silent, 1 a progress bar, 2 one line at the end (default 1 on a terminal, else 2), as in `fit`. */
  verbose?: 0 | 1 | 2;
  /** Callbacks (their `onTest*` hooks run), as in `fit`: Callback objects or plain objects of hooks. */
  callbacks?: Callback | LambdaCallbackArgs | (Callback | LambdaCallbackArgs)[] | null;
}

/** An int32 tensor 0, 1, …, n − 1, so contiguous batches can use the same gather as shuffled ones. */
export function arange(backend: Backend, n: number): Tensor {
  return backend.upload(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32');
}

/** Device-resident data for repeated evaluation (fit's validation set is uploaded once). */
export interface DeviceData {
  x: Tensor;
  y: Tensor;
  order: Tensor;
}

/** Gather rows `[start, start + rows)` of `data` and add their loss and metrics to `acc` (inference mode). */
function evaluateBatch(plan: StepPlan, data: DeviceData, start: number, rows: number, acc: Accumulators): void {
  const { backend } = plan;
  const dtype = getFloatx();
  const xb = plan.scratch('eval_x', [rows, data.x.shape[1]], dtype);
  const yb = plan.scratch('eval_y', [rows, data.y.shape[1]], dtype);
  backend.gatherRows(data.x, data.order, start, xb);
  backend.gatherRows(data.y, data.order, start, yb);
  plan.accumulate(plan.forward(xb, { backend, training: false, step: 0, runSeed: 0, logitsLayer: plan.fused }), yb, acc, false);
  backend.flush();
}

/** One batch of each size a pass over `data` meets, for `StepPlan.compileAhead` (changes nothing). */
export function recordEvaluation(plan: StepPlan, data: DeviceData, batchSize: number, acc: Accumulators): void {
  for (const [start, rows] of batchShapes(data.x.shape[0], batchSize)) evaluateBatch(plan, data, start, rows, acc);
}

/** One pass over `data` in inference mode; returns logs with keys prefixed by `prefix`. */
export async function runEvaluation(
  plan: StepPlan,
  data: DeviceData,
  batchSize: number,
  acc: Accumulators,
  prefix: string,
  callbacks: CallbackList | null,
): Promise<Logs> {
  const n = data.x.shape[0];
  acc.reset();
  for (let start = 0, batch = 0; start < n; start += batchSize, batch++) {
    const rows = Math.min(batchSize, n - start);
    await callbacks?.call('onTestBatchBegin', batch, { batch, size: rows });
    evaluateBatch(plan, data, start, rows, acc);
    await callbacks?.call('onTestBatchEnd', batch, { batch, size: rows });
  }
  return acc.read(prefix);
}

export async function evaluateModel(model: Sequential, x: TensorLike, y: TensorLike, options: EvaluateArgs | undefined): Promise<Logs> {
  const where = 'evaluate';
  model.assertUsable(where);
  const { loss } = model.requireCompiled(where);
  const args = checkOptions(options, where, {
    known: ['batchSize', 'callbacks', 'verbose'],
    notImplemented: { sampleWeight: 'repeat or drop samples to weight them', steps: 'evaluate runs over all of x', returnDict: 'evaluate always returns { loss, <metric>: … }' },
  });
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize', where);
  const verbose = checkVerbose(args.verbose, where);
  const callbackList = callbacksFrom(args.callbacks, where);
  const release = holdTensors([x, y], where);
  try {
    return await evaluateHeld(model, loss, x, y, batchSize, verbose, callbackList, where);
  } finally {
    release();
  }
}

async function evaluateHeld(model: Sequential, loss: Loss, x: TensorLike, y: TensorLike, batchSize: number, verbose: 0 | 1 | 2, callbackList: Callback[], where: string): Promise<Logs> {
  const backend = await ready();
  const inputs = await inputsFor(backend, model, x, where);
  const yHost = await prepareTargets(model, loss, y, inputs.shape[0], where);
  await model.placeOn(backend);
  const plan = new StepPlan(model, backend, yHost.labelShape);
  const xDevice = onDevice(backend, inputs);
  const data = { x: xDevice.tensor, y: upload(backend, yHost), order: arange(backend, inputs.shape[0]) };
  const acc = new Accumulators(backend, plan.metrics, yHost.shape[1], getFloatx());
  const progress = progressFor(verbose);
  const callbacks = new CallbackList([...callbackList, ...(progress ? [progress] : [])]);
  const params = { epochs: 1, steps: Math.ceil(inputs.shape[0] / batchSize), verbose };
  for (const c of callbacks.callbacks) {
    c.setModel(model);
    c.setParams(params);
  }
  try {
    await plan.compileAhead(() => recordEvaluation(plan, data, batchSize, acc));
    await callbacks.call('onTestBegin');
    const logs = await runEvaluation(plan, data, batchSize, acc, '', callbacks);
    await callbacks.call('onTestEnd', logs);
    return logs;
  } finally {
    xDevice.dispose();
    data.y.dispose();
    data.order.dispose();
    acc.dispose();
    plan.dispose();
  }
}

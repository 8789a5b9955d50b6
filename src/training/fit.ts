/**
 * `model.fit`: checks everything first (a failed call changes nothing), uploads the data once, then per
 * epoch uploads only a shuffled index permutation; each batch is gathered on the device. Losses and
 * metrics are summed on the device and read once per epoch (and, where reads are cheap or throttled,
 * for progress).
 */
import { getBackendInstance, ready } from '../backend/registry';
import { Callback, CallbackList, type Logs } from '../callbacks/callback';
import { callbacksFrom, type LambdaCallbackArgs } from '../callbacks/lambda-callback';
import { History } from '../callbacks/history';
import { getFloatx } from '../config';
import { checkNumberInRange, checkPositiveInt, DeviceError, invalid, received } from '../errors';
import type { Backend } from '../backend/backend';
import type { Loss } from '../losses';
import type { Sequential } from '../models/sequential';
import { SeedGenerator, checkSeed, getGlobalSeedGenerator, shuffleIndices } from '../random';
import type { HostArray, TensorLike } from '../tensor/convert';
import type { Tensor } from '../tensor/tensor';
import { checkOptions } from '../utils/options';
import { batchShapes, holdTensors, inputsFor, onDevice, prepareInputs, prepareTargets, sliceRows, upload } from './data';
import { arange, recordEvaluation, runEvaluation } from './evaluate';
import { ProgressLogger, defaultVerbose } from './progress';
import { Accumulators, StepPlan } from './step';

/** Options of `fit`, Keras names in camelCase. */
export interface FitArgs {
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Index of the last epoch to run, exclusive (default 1). */
  epochs?: number;
  /** 0 silent, 1 progress per batch, 2 one line per epoch (default 1 on a terminal, else 2). */
  verbose?: 0 | 1 | 2;
  /**
   * Callbacks: Callback objects or plain objects of hook functions (TF.js's `{ onEpochEnd(epoch, logs) {} }`,
   * any hook of `Callback`, plus `onBatchBegin`/`onBatchEnd`/`onYield`), one or an array.
   */
  callbacks?: Callback | LambdaCallbackArgs | (Callback | LambdaCallbackArgs)[] | null;
  /** Fraction in [0, 1) of the data, taken from the end, kept for validation (default 0). */
  validationSplit?: number;
  /** `[xVal, yVal]` to validate on (takes precedence over validationSplit). */
  validationData?: [TensorLike, TensorLike];
  /** Shuffle the training data every epoch (default true). */
  shuffle?: boolean;
  /** Epoch to start from, to resume a run (default 0). */
  initialEpoch?: number;
  /** Batches per epoch (default: all of the data); more than the data holds wraps around it. */
  stepsPerEpoch?: number;
  /** Validate every N epochs, or at the listed 1-based epochs (default 1). */
  validationFreq?: number | number[];
  /** Batch size of validation (default: batchSize). */
  validationBatchSize?: number;
  /** Seed of the shuffles and dropout masks of this run (default: from the global seed). */
  seed?: number;
}

/** Options after validation. */
interface FitOptions {
  batchSize: number;
  epochs: number;
  initialEpoch: number;
  validationSplit: number;
  stepsPerEpoch: number | null;
  validationFreq: number | number[];
  validationBatchSize: number;
  verbose: 0 | 1 | 2;
  callbacks: Callback[];
  shuffle: boolean;
  seed: number | undefined;
}

const FIT_OPTIONS = [
  'batchSize', 'epochs', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle', 'initialEpoch', 'stepsPerEpoch',
  'validationFreq', 'validationBatchSize', 'seed',
];
const FIT_NOT_IMPLEMENTED: Record<string, string> = {
  sampleWeight: 'repeat or drop samples to weight them',
  classWeight: 'repeat or drop samples of a class to weight it',
  validationSteps: 'validation runs over all of validationData',
  yieldEvery: 'fit yields to the event loop about every 100 ms by itself',
};

/** Check every option before anything happens (errors in the one template). */
function checkFitArgs(options: FitArgs | undefined, where: string): FitOptions {
  const args = checkOptions(options, where, { known: FIT_OPTIONS, notImplemented: FIT_NOT_IMPLEMENTED });
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize', where);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) invalid({ what: 'initialEpoch', where, expected: 'a non-negative integer', received: received('initialEpoch', initialEpoch) });
  const validationFreq = args.validationFreq ?? 1;
  const freqOk = Array.isArray(validationFreq) ? validationFreq.every((e) => Number.isInteger(e) && e > 0) : Number.isInteger(validationFreq) && validationFreq > 0;
  if (!freqOk) invalid({ what: 'validationFreq', where, expected: 'a positive integer or an array of 1-based epoch numbers', received: received('validationFreq', validationFreq) });
  if (args.seed !== undefined) checkSeed(args.seed, where);
  if (args.verbose !== undefined && args.verbose !== 0 && args.verbose !== 1 && args.verbose !== 2) invalid({ what: 'verbose', where, expected: '0, 1 or 2', received: received('verbose', args.verbose) });
  return {
    batchSize,
    epochs: checkPositiveInt(args.epochs ?? 1, 'epochs', where),
    initialEpoch,
    validationSplit: checkNumberInRange(args.validationSplit ?? 0, 'validationSplit', where, 0, 1, { highOpen: true }),
    stepsPerEpoch: args.stepsPerEpoch === undefined ? null : checkPositiveInt(args.stepsPerEpoch, 'stepsPerEpoch', where),
    validationFreq,
    validationBatchSize: checkPositiveInt(args.validationBatchSize ?? batchSize, 'validationBatchSize', where),
    // Keras's 'auto': a live bar on a terminal, one line per epoch elsewhere.
    verbose: args.verbose ?? defaultVerbose(),
    callbacks: callbacksFrom(args.callbacks, where),
    shuffle: args.shuffle ?? true,
    seed: args.seed,
  };
}

/**
 * Training and validation data, checked, split as Keras does (validationSplit takes the end). Inputs
 * already on the backend are used in place unless validationSplit must cut them on the host.
 */
async function prepareFitData(backend: Backend, model: Sequential, loss: Loss, x: TensorLike, y: TensorLike, args: FitArgs, options: FitOptions, where: string) {
  let xTrain = options.validationSplit > 0 && !args.validationData ? await prepareInputs(model, x, where) : await inputsFor(backend, model, x, where);
  const targets = await prepareTargets(model, loss, y, xTrain.shape[0], where);
  const labelShape = targets.labelShape;
  let yTrain: HostArray = targets;
  let validation: { x: Tensor | HostArray; y: HostArray } | null = null;
  if (args.validationData) {
    if (!Array.isArray(args.validationData) || args.validationData.length !== 2) invalid({ what: 'validationData', where, expected: '[xVal, yVal]', received: received('validationData', args.validationData) });
    const xVal = await inputsFor(backend, model, args.validationData[0], where, 'validationData[0]');
    validation = { x: xVal, y: await prepareTargets(model, loss, args.validationData[1], xVal.shape[0], where, 'validationData[1]') };
  } else if (options.validationSplit > 0) {
    const n = xTrain.shape[0];
    const split = Math.floor(n * (1 - options.validationSplit));
    if (split === 0 || split === n) invalid({ what: 'validationSplit', where, expected: `a fraction leaving at least one sample on each side of ${n} samples`, received: received('validationSplit', options.validationSplit) });
    const host = xTrain as HostArray;
    validation = { x: sliceRows(host, split, n), y: sliceRows(yTrain, split, n) };
    [xTrain, yTrain] = [sliceRows(host, 0, split), sliceRows(yTrain, 0, split)];
  }
  return { xTrain, yTrain, validation, labelShape };
}

function shouldValidate(freq: number | number[], epoch: number): boolean {
  return Array.isArray(freq) ? freq.includes(epoch + 1) : (epoch + 1) % freq === 0;
}

/** Let the page (or Node's event loop) breathe during long CPU work. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function fitModel(model: Sequential, x: TensorLike, y: TensorLike, args: FitArgs | undefined): Promise<History> {
  const where = 'fit';
  model.assertUsable(where);
  const { loss } = model.requireCompiled(where);
  const options = checkFitArgs(args, where);
  const fitArgs = args ?? {};
  // Tensors used in place stay alive until fit ends, even if disposed meanwhile.
  const release = holdTensors([x, y, ...(Array.isArray(fitArgs.validationData) ? fitArgs.validationData : [])], where);
  try {
    // Data: checked (on the host, or in place on the device) before any weight changes.
    const backend = await ready();
    const data = await prepareFitData(backend, model, loss, x, y, fitArgs, options, where);
    model.beginFit();
    const owned: { dispose(): void }[] = [];
    try {
      await model.placeOn(backend);
      return await runEpochs(model, backend, data, options, <T extends { dispose(): void }>(t: T): T => (owned.push(t), t));
    } finally {
      for (const t of owned) t.dispose();
      model.endFit();
    }
  } finally {
    release();
  }
}

/** The epoch loop; every tensor it makes goes through `own` so the caller releases it. */
async function runEpochs(
  model: Sequential,
  backend: Backend,
  { xTrain, yTrain, validation, labelShape }: Awaited<ReturnType<typeof prepareFitData>>,
  options: FitOptions,
  own: <T extends { dispose(): void }>(t: T) => T,
): Promise<History> {
  const seeds = new SeedGenerator(options.seed ?? getGlobalSeedGenerator().next());
  const runSeed = seeds.next();
  const dtype = getFloatx();
  const [n, features] = xTrain.shape;
  const labelCols = yTrain.shape[1];
  const stepsAvailable = Math.ceil(n / options.batchSize);
  const steps = options.stepsPerEpoch ?? stepsAvailable;
  const plan = own(new StepPlan(model, backend, labelShape));
  const xData = own(onDevice(backend, xTrain)).tensor;
  const yData = own(upload(backend, yTrain));
  const indices = own(backend.alloc([n], 'int32'));
  const inOrder = options.shuffle ? null : Int32Array.from({ length: n }, (_, i) => i);
  const acc = own(new Accumulators(backend, plan.metrics, labelCols, dtype));
  const val = validation && {
    x: own(onDevice(backend, validation.x)).tensor,
    y: own(upload(backend, validation.y)),
    order: own(arange(backend, validation.x.shape[0])),
    acc: own(new Accumulators(backend, plan.metrics, labelCols, dtype)),
  };
  const history = new History();
  const progress = options.verbose === 0 ? null : new ProgressLogger(options.verbose);
  // As in Keras, History and the progress bar come last: they see what user callbacks add to the logs.
  const callbacks = new CallbackList([...options.callbacks, history, ...(progress ? [progress] : [])]);
  const params = { epochs: options.epochs, steps, verbose: options.verbose, samples: n, batchSize: options.batchSize, doValidation: val !== null };
  for (const c of callbacks.callbacks) {
    c.setModel(model);
    c.setParams(params);
  }
  const batchHooks = callbacks.wants('onTrainBatchBegin') || callbacks.wants('onTrainBatchEnd');
  const yieldHooks = callbacks.wants('onYield');
  // Per-batch loss values need a read: every batch where reads are cheap, else at most once a second.
  const batchLogsWanted = options.callbacks.some((c) => c.onTrainBatchEnd !== Callback.prototype.onTrainBatchEnd) || progress?.wantsBatchLogs;
  let lastRead = 0;
  let lastBatchLogs: Logs = {};
  /** Gather rows `[start, start + rows)` of this epoch's permutation and train on them. */
  const trainBatch = (start: number, rows: number) => {
    const xb = plan.scratch('x', [rows, features], dtype);
    const yb = plan.scratch('y', [rows, labelCols], dtype);
    backend.gatherRows(xData, indices, start, xb);
    backend.gatherRows(yData, indices, start, yb);
    plan.trainStep(xb, yb, acc, { backend, training: true, step: model.optimizer.iterations, runSeed, logitsLayer: plan.fused });
  };
  // One step of each batch size (and of validation) recorded, so every kernel compiles now, not in a step.
  await plan.compileAhead(() => {
    for (const [start, rows] of batchShapes(n, options.batchSize, steps)) trainBatch(start, rows);
    if (val) recordEvaluation(plan, val, options.validationBatchSize, val.acc);
  });
  model.stopTraining = false;
  model.history = history;
  // Where the device can be lost (a GPU), the weights of the last completed epoch are kept on the host.
  let lastGood = backend.readsAreCheap ? null : await model.snapshot();

  // Yield to the event loop every 100 ms of work, across epochs too (short epochs would never yield).
  let lastYield = Date.now();
  await callbacks.call('onTrainBegin');
  try {
    for (let epoch = options.initialEpoch; epoch < options.epochs && !model.stopTraining; epoch++) {
      await callbacks.call('onEpochBegin', epoch);
      backend.write(indices, inOrder ?? shuffleIndices(n, seeds.next()));
      acc.reset();
      for (let step = 0; step < steps && !model.stopTraining; step++) {
        // stepsPerEpoch beyond the data wraps around it.
        const start = (step % stepsAvailable) * options.batchSize;
        const rows = Math.min(options.batchSize, n - start);
        if (batchHooks) await callbacks.call('onTrainBatchBegin', step, { batch: step, size: rows });
        trainBatch(start, rows);
        if (batchHooks) {
          let logs: Logs = {};
          if (batchLogsWanted && (backend.readsAreCheap || Date.now() - lastRead > 1000)) {
            logs = await acc.read();
            lastRead = Date.now();
            lastBatchLogs = logs;
          }
          await callbacks.call('onTrainBatchEnd', step, { batch: step, size: rows, ...logs });
        }
        if (Date.now() - lastYield > 100) {
          await yieldToEventLoop();
          if (yieldHooks) await callbacks.call('onYield', epoch, step, { ...lastBatchLogs });
          lastYield = Date.now();
        }
      }
      const logs = await acc.read();
      if (val && shouldValidate(options.validationFreq, epoch)) {
        Object.assign(logs, await runEvaluation(plan, val, options.validationBatchSize, val.acc, 'val_', null));
      }
      if (lastGood) lastGood = await model.snapshot();
      await callbacks.call('onEpochEnd', epoch, logs);
    }
  } catch (error) {
    if (error instanceof DeviceError && lastGood) {
      model.restoreSnapshot(lastGood, await getBackendInstance('cpu'));
      error.message += '\nThe model keeps the weights of its last completed epoch (now on the CPU backend); call fit again to continue, on any backend.';
    }
    throw error;
  }
  await callbacks.call('onTrainEnd');
  return history;
}

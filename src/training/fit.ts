/**
 * `model.fit`: checks everything first (a failed call changes nothing), uploads the data once, then per
 * epoch uploads only a shuffled index permutation; each batch is gathered on the device. Losses and
 * metrics are summed on the device and read once per epoch (and, where reads are cheap or throttled,
 * for progress).
 */
import { ready } from '../backend/registry';
import { Callback, CallbackList, type Logs } from '../callbacks/callback';
import { History } from '../callbacks/history';
import { getFloatx } from '../config';
import { checkNumberInRange, invalid, received } from '../errors';
import type { RunContext } from '../layers/layer';
import type { Sequential } from '../models/sequential';
import { SeedGenerator, getGlobalSeedGenerator, shuffleIndices } from '../random';
import type { TensorLike } from '../tensor/convert';
import { positiveIntOption, prepareInputs, prepareTargets, sliceRows, upload } from './data';
import { arange, runEvaluation } from './evaluate';
import { ProgressLogger } from './progress';
import { Accumulators, StepPlan } from './step';

/** Options of `fit`, Keras names in camelCase. */
export interface FitArgs {
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Index of the last epoch to run, exclusive (default 1). */
  epochs?: number;
  /** 0 silent, 1 progress per batch, 2 one line per epoch (default 1 on a terminal, else 2). */
  verbose?: 0 | 1 | 2;
  callbacks?: Callback[];
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

function shouldValidate(freq: number | number[], epoch: number): boolean {
  return Array.isArray(freq) ? freq.includes(epoch + 1) : (epoch + 1) % freq === 0;
}

/** Let the page (or Node's event loop) breathe during long CPU work. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function fitModel(model: Sequential, x: TensorLike, y: TensorLike, args: FitArgs): Promise<History> {
  const where = 'fit';
  const { loss } = model.requireCompiled(where);
  const batchSize = positiveIntOption(args.batchSize ?? 32, 'batchSize', where);
  const epochs = positiveIntOption(args.epochs ?? 1, 'epochs', where);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) invalid({ what: 'initialEpoch', where, expected: 'a non-negative integer', received: received('initialEpoch', initialEpoch) });
  const validationSplit = checkNumberInRange(args.validationSplit ?? 0, 'validationSplit', where, 0, 1, { highOpen: true });
  const stepsPerEpoch = args.stepsPerEpoch === undefined ? null : positiveIntOption(args.stepsPerEpoch, 'stepsPerEpoch', where);
  const validationFreq = args.validationFreq ?? 1;
  if (!(Array.isArray(validationFreq) ? validationFreq.every((e) => Number.isInteger(e) && e > 0) : Number.isInteger(validationFreq) && validationFreq > 0)) {
    invalid({ what: 'validationFreq', where, expected: 'a positive integer or an array of 1-based epoch numbers', received: received('validationFreq', validationFreq) });
  }
  const valBatchSize = positiveIntOption(args.validationBatchSize ?? batchSize, 'validationBatchSize', where);
  const verbose = args.verbose ?? (typeof process !== 'undefined' && process.stdout?.isTTY ? 1 : 2);
  if (args.callbacks !== undefined && !Array.isArray(args.callbacks)) invalid({ what: 'callbacks', where, expected: 'an array of Callback objects', received: received('callbacks', args.callbacks) });
  if (args.seed !== undefined && (!Number.isInteger(args.seed) || args.seed < 0)) invalid({ what: 'seed', where, expected: 'a non-negative integer', received: received('seed', args.seed) });

  // Data: converted and checked on the host, before any weight changes.
  let xAll = await prepareInputs(model, x, where);
  let yAll = await prepareTargets(model, loss, y, xAll.shape[0], where);
  let xVal = null;
  let yVal = null;
  if (args.validationData) {
    if (!Array.isArray(args.validationData) || args.validationData.length !== 2) invalid({ what: 'validationData', where, expected: '[xVal, yVal]', received: received('validationData', args.validationData) });
    xVal = await prepareInputs(model, args.validationData[0], where, 'validationData[0]');
    yVal = await prepareTargets(model, loss, args.validationData[1], xVal.shape[0], where, 'validationData[1]');
  } else if (validationSplit > 0) {
    const n = xAll.shape[0];
    const split = Math.floor(n * (1 - validationSplit));
    if (split === 0 || split === n) invalid({ what: 'validationSplit', where, expected: `a fraction leaving at least one sample on each side of ${n} samples`, received: received('validationSplit', validationSplit) });
    [xVal, yVal] = [sliceRows(xAll, split, n), sliceRows(yAll, split, n)];
    [xAll, yAll] = [sliceRows(xAll, 0, split), sliceRows(yAll, 0, split)];
  }

  model.beginFit();
  const owned: { dispose(): void }[] = [];
  const own = <T extends { dispose(): void }>(t: T): T => (owned.push(t), t);
  try {
    const backend = await ready();
    await model.placeOn(backend);
    const seeds = new SeedGenerator(args.seed ?? getGlobalSeedGenerator().next());
    const runSeed = seeds.next();
    const dtype = getFloatx();
    const n = xAll.shape[0];
    const stepsAvailable = Math.ceil(n / batchSize);
    const steps = stepsPerEpoch ?? stepsAvailable;
    const plan = own(new StepPlan(model, backend, yAll.shape[1]));
    const xData = own(upload(backend, xAll));
    const yData = own(upload(backend, yAll));
    const indices = own(backend.alloc([n], 'int32'));
    const acc = own(new Accumulators(backend, plan.metrics, yAll.shape[1], dtype));
    const val =
      xVal && yVal
        ? { x: own(upload(backend, xVal)), y: own(upload(backend, yVal)), order: own(arange(backend, xVal.shape[0])) }
        : null;
    const valAcc = val ? own(new Accumulators(backend, plan.metrics, yAll.shape[1], dtype)) : null;
    const history = new History();
    const progress = verbose === 0 ? null : new ProgressLogger(verbose);
    const callbacks = new CallbackList([history, ...(progress ? [progress] : []), ...(args.callbacks ?? [])]);
    const params = { epochs, steps, verbose, samples: n, batchSize, doValidation: val !== null };
    for (const c of callbacks.callbacks) {
      c.setModel(model);
      c.setParams(params);
    }
    const batchHooks = callbacks.wants('onTrainBatchBegin') || callbacks.wants('onTrainBatchEnd');
    // Per-batch loss values need a read: every batch where reads are cheap, else at most once a second.
    const batchLogsWanted = (args.callbacks ?? []).some((c) => c.onTrainBatchEnd !== Callback.prototype.onTrainBatchEnd) || progress?.wantsBatchLogs;
    let lastRead = 0;
    model.stopTraining = false;
    model.history = history;
    await callbacks.call('onTrainBegin');
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await callbacks.call('onEpochBegin', epoch);
      const order = args.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : shuffleIndices(n, seeds.next());
      backend.write(indices, order);
      acc.reset();
      let lastYield = Date.now();
      for (let step = 0; step < steps && !model.stopTraining; step++) {
        const start = (step % stepsAvailable) * batchSize;
        const rows = Math.min(batchSize, n - start);
        if (batchHooks) await callbacks.call('onTrainBatchBegin', step, { batch: step, size: rows });
        const xb = plan.scratch('x', [rows, xAll.shape[1]], dtype);
        const yb = plan.scratch('y', [rows, yAll.shape[1]], dtype);
        backend.gatherRows(xData, indices, start, xb);
        backend.gatherRows(yData, indices, start, yb);
        const ctx: RunContext = { backend, training: true, step: model.optimizer.iterations, runSeed, logitsLayer: plan.fused };
        plan.trainStep(xb, yb, acc, ctx);
        if (batchHooks) {
          let logs: Logs = {};
          if (batchLogsWanted && (backend.readsAreCheap || Date.now() - lastRead > 1000)) {
            logs = await acc.read();
            lastRead = Date.now();
          }
          await callbacks.call('onTrainBatchEnd', step, { batch: step, size: rows, ...logs });
        }
        if (Date.now() - lastYield > 100) {
          await yieldToEventLoop();
          lastYield = Date.now();
        }
      }
      const logs = await acc.read();
      if (val && valAcc && shouldValidate(validationFreq, epoch)) {
        Object.assign(logs, await runEvaluation(plan, val, valBatchSize, valAcc, 'val_', null));
      }
      await callbacks.call('onEpochEnd', epoch, logs);
    }
    await callbacks.call('onTrainEnd');
    return history;
  } finally {
    for (const t of owned) t.dispose();
    model.endFit();
  }
}

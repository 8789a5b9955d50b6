/**
 * Where fit, evaluate and predict get their batches: one small interface, as Keras's data adapters
 * (`keras/src/trainers/data_adapters/`), with the epoch bookkeeping of Keras's `EpochIterator`, so the
 * training loop is the same whatever the data is.
 *
 * Two adapters are planned behind it:
 * - in memory (`fit(x, y)`, today's fast path in src/training): the data is checked and uploaded once;
 *   `onEpochBegin` uploads one shuffled permutation; `nextBatch` gathers the next rows on the device.
 *   Its batches are `DeviceBatch`es and it never touches the host inside an epoch.
 * - dataset (`fit(dataset)`): {@link DatasetAdapter} below pulls batches, converts them to the compute
 *   dtype and checks them on the host (`HostBatch`), prefetching a few ahead; an upload stage (a ring of
 *   staging buffers on WebGPU) turns each `HostBatch` into a `DeviceBatch` while the previous step runs.
 */
import type { FloatDType } from '../backend/backend';
import { getFloatx } from '../config';
import { ShapeError, ValueError, checkPositiveInt, invalid, received } from '../errors';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkOptions } from '../utils/options';
import { Dataset, INFINITE_CARDINALITY } from './dataset';
import { splitElement, toBlock, type BatchArray, type Block, type Role, type Structure } from './elements';
import { prefetchElements } from './transforms';

/**
 * Batches for one training (or evaluation) loop. Per epoch: `onEpochBegin()`, then `nextBatch()` until it
 * returns null, then `onEpochEnd()`. `close()` ends the loop early or late and releases everything.
 */
export interface DataAdapter<B> {
  /** Batches per epoch: a count, or null while unknown (a stream, until its first pass ends). */
  readonly numBatches: number | null;
  /** Rows of a full batch, or null while unknown (a dataset, until its first batch). */
  readonly batchSize: number | null;
  /** True when the last epoch ended because the data ran out before `stepsPerEpoch` batches (Keras warns). */
  readonly interrupted: boolean;
  /** Start an epoch (a new permutation; a new pass over a dataset unless steps continue the last one). */
  onEpochBegin(): Promise<void>;
  /** The epoch's next batch, or null when the epoch is over. */
  nextBatch(): Promise<B | null>;
  /** End an epoch. */
  onEpochEnd(): Promise<void>;
  /** Release everything (open iterators are closed, so files close); safe to call twice. */
  close(): Promise<void>;
}

/** A batch on the device, what the training step reads (made by the in-memory adapter or an upload stage). */
export interface DeviceBatch {
  /** Samples in this batch (the last one of an epoch may be smaller). */
  rows: number;
  /** `[rows, features]`. */
  x: Tensor;
  /** `[rows, cols]`, or null (predict). */
  y: Tensor | null;
  /** `[rows]`, or null. */
  sampleWeight: Tensor | null;
}

/** A batch on the host, converted to the compute dtype and checked finite; its arrays belong to the consumer. */
export interface HostBatch {
  /** Samples in this batch. */
  rows: number;
  /** `[rows, features]`: each sample flattened (its shape is `DatasetAdapter.sampleShape`). */
  x: BatchArray;
  /** `[rows, cols]` (1-D targets become `[rows, 1]`), or null. */
  y: BatchArray | null;
  /** `[rows]`, or null. */
  sampleWeight: BatchArray | null;
}

/** Options of {@link DatasetAdapter}. */
export interface DatasetAdapterOptions {
  /** The compute dtype batches are converted to (default: `keras.config` floatx when the adapter is made). */
  dtype?: FloatDType;
  /** Batches per epoch, Keras's `steps_per_epoch` (default: one whole pass per epoch; required for an endless dataset). */
  stepsPerEpoch?: number;
  /** Batches converted ahead of the consumer (default 2). */
  prefetch?: number;
  /** The caller, for messages (default `'fit'`). */
  where?: string;
}

/** Keras's words when a dataset ends before `stepsPerEpoch * epochs` batches. */
export const RAN_OUT_OF_DATA =
  'Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least `stepsPerEpoch * epochs` batches. You may need to use the `.repeat()` function when building your dataset.';

/** Shapes fixed by the first batch, which later batches must keep. */
interface Layout {
  structure: Structure;
  sampleShape: number[];
  yCols: number | null;
}

/**
 * The host side of `fit(dataset)`: batches pulled from a dataset (each element one batch), in the compute
 * dtype, checked: one form and one sample shape for every batch, rows matching across x, y and
 * sampleWeight, finite values after conversion (a float64 value too large for float32 is named).
 *
 * Epochs follow Keras's `EpochIterator`: without `stepsPerEpoch`, each epoch is one fresh pass (its
 * length learned at the end of the first); with it, passes continue across epochs and a new pass starts
 * when one ends, flagging `interrupted` when an epoch came up short.
 */
export class DatasetAdapter implements DataAdapter<HostBatch> {
  private readonly dtype: FloatDType;
  private readonly steps: number | null;
  private readonly depth: number;
  private readonly where: string;
  private readonly known: number | null;
  private learned: number | null = null;
  private iterator: AsyncGenerator<HostBatch, void, undefined> | null = null;
  private seenInPass = 0;
  private stepInEpoch = 0;
  private everSeen = 0;
  private layout: Layout | null = null;
  private firstRows = 0;
  private cutShort = false;

  constructor(
    private readonly dataset: Dataset<unknown>,
    options?: DatasetAdapterOptions,
  ) {
    const o = checkOptions(options, 'DatasetAdapter', { known: ['dtype', 'stepsPerEpoch', 'prefetch', 'where'] });
    this.where = o.where ?? 'fit';
    if (!(dataset instanceof Dataset)) invalid({ what: 'data', where: this.where, expected: 'a keras.data.Dataset', received: received('data', dataset) });
    this.dtype = o.dtype ?? getFloatx();
    if (this.dtype !== 'float32' && this.dtype !== 'float64') invalid({ what: 'dtype', where: this.where, expected: "'float32' or 'float64'", received: received('dtype', this.dtype) });
    this.steps = o.stepsPerEpoch === undefined ? null : checkPositiveInt(o.stepsPerEpoch, 'stepsPerEpoch', this.where);
    this.depth = checkPositiveInt(o.prefetch ?? 2, 'prefetch', this.where);
    const n = dataset.cardinality();
    if (n === INFINITE_CARDINALITY && this.steps === null) {
      invalid({
        what: 'stepsPerEpoch',
        where: this.where,
        expected: 'a number of steps for an endless dataset',
        received: 'stepsPerEpoch=undefined (the dataset repeats forever)',
        hint: 'pass stepsPerEpoch, or do not call repeat() without a count on the dataset.',
      });
    }
    if (n === 0) this.refuseEmpty();
    this.known = n >= 0 ? n : null;
  }

  private refuseEmpty(): never {
    throw new ValueError(`Invalid data for ${this.where}: expected a dataset that yields at least one batch. Received: an empty dataset.\nhint: check the source, and the filter(), skip() or take() before it.`);
  }

  get numBatches(): number | null {
    return this.steps ?? this.known ?? this.learned;
  }

  get batchSize(): number | null {
    return this.layout ? this.firstRows : null;
  }

  /** The shape of one input sample, known from the first batch (null before). */
  get sampleShape(): readonly number[] | null {
    return this.layout?.sampleShape ?? null;
  }

  get interrupted(): boolean {
    return this.cutShort;
  }

  async onEpochBegin(): Promise<void> {
    this.stepInEpoch = 0;
    this.cutShort = false;
    if (this.iterator === null || this.steps === null) await this.restart();
  }

  async nextBatch(): Promise<HostBatch | null> {
    if (this.steps !== null && this.stepInEpoch >= this.steps) return null;
    if (this.steps !== null && this.known !== null && this.seenInPass >= this.known) {
      this.cutShort = true;
      await this.closeIterator();
      return null;
    }
    this.iterator ??= this.open();
    let result: IteratorResult<HostBatch>;
    try {
      result = await this.iterator.next();
    } catch (error) {
      await this.closeIterator();
      throw error;
    }
    if (result.done) {
      if (this.everSeen === 0) this.refuseEmpty();
      if (this.steps === null) this.learned ??= this.seenInPass;
      else this.cutShort = true;
      this.iterator = null;
      return null;
    }
    this.seenInPass++;
    this.stepInEpoch++;
    this.everSeen++;
    return result.value;
  }

  async onEpochEnd(): Promise<void> {
    // As Keras: a pass that has reached the dataset's known length starts over next epoch.
    if (this.steps !== null && this.known !== null && this.seenInPass >= this.known) await this.closeIterator();
  }

  async close(): Promise<void> {
    await this.closeIterator();
  }

  private async restart(): Promise<void> {
    await this.closeIterator();
    this.iterator = this.open();
  }

  private async closeIterator(): Promise<void> {
    const iterator = this.iterator;
    this.iterator = null;
    this.seenInPass = 0;
    await iterator?.return();
  }

  private open(): AsyncGenerator<HostBatch, void, undefined> {
    this.seenInPass = 0;
    return prefetchElements(this.converted(), this.depth);
  }

  private async *converted(): AsyncGenerator<HostBatch, void, undefined> {
    let index = 0;
    for await (const element of this.dataset) yield await this.toHostBatch(element, index++);
  }

  private async toHostBatch(element: unknown, index: number): Promise<HostBatch> {
    const where = this.where;
    const { structure, parts } = splitElement(element, where, index);
    const layout = this.layout;
    if (layout && structure.signature !== layout.structure.signature) {
      throw new ValueError(`Invalid batch ${index} for ${where}: expected the form ${layout.structure.signature} of the first batch. Received: ${structure.signature}.`);
    }
    const named = structure.names.map((n) => `${n} of batch ${index}`);
    const blocks: Block[] = await Promise.all(parts.map((p, i) => toBlock(p, named[i], where)));
    // By role: an object element may have sampleWeight without ys.
    const at = (role: Role) => structure.roles.indexOf(role);
    const xBlock = blocks[0];
    const yBlock: Block | undefined = blocks[at('y')];
    const wBlock: Block | undefined = blocks[at('sampleWeight')];
    const names = [named[0], named[at('y')], named[at('sampleWeight')]];
    if (xBlock.shape.length < 2) {
      throw new ShapeError(
        `Invalid ${names[0]} for ${where}: expected a batch of samples, shape [rows, ...features]. Received: shape [${xBlock.shape}].` +
          `\nhint: each element of a dataset given to ${where} is one batch: call .batch(batchSize) on a dataset of samples.`,
      );
    }
    const rows = xBlock.shape[0];
    if (rows === 0) invalid({ what: names[0], where, expected: 'at least one row', received: 'an empty batch' });
    const sampleShape = xBlock.shape.slice(1);
    const checkRows = (block: Block, name: string) => {
      if (block.shape[0] !== rows) throw new ShapeError(`Invalid ${name} for ${where}: expected ${rows} rows, as x has. Received: shape [${block.shape}].`);
    };
    const yCols = yBlock ? (checkRows(yBlock, names[1]), yBlock.shape.length === 1 ? 1 : sizeOf(yBlock.shape.slice(1))) : null;
    if (wBlock) {
      checkRows(wBlock, names[2]);
      if (sizeOf(wBlock.shape) !== rows) throw new ShapeError(`Invalid ${names[2]} for ${where}: expected one weight per row, shape [${rows}]. Received: shape [${wBlock.shape}].`);
    }
    if (!layout) {
      this.layout = { structure, sampleShape, yCols };
      this.firstRows = rows;
    } else if (!shapesEqual(sampleShape, layout.sampleShape) || yCols !== layout.yCols) {
      const [what, expected, got] = yCols !== layout.yCols ? [names[1], `${layout.yCols} target column(s)`, `${yCols}`] : [names[0], `samples of shape ${formatShape(layout.sampleShape)}`, formatShape(sampleShape)];
      throw new ShapeError(`Invalid ${what} for ${where}: expected ${expected}, as the first batch has. Received: ${got} (shape [${(what === names[0] ? xBlock : yBlock!).shape}]).\nhint: every batch of a dataset keeps one sample shape.`);
    }
    return {
      rows,
      x: this.convert(xBlock, [rows, sizeOf(sampleShape)], names[0]),
      y: yBlock ? this.convert(yBlock, [rows, yCols!], names[1]) : null,
      sampleWeight: wBlock ? this.convert(wBlock, [rows], names[2]) : null,
    };
  }

  /** A copy in the compute dtype, checked finite after the conversion (float32 may overflow to Infinity). */
  private convert(block: Block, shape: number[], what: string): BatchArray {
    const values = this.dtype === 'float32' ? new Float32Array(block.values) : new Float64Array(block.values);
    for (let i = 0; i < values.length; i++) {
      if (Number.isFinite(values[i])) continue;
      const cols = shape.length > 1 ? shape[1] : 1;
      const original = block.values[i];
      const overflow = Number.isFinite(original);
      invalid({
        what,
        where: this.where,
        expected: 'finite numbers (no NaN or Infinity)',
        received: `${values[i]} at row ${Math.floor(i / cols)}, column ${i % cols}${overflow ? ` (${original} is beyond ${this.dtype}'s range)` : ''}`,
        hint: overflow ? 'scale the data into range.' : 'clean or impute missing values before training, e.g. with map().',
      });
    }
    return { values, shape };
  }
}

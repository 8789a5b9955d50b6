/**
 * `Dataset.batch`: elements stacked into contiguous typed arrays with a shape, part by part, keeping the
 * element's form. Every sample of a part must have one shape: within a batch (ragged rows are refused)
 * and across batches (a shape that changes mid-stream is refused), so a consumer can size its buffers
 * once from the first batch.
 */
import { ShapeError, ValueError } from '../errors';
import { formatShape, shapesEqual } from '../tensor/shape';
import { joinElement, splitElement, stackBlocks, toBlock, type BatchOf, type Block, type Structure } from './elements';

const WHERE = 'Dataset.batch';

function raggedError(name: string, index: number, expected: number[], got: number[], batchIndex: number): ShapeError {
  if (batchIndex === 0) {
    return new ShapeError(
      `Invalid ${name} of element ${index} for ${WHERE}: expected shape ${formatShape(expected)}, as every element of a batch has. Received: shape ${formatShape(got)}.` +
        `\nhint: the rows of a batch must have one length (ragged rows cannot be batched); pad or trim them first, e.g. with map().`,
    );
  }
  return new ShapeError(
    `Invalid ${name} of element ${index} for ${WHERE}: expected shape ${formatShape(expected)}, the shape of the samples of the first batch. Received: shape ${formatShape(got)}, in batch ${batchIndex}.` +
      `\nhint: a dataset's samples keep one shape across batches (it is the model's input); look at the source around element ${index}.`,
  );
}

/** Batches of `batchSize` elements of `source` (the last one smaller unless `dropRemainder`). */
export async function* batchElements<T>(source: AsyncIterable<T>, batchSize: number, dropRemainder: boolean): AsyncGenerator<BatchOf<T>, void, undefined> {
  let structure: Structure | null = null;
  let samples: number[][] = [];
  let pending: Block[][] = [];
  let index = 0;
  let batchIndex = 0;
  const flush = () => {
    const parts = pending.map((blocks, p) => stackBlocks(blocks, samples[p]));
    pending = pending.map(() => []);
    batchIndex++;
    return joinElement(structure!, parts) as BatchOf<T>;
  };
  try {
    for await (const element of source) {
      const split = splitElement(element, WHERE, index);
      if (structure === null) {
        structure = split.structure;
        pending = structure.roles.map(() => []);
      } else if (split.structure.signature !== structure.signature) {
        throw new ValueError(
          `Invalid element ${index} for ${WHERE}: expected the form ${structure.signature} of the elements before it. Received: ${split.structure.signature}.` +
            `\nhint: every element of a dataset has one form; give y (and sampleWeight) to all of them or to none.`,
        );
      }
      for (let p = 0; p < split.parts.length; p++) {
        const name = structure.names[p];
        const maybe = toBlock(split.parts[p], `${name} of element ${index}`, WHERE);
        const block = maybe instanceof Promise ? await maybe : maybe;
        if (index === 0) samples[p] = block.shape;
        else if (!shapesEqual(block.shape, samples[p])) throw raggedError(name, index, samples[p], block.shape, batchIndex);
        pending[p].push(block);
      }
      index++;
      if (pending[0].length === batchSize) yield flush();
    }
    if (structure !== null && pending[0].length > 0 && !dropRemainder) yield flush();
  } finally {
    // Release the rows held for an unfinished batch (the consumer stopped, or the source threw).
    pending = [];
    samples = [];
  }
}

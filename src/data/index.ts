/**
 * `keras.data`: lazy datasets in tf.data's and TF.js's vocabulary, for data that is streamed, generated,
 * or larger than memory. Make one with `fromArrays`, `fromGenerator`, `fromAsyncIterable` or `fromCSV`,
 * chain `map`, `filter`, `batch`, `shuffle`, `repeat`, `take`, `skip`, `prefetch`, `cache`, and iterate
 * it with `for await`. Batches are contiguous typed arrays with a shape, ready to upload.
 */
export { Dataset, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, type BatchOptions, type ShuffleOptions } from './dataset';
export { fromArrays, fromGenerator, fromAsyncIterable, type ArrayData, type Row, type RowOf, type GeneratorResult } from './sources';
export { fromCSV, type CSVOptions, type ColumnConfig, type CSVRow } from './csv';
export type { CSVSource, FetchFunc, ByteStream, ByteStreamReader, BlobLike, UrlLike, StreamingResponse } from './byte-streams';
export type { Batch, BatchArray, BatchOf, Element, ElementValue, ShapedArray } from './elements';

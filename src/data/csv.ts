/**
 * `keras.data.fromCSV`: a CSV file streamed a chunk at a time (never read whole), in TF.js's
 * `tf.data.csv` vocabulary. Rows come out as numbers ready for an MLP: a Float64Array of the feature
 * columns, and, when label columns are marked, `{ xs, ys }`.
 */
import { ShapeError, ValueError, describe, invalid, received } from '../errors';
import { editDistance } from '../utils/edit-distance';
import { checkOptions } from '../utils/options';
import { byteSource, classifySource, type CSVSource, type FetchFunc } from './byte-streams';
import { CsvScanner, type CsvRecord } from './csv-scanner';
import { Dataset, UNKNOWN_CARDINALITY } from './dataset';

const WHERE = 'fromCSV';
const LEAVE_OUT = 'leave the column out (name the columns to keep in columnConfigs, with configuredColumnsOnly: true), or encode it as numbers in the file.';

/** How one column is read (TF.js's `ColumnConfig`). */
export interface ColumnConfig {
  /** An empty field is an error, even when a `default` is set (default false). */
  required?: boolean;
  /**
   * `'float32'` (default): the field as a number; `'int32'`: the number rounded down (as TF.js);
   * `'bool'`: `true`/`1` → 1, `false`/`0` → 0. Strings are not numbers and are refused.
   */
  dtype?: 'float32' | 'int32' | 'bool';
  /** The value of an empty field (default: NaN for a feature, which training refuses: impute with `map` or set this; an error for a label). */
  default?: number;
  /** The column is a target: rows become `{ xs, ys }` (default false). */
  isLabel?: boolean;
}

/** Options of {@link fromCSV}: TF.js's `CSVConfig` names, plus `skipLines` and `fetchFunc`. */
export interface CSVOptions {
  /** The first line (after `skipLines`) holds the column names and is not data (default true). */
  hasHeader?: boolean;
  /** Column names in order; they replace the header's names (whose count must match). Default: the header's. */
  columnNames?: string[];
  /** Per-column settings by name: `{ medv: { isLabel: true }, rad: { dtype: 'int32' } }` (default none). */
  columnConfigs?: Record<string, ColumnConfig>;
  /** Keep only the columns named in `columnConfigs` (default false: every column). */
  configuredColumnsOnly?: boolean;
  /** The one-character field delimiter (default `','`). */
  delimiter?: string;
  /** Fields are separated by runs of spaces and tabs; `delimiter` must not be given (default false). */
  delimWhitespace?: boolean;
  /** Physical lines skipped at the start of the file, before the header (default 0). */
  skipLines?: number;
  /** The `fetch` used for URL sources (default: the global `fetch`), as `loadModel`'s. */
  fetchFunc?: FetchFunc;
}

/** A row of {@link fromCSV}: the features, or `{ xs, ys }` when columns are labels (`ys` a number for one label column). */
export type CSVRow = Float64Array | { xs: Float64Array; ys: number | Float64Array };

interface Column {
  name: string;
  index: number;
  config: ColumnConfig;
}

function checkColumnConfig(name: string, config: unknown): ColumnConfig {
  const where = `${WHERE} columnConfigs['${name}']`;
  const c = checkOptions(config as ColumnConfig, where, { known: ['required', 'dtype', 'default', 'isLabel'] });
  if (c.dtype !== undefined && !['float32', 'int32', 'bool'].includes(c.dtype)) {
    invalid({
      what: 'dtype',
      where,
      expected: "'float32', 'int32' or 'bool'",
      received: received('dtype', c.dtype),
      hint: (c.dtype as string) === 'string' ? `rows are numbers for training: ${LEAVE_OUT}` : undefined,
    });
  }
  if (c.default !== undefined && (typeof c.default !== 'number' || !Number.isFinite(c.default))) {
    invalid({ what: 'default', where, expected: 'a finite number', received: received('default', c.default) });
  }
  for (const flag of ['required', 'isLabel'] as const) {
    if (c[flag] !== undefined && typeof c[flag] !== 'boolean') invalid({ what: flag, where, expected: 'a boolean', received: received(flag, c[flag]) });
  }
  return c;
}

function checkCSVOptions(options: CSVOptions | undefined) {
  const o = checkOptions(options, WHERE, {
    known: ['hasHeader', 'columnNames', 'columnConfigs', 'configuredColumnsOnly', 'delimiter', 'delimWhitespace', 'skipLines', 'fetchFunc'],
  });
  for (const flag of ['hasHeader', 'configuredColumnsOnly', 'delimWhitespace'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') invalid({ what: flag, where: WHERE, expected: 'a boolean', received: received(flag, o[flag]) });
  }
  if (o.columnNames !== undefined && (!Array.isArray(o.columnNames) || !o.columnNames.every((n) => typeof n === 'string'))) {
    invalid({ what: 'columnNames', where: WHERE, expected: 'an array of strings', received: received('columnNames', o.columnNames) });
  }
  if (o.delimWhitespace && o.delimiter !== undefined) {
    invalid({ what: 'delimiter', where: WHERE, expected: 'no delimiter when delimWhitespace is true', received: received('delimiter', o.delimiter) });
  }
  const delimiter = o.delimWhitespace ? null : (o.delimiter ?? ',');
  if (delimiter !== null && (typeof delimiter !== 'string' || delimiter.length !== 1 || '"\r\n'.includes(delimiter))) {
    invalid({ what: 'delimiter', where: WHERE, expected: 'one character other than a quote or a newline', received: received('delimiter', delimiter) });
  }
  const skipLines = o.skipLines ?? 0;
  if (!Number.isInteger(skipLines) || skipLines < 0) invalid({ what: 'skipLines', where: WHERE, expected: 'a non-negative integer', received: received('skipLines', skipLines) });
  if (o.fetchFunc !== undefined && typeof o.fetchFunc !== 'function') invalid({ what: 'fetchFunc', where: WHERE, expected: 'a function', received: received('fetchFunc', o.fetchFunc) });
  const configs = o.columnConfigs ?? {};
  if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) {
    invalid({ what: 'columnConfigs', where: WHERE, expected: 'an object of column settings by name', received: received('columnConfigs', configs) });
  }
  const columnConfigs = Object.fromEntries(Object.entries(configs).map(([name, c]) => [name, checkColumnConfig(name, c)]));
  return { hasHeader: o.hasHeader ?? true, columnNames: o.columnNames ?? null, columnConfigs, configuredColumnsOnly: o.configuredColumnsOnly ?? false, delimiter, skipLines, fetchFunc: o.fetchFunc };
}

type Settings = ReturnType<typeof checkCSVOptions>;

/** The columns to read, from the names (the header's or the given ones) and the settings. */
function resolveColumns(settings: Settings, header: CsvRecord | null, first: CsvRecord): { count: number; features: Column[]; labels: Column[] } {
  const configured = Object.keys(settings.columnConfigs);
  let names = settings.columnNames ?? header?.fields ?? null;
  if (header && settings.columnNames && settings.columnNames.length !== header.fields.length) {
    invalid({ what: 'columnNames', where: WHERE, expected: `${header.fields.length} names, one per column of the header (line ${header.line})`, received: `${settings.columnNames.length} names` });
  }
  if (names === null) {
    if (configured.length > 0) {
      invalid({ what: 'columnConfigs', where: WHERE, expected: 'column names to refer to', received: 'no header and no columnNames', hint: 'set hasHeader: true when the first line names the columns, or pass columnNames.' });
    }
    names = first.fields.map((_, i) => `column_${i}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) invalid({ what: 'column names', where: WHERE, expected: 'distinct names', received: `'${name}' twice`, hint: 'pass columnNames to rename them.' });
    seen.add(name);
  }
  for (const key of configured) {
    if (!seen.has(key)) {
      const close = names.find((n) => editDistance(n.toLowerCase(), key.toLowerCase()) <= 2);
      invalid({ what: `columnConfigs key '${key}'`, where: WHERE, expected: `a column name (${names.map((n) => `'${n}'`).join(', ')})`, received: `'${key}'`, hint: close ? `did you mean '${close}'?` : undefined });
    }
  }
  const columns = names
    .map((name, index) => ({ name, index, config: settings.columnConfigs[name] ?? {} }))
    .filter((c) => !settings.configuredColumnsOnly || c.name in settings.columnConfigs);
  const features = columns.filter((c) => !c.config.isLabel);
  const labels = columns.filter((c) => c.config.isLabel);
  if (features.length === 0) invalid({ what: 'columns', where: WHERE, expected: 'at least one feature column (not a label)', received: `${labels.length} label column(s) and no features` });
  return { count: names.length, features, labels };
}

function parseField(raw: string, column: Column, line: number): number {
  const text = raw.trim();
  const { config } = column;
  if (text === '') {
    // As TF.js: a required column, or a label without a default, must have a value.
    if (config.required || (config.isLabel && config.default === undefined)) {
      invalid({ what: `value in column '${column.name}'`, where: WHERE, expected: `a value (the column is ${config.required ? 'required' : 'a label'})`, received: `an empty field at line ${line}` });
    }
    return config.default ?? NaN;
  }
  if (config.dtype === 'bool') {
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === '1') return 1;
    if (lower === 'false' || lower === '0') return 0;
    invalid({ what: `value in column '${column.name}'`, where: WHERE, expected: 'a boolean (true, false, 1 or 0)', received: `${describe(raw)} at line ${line}` });
  }
  const value = Number(text);
  if (Number.isNaN(value) && text !== 'NaN') {
    invalid({
      what: `value in column '${column.name}'`,
      where: WHERE,
      expected: 'a number',
      received: `${describe(raw)} at line ${line}`,
      hint: `true/false text reads with dtype 'bool'; for other text, ${LEAVE_OUT}`,
    });
  }
  return config.dtype === 'int32' ? Math.floor(value) : value;
}

/**
 * A dataset of the rows of a CSV file, streamed: the file is read a chunk (64 KiB) at a time while the
 * consumer pulls rows, so memory stays bounded by what the pipeline holds, not the file's size.
 *
 * Rows are numbers: a Float64Array of the feature columns in file order, or `{ xs, ys }` when some
 * columns are marked `isLabel` (`ys` a number for one label column, else a Float64Array). Empty fields
 * take the column's `default`, else NaN (which training refuses, naming the row); non-numeric text is
 * an error naming the line and column. Each pass (epoch) reads the source again; a stream can be read
 * once. Cardinality unknown.
 *
 * @param source A path or `file://` URL (Node), an http(s) URL (fetched as a stream; in a browser any
 *   string is a URL), a `Blob`/`File` (via `.stream()`), a web `ReadableStream`, or an async iterable of
 *   bytes or text (a Node `Readable`).
 * @param options See {@link CSVOptions}: `hasHeader` (true), `columnNames`, `columnConfigs`,
 *   `configuredColumnsOnly` (false), `delimiter` (`','`), `delimWhitespace` (false), `skipLines` (0),
 *   `fetchFunc`.
 */
export function fromCSV(source: CSVSource, options?: CSVOptions): Dataset<CSVRow> {
  const settings = checkCSVOptions(options);
  const open = byteSource(classifySource(source, WHERE), settings.fetchFunc, WHERE);
  return new Dataset(() => csvRows(open(), settings), UNKNOWN_CARDINALITY);
}

/** The records of the stream, handed over a chunk's worth at a time (one await per chunk, not per row). */
async function* recordChunks(chunks: AsyncIterable<Uint8Array | string>, settings: Settings): AsyncGenerator<CsvRecord[], void, undefined> {
  const scanner = new CsvScanner({ delimiter: settings.delimiter, skipLines: settings.skipLines }, WHERE);
  const decoder = new TextDecoder();
  let carry = '';
  const scan = (text: string, final: boolean): CsvRecord[] => {
    const out: CsvRecord[] = [];
    const records = scanner.records(text, final);
    let step = records.next();
    for (; !step.done; step = records.next()) out.push(step.value);
    carry = text.slice(step.value);
    return out;
  };
  for await (const chunk of chunks) yield scan(carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })), false);
  yield scan(carry + decoder.decode(), true);
}

async function* csvRows(chunks: AsyncIterable<Uint8Array | string>, settings: Settings): AsyncGenerator<CSVRow, void, undefined> {
  let header: CsvRecord | null = null;
  let layout: ReturnType<typeof resolveColumns> | null = null;
  for await (const records of recordChunks(chunks, settings)) {
    for (const record of records) {
      if (settings.hasHeader && header === null) {
        header = record;
        continue;
      }
      layout ??= resolveColumns(settings, header, record);
      yield toRow(record, layout);
    }
  }
  if (settings.hasHeader && header === null) throw new ValueError(`Invalid source for ${WHERE}: expected a header line (hasHeader is true). Received: no lines.`);
}

function toRow(record: CsvRecord, layout: ReturnType<typeof resolveColumns>): CSVRow {
  if (record.fields.length !== layout.count) {
    throw new ShapeError(
      `Invalid row for ${WHERE}: expected ${layout.count} fields, one per column. Received: ${record.fields.length} fields at line ${record.line}.` +
        `\nhint: every row has the same columns; check the delimiter and the quoting of that line.`,
    );
  }
  const read = (columns: Column[]) => {
    const out = new Float64Array(columns.length);
    for (let j = 0; j < out.length; j++) out[j] = parseField(record.fields[columns[j].index], columns[j], record.line);
    return out;
  };
  const xs = read(layout.features);
  if (layout.labels.length === 0) return xs;
  const ys = read(layout.labels);
  return { xs, ys: ys.length === 1 ? ys[0] : ys };
}

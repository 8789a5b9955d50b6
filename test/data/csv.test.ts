import { describe, expect, it } from 'vitest';
import { fromCSV, type CSVOptions, type CSVRow } from '../../src/data';
import { CsvScanner } from '../../src/data/csv-scanner';
import { ShapeError, ValueError } from '../../src/errors';
import { plain } from './helpers';

/** The text as an async iterable of chunks of `size` characters (a stream cut anywhere). */
function chunked(text: string, size = text.length || 1): AsyncIterable<string> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
    },
  };
}

const rows = async (text: string, options?: CSVOptions) => (await fromCSV(chunked(text), options).toArray()).map(show);
const show = (row: CSVRow) => (ArrayBuffer.isView(row) ? plain(row) : { xs: plain(row.xs), ys: plain(row.ys) });

function scan(text: string, size: number, delimiter: string | null = ','): [string[], number][] {
  const scanner = new CsvScanner({ delimiter }, 'test');
  const out: [string[], number][] = [];
  let carry = '';
  for (let i = 0; i <= text.length; i += size) {
    const final = i + size > text.length;
    const chunk = carry + text.slice(i, i + size);
    const gen = scanner.records(chunk, final);
    let step = gen.next();
    for (; !step.done; step = gen.next()) out.push([step.value.fields, step.value.line]);
    carry = chunk.slice(step.value);
  }
  return out;
}

describe('the CSV tokenizer', () => {
  const tricky = 'a,"b,1","say ""hi"""\r\n"multi\nline",,x\r\r\nlast,"",end';
  const expected: [string[], number][] = [
    [['a', 'b,1', 'say "hi"'], 1],
    [['multi\nline', '', 'x'], 2],
    [['last', '', 'end'], 5],
  ];

  it('reads quotes, doubled quotes, newlines inside quotes, empty fields, CRLF and CR line ends', () => {
    expect(scan(tricky, tricky.length)).toEqual(expected);
  });

  it.each([1, 2, 3, 5, 7, 11])('gives the same records when the text arrives in chunks of %i', (size) => {
    expect(scan(tricky, size)).toEqual(expected);
  });

  it('skips blank lines and a final newline', () => {
    expect(scan('1,2\n\n3,4\n', 3)).toEqual([[['1', '2'], 1], [['3', '4'], 3]]);
  });

  it('splits on runs of whitespace when the delimiter is null', () => {
    expect(scan('  1  2\t3 \n4 5 6', 4, null)).toEqual([[['1', '2', '3'], 1], [['4', '5', '6'], 2]]);
  });

  it('names the line of a quote that never closes', () => {
    expect(() => scan('a,b\n"open,\nmore', 4)).toThrow('Invalid CSV for test: expected a closing quote for the field opened on line 2. Received: the end of the data.');
  });
});

describe('fromCSV', () => {
  const boston = 'crim,rm,medv\n0.1,6.5,24\n0.2,7.1,21.6\n';

  it('yields the feature columns as a Float64Array when no column is a label', async () => {
    expect(await rows(boston)).toEqual([[0.1, 6.5, 24], [0.2, 7.1, 21.6]]);
  });

  it('yields { xs, ys } when a column is a label, ys a number for one label', async () => {
    expect(await rows(boston, { columnConfigs: { medv: { isLabel: true } } })).toEqual([
      { xs: [0.1, 6.5], ys: 24 },
      { xs: [0.2, 7.1], ys: 21.6 },
    ]);
  });

  it('gives ys as a Float64Array for several label columns, in file order', async () => {
    const [row] = await fromCSV(chunked(boston), { columnConfigs: { medv: { isLabel: true }, crim: { isLabel: true } } }).toArray();
    expect(show(row)).toEqual({ xs: [6.5], ys: [0.1, 24] });
  });

  it('keeps only the configured columns with configuredColumnsOnly', async () => {
    expect(await rows(boston, { columnConfigs: { rm: {}, medv: { isLabel: true } }, configuredColumnsOnly: true })).toEqual([
      { xs: [6.5], ys: 24 },
      { xs: [7.1], ys: 21.6 },
    ]);
  });

  it('reads a file without a header, with or without column names', async () => {
    expect(await rows('1,2\n3,4', { hasHeader: false })).toEqual([[1, 2], [3, 4]]);
    expect(await rows('1,2\n3,4', { hasHeader: false, columnNames: ['a', 'b'], columnConfigs: { b: { isLabel: true } } })).toEqual([
      { xs: [1], ys: 2 },
      { xs: [3], ys: 4 },
    ]);
  });

  it('lets columnNames replace the header names', async () => {
    expect(await rows('x,y\n1,2', { columnNames: ['a', 'b'], columnConfigs: { b: { isLabel: true } } })).toEqual([{ xs: [1], ys: 2 }]);
  });

  it('uses another delimiter, or runs of whitespace', async () => {
    expect(await rows('a;b\n1;2', { delimiter: ';' })).toEqual([[1, 2]]);
    expect(await rows('a b\n1    2', { delimWhitespace: true })).toEqual([[1, 2]]);
  });

  it('skips lines before the header with skipLines', async () => {
    expect(await rows('# exported 2024\n# units: m\na,b\n1,2', { skipLines: 2 })).toEqual([[1, 2]]);
  });

  it("reads int32 columns rounded down (as TF.js) and bool columns as 1 and 0", async () => {
    expect(await rows('n,flag\n2.7,true\n-1.5,0\n3,FALSE', { columnConfigs: { n: { dtype: 'int32' }, flag: { dtype: 'bool' } } })).toEqual([
      [2, 1],
      [-2, 0],
      [3, 0],
    ]);
  });

  it('fills empty fields with the default, else NaN for features', async () => {
    expect(await rows('a,b\n,2\n3, ', { columnConfigs: { a: { default: -1 } } })).toEqual([[-1, 2], [3, NaN]]);
  });

  it('refuses an empty field in a required column or a label without default', async () => {
    await expect(rows('a,b\n1,\n', { columnConfigs: { b: { required: true } } })).rejects.toThrow(
      "Invalid value in column 'b' for fromCSV: expected a value (the column is required). Received: an empty field at line 2.",
    );
    await expect(rows('a,b\n1,\n', { columnConfigs: { b: { isLabel: true } } })).rejects.toThrow(/the column is a label/);
  });

  it('refuses text that is not a number, naming the line and column', async () => {
    await expect(rows('a,b\n1,2\n3,abc\n')).rejects.toThrow(/Invalid value in column 'b' for fromCSV: expected a number. Received: 'abc' at line 3/);
  });

  it('refuses a row with the wrong number of fields', async () => {
    await expect(rows('a,b,c\n1,2,3\n4,5\n')).rejects.toThrow(ShapeError);
    await expect(rows('a,b,c\n1,2,3\n4,5\n')).rejects.toThrow('Invalid row for fromCSV: expected 3 fields, one per column. Received: 2 fields at line 3.');
  });

  it('refuses a columnConfigs key that names no column, suggesting the closest', async () => {
    await expect(rows(boston, { columnConfigs: { mdev: { isLabel: true } } })).rejects.toThrow(/Invalid columnConfigs key 'mdev' for fromCSV: expected a column name \('crim', 'rm', 'medv'\).*\nhint: did you mean 'medv'\?/);
  });

  it('refuses duplicate column names and a header of another length than columnNames', async () => {
    await expect(rows('a,a\n1,2')).rejects.toThrow(/expected distinct names. Received: 'a' twice/);
    await expect(rows('a,b\n1,2', { columnNames: ['x'] })).rejects.toThrow(/expected 2 names, one per column of the header/);
  });

  it('refuses label-only data and column settings without names', async () => {
    await expect(rows('a\n1', { columnConfigs: { a: { isLabel: true } } })).rejects.toThrow(/expected at least one feature column/);
    await expect(rows('1,2', { hasHeader: false, columnConfigs: { a: {} } })).rejects.toThrow(/expected column names to refer to/);
  });

  it('refuses an empty source when a header is expected', async () => {
    await expect(rows('')).rejects.toThrow(/expected a header line/);
  });

  it('checks its options at once, in the one template', () => {
    const source = chunked('a\n1');
    expect(() => fromCSV(source, { header: true } as never)).toThrow(/Invalid option 'header' for fromCSV/);
    expect(() => fromCSV(source, { column_names: ['a'] } as never)).toThrow(/did you mean 'columnNames'/);
    expect(() => fromCSV(source, { delimiter: ';;' })).toThrow(/expected one character other than a quote or a newline/);
    expect(() => fromCSV(source, { delimiter: ' ', delimWhitespace: true })).toThrow(/expected no delimiter when delimWhitespace is true/);
    expect(() => fromCSV(source, { columnConfigs: { a: { dtype: 'string' as never } } })).toThrow(/rows are numbers for training: leave the column out/);
    expect(() => fromCSV(source, { columnConfigs: { a: { label: true } as never } })).toThrow(/Invalid option 'label' for fromCSV columnConfigs\['a'\]/);
    expect(() => fromCSV(source, { skipLines: -1 })).toThrow(/Invalid skipLines/);
    expect(() => fromCSV(42 as never)).toThrow(ValueError);
  });

  it('decodes UTF-8 split across chunks, and drops a byte-order mark', async () => {
    const bytes = new TextEncoder().encode('\uFEFFnaïve,ø\n1,2\n');
    const source = { async *[Symbol.asyncIterator]() { for (const b of bytes) yield Uint8Array.of(b); } };
    const ds = fromCSV(source, { columnConfigs: { ø: { isLabel: true } } });
    expect((await ds.toArray()).map(show)).toEqual([{ xs: [1], ys: 2 }]);
  });
});

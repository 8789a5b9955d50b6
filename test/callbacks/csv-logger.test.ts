import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CSVLogger, ExponentialLR } from '../../src/callbacks';
import { StateError } from '../../src/errors';
import { tinyModel, X, Y } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'webgpu-keras-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllGlobals());

const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');

describe('CSVLogger', () => {
  it('writes a header of epoch and the sorted keys, then one row per epoch', async () => {
    const file = join(dir, 'basic.csv');
    const history = await (await tinyModel()).fit(X, Y, { epochs: 3, verbose: 0, validationData: [X, Y], callbacks: [new CSVLogger(file)] });
    const { loss, val_loss } = history.history;
    expect(lines(file)).toEqual(['epoch,loss,val_loss', ...[0, 1, 2].map((e) => `${e},${loss[e]},${val_loss[e]}`)]);
  });

  it('overwrites by default and continues the file without a second header with append', async () => {
    const file = join(dir, 'append.csv');
    writeFileSync(file, 'old contents\n');
    const model = await tinyModel();
    await model.fit(X, Y, { epochs: 2, verbose: 0, callbacks: [new CSVLogger(file)] });
    expect(lines(file)).toHaveLength(3);
    expect(lines(file)[0]).toBe('epoch,loss');
    await model.fit(X, Y, { epochs: 4, initialEpoch: 2, verbose: 0, callbacks: [new CSVLogger(file, { append: true })] });
    const rows = lines(file);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r === 'epoch,loss')).toHaveLength(1);
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['0', '1', '2', '3']);
  });

  it('writes the header when appending to a file that does not exist yet', async () => {
    const file = join(dir, 'fresh-append.csv');
    await (await tinyModel()).fit(X, Y, { epochs: 1, verbose: 0, callbacks: [new CSVLogger(file, { append: true })] });
    expect(lines(file)[0]).toBe('epoch,loss');
  });

  it('uses the separator, and logs learning_rate added by a callback before it', async () => {
    const file = join(dir, 'separator.csv');
    await (await tinyModel(0.1)).fit(X, Y, { epochs: 2, verbose: 0, callbacks: [new ExponentialLR(0.5), new CSVLogger(file, { separator: ';' })] });
    const rows = lines(file);
    expect(rows[0]).toBe('epoch;learning_rate;loss');
    expect(rows.slice(1).map((r) => r.split(';').slice(0, 2))).toEqual([['0', '0.1'], ['1', '0.05']]);
  });

  it('keeps the val_ columns, as NA, for epochs that do not validate', async () => {
    const file = join(dir, 'freq.csv');
    await (await tinyModel()).fit(X, Y, { epochs: 4, verbose: 0, validationData: [X, Y], validationFreq: 2, callbacks: [new CSVLogger(file)] });
    const rows = lines(file).map((r) => r.split(','));
    expect(rows[0]).toEqual(['epoch', 'loss', 'val_loss']);
    expect(rows.map((r) => r[2] === 'NA')).toEqual([false, true, false, true, false]);
  });

  it('refuses to run outside Node with a clear StateError', () => {
    vi.stubGlobal('process', undefined);
    const create = () => new CSVLogger('log.csv');
    expect(create).toThrow(StateError);
    expect(create).toThrow(/^Invalid environment for CSVLogger: expected Node\.js, which can write files\./);
  });
});

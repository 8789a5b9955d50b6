/**
 * fromCSV over real streams in Node: files by path (closed when the reader stops, or fails), a file
 * far larger than what the pipeline holds (counted in rows, from the bytes the stream has read), Node
 * Readable streams, Blobs, and http URLs.
 */
import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCSV, type BatchArray } from '../../src/data';
import { StateError } from '../../src/errors';

let dir = '';
let small = '';
let big = '';
/** Every row of the big file is this many bytes: `000123,0.123,1\n`. */
const ROW_BYTES = 15;
const BIG_ROWS = 60_000;

const row = (i: number) => `${String(i).padStart(6, '0')},${((i % 1000) / 1000).toFixed(3)},${i % 2}\n`;
const openFiles = () => readdirSync('/proc/self/fd').length;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'webgpu-keras-csv-'));
  small = join(dir, 'small.csv');
  writeFileSync(small, 'a,b,label\n1,2,0\n3,4,1\n5,6,0\n');
  big = join(dir, 'big.csv');
  writeFileSync(big, Array.from({ length: BIG_ROWS }, (_, i) => row(i)).join(''));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fromCSV in Node', () => {
  it('reads a file by path and by file:// URL, once per pass', async () => {
    for (const source of [small, pathToFileURL(small).href]) {
      const ds = fromCSV(source, { columnConfigs: { label: { isLabel: true } } });
      expect((await ds.toArray()).map((r) => (r as { ys: number }).ys)).toEqual([0, 1, 0]);
      expect((await ds.toArray()).length).toBe(3);
    }
  });

  it('closes the file after a full pass, an early stop, and an error', async () => {
    const before = openFiles();
    await fromCSV(big, { hasHeader: false }).toArray();
    expect(openFiles()).toBe(before);
    await fromCSV(big, { hasHeader: false }).take(10).toArray();
    expect(openFiles()).toBe(before);
    const failing = fromCSV(big, { hasHeader: false }).map((r) => {
      if ((r as Float64Array)[0] === 5000) throw new Error('stop at 5000');
      return r;
    });
    await expect(failing.toArray()).rejects.toThrow('stop at 5000');
    expect(openFiles()).toBe(before);
  });

  it('closes the file when batches are prefetched and shuffled and the consumer stops', async () => {
    const before = openFiles();
    const it = fromCSV(big, { hasHeader: false }).shuffle(100, { seed: 1 }).batch(32).prefetch(2).iterator();
    await it.next();
    await it.next();
    await it.return();
    expect(openFiles()).toBe(before);
  });

  it('names a file that cannot be read', async () => {
    await expect(fromCSV(join(dir, 'missing.csv')).toArray()).rejects.toThrow(/Invalid source for fromCSV: expected a readable file. Received: '.*missing.csv'/);
  });

  it('streams a file far larger than what it holds: rows read ahead stay bounded by chunk, batch and prefetch', async () => {
    const highWaterMark = 16 * 1024;
    const stream = createReadStream(big, { highWaterMark });
    const batchSize = 64;
    const prefetch = 2;
    let consumed = 0;
    let maxAhead = 0;
    for await (const b of fromCSV(stream, { hasHeader: false }).batch(batchSize).prefetch(prefetch)) {
      consumed += (b as BatchArray).shape[0];
      maxAhead = Math.max(maxAhead, stream.bytesRead / ROW_BYTES - consumed);
    }
    expect(consumed).toBe(BIG_ROWS);
    // Held at most: the stream's buffer and the chunk being parsed, plus the batches in flight.
    const bound = (2 * highWaterMark) / ROW_BYTES + batchSize * (prefetch + 1);
    expect(maxAhead).toBeLessThanOrEqual(bound);
    expect(bound * 20).toBeLessThan(BIG_ROWS);
  });

  it('holds the shuffle buffer on top of that bound, and no more', async () => {
    const highWaterMark = 16 * 1024;
    const stream = createReadStream(big, { highWaterMark });
    let consumed = 0;
    let maxAhead = 0;
    for await (const b of fromCSV(stream, { hasHeader: false }).shuffle(500, { seed: 3 }).batch(50)) {
      consumed += (b as BatchArray).shape[0];
      maxAhead = Math.max(maxAhead, stream.bytesRead / ROW_BYTES - consumed);
    }
    expect(consumed).toBe(BIG_ROWS);
    expect(maxAhead).toBeGreaterThanOrEqual(500);
    expect(maxAhead).toBeLessThanOrEqual((2 * highWaterMark) / ROW_BYTES + 500 + 50 * 2);
  });

  it('reads a Node Readable once and refuses a second pass', async () => {
    const ds = fromCSV(createReadStream(small));
    expect((await ds.toArray()).length).toBe(3);
    await expect(ds.toArray()).rejects.toThrow(StateError);
  });

  it('destroys a Node Readable when the consumer stops early', async () => {
    const stream = createReadStream(big);
    await fromCSV(stream, { hasHeader: false }).take(3).toArray();
    expect(stream.destroyed).toBe(true);
  });

  it('reads a Blob through its stream, again on each pass', async () => {
    const ds = fromCSV(new Blob(['x,y\n1,2\n']));
    expect((await ds.toArray()).length).toBe(1);
    expect((await ds.toArray()).length).toBe(1);
  });

  describe('over http', () => {
    let server: Server;
    let base = '';
    let closedEarly = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url !== '/big.csv') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/csv' });
        const file = createReadStream(big);
        res.on('close', () => {
          if (!res.writableFinished) closedEarly++;
          file.destroy();
        });
        file.pipe(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('streams a URL through fetch', async () => {
      let n = 0;
      for await (const b of fromCSV(`${base}/big.csv`, { hasHeader: false }).batch(1000)) n += (b as BatchArray).shape[0];
      expect(n).toBe(BIG_ROWS);
    });

    it('cancels the response when the consumer stops early', async () => {
      await fromCSV(`${base}/big.csv`, { hasHeader: false }).take(5).toArray();
      await new Promise((r) => setTimeout(r, 100));
      expect(closedEarly).toBe(1);
    });

    it('names a response that is not OK', async () => {
      await expect(fromCSV(`${base}/nothing.csv`).toArray()).rejects.toThrow(/expected an OK response. Received: 'http:\/\/127.0.0.1:\d+\/nothing.csv' \(HTTP 404\)/);
    });

    it('uses a given fetchFunc', async () => {
      const urls: string[] = [];
      const fetchFunc = async (url: string) => (urls.push(url), new Response('a\n7\n'));
      expect(await fromCSV('https://example.invalid/data.csv', { fetchFunc }).toArray()).toEqual([Float64Array.of(7)]);
      expect(urls).toEqual(['https://example.invalid/data.csv']);
    });
  });
});

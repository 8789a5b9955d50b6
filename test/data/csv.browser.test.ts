/**
 * fromCSV in Chromium: a user's File, a Blob streamed chunk by chunk (and cancelled when the reader
 * stops), and a URL fetched as a stream.
 */
import { describe, expect, it } from 'vitest';
import { fromCSV, type BatchArray } from '../../src/data';

const ROWS = 40_000;
const text = 'x1,x2,y\n' + Array.from({ length: ROWS }, (_, i) => `${i},${(i % 7) / 7},${i % 2}\n`).join('');

/** A Blob whose stream hands out a chunk only when asked (no read-ahead), counting them, and records a cancel. */
class WatchedBlob extends Blob {
  chunks = 0;
  bytesHanded = 0;
  cancelled = false;
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const reader = super.stream().getReader();
    return new ReadableStream(
      {
        pull: async (controller) => {
          const { value, done } = await reader.read();
          if (done) controller.close();
          else {
            this.chunks++;
            this.bytesHanded += value.byteLength;
            controller.enqueue(value);
          }
        },
        cancel: async (reason) => {
          this.cancelled = true;
          await reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }
}

describe('fromCSV in the browser', () => {
  it("reads a user's File with a label column", async () => {
    const file = new File(['a,b,label\n1,2,0\n3,4,1\n'], 'data.csv', { type: 'text/csv' });
    const rows = await fromCSV(file, { columnConfigs: { label: { isLabel: true } } }).toArray();
    expect(rows.map((r) => (r as { ys: number }).ys)).toEqual([0, 1]);
  });

  it('streams a large Blob into batches, all rows once', async () => {
    let n = 0;
    for await (const b of fromCSV(new Blob([text]), { columnConfigs: { y: { isLabel: true } } }).batch(256)) n += (b as { xs: BatchArray }).xs.shape[0];
    expect(n).toBe(ROWS);
  });

  it('reads only the chunks it needs from a Blob, and cancels its stream when the reader stops', async () => {
    // About 4 MB in 16 KiB parts, so the Blob has several chunks to hand out (Chromium's chunk size is its own).
    const parts: string[] = [];
    for (let k = 0; k < 4; k++) for (let i = 0; i < text.length; i += 16384) parts.push(text.slice(i, i + 16384));
    const blob = new WatchedBlob(parts);
    const rows = await fromCSV(blob).take(10).toArray();
    expect(rows).toHaveLength(10);
    expect(blob.chunks).toBe(1);
    expect(blob.bytesHanded).toBeLessThan(blob.size);
    expect(blob.cancelled).toBe(true);
  });

  it('streams a URL through fetch', async () => {
    const url = URL.createObjectURL(new Blob([text]));
    try {
      let n = 0;
      for await (const b of fromCSV(url).batch(1000)) n += (b as BatchArray).shape[0];
      expect(n).toBe(ROWS);
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it('treats a string as a URL in the browser, naming one that fails', async () => {
    await expect(fromCSV('/no/such/file.csv').toArray()).rejects.toThrow(/Invalid source for fromCSV: expected an OK response. Received: '\/no\/such\/file.csv' \(HTTP 404\)/);
  });
});

/**
 * Byte streams for `fromCSV`, read a chunk at a time and closed when the reader stops: a file in Node
 * (a path, `file://`), a URL through `fetch` streams, a `Blob`/`File` through `.stream()`, a web
 * `ReadableStream`, or any async iterable of bytes or text (a Node `Readable`). Files are read through
 * `src/platform` (Node's file system exists only in the Node build).
 */
import { ValueError, describe } from '../errors';
import { platform } from '../platform';
import { badState } from '../utils/options';

// The web types below are structural, so the public declarations need no DOM library: a real URL,
// Blob, File, ReadableStream and fetch all fit them.

/** A web `ReadableStream`'s reader, as far as `fromCSV` uses it. */
export interface ByteStreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

/** A web `ReadableStream` of bytes (a `Response.body`, a `Blob.stream()`). */
export interface ByteStream {
  getReader(): ByteStreamReader;
  cancel(reason?: unknown): Promise<void>;
}

/** A `Blob` or `File` (read through `.stream()`). */
export interface BlobLike {
  readonly size: number;
  stream(): unknown;
}

/** A `URL` object. */
export interface UrlLike {
  readonly href: string;
}

/** What a `fetchFunc` resolves to: the parts of a fetch `Response` a streamed read uses. */
export interface StreamingResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly body: ByteStream | null;
}

/** Where `fromCSV` reads from. */
export type CSVSource = string | UrlLike | BlobLike | ByteStream | AsyncIterable<Uint8Array | string>;

/** `fetch`'s signature as far as a streamed read uses it (the global `fetch` fits). */
export type FetchFunc = (input: string) => Promise<StreamingResponse>;

/**
 * Bytes per file read: large enough that reads are few, small enough that a chunk (and the rows it
 * holds while they are parsed) is a negligible part of the memory bound.
 */
const FILE_CHUNK_BYTES = 64 * 1024;

type Kind = { kind: 'file'; path: string } | { kind: 'url'; url: string } | { kind: 'blob'; blob: BlobLike } | { kind: 'stream'; stream: ByteStream } | { kind: 'iterable'; iterable: AsyncIterable<Uint8Array | string> };

/** What a source is, decided when the dataset is made (so a wrong source fails at once). */
export function classifySource(source: unknown, where: string): Kind {
  const text = typeof URL !== 'undefined' && source instanceof URL ? source.href : source;
  if (typeof text === 'string') {
    if (text === '') throw new ValueError(`Invalid source for ${where}: expected a path or a URL. Received: ''.`);
    if (!platform.isNode() || /^(https?|blob|data):/i.test(text)) return { kind: 'url', url: text };
    return { kind: 'file', path: text };
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) return { kind: 'blob', blob: source as BlobLike };
  const s = source as { getReader?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  if (s != null && typeof s.getReader === 'function') return { kind: 'stream', stream: source as ByteStream };
  if (s != null && typeof s[Symbol.asyncIterator] === 'function') return { kind: 'iterable', iterable: source as AsyncIterable<Uint8Array | string> };
  throw new ValueError(
    `Invalid source for ${where}: expected a path or URL string, a URL, a Blob or File, a ReadableStream, or an async iterable of bytes (a Node stream). Received: ${describe(source)}.`,
  );
}

async function* fileChunks(path: string, where: string): AsyncGenerator<Uint8Array, void, undefined> {
  const { fs } = await platform.nodeFs(where);
  let handle: Awaited<ReturnType<typeof fs.open>>;
  try {
    // fs.open takes a file: URL as it is.
    handle = await fs.open(/^file:/i.test(path) ? new URL(path) : path, 'r');
  } catch (error) {
    throw new ValueError(`Invalid source for ${where}: expected a readable file. Received: '${path}' (${(error as Error).message}).`);
  }
  try {
    for (;;) {
      const buffer = new Uint8Array(FILE_CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** A web stream's chunks; stopping early cancels the stream (a fetch is aborted, a Blob read ends). */
async function* readerChunks(stream: ByteStream): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      if (value) yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

async function* urlChunks(url: string, fetchFunc: FetchFunc | undefined, where: string): AsyncGenerator<Uint8Array, void, undefined> {
  const doFetch: FetchFunc | undefined = fetchFunc ?? (globalThis.fetch ? (u) => globalThis.fetch(u) as Promise<StreamingResponse> : undefined);
  if (!doFetch) throw new ValueError(`Invalid source for ${where}: expected fetch to be available for '${url}'. Received: no global fetch.\nhint: pass { fetchFunc }.`);
  let response: StreamingResponse;
  try {
    response = await doFetch(url);
  } catch (error) {
    throw new ValueError(`Invalid source for ${where}: expected a reachable URL. Received: '${url}' (${(error as Error).message}).`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new ValueError(`Invalid source for ${where}: expected an OK response. Received: '${url}' (HTTP ${response.status}).`);
  }
  if (!response.body) throw new ValueError(`Invalid source for ${where}: expected a response with a body. Received: '${url}' (no body).`);
  yield* readerChunks(response.body);
}

/**
 * A function that opens the source for one pass and returns its chunks. Paths, URLs and Blobs are read
 * again on every pass; a stream or an iterable can be read once, and a second pass throws a StateError.
 */
export function byteSource(kind: Kind, fetchFunc: FetchFunc | undefined, where: string): () => AsyncGenerator<Uint8Array | string, void, undefined> {
  let passes = 0;
  return () => {
    const pass = passes++;
    switch (kind.kind) {
      case 'file':
        return fileChunks(kind.path, where);
      case 'url':
        return urlChunks(kind.url, fetchFunc, where);
      case 'blob':
        return readerChunks(kind.blob.stream() as ByteStream);
      default:
        return (async function* () {
          if (pass > 0) {
            badState('pass', where, 'a source that can be read again for each pass', 'a stream, which an earlier pass has read', 'pass a path, URL, Blob or File to read the data once per epoch, or add .cache().');
          }
          if (kind.kind === 'stream') yield* readerChunks(kind.stream);
          else yield* kind.iterable;
        })();
    }
  };
}

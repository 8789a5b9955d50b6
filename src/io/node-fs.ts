/**
 * Node's file system. Node-only: only `src/platform/node.ts` (and the file handler and CSVLogger it
 * serves) reach this file, so the browser build never includes it.
 */
import * as fsPromises from 'node:fs/promises';
import * as nodePath from 'node:path';
import { ValueError } from '../errors';

type FsPromises = typeof fsPromises;
type PathModule = typeof nodePath;

/** True in Node (and runtimes that mimic it), false in browsers and workers. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** `node:fs/promises` and `node:path`; throws a clear error outside Node. */
export async function nodeFs(where: string): Promise<{ fs: FsPromises; path: PathModule }> {
  if (!isNode()) {
    throw new ValueError(
      `Invalid target for ${where}: expected a file path only in Node. Received: a path in a browser.` +
        `\nhint: in a browser use 'downloads://name', 'indexeddb://name' or an http(s) URL.`,
    );
  }
  return { fs: fsPromises, path: nodePath };
}

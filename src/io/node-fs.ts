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

/**
 * Write files into a folder (created if needed) so a reader never sees a half-written file: each is
 * written beside its target under a temporary name, then renamed over it.
 */
export async function writeFilesAtomically(dir: string, files: { name: string; data: string | Uint8Array }[], where: string): Promise<string[]> {
  const { fs, path } = await nodeFs(where);
  await fs.mkdir(dir, { recursive: true });
  const suffix = `.tmp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const written: string[] = [];
  try {
    for (const f of files) {
      await fs.writeFile(path.join(dir, f.name + suffix), f.data);
      written.push(f.name);
    }
    for (const f of files) await fs.rename(path.join(dir, f.name + suffix), path.join(dir, f.name));
  } catch (error) {
    await Promise.all(written.map((n) => fs.rm(path.join(dir, n + suffix), { force: true })));
    throw error;
  }
  return files.map((f) => path.join(dir, f.name));
}

/**
 * Saving a model folder so that every state on disk, whenever the process dies, is the old model or the
 * new one (Node only: the file handler is its one user).
 *
 * 1. The weights go to a file named by their content, `weights.<hash>.bin`: written under a temporary
 *    name, flushed to disk, then renamed. A weights file of the old model has another name (or, with the
 *    same content, the same bytes), so the old `model.json` still finds its own weights.
 * 2. `model.json` (naming that file in its manifest, as TF.js's format allows) is written the same way
 *    and renamed over the old one: the single step that switches from the old model to the new one.
 * 3. Then weights files that no manifest in the folder names any more (the old model's, an old
 *    `weights.bin`) and temporaries of earlier saves that died are removed.
 *
 * TF.js's loaders follow the manifest's paths, so the folder still loads with `tf.loadLayersModel`.
 * A failed save throws an IOError naming the path and the system's error, and removes its temporaries.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { IOError, describe, invalid } from '../errors';
import type { ModelJSON } from './types';

/** The weights files this library writes (and may remove when no manifest names them). */
const OWN_WEIGHTS = /^weights(\.[0-9a-f]{16})?\.bin$/;
/** Temporaries of this module: `<name>.tmp-<time>-<random>`. */
const TEMPORARY = /\.tmp-[0-9a-z]+-[0-9a-z]+$/;
/** model.json files larger than this are not read when looking for references (they are no manifests of ours). */
const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

const HINTS: Record<string, string> = {
  EEXIST: 'a file of that name is in the way: save to a folder path (a new one is created), or to a path ending in .json.',
  ENOTDIR: 'part of the path is a file, not a folder.',
  EFBIG: 'the file is larger than the file size limit of this process (ulimit -f).',
  ENOSPC: 'the disk is full.',
  EDQUOT: 'the disk quota is used up.',
  EROFS: 'the file system is read-only.',
  EACCES: 'this process may not write there.',
  EPERM: 'this process may not write there.',
};

/** Throw the IOError of a failed save step, with the system's error as its cause. */
function saveFailed(target: string, error: unknown): never {
  const e = error as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : 'error';
  try {
    invalid(
      {
        what: 'target',
        where: 'saveModel',
        expected: 'a folder the model can be written to',
        received: `${describe(target)} (${code}: ${e?.message ?? String(error)})`,
        hint: HINTS[code] ?? 'nothing was changed: the previous model, if any, is still there.',
      },
      IOError,
    );
  } catch (wrapped) {
    (wrapped as Error).cause = error;
    throw wrapped;
  }
}

function temporaryName(name: string): string {
  return `${name}.tmp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Write `data` to a new file and flush it to disk before returning. */
async function writeDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Write a file under a temporary name, then rename it to `name` in `dir`. */
async function writeAtomically(dir: string, name: string, data: string | Uint8Array, temporaries: Set<string>): Promise<string> {
  const temporary = path.join(dir, temporaryName(name));
  temporaries.add(temporary);
  await writeDurably(temporary, data);
  const target = path.join(dir, name);
  await fs.rename(temporary, target);
  temporaries.delete(temporary);
  return target;
}

/** The relative weight paths named by the manifests (`*.json`) of `dir`, or null if one cannot be read. */
async function referencedPaths(dir: string, names: string[]): Promise<Set<string> | null> {
  const referenced = new Set<string>();
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.json'))) {
    try {
      const file = path.join(dir, name);
      if ((await fs.stat(file)).size > MAX_MANIFEST_BYTES) continue;
      const json = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<ModelJSON>;
      for (const group of Array.isArray(json?.weightsManifest) ? json.weightsManifest : []) {
        for (const p of Array.isArray(group?.paths) ? group.paths : []) if (typeof p === 'string') referenced.add(p.replace(/^(\.\/)+/, ''));
      }
    } catch {
      return null; // a manifest we cannot read may name anything: keep every file
    }
  }
  return referenced;
}

/** Remove weights files of ours that no manifest names, and temporaries of saves that died. */
async function removeUnreferenced(dir: string): Promise<void> {
  const names = await fs.readdir(dir);
  const referenced = await referencedPaths(dir, names.filter((n) => !TEMPORARY.test(n)));
  for (const name of names) {
    const stale = TEMPORARY.test(name) || (referenced !== null && OWN_WEIGHTS.test(name) && !referenced.has(name));
    if (stale) await fs.rm(path.join(dir, name), { force: true });
  }
}

/**
 * Save `data` (the weights) and the `model.json` made by `manifest(weightsFileName)` into `dir` (created
 * if needed) as `jsonName`, in the order above. Returns the paths of the weights file and of the JSON file.
 */
export async function saveModelFolder(dir: string, jsonName: string, manifest: (weightsFile: string) => ModelJSON, data: Uint8Array): Promise<string[]> {
  const temporaries = new Set<string>();
  let written: string[];
  try {
    await fs.mkdir(dir, { recursive: true });
    const weightsName = `weights.${createHash('sha256').update(data).digest('hex').slice(0, 16)}.bin`;
    const weightsPath = await writeAtomically(dir, weightsName, data, temporaries);
    const jsonPath = await writeAtomically(dir, jsonName, JSON.stringify(manifest(weightsName)), temporaries);
    written = [weightsPath, jsonPath];
  } catch (error) {
    await Promise.all([...temporaries].map((t) => fs.rm(t, { force: true }).catch(() => {})));
    saveFailed(dir, error);
  }
  try {
    await removeUnreferenced(dir);
  } catch (error) {
    // The new model is saved; files left over from the old one take space but change nothing.
    console.warn(`webgpu-keras: saved to '${dir}', but could not remove the previous weights files (${(error as Error).message}).`);
  }
  return written;
}

/**
 * Reading a model folder that may be hostile (Node only: the file handler is its one user). Nothing is
 * read before it is known to be a regular file inside the model's folder, of the size the manifest
 * declares:
 *
 * - every path (the folder, model.json, each weights file) is resolved to its real path, and a file whose
 *   real path leaves the folder (a symbolic link to elsewhere) is refused;
 * - only regular files are opened, and without blocking (a FIFO swapped in after the check cannot hang
 *   the load), and exactly their size is read (`/dev/zero` cannot fill memory);
 * - model.json is at most 32 MiB and plain JSON (see `checkJSONData`);
 * - the weights files' sizes (`stat`) must add up to what the manifest's specs declare, each file is
 *   named once (also through links: one file, one name), and `beforeRead` (the topology's weight shapes
 *   against the specs) passes, before any weight byte is read.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ValueError, describe } from '../errors';
import { checkJSONData, manifestParts, modelJSONToArtifacts, parseModelJSON } from './model-json';
import type { LoadCheck, ModelArtifacts } from './types';
import { checkSpecs, wrongByteCount } from './weights';

const MODEL_FILE = 'model.json';
const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;
const WHERE = 'loadModel';

function refused(what: string, expected: string, received: string, hint?: string): never {
  throw new ValueError(`Invalid ${what} for ${WHERE}: expected ${expected}. Received: ${received}.${hint ? `\nhint: ${hint}` : ''}`);
}

/** What a stat says a path is, for messages. */
function kind(stat: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isFile()) return 'a file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function realpathOf(p: string, what: string, shown: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch (error) {
    return refused(what, 'a readable file', `${describe(shown)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** `real` is `dir` itself or inside it. */
function inside(dir: string, real: string): boolean {
  const rel = path.relative(dir, real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

interface CheckedFile {
  real: string;
  size: number;
  id: string;
}

/** A regular file inside `dir`, by its real path; `shown` names it in errors. */
async function checkedFile(dir: string, file: string, what: string, shown: string): Promise<CheckedFile> {
  const real = await realpathOf(file, what, shown);
  if (!inside(dir, real)) refused(what, `a file inside '${dir}'`, `${describe(shown)} (a link to '${real}')`, 'weight files must sit in the folder of model.json or below it.');
  const stat = await fs.stat(real);
  if (!stat.isFile()) refused(what, 'a regular file', `${describe(shown)} (${kind(stat)})`);
  return { real, size: stat.size, id: `${stat.dev}:${stat.ino}` };
}

/** Exactly `file.size` bytes of a checked file, opened without blocking and checked again once open. */
async function readChecked(file: CheckedFile, what: string, shown: string): Promise<Uint8Array> {
  const handle = await fs.open(file.real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size !== file.size || `${stat.dev}:${stat.ino}` !== file.id) {
      refused(what, 'a file that does not change while it is read', describe(shown));
    }
    const bytes = new Uint8Array(file.size);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, offset);
      if (bytesRead === 0) refused(what, `${file.size} bytes`, `${describe(shown)} (${offset} bytes: it shrank while read)`);
      offset += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * The artifacts of the model folder (or model.json file) at `location`, read as described above.
 * `check` runs on the parsed model.json and its weight specs before any weights file is read.
 */
export async function loadModelFolder(location: string, check?: LoadCheck): Promise<ModelArtifacts> {
  const real = await fs.realpath(location).catch(() => null);
  if (real === null) refused('path', 'a folder with model.json, or a model.json file', `'${location}' (not found)`);
  const stat = await fs.stat(real);
  if (!stat.isDirectory() && !stat.isFile()) refused('path', 'a folder with model.json, or a model.json file', `'${location}' (${kind(stat)})`);
  const dir = stat.isDirectory() ? real : path.dirname(real);
  const jsonShown = stat.isDirectory() ? path.join(location, MODEL_FILE) : location;
  const jsonFile = await checkedFile(dir, stat.isDirectory() ? path.join(dir, MODEL_FILE) : real, 'model.json', jsonShown);
  if (jsonFile.size > MAX_MODEL_JSON_BYTES) refused('model.json', `at most ${MAX_MODEL_JSON_BYTES} bytes`, `'${jsonShown}' (${jsonFile.size} bytes)`);
  const text = new TextDecoder().decode(await readChecked(jsonFile, 'model.json', jsonShown));
  const json = parseModelJSON(text, WHERE, jsonShown);
  const { paths, specs } = manifestParts(json, WHERE);
  checkJSONData(specs, 'weightsManifest', WHERE);
  const declared = checkSpecs(specs, WHERE).reduce((a, b) => a + b, 0);
  const files: CheckedFile[] = [];
  const seen = new Map<string, string>();
  for (const p of paths) {
    const file = await checkedFile(dir, path.resolve(dir, p), 'weights path', p);
    const twice = seen.get(file.id);
    if (twice !== undefined) refused('weights path', 'each weights file named once in the manifest', `'${p}' (the same file as '${twice}')`);
    seen.set(file.id, p);
    files.push(file);
  }
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total !== declared) wrongByteCount(declared, total, specs.length, WHERE);
  check?.(json, specs);
  const buffers: ArrayBuffer[] = [];
  for (let i = 0; i < files.length; i++) {
    const bytes = await readChecked(files[i], 'weights path', paths[i]);
    buffers.push(bytes.buffer as ArrayBuffer);
  }
  return modelJSONToArtifacts(json, buffers, specs);
}

/**
 * `model.json` ↔ artifacts. A `model.json` is the artifacts without their weight bytes, plus a
 * `weightsManifest` naming the weight files relative to it. Weight paths come from the file, so they
 * are checked before any is read: plain relative names only, never leaving the model's folder.
 */
import { ValueError, describe, invalid } from '../errors';
import type { ModelArtifacts, ModelArtifactsInfo, ModelJSON, WeightsManifestEntry } from './types';
import { joinBuffers } from './weights';

/** Fields copied between artifacts and `model.json` (everything but the weights). */
const META_FIELDS = ['modelTopology', 'trainingConfig', 'format', 'generatedBy', 'convertedBy', 'userDefinedMetadata'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Nesting deeper than this is refused (Keras JSON nests about 8 deep). */
const MAX_DEPTH = 64;
/** Values (objects, arrays, leaves) past this are refused: a model.json of a few MiB holds far fewer. */
const MAX_VALUES = 5_000_000;

/**
 * Check that `value` is plain JSON data before anything reads it, without recursion: objects with the
 * plain prototype, dense arrays (no holes), strings, numbers, booleans, null (and `undefined` fields),
 * nested at most 64 deep. Sparse arrays, null-prototype or class objects, functions and the like (all
 * possible in artifacts handed in as objects) and deep nesting are ValueErrors naming the place.
 */
export function checkJSONData(value: unknown, what: string, where: string): void {
  const stack: [unknown, string, number][] = [[value, what, 0]];
  let count = 0;
  const refuse = (at: string, rule: string, got: string): never => invalid({ what: `${at}`, where, expected: rule, received: got });
  while (stack.length > 0) {
    const [v, at, depth] = stack.pop()!;
    if (++count > MAX_VALUES) refuse(what, `at most ${MAX_VALUES} values`, 'more');
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') continue;
    if (typeof v !== 'object') refuse(at, 'JSON data (objects, arrays, strings, numbers, booleans, null)', typeof v);
    if (depth >= MAX_DEPTH) refuse(what, `JSON nested at most ${MAX_DEPTH} deep`, `deeper nesting at ${at.slice(0, 120)}…`);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        if (!(i in v)) refuse(`${at}[${i}]`, 'a dense array (no holes)', 'a hole (a sparse array)');
        stack.push([v[i], `${at}[${i}]`, depth + 1]);
      }
      continue;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) {
      refuse(at, 'a plain JSON object', Object.getPrototypeOf(v) === null ? 'an object with a null prototype' : `an instance of ${Object.prototype.toString.call(v)}`);
    }
    for (const key of Object.keys(v)) stack.push([(v as Record<string, unknown>)[key], `${at}.${key}`, depth + 1]);
  }
}

/** The `model.json` of artifacts whose weights are written to one file at `weightsPath`. */
export function artifactsToModelJSON(artifacts: ModelArtifacts, weightsPath: string): ModelJSON {
  const json: ModelJSON = { weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }] };
  for (const f of META_FIELDS) if (artifacts[f] !== undefined) (json as Record<string, unknown>)[f] = artifacts[f];
  return json;
}

/** Parse the text of a `model.json`, checking its structure. */
export function parseModelJSON(text: string, where: string, source: string): ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValueError(
      `Invalid model.json for ${where}: expected JSON text. Received: ${describe(text.slice(0, 40))} from ${source} (${(error as Error).message}).`,
    );
  }
  checkJSONData(json, 'model.json', where);
  if (!isObject(json)) invalid({ what: 'model.json', where, expected: 'a JSON object with modelTopology and weightsManifest', received: describe(json) });
  const manifest = json.weightsManifest ?? [];
  const groupsOk =
    Array.isArray(manifest) &&
    manifest.every((g) => isObject(g) && Array.isArray(g.paths) && Array.isArray(g.weights));
  if (!groupsOk) {
    invalid({ what: 'weightsManifest', where, expected: 'an array of { paths: string[], weights: [...] } groups', received: describe(manifest) });
  }
  return { ...json, weightsManifest: manifest as ModelJSON['weightsManifest'] };
}

/**
 * A weight path from a manifest, checked: a non-empty relative path of plain segments (no `..`, no
 * leading `/` or `\`, no scheme or drive, no control characters, also after percent-decoding).
 * Returns it without leading `./` segments.
 */
export function checkWeightPath(path: unknown, where: string): string {
  const reject = (rule: string): never =>
    invalid({
      what: 'weights path',
      where,
      expected: `a file name relative to model.json (${rule})`,
      received: describe(path),
      hint: 'weight files must sit in the folder of model.json or below it.',
    });
  if (typeof path !== 'string' || path.length === 0) return reject('a non-empty string');
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return reject('valid percent-encoding');
  }
  for (const p of [path, decoded]) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\\]/.test(p)) reject('no backslashes or control characters');
    if (p.startsWith('/')) reject('not absolute');
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) reject('no scheme or drive letter');
    if (p.split('/').some((s) => s === '..')) reject("no '..' segments");
  }
  const segments = path.split('/').filter((s) => s !== '.');
  if (segments.length === 0 || segments.some((s) => s === '')) reject('plain segments, no empty ones');
  return segments.join('/');
}

/** Every weight path of a manifest (checked) and its weight specs in storage order. */
export function manifestParts(json: ModelJSON, where: string): { paths: string[]; specs: WeightsManifestEntry[] } {
  const paths: string[] = [];
  const specs: WeightsManifestEntry[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) paths.push(checkWeightPath(p, where));
    specs.push(...group.weights);
  }
  return { paths, specs };
}

/** Artifacts from a parsed `model.json` and the bytes of its weight files (in manifest order). */
export function modelJSONToArtifacts(json: ModelJSON, weightFiles: ArrayBuffer[], specs: WeightsManifestEntry[]): ModelArtifacts {
  const artifacts: ModelArtifacts = {};
  for (const f of META_FIELDS) if (json[f] !== undefined) (artifacts as Record<string, unknown>)[f] = json[f];
  if (specs.length > 0 || weightFiles.length > 0) {
    artifacts.weightSpecs = specs;
    artifacts.weightData = joinBuffers(weightFiles);
  }
  return artifacts;
}

/** Byte sizes of artifacts, as TF.js reports them after a save. */
export function artifactsInfo(artifacts: ModelArtifacts): ModelArtifactsInfo {
  const bytes = (v: unknown) => (v === undefined ? 0 : new TextEncoder().encode(JSON.stringify(v)).length);
  const data = artifacts.weightData;
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: bytes(artifacts.modelTopology),
    weightSpecsBytes: bytes(artifacts.weightSpecs),
    weightDataBytes: data === undefined ? 0 : Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength,
  };
}

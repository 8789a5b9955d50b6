/**
 * Node file-system handler: a folder holding `model.json` and `weights.bin`, the layout TF.js's
 * `file://` handler (tfjs-node) writes and reads.
 */
import { ValueError } from '../../errors';
import { manifestParts, modelJSONToArtifacts, parseModelJSON, artifactsToModelJSON, artifactsInfo } from '../model-json';
import { nodeFs, writeFilesAtomically } from '../node-fs';
import type { IOHandler, ModelArtifacts, SaveResult } from '../types';
import { joinBuffers } from '../weights';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** `file://dir`, `file:///abs/dir` or a plain path → the path. */
function stripScheme(target: string): string {
  return target.startsWith('file://') ? target.slice('file://'.length) : target;
}

/**
 * A handler for a folder (`saveModel` creates it and writes `model.json` + `weights.bin`) or, for
 * loading, a folder or a `.json` file. Saving to a path ending in `.json` writes that file and
 * `weights.bin` beside it.
 */
export function fileHandler(target: string): IOHandler {
  const where = 'file handler';
  const location = stripScheme(target);
  if (location.length === 0) throw new ValueError(`Invalid path for ${where}: expected a folder. Received: ${JSON.stringify(target)}.`);
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const { path } = await nodeFs('saveModel');
      const toJsonFile = location.toLowerCase().endsWith('.json');
      const dir = toJsonFile ? path.dirname(location) : location;
      const jsonName = toJsonFile ? path.basename(location) : MODEL_FILE;
      const json = artifactsToModelJSON(artifacts, WEIGHTS_FILE);
      const data = new Uint8Array(joinBuffers(artifacts.weightData ?? new ArrayBuffer(0)));
      const paths = await writeFilesAtomically(dir, [{ name: WEIGHTS_FILE, data }, { name: jsonName, data: JSON.stringify(json) }], 'saveModel');
      return { modelArtifactsInfo: artifactsInfo(artifacts), paths };
    },
    async load(): Promise<ModelArtifacts> {
      const { fs, path } = await nodeFs('loadModel');
      const stat = await fs.stat(location).catch(() => null);
      if (!stat) throw new ValueError(`Invalid path for loadModel: expected a folder with model.json, or a model.json file. Received: '${location}' (not found).`);
      const jsonPath = stat.isDirectory() ? path.join(location, MODEL_FILE) : location;
      const text = await fs.readFile(jsonPath, 'utf8').catch((e: Error) => {
        throw new ValueError(`Invalid path for loadModel: expected a readable model.json. Received: '${jsonPath}' (${e.message}).`);
      });
      const json = parseModelJSON(text, 'loadModel', jsonPath);
      const { paths, specs } = manifestParts(json, 'loadModel');
      const dir = path.resolve(path.dirname(jsonPath));
      const files: ArrayBuffer[] = [];
      for (const p of paths) {
        const full = path.resolve(dir, p);
        // Second line of defence after checkWeightPath: the resolved file must stay inside the folder.
        if (!full.startsWith(dir + path.sep)) throw new ValueError(`Invalid weights path for loadModel: expected a file inside '${dir}'. Received: '${p}'.`);
        const bytes = await fs.readFile(full).catch((e: Error) => {
          throw new ValueError(`Invalid weights path for loadModel: expected a readable file. Received: '${p}' (${e.message}).`);
        });
        files.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      }
      return modelJSONToArtifacts(json, files, specs);
    },
  };
}

/**
 * Node file-system handler: a folder holding `model.json` and its weights file, the layout TF.js's
 * `file://` handler (tfjs-node) writes and reads. Saves are atomic (folder-save.ts: the weights file is
 * named by its content, `weights.<hash>.bin`, and model.json is replaced last); loads refuse hostile
 * folders before reading them (folder-load.ts).
 */
import { ValueError } from '../../errors';
import { loadModelFolder } from '../folder-load';
import { saveModelFolder } from '../folder-save';
import { artifactsToModelJSON, artifactsInfo } from '../model-json';
import { nodeFs } from '../node-fs';
import type { IOHandler, LoadCheck, ModelArtifacts, SaveResult } from '../types';
import { joinBuffers } from '../weights';

const MODEL_FILE = 'model.json';

/** `file://dir`, `file:///abs/dir` or a plain path → the path. */
function stripScheme(target: string): string {
  return target.startsWith('file://') ? target.slice('file://'.length) : target;
}

/**
 * A handler for a folder (`saveModel` creates it and writes `model.json` + `weights.<hash>.bin`) or, for
 * loading, a folder or a `.json` file. Saving to a path ending in `.json` writes that file and its
 * weights file beside it.
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
      const data = new Uint8Array(joinBuffers(artifacts.weightData ?? new ArrayBuffer(0)));
      const paths = await saveModelFolder(dir, jsonName, (weightsFile) => artifactsToModelJSON(artifacts, weightsFile), data);
      return { modelArtifactsInfo: artifactsInfo(artifacts), paths };
    },
    async load(check?: LoadCheck): Promise<ModelArtifacts> {
      await nodeFs('loadModel');
      return loadModelFolder(location, check);
    },
  };
}

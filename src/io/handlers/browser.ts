/**
 * Browser handlers. `downloads://name` saves `name.json` and `name.weights.bin` as downloads;
 * `indexeddb://name` stores the artifacts in IndexedDB in TF.js's own database layout (database
 * `tensorflowjs`, stores `models_store` and `model_info_store` keyed by `modelPath`), so a model saved
 * here loads with `tf.loadLayersModel('indexeddb://name')` and the other way round.
 */
import { ValueError } from '../../errors';
import { artifactsInfo, artifactsToModelJSON } from '../model-json';
import type { IOHandler, ModelArtifacts, SaveResult } from '../types';
import { joinBuffers } from '../weights';

const DATABASE = 'tensorflowjs';
const MODELS = 'models_store';
const INFO = 'model_info_store';

function needs(what: string, present: boolean, scheme: string): void {
  if (!present) {
    throw new ValueError(`Invalid target for ${scheme}: expected a browser with ${what}. Received: an environment without it.\nhint: in Node save to a folder path instead.`);
  }
}

/** Saves as two downloads, `<name>.json` and `<name>.weights.bin` (name default `model`). */
export function downloadsHandler(name: string): IOHandler {
  const prefix = name.length > 0 ? name : 'model';
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      needs('document', typeof document !== 'undefined', 'downloads://');
      const weightsName = `${prefix}.weights.bin`;
      const json = artifactsToModelJSON(artifacts, `./${weightsName}`);
      const files: [string, Blob][] = [
        [`${prefix}.json`, new Blob([JSON.stringify(json)], { type: 'application/json' })],
        [weightsName, new Blob([joinBuffers(artifacts.weightData ?? new ArrayBuffer(0))], { type: 'application/octet-stream' })],
      ];
      for (const [fileName, blob] of files) {
        const url = URL.createObjectURL(blob);
        const anchor = document.createElement('a');
        anchor.download = fileName;
        anchor.href = url;
        // One click per task: some browsers keep only the last of several synchronous downloads.
        await new Promise((resolve) => setTimeout(resolve, 0));
        anchor.click();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
      return { modelArtifactsInfo: artifactsInfo(artifacts), files: files.map(([n]) => n) };
    },
  };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function openDatabase(): Promise<IDBDatabase> {
  needs('IndexedDB', typeof indexedDB !== 'undefined', 'indexeddb://');
  const open = indexedDB.open(DATABASE, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'modelPath' });
    if (!db.objectStoreNames.contains(INFO)) db.createObjectStore(INFO, { keyPath: 'modelPath' });
  };
  return request(open);
}

/** Stores or reads the artifacts under `indexeddb://<name>`. */
export function indexedDBHandler(name: string): IOHandler {
  if (name.length === 0) throw new ValueError("Invalid target for indexeddb://: expected a model name, e.g. 'indexeddb://my-model'. Received: ''.");
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const db = await openDatabase();
      try {
        const stored = { ...artifacts, weightData: joinBuffers(artifacts.weightData ?? new ArrayBuffer(0)) };
        const modelArtifactsInfo = artifactsInfo(stored);
        const tx = db.transaction([MODELS, INFO], 'readwrite');
        tx.objectStore(INFO).put({ modelPath: name, modelArtifactsInfo });
        tx.objectStore(MODELS).put({ modelPath: name, modelArtifacts: stored });
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
        return { modelArtifactsInfo };
      } finally {
        db.close();
      }
    },
    async load(): Promise<ModelArtifacts> {
      const db = await openDatabase();
      try {
        const record = await request(db.transaction(MODELS, 'readonly').objectStore(MODELS).get(name));
        if (!record) throw new ValueError(`Invalid source for loadModel: expected a model saved at 'indexeddb://${name}'. Received: nothing stored under that name.`);
        return (record as { modelArtifacts: ModelArtifacts }).modelArtifacts;
      } finally {
        db.close();
      }
    },
  };
}

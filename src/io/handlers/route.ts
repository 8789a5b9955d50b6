/**
 * From what users pass to `saveModel`/`loadModel` to an IO handler: URL-like strings by scheme, IO handler
 * objects as they are, and (for loading) artifacts objects directly.
 */
import { ValueError, describe, invalid } from '../../errors';
import { platform } from '../../platform';
import type { IOHandler, LoadOptions, ModelArtifacts } from '../types';
import { downloadsHandler, indexedDBHandler } from './browser';
import { httpHandler } from './http';

const SCHEMES = "'file://', 'downloads://', 'indexeddb://' or 'http(s)://'";

function isHandler(v: unknown): v is IOHandler {
  return typeof v === 'object' && v !== null && (typeof (v as IOHandler).save === 'function' || typeof (v as IOHandler).load === 'function');
}

/** The scheme of a URL-like string (`'http'`), or null for a plain path. */
function schemeOf(target: string): string | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(target);
  return m ? m[1].toLowerCase() : null;
}

/** The handler that saves to `target`. */
export function saveHandlerFor(target: unknown): IOHandler & Required<Pick<IOHandler, 'save'>> {
  if (isHandler(target)) {
    if (typeof target.save !== 'function') invalid({ what: 'target', where: 'saveModel', expected: 'an IO handler with a save method', received: 'a handler without save' });
    return target as IOHandler & Required<Pick<IOHandler, 'save'>>;
  }
  if (typeof target !== 'string' || target.length === 0) {
    invalid({ what: 'target', where: 'saveModel', expected: `a folder path, a URL starting with ${SCHEMES}, or an IO handler`, received: describe(target) });
  }
  const scheme = schemeOf(target);
  const rest = scheme ? target.slice(scheme.length + 3) : target;
  let handler: IOHandler;
  if (scheme === 'downloads') handler = downloadsHandler(rest);
  else if (scheme === 'indexeddb') handler = indexedDBHandler(rest);
  else if (scheme === null || scheme === 'file') handler = platform.fileHandler(target);
  else if (scheme === 'http' || scheme === 'https') {
    throw new ValueError(`Invalid target for saveModel: expected a writable destination. Received: '${target}' (http(s) URLs can only be loaded from).\nhint: save to a folder or 'downloads://name' and serve the files; or pass an IO handler that uploads.`);
  } else {
    throw new ValueError(`Invalid target for saveModel: expected a folder path or a URL starting with ${SCHEMES}. Received: '${target}'.`);
  }
  return handler as IOHandler & Required<Pick<IOHandler, 'save'>>;
}

/** The handler that loads from `source` (artifacts objects are wrapped). */
export function loadHandlerFor(source: unknown, options: LoadOptions, where: string): IOHandler & Required<Pick<IOHandler, 'load'>> {
  if (isHandler(source)) {
    if (typeof source.load !== 'function') invalid({ what: 'source', where, expected: 'an IO handler with a load method', received: 'a handler without load' });
    return source as IOHandler & Required<Pick<IOHandler, 'load'>>;
  }
  if (typeof source === 'object' && source !== null && !Array.isArray(source)) {
    const artifacts = source as ModelArtifacts;
    if ('weightsManifest' in artifacts && !('weightData' in artifacts)) {
      invalid({ what: 'source', where, expected: 'model artifacts with weightData, a path or a URL', received: 'the contents of a model.json', hint: 'pass the path or URL of model.json so its weight files are read too.' });
    }
    return { load: async () => artifacts };
  }
  if (typeof source !== 'string' || source.length === 0) {
    invalid({ what: 'source', where, expected: `a path, a URL starting with ${SCHEMES}, model artifacts or an IO handler`, received: describe(source) });
  }
  const scheme = schemeOf(source);
  const rest = scheme ? source.slice(scheme.length + 3) : source;
  let handler: IOHandler;
  if (scheme === 'indexeddb') handler = indexedDBHandler(rest);
  else if (scheme === 'http' || scheme === 'https') handler = httpHandler(source, options);
  else if (scheme === 'file') handler = platform.fileHandler(source);
  else if (scheme === null) handler = platform.isNode() ? platform.fileHandler(source) : httpHandler(source, options);
  else if (scheme === 'downloads') {
    throw new ValueError(`Invalid source for ${where}: expected something to read from. Received: '${source}' (downloads:// only saves).\nhint: serve the downloaded files and load their http(s) URL, or read them with tf.io.browserFiles.`);
  } else {
    throw new ValueError(`Invalid source for ${where}: expected a path or a URL starting with ${SCHEMES}. Received: '${source}'.`);
  }
  return handler as IOHandler & Required<Pick<IOHandler, 'load'>>;
}

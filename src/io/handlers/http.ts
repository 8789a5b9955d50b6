/**
 * Loading over http(s): fetch `model.json`, then each weight file relative to it (or to
 * `weightPathPrefix`), as TF.js's `http` handler does. Weight paths are checked first, so a hostile
 * manifest cannot send requests outside the model's folder.
 */
import { ValueError } from '../../errors';
import { manifestParts, modelJSONToArtifacts, parseModelJSON } from '../model-json';
import type { FetchResponse, IOHandler, LoadCheck, LoadOptions, ModelArtifacts } from '../types';

type Fetch = NonNullable<LoadOptions['fetchFunc']>;

async function fetchOk(fetchFunc: Fetch, url: string, what: string): Promise<FetchResponse> {
  let response: FetchResponse;
  try {
    response = await fetchFunc(url);
  } catch (error) {
    throw new ValueError(`Invalid ${what} URL for loadModel: expected a reachable URL. Received: '${url}' (${(error as Error).message}).`);
  }
  if (!response.ok) throw new ValueError(`Invalid ${what} URL for loadModel: expected an OK response. Received: '${url}' (HTTP ${response.status}).`);
  return response;
}

/** Absolute form of a URL; relative ones resolve against the page in a browser. */
function absolute(url: string): URL {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, base);
  } catch {
    throw new ValueError(`Invalid URL for loadModel: expected an absolute http(s) URL. Received: '${url}'.`);
  }
}

/** A load-only handler for the `model.json` at `url`. */
export function httpHandler(url: string, options: LoadOptions = {}): IOHandler {
  return {
    async load(check?: LoadCheck): Promise<ModelArtifacts> {
      const fetchFunc: Fetch | undefined = options.fetchFunc ?? (globalThis.fetch ? (u) => globalThis.fetch(u) : undefined);
      if (!fetchFunc) throw new ValueError(`Invalid source for loadModel: expected fetch to be available for '${url}'. Received: no global fetch.\nhint: pass { fetchFunc }.`);
      const modelUrl = absolute(url);
      const text = await (await fetchOk(fetchFunc, modelUrl.href, 'model.json')).text();
      const json = parseModelJSON(text, 'loadModel', modelUrl.href);
      const { paths, specs } = manifestParts(json, 'loadModel');
      check?.(json, specs);
      const prefix = options.weightPathPrefix;
      const base = prefix === undefined ? modelUrl : absolute(prefix.endsWith('/') ? prefix : `${prefix}/`);
      const files = await Promise.all(
        paths.map(async (p) => {
          const target = new URL(p, base);
          if (target.origin !== base.origin) throw new ValueError(`Invalid weights path for loadModel: expected a file on ${base.origin}. Received: '${p}'.`);
          return (await fetchOk(fetchFunc, target.href, 'weights')).arrayBuffer();
        }),
      );
      return modelJSONToArtifacts(json, files, specs);
    },
  };
}

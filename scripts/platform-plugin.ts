import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const root = resolve(import.meta.dirname, '..');
const index = resolve(root, 'src/platform/index.ts');

/**
 * Builds (and test runs) for one platform: every import of `src/platform/index.ts` gets
 * `src/platform/<target>.ts` instead, so a browser build holds no Node code (`node:` modules, `process`,
 * the file handler) and a Node build no browser stand-ins. Used by vite.config.ts (the library's two
 * builds), the browser test project and the example page.
 */
export function platformPlugin(target: 'node' | 'browser'): Plugin {
  const replacement = resolve(root, `src/platform/${target}.ts`);
  return {
    name: 'webgpu-keras:platform',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !/(^|\/)platform(\/index(\.ts)?)?$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === index ? replacement : null;
    },
  };
}

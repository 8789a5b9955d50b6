/**
 * `npm run build` (also run by `prepare`, so `npm pack`, `npm publish` and installs from git build it):
 *
 *   dist/browser/webgpu-keras.js   for browsers and bundlers (export conditions `browser`, `default`)
 *   dist/node/webgpu-keras.js      for Node's `import` (condition `node`)
 *   dist/node/require.cjs          for Node's `require` (Node ≥ 20.19 loads the ES module; older ones say why not)
 *   dist/webgpu-keras.d.ts         every type in one file, `@internal` members stripped
 *   dist/webgpu-keras.d.cts        the same for `require` under TypeScript's node16/nodenext resolution
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const declarations = join(dist, '.types');

rmSync(dist, { recursive: true, force: true });
for (const mode of ['browser', 'node']) {
  await build({ root, configFile: join(root, 'vite.config.ts'), mode, logLevel: 'warn' });
}

// The browser build must not reach for Node: no `node:` module and no free `process` in any of its files.
for (const file of readdirSync(join(dist, 'browser'))) {
  const code = readFileSync(join(dist, 'browser', file), 'utf8');
  const found = code.match(/["'`]node:[a-z_/]+["'`]|(?<![.\w$])process\s*[.?[]|typeof\s+process\b/);
  if (found) throw new Error(`dist/browser/${file} mentions ${found[0]}: Node-only code must live in src/platform/node.ts.`);
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--declarationDir', declarations], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

const bundle = await rollup({
  input: join(declarations, 'index.d.ts'),
  plugins: [dts()],
  // Internal types name Node's modules; none may reach the public declarations (checked below).
  external: [/^node:/],
  onwarn(warning) {
    throw new Error(`bundling the declarations: ${warning.message}`);
  },
});
await bundle.write({ file: join(dist, 'webgpu-keras.d.ts'), format: 'es' });
await bundle.close();
rmSync(declarations, { recursive: true, force: true });
const types = readFileSync(join(dist, 'webgpu-keras.d.ts'), 'utf8');
const imported = types.match(/^import .*$/m);
if (imported) throw new Error(`dist/webgpu-keras.d.ts imports another module (${imported[0]}): its users would need that module's types.`);
copyFileSync(join(dist, 'webgpu-keras.d.ts'), join(dist, 'webgpu-keras.d.cts'));

writeFileSync(
  join(dist, 'node', 'require.cjs'),
  `'use strict';
// require('webgpu-keras'): the ES module itself, loaded by Node's require of ES modules (Node 20.19+, 22.12+).
try {
  module.exports = require('./webgpu-keras.js');
} catch (error) {
  if (error && error.code === 'ERR_REQUIRE_ESM') {
    throw new Error(
      "webgpu-keras is an ES module, and this Node (" + process.versions.node + ") cannot require() ES modules: that needs Node 20.19+ or 22.12+.\\n" +
        "hint: upgrade Node, or load it with import * as keras from 'webgpu-keras' (ES modules) or await import('webgpu-keras') (CommonJS).",
      { cause: error },
    );
  }
  throw error;
}
`,
);

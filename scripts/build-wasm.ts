/**
 * `npm run build:wasm`: encode the wasm backend's kernel module (src/backend/wasm/kernels/module.ts) in
 * each variant and write the bytes, base64, to src/backend/wasm/kernels/binaries.generated.ts. The
 * output is deterministic; test/backend/wasm/binaries.test.ts checks the committed file is up to date.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderBinaries } from '../src/backend/wasm/kernels/render-binaries';

const target = resolve(import.meta.dirname, '../src/backend/wasm/kernels/binaries.generated.ts');
const source = renderBinaries();
writeFileSync(target, source);
console.log(`wrote ${target} (${source.length} characters)`);

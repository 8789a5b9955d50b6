/**
 * The wasm matmul in Chromium (see matmul-suite.ts): relaxed SIMD, which Chromium has, chosen by 'auto';
 * plain SIMD when the flag forces it. The test page is not crossOriginIsolated, so both run on one
 * thread (the example page's test covers Web Workers).
 */
import { describeWasmMatmul } from './matmul-suite';

describeWasmMatmul({}, 'relaxed');
describeWasmMatmul({ simd: 'plain' }, 'plain');

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { platformPlugin } from './scripts/platform-plugin';
import { CHROMIUM, CHROMIUM_ARGS } from './test/setup/chromium';

// Two projects (conventions in test/README.md):
//   node     test/**/*.test.ts except *.browser.test.ts, in forked Node workers; WebGPU via Dawn
//   browser  test/**/*.browser.test.ts and test/**/*.gpu.test.ts, in headless Chromium
// so a `*.gpu.test.ts` file runs in both. GPU suites use describeGpu (test/setup/webgpu-env.ts).
// The browser project is left out, with one printed line, when there is no Chromium and
// CI is not true; with CI=true it always runs, so a missing Chromium fails the run.

const CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
// Debian's chromium package ships a Vulkan loader and SwiftShader (CPU Vulkan) here.
const SWIFTSHADER_DIR = process.env.SWIFTSHADER_DIR || '/usr/lib/chromium';
const GPU_TIMEOUT = 60_000;

/**
 * Environment for the forked Node workers. LD_LIBRARY_PATH is read by the dynamic
 * linker only when a process starts, so it has to be in the environment the worker is
 * spawned with: vitest passes `test.env` to child_process.fork (pool 'forks'), which is
 * why the node project must not use 'threads'. A VK_ICD_FILENAMES/VK_DRIVER_FILES set by
 * the caller wins, so a machine with a real Vulkan GPU can opt into it.
 */
function dawnEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  if (existsSync(`${SWIFTSHADER_DIR}/libvulkan.so.1`)) {
    env.LD_LIBRARY_PATH = [SWIFTSHADER_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  const icd = `${SWIFTSHADER_DIR}/vk_swiftshader_icd.json`;
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(icd)) {
    env.VK_ICD_FILENAMES = icd;
  }
  return env;
}

/** Asks a throwaway Node process whether Dawn finds an adapter (~0.2 s). Empty string = yes. */
function probeDawn(env: Record<string, string>): string {
  const src = `
    let m; try { m = await import('webgpu'); } catch { console.log('the optional npm package "webgpu" is not installed'); process.exit(1); }
    const a = await m.create([]).requestAdapter();
    if (!a) { console.log('Dawn found no Vulkan adapter'); process.exit(1); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return r.status === 0 ? '' : r.stdout.trim() || `probe failed (${r.error?.message ?? `exit ${r.status}`})`;
}

// Vitest evaluates this file several times per run (root + each project): probe and
// print once per process.
const once = ((globalThis as Record<symbol, unknown>)[Symbol.for('webgpu-keras.test-env')] ??= {
  nodeEnv: dawnEnv(),
  dawnProblem: undefined,
}) as { nodeEnv: Record<string, string>; dawnProblem: string | undefined };
const nodeEnv = once.nodeEnv;
const hasChromium = existsSync(CHROMIUM);
const runBrowser = hasChromium || CI;
if (once.dawnProblem === undefined) {
  once.dawnProblem = probeDawn(nodeEnv);
  const notes: string[] = [];
  if (once.dawnProblem) notes.push(`Node: ${once.dawnProblem}`);
  if (!hasChromium) notes.push(CI ? `no ${CHROMIUM} for the browser project` : `browser project left out: no ${CHROMIUM}`);
  if (notes.length > 0) {
    console.log(
      CI
        ? `[webgpu] CI=true and WebGPU is unavailable (${notes.join('; ')}): GPU tests will FAIL.`
        : `[webgpu] GPU tests skipped (${notes.join('; ')}). To enable: apt-get install chromium ` +
            '(brings SwiftShader and /usr/bin/chromium) and run `npm test`; CI=true makes this an error.',
    );
  }
}
const dawnProblem = once.dawnProblem;


const nodeProject: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: 'node',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts'],
    // Not 'threads': a worker thread cannot change LD_LIBRARY_PATH or the environment
    // the Vulkan loader reads, so Dawn would find no adapter there.
    pool: 'forks',
    env: nodeEnv,
    testTimeout: GPU_TIMEOUT,
    hookTimeout: GPU_TIMEOUT,
    provide: { webgpuRequired: CI, webgpuUnavailable: dawnProblem },
  },
};

const browserProject: TestProjectInlineConfiguration = {
  extends: true,
  // The browser platform in place of the Node one, as in the browser build.
  plugins: [platformPlugin('browser')],
  // Pre-bundle TF.js (used by the interop tests) so Vite does not reload the page mid-run.
  optimizeDeps: { include: ['@tensorflow/tfjs'] },
  test: {
    name: 'browser',
    include: [
      'test/**/*.browser.test.ts',
      'test/**/*.gpu.test.ts',
      'test/env/webgpu-smoke.test.ts', // the environment smoke test runs in both projects
    ],
    testTimeout: GPU_TIMEOUT,
    hookTimeout: GPU_TIMEOUT,
    provide: { webgpuRequired: CI, webgpuUnavailable: '' },
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      api: { host: '127.0.0.1' },
      provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
      instances: [{ browser: 'chromium' }],
    },
  },
};

export default defineConfig({
  test: {
    projects: runBrowser ? [nodeProject, browserProject] : [nodeProject],
  },
});

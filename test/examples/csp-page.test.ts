/**
 * A page whose Content-Security-Policy forbids 'unsafe-eval' (test/examples/csp-page) trains a model with a
 * custom activation and a custom loss on the CPU and on WebGPU, in headless Chromium: the CPU backend runs
 * its generated formulas through closures instead of `new Function`, says so once, and computes what
 * WebGPU computes.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformPlugin } from '../../scripts/platform-plugin';
import { CHROMIUM, CHROMIUM_ARGS } from '../setup/chromium';

const CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const runs = existsSync(CHROMIUM) || CI;
const repository = resolve(import.meta.dirname, '../..');

describe.skipIf(!runs)('a page that forbids unsafe-eval', () => {
  let server: ViteDevServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await createServer({
      configFile: false,
      plugins: [platformPlugin('browser')],
      root: resolve(import.meta.dirname, 'csp-page'),
      server: { port: 0, host: '127.0.0.1', hmr: false, fs: { allow: [repository] } },
      logLevel: 'warn',
    });
    await server.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('trains with a custom activation and loss on the CPU and on WebGPU', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text()) && !/unsafe-eval/.test(m.text())) violations.push(m.text());
    });
    await page.goto(server.resolvedUrls!.local[0]);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 50_000 }).catch((e) => {
      throw new Error(`${(e as Error).message}; page errors: ${errors.join('; ') || 'none'}`);
    });
    const result = JSON.parse((await page.textContent('#out'))!);
    expect(result.error, result.error).toBeUndefined();
    expect(result.evalAllowed).toBe(false);
    const { cpu, webgpu } = result as { cpu: number[]; webgpu: number[] };
    expect(cpu.every(Number.isFinite) && cpu[3] < cpu[0]).toBe(true);
    // Float32 on both; the CPU in float64 between stores: 1e-4 relative over 4 epochs.
    webgpu.forEach((l, i) => expect(Math.abs(l - cpu[i])).toBeLessThanOrEqual(1e-4 * cpu[i]));
    const csp = (result.notices as string[]).filter((n) => n.includes("forbids 'unsafe-eval'"));
    expect(csp).toHaveLength(1);
    expect(violations, violations.join('\n')).toEqual([]);
    await page.close();
  });
});

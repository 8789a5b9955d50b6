/**
 * The browser example (examples/browser) trains in headless Chromium: Vite's dev server serves the page
 * with the library from source, Playwright fills the form and presses Train, on the CPU, on wasm (on
 * every core: the example's server sends the headers that make the page crossOriginIsolated) and on
 * WebGPU (SwiftShader where there is no GPU, hence few epochs and two batches an epoch).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../setup/chromium';

const CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
// With CI=true a missing Chromium fails in beforeAll. Otherwise the suite is skipped quietly: the one
// line vitest.config.ts prints already says that Chromium is missing and how to enable the GPU tests.
const runs = existsSync(CHROMIUM) || CI;

describe.skipIf(!runs)('the browser example page', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    server = await createServer({
      root: resolve(import.meta.dirname, '../../examples/browser'),
      server: { port: 0, host: '127.0.0.1', hmr: false },
      logLevel: 'warn',
    });
    await server.listen();
    url = server.resolvedUrls!.local[0];
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh page on the example, collecting its uncaught errors. */
  async function open(init?: () => void): Promise<{ page: Page; pageErrors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    if (init) await page.addInitScript(init);
    await page.goto(url);
    return { page, pageErrors };
  }

  /** Fill the form, press Train, wait until training ends, and resolve to the page's final state. */
  async function train(page: Page, fields: Record<string, string>): Promise<string> {
    for (const [id, value] of Object.entries(fields)) {
      const kind = await page.locator(`#${id}`).evaluate((el) => (el instanceof HTMLInputElement ? el.type : el.tagName));
      if (kind === 'SELECT') await page.selectOption(`#${id}`, value);
      else if (kind === 'checkbox') await page.setChecked(`#${id}`, value === 'on');
      else await page.fill(`#${id}`, value);
    }
    await page.click('#train');
    await page.waitForFunction(() => ['done', 'stopped', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 40_000 });
    return page.evaluate(() => document.body.dataset.state!);
  }

  async function expectTrained(page: Page, epochs: number): Promise<void> {
    expect(await page.textContent('#epoch')).toBe(`${epochs} / ${epochs}`);
    expect(await page.textContent('#loss')).toMatch(/^\d+\.\d{4}$|^\d\.\d\de-\d+$/);
    expect(await page.textContent('#accuracy')).toMatch(/^[01]\.\d{4}$/);
    expect(await page.innerHTML('#history')).toContain('<svg');
    expect(await page.innerHTML('#boundary')).toContain('<svg');
    expect(await page.textContent('#summary')).toContain('Total params');
  }

  it('trains on the CPU backend and draws the history, the decision boundary and the summary', async () => {
    const { page, pageErrors } = await open();
    const state = await train(page, { backend: 'cpu', epochs: '5' });
    expect(state, (await page.textContent('#error')) ?? '').toBe('done');
    await expectTrained(page, 5);
    expect(await page.textContent('#backendInfo')).toBe('Backend: cpu');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('trains on the WebGPU backend', async () => {
    const { page, pageErrors } = await open();
    const state = await train(page, { backend: 'webgpu', epochs: '3', batchSize: '64', dataset: 'xor', batchNorm: 'on' });
    expect(state, (await page.textContent('#error')) ?? '').toBe('done');
    await expectTrained(page, 3);
    expect(await page.textContent('#backendInfo')).toBe('Backend: webgpu');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('trains with a custom activation typed as a formula, on the CPU and on WebGPU, and shows its derivative', async () => {
    for (const backend of ['cpu', 'webgpu']) {
      const { page, pageErrors } = await open();
      const fields = { backend, epochs: '2', batchSize: '64', activation: 'custom', customActivation: 'x * tanh(softplus(x))' };
      const state = await train(page, fields);
      expect(state, (await page.textContent('#error')) ?? '').toBe('done');
      await expectTrained(page, 2);
      expect(await page.textContent('#formulaInfo')).toBe('f(x) = x * tanh(softplus(x));  f′(x) = tanh(softplus(x)) + x * (1 - tanh(softplus(x)) * tanh(softplus(x))) * sigmoid(x)');
      expect(pageErrors).toEqual([]);
      await page.close();
    }
  });

  it('shows a formula it cannot parse on the page, with the column', async () => {
    const { page } = await open();
    expect(await train(page, { backend: 'cpu', activation: 'custom', customActivation: 'x * alert(1)' })).toBe('error');
    expect(await page.textContent('#error')).toMatch(/Invalid formula for keras\.activations\.fromFormula: expected an elementwise keras\.ops function .* at column 5/);
    await page.close();
  });

  it('stays responsive while training: Stop ends a long run', async () => {
    const { page } = await open();
    await page.selectOption('#backend', 'cpu');
    await page.fill('#epochs', '100000');
    await page.fill('#batchSize', '2');
    await page.click('#train');
    await page.waitForFunction(() => document.getElementById('epoch')!.textContent !== '–', null, { timeout: 20_000 });
    await page.click('#stop', { timeout: 5_000 });
    await page.waitForFunction(() => document.body.dataset.state === 'stopped', null, { timeout: 5_000 });
    const done = Number((await page.textContent('#epoch'))!.split(' / ')[0]);
    expect(done).toBeLessThan(100000);
    expect(await page.textContent('#status')).toBe(`Stopped after epoch ${done}`);
    await page.close();
  });

  it('trains on the wasm backend on every core: the page is crossOriginIsolated, so Web Workers share its memory', async () => {
    const { page, pageErrors } = await open();
    const warnings: string[] = [];
    page.on('console', (message) => void (message.type() === 'warning' && warnings.push(message.text())));
    const state = await train(page, { backend: 'wasm', epochs: '3', dataset: 'xor', batchNorm: 'on' });
    expect(state, (await page.textContent('#error')) ?? '').toBe('done');
    await expectTrained(page, 3);
    expect(await page.textContent('#backendInfo')).toBe('Backend: wasm');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(warnings.filter((w) => w.includes('runs on one thread'))).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('under auto, never trains on a software adapter: SwiftShader gives way to wasm, saying why in one line', async () => {
    const { page } = await open();
    const isSoftware = await page.evaluate(async () => {
      const adapter = await navigator.gpu?.requestAdapter();
      return !adapter || adapter.info.isFallbackAdapter || /swiftshader/i.test(adapter.info.architecture);
    });
    expect(await train(page, { backend: 'auto', epochs: '2' })).toBe('done');
    const info = (await page.textContent('#backendInfo'))!;
    expect(info).toContain(isSoftware ? 'Backend: wasm (chosen by auto)' : 'Backend: webgpu (chosen by auto)');
    if (isSoftware) expect(info).toMatch(/webgpu unavailable: .*software renderer/);
    await page.close();
  });

  it('under auto without WebGPU, trains on wasm and says why in one line', async () => {
    const { page } = await open(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
    expect(await train(page, { backend: 'auto', epochs: '2' })).toBe('done');
    const info = (await page.textContent('#backendInfo'))!;
    expect(info).toContain('Backend: wasm (chosen by auto)');
    expect(info).toContain('webgpu unavailable: WebGPU is not available in this browser');
    await page.close();
  });

  it('shows an invalid learning rate on the page', async () => {
    const { page } = await open();
    expect(await train(page, { backend: 'cpu', learningRate: '-1' })).toBe('error');
    expect(await page.isVisible('#error')).toBe(true);
    expect(await page.textContent('#error')).toMatch(/Invalid learningRate for Adam: .*Received: learningRate=-1/);
    expect(await page.isEnabled('#train')).toBe(true);
    await page.close();
  });
});

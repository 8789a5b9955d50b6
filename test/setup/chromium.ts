/**
 * How the tests launch Debian's Chromium headless with WebGPU on SwiftShader: shared by the browser
 * project (vitest.config.ts) and the page test of the browser example.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The test pages are served on 127.0.0.1 (or localhost); nothing else may resolve: there is no network.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
];

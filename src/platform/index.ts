/**
 * The platform of this build. Source and Node tests get Node's; the browser build and browser tests get
 * `browser.ts` in place of this file (see `platformPlugin` in vite.config.ts).
 */
export { platform } from './node';
export type { Platform, TextSink, NodeFs, DawnModule, Rasterizer, PlatformWorker } from './platform';

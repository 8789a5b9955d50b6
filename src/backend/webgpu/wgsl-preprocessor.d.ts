// Types for the npm package `wgsl-preprocessor` (plain JavaScript, ships none; its package.json names
// no entry file, so the module is imported by its file name).
declare module 'wgsl-preprocessor/wgsl-preprocessor.js' {
  /** Template tag resolving `#if ${expr}` / `#elif ${expr}` / `#else` / `#endif` blocks. */
  export function wgsl(strings: TemplateStringsArray, ...values: unknown[]): string;
}

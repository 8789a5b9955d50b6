/**
 * Where a finished SVG goes: into a page element in a browser, to a file in Node, and to a PNG beside it
 * when a rasterizer package happens to be installed (`@resvg/resvg-js` or `sharp`; neither is a
 * dependency, both are looked up lazily by the Node platform).
 */
import { invalid, received } from '../errors';
import { platform } from '../platform';

/** Where a browser plot is drawn: a DOM element (anything with `innerHTML`), described without the DOM types. */
export interface PlotContainer {
  innerHTML: string;
}

/** Output options shared by the plot functions. */
export interface PlotOutputOptions {
  /**
   * Node: the SVG file to write (default: the function's file name in the working directory); `false`
   * writes nothing. Ignored in browsers.
   */
  path?: string | false;
  /** Node: also write a PNG next to the SVG when `@resvg/resvg-js` or `sharp` is installed (default true). */
  png?: boolean;
  /** Browser: an element (or a CSS selector) whose content becomes the plot. */
  container?: PlotContainer | string;
}

/** The option names of {@link PlotOutputOptions}. */
export const OUTPUT_OPTIONS = ['path', 'png', 'container'];

/** What a plot function resolves to. */
export interface PlotResult {
  /** The plot as an SVG document. */
  svg: string;
  /** The SVG file written (Node). */
  path?: string;
  /** The PNG file written, when a rasterizer was available (Node). */
  pngPath?: string;
}

/** Send an SVG to the requested outputs. */
export async function emitPlot(svg: string, options: PlotOutputOptions, defaultFile: string, where: string): Promise<PlotResult> {
  const result: PlotResult = { svg };
  if (options.container !== undefined) {
    const target = typeof options.container === 'string' && typeof document !== 'undefined' ? document.querySelector(options.container) : options.container;
    if (!target || typeof (target as PlotContainer).innerHTML !== 'string') {
      invalid({ what: 'container', where, expected: 'a DOM element or a selector that matches one', received: received('container', options.container) });
    }
    (target as PlotContainer).innerHTML = svg;
  }
  if (!platform.isNode() || options.path === false) return result;
  const file = options.path ?? defaultFile;
  if (typeof file !== 'string' || file.length === 0) invalid({ what: 'path', where, expected: 'a file path or false', received: received('path', file) });
  const { fs, path } = await platform.nodeFs(where);
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await fs.writeFile(file, svg, 'utf8');
  result.path = file;
  if (options.png !== false) {
    const rasterize = await platform.rasterizer();
    if (rasterize) {
      const pngPath = file.replace(/\.svg$/i, '') + '.png';
      await fs.writeFile(pngPath, await rasterize(svg));
      result.pngPath = pngPath;
    }
  }
  return result;
}

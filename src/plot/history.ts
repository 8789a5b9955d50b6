/**
 * `plotHistory`: the loss and each metric of a `fit` in its own panel, training and validation overlaid,
 * epochs (1-based, as Keras prints them) on the x axis.
 */
import { describe, invalid } from '../errors';
import { drawFrame, extent, linearScale, niceDomain, niceStep, ticksBetween } from './axis';
import { TRAIN_COLOR, VAL_COLOR } from './colors';
import { checkOptions } from '../utils/options';
import { OUTPUT_OPTIONS, emitPlot, type PlotOutputOptions, type PlotResult } from './output';
import { el, linePath, svgDocument, text } from './svg';

/** Options of {@link plotHistory}. */
export interface PlotHistoryOptions extends PlotOutputOptions {
  /** Metrics to draw, by name without `val_` (default: all, loss first). */
  metrics?: string[];
  /** Panels per row (default 2, or 1 for a single panel). */
  columns?: number;
  /** Size of one panel in pixels (default 440 × 300). */
  panelWidth?: number;
  panelHeight?: number;
  /** Title above the panels (default none). */
  title?: string;
}

/** A `History` (what `fit` returns), its `history` record, or `{ history, epoch }`. */
export type HistoryLike = { history: Record<string, number[]>; epoch?: number[] } | Record<string, number[]>;

const WHERE = 'plotHistory';

function readHistory(h: unknown): { logs: Record<string, number[]>; epochs: number[] } {
  const raw = h as { history?: unknown; epoch?: unknown } | null;
  const logs = (raw && typeof raw.history === 'object' && raw.history !== null ? raw.history : raw) as Record<string, unknown> | null;
  const ok = logs && typeof logs === 'object' && Object.values(logs).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'number'));
  if (!ok || Object.keys(logs).length === 0) {
    invalid({ what: 'history', where: WHERE, expected: 'the History returned by fit, or { loss: number[], … }', received: describe(h) });
  }
  const typed = logs as Record<string, number[]>;
  const n = extent(Object.values(typed).map((v) => v.length))[1];
  const given = Array.isArray(raw?.epoch) && raw.epoch.length === n ? (raw.epoch as number[]) : null;
  return { logs: typed, epochs: given ?? Array.from({ length: n }, (_, i) => i) };
}

/**
 * x positions (1-based epochs) of a series of `count` values over `epochs`: aligned when the lengths match;
 * a shorter validation series (fit's `validationFreq`) is spread at even intervals ending on the last epoch.
 */
function positions(count: number, epochs: number[]): number[] {
  if (count === epochs.length) return epochs.map((e) => e + 1);
  const every = epochs.length / Math.max(1, count);
  return Array.from({ length: count }, (_, k) => epochs[Math.min(epochs.length - 1, Math.round((k + 1) * every) - 1)] + 1);
}

const ABBREVIATIONS: Record<string, string> = { mse: 'MSE', mae: 'MAE', rmse: 'RMSE', r2_score: 'R² score', acc: 'Accuracy' };

/** `mean_squared_error` → `Mean squared error`; `mae` → `MAE`. */
function prettify(name: string): string {
  return ABBREVIATIONS[name] ?? name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function panel(name: string, train: number[] | undefined, val: number[] | undefined, epochs: number[], w: number, h: number): string {
  const series = [train, val].filter((s): s is number[] => !!s);
  const y = niceDomain(...extent(series.flat().filter(Number.isFinite)));
  const first = epochs[0] + 1;
  const last = epochs[epochs.length - 1] + 1;
  const xStep = niceStep(last - first, 8, 1);
  const xDomain: [number, number] = first === last ? [first - 0.5, last + 0.5] : [first, last];
  const left = 62;
  const top = 40;
  const frame = {
    x: linearScale(xDomain, [left, w - 18]),
    y: linearScale(y.domain, [h - 48, top]),
    xTicks: ticksBetween(xDomain[0], xDomain[1], xStep).filter((t) => t >= 1),
    yTicks: y.ticks,
    xStep,
    yStep: y.step,
    xLabel: 'Epoch',
    yLabel: prettify(name),
  };
  const draw = (values: number[], color: string, cls: string, dashed: boolean): string => {
    const xs = positions(values.length, epochs);
    const pts = values.map((v, i) => (Number.isFinite(v) ? ([frame.x(xs[i]), frame.y(v)] as [number, number]) : null));
    const markers = values.length <= 40 ? pts.map((p) => (p ? el('circle', { cx: p[0], cy: p[1], r: 2.5 }) : '')).join('') : '';
    return el(
      'g',
      { class: `series ${cls}`, 'data-points': values.length },
      el('path', { d: linePath(pts), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': dashed ? '6 4' : undefined, 'stroke-linejoin': 'round' }),
      el('g', { fill: color }, markers),
    );
  };
  const legendItems = [train && ['training', TRAIN_COLOR, false], val && ['validation', VAL_COLOR, true]].filter(Boolean) as [string, string, boolean][];
  let lx = w - 18;
  const legend = legendItems
    .reverse()
    .map(([label, color, dashed]) => {
      lx -= label.length * 6.5 + 34;
      return el('g', { transform: `translate(${lx} 20)` },
        el('line', { x1: 0, x2: 22, y1: 0, y2: 0, stroke: color, 'stroke-width': 2, 'stroke-dasharray': dashed ? '6 4' : undefined }),
        text(label, { x: 28, y: 4, fill: '#111827' }));
    })
    .join('');
  return (
    text(prettify(name), { class: 'panel-title', x: left, y: 24, 'font-size': 14, 'font-weight': 600, fill: '#111827' }) +
    el('g', { class: 'legend' }, legend) +
    drawFrame(frame) +
    (train ? draw(train, TRAIN_COLOR, 'train', false) : '') +
    (val ? draw(val, VAL_COLOR, 'val', true) : '')
  );
}

/**
 * Draw a training history as an SVG: one panel per metric (loss first), training solid and validation
 * dashed, a legend per panel. In Node the SVG goes to `options.path` (default `history.svg`; a PNG too
 * when `@resvg/resvg-js` or `sharp` is installed); in a browser into `options.container`.
 *
 * @param history What `fit` returned (or its `history` record).
 * @returns The SVG and the files written.
 */
export async function plotHistory(history: HistoryLike, plotOptions?: PlotHistoryOptions): Promise<PlotResult> {
  const options = checkOptions(plotOptions, WHERE, { known: ['metrics', 'columns', 'panelWidth', 'panelHeight', 'title', ...OUTPUT_OPTIONS] });
  const { logs, epochs } = readHistory(history);
  const bases = [...new Set(Object.keys(logs).map((k) => k.replace(/^val_/, '')))].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  const names = options.metrics ?? bases;
  for (const m of names) {
    if (!bases.includes(m)) invalid({ what: 'metrics', where: WHERE, expected: `names among ${bases.join(', ')}`, received: describe(m) });
  }
  const pw = options.panelWidth ?? 440;
  const ph = options.panelHeight ?? 300;
  const columns = Math.max(1, Math.min(options.columns ?? (names.length > 1 ? 2 : 1), names.length));
  const top = options.title ? 36 : 0;
  const rows = Math.ceil(names.length / columns);
  const panels = names.map((m, i) =>
    el('g', { class: 'panel', 'data-metric': m, transform: `translate(${(i % columns) * pw} ${top + Math.floor(i / columns) * ph})` }, panel(m, logs[m], logs[`val_${m}`], epochs, pw, ph)),
  );
  const title = options.title ? text(options.title, { x: (columns * pw) / 2, y: 24, 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 600, fill: '#111827' }) : '';
  const svg = svgDocument(columns * pw, top + rows * ph, options.title ?? 'Training history', title + panels.join(''));
  return emitPlot(svg, options, 'history.svg', WHERE);
}

/**
 * `plotDecisionBoundary`: what a model with two inputs predicts over the plane around its data. A grid
 * (100 × 100 by default) is predicted in one call; a classifier's regions take the colour of their
 * argmax class, a single output (sigmoid or regression) a colour ramp. The data points go on top,
 * coloured by their labels. Cells of one colour in a row are merged into one rectangle.
 */
import { ShapeError, invalid, received } from '../errors';
import type { Sequential } from '../models/sequential';
import { toHostArray, type TensorLike } from '../tensor/convert';
import { drawFrame, extent, formatTick, linearScale, niceDomain } from './axis';
import { classColor, rampColor, tint } from './colors';
import { checkOptions } from '../utils/options';
import { OUTPUT_OPTIONS, emitPlot, type PlotOutputOptions, type PlotResult } from './output';
import { el, num, svgDocument, text } from './svg';

/** Options of {@link plotDecisionBoundary}. */
export interface PlotDecisionBoundaryOptions extends PlotOutputOptions {
  /** Grid cells per side (default 100). */
  resolution?: number;
  /** Margin around the data's bounding box, as a fraction of its size (default 0.1). */
  margin?: number;
  /** Names of the classes for the legend (default `class 0`, `class 1`, …). */
  classNames?: string[];
  /** Axis titles (default `x₁`, `x₂`). */
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** Plot size in pixels (default 560 × 480). */
  width?: number;
  height?: number;
}

const WHERE = 'plotDecisionBoundary';
/** Ramp colours are quantised to this many levels so neighbouring cells merge. */
const RAMP_LEVELS = 32;

/** Class index (or value) of each label row: an index, a one-hot row, or a single value. */
function labelValues(values: ArrayLike<number>, shape: number[], n: number): number[] {
  const cols = shape.length > 1 ? shape.slice(1).reduce((a, b) => a * b, 1) : 1;
  if (shape[0] !== n) throw new ShapeError(`Invalid y for ${WHERE}: expected ${n} labels, one per point. Received: shape [${shape}].`);
  return Array.from({ length: n }, (_, i) => {
    if (cols === 1) return values[i];
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[i * cols + c] > values[i * cols + best]) best = c;
    return best;
  });
}

/**
 * Draw the decision regions of a 2-input model with its data on top.
 *
 * @param model A built model taking 2 features per sample.
 * @param x Points, shape `[n, 2]`.
 * @param y Their labels: class indices, one-hot rows, or values (regression / a single sigmoid output).
 * @returns The SVG and the files written (Node default `decision-boundary.svg`).
 */
export async function plotDecisionBoundary(model: Sequential, x: TensorLike, y: TensorLike, plotOptions?: PlotDecisionBoundaryOptions): Promise<PlotResult> {
  const options = checkOptions(plotOptions, WHERE, {
    known: ['resolution', 'margin', 'classNames', 'xLabel', 'yLabel', 'title', 'width', 'height', ...OUTPUT_OPTIONS],
  });
  if (!model || typeof model.predict !== 'function' || model.inputShape?.length !== 1 || model.inputShape[0] !== 2) {
    invalid({ what: 'model', where: WHERE, expected: 'a model built for 2 input features', received: `input shape ${JSON.stringify(model?.inputShape ?? null)}` });
  }
  const res = options.resolution ?? 100;
  if (!Number.isInteger(res) || res < 2 || res > 1000) invalid({ what: 'resolution', where: WHERE, expected: 'an integer in [2, 1000]', received: received('resolution', res) });
  const xs = await toHostArray(x, 'x', WHERE);
  if (xs.shape.length !== 2 || xs.shape[1] !== 2 || xs.shape[0] === 0) {
    throw new ShapeError(`Invalid x for ${WHERE}: expected points of shape [n, 2]. Received: shape [${xs.shape}].`);
  }
  const n = xs.shape[0];
  const ys = await toHostArray(y, 'y', WHERE);
  const labels = labelValues(ys.values, ys.shape, n);
  const col = (c: number) => Array.from({ length: n }, (_, i) => xs.values[i * 2 + c]);
  const margin = options.margin ?? 0.1;
  const bounds = [0, 1].map((c) => {
    const [lo, hi] = extent(col(c));
    const pad = (hi - lo || 1) * margin;
    return [lo - pad, hi + pad] as [number, number];
  });

  // Predict the grid in one call: cell centres, row by row from the top.
  const grid = new Float64Array(res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      grid[(r * res + c) * 2] = bounds[0][0] + ((c + 0.5) / res) * (bounds[0][1] - bounds[0][0]);
      grid[(r * res + c) * 2 + 1] = bounds[1][1] - ((r + 0.5) / res) * (bounds[1][1] - bounds[1][0]);
    }
  }
  const out = await model.predict(grid, { batchSize: 2048, verbose: 0 });
  const pred = await out.data();
  out.dispose();
  const k = pred.length / (res * res);
  const classifier = k > 1;

  // Colour of each cell; for one output, a ramp over the predictions' and labels' range.
  let lo = 0;
  let hi = 1;
  if (!classifier) {
    const all = [...Array.from(pred), ...labels].filter(Number.isFinite);
    [lo, hi] = extent(all);
    if (lo >= 0 && hi <= 1) [lo, hi] = [0, 1]; // a sigmoid output (or 0/1 labels): the full probability range
  }
  const level = (v: number) => Math.round(((v - lo) / (hi - lo || 1)) * (RAMP_LEVELS - 1)) / (RAMP_LEVELS - 1);
  const cellColor = (i: number): string => {
    if (!classifier) return tint(rampColor(level(pred[i])), 0.25);
    let best = 0;
    for (let c = 1; c < k; c++) if (pred[i * k + c] > pred[i * k + best]) best = c;
    return tint(classColor(best), 0.7);
  };

  const w = options.width ?? 560;
  const h = options.height ?? 480;
  const legendWidth = 130;
  const xd = niceDomain(bounds[0][0], bounds[0][1], 6);
  const yd = niceDomain(bounds[1][0], bounds[1][1], 6);
  const frame = {
    x: linearScale(bounds[0], [64, w - legendWidth]),
    y: linearScale(bounds[1], [h - 50, options.title ? 40 : 16]),
    xTicks: xd.ticks.filter((t) => t >= bounds[0][0] && t <= bounds[0][1]),
    yTicks: yd.ticks.filter((t) => t >= bounds[1][0] && t <= bounds[1][1]),
    xStep: xd.step,
    yStep: yd.step,
    xLabel: options.xLabel ?? 'x₁',
    yLabel: options.yLabel ?? 'x₂',
  };
  const [px0, px1] = frame.x.range;
  const [py0, py1] = [frame.y.range[1], frame.y.range[0]]; // top, bottom
  const cw = (px1 - px0) / res;
  const chh = (py1 - py0) / res;
  const colors = Array.from({ length: res * res }, (_, i) => cellColor(i));
  const cells: string[] = [];
  for (let r = 0; r < res; r++) {
    let start = 0;
    for (let c = 1; c <= res; c++) {
      if (c < res && colors[r * res + c] === colors[r * res + start]) continue;
      cells.push(el('rect', { x: px0 + start * cw, y: py0 + r * chh, width: (c - start) * cw + 0.02, height: chh + 0.02, fill: colors[r * res + start] }));
      start = c;
    }
  }

  const pointColor = (v: number) => (classifier ? classColor(Math.round(v)) : rampColor(level(v)));
  // Vivid points on pastel regions read best with a white rim; on the darker ramp a dark rim works.
  const rim = classifier ? { stroke: '#ffffff', 'stroke-width': 1.2 } : { stroke: '#111827', 'stroke-width': 0.8 };
  const points = labels.map((v, i) => el('circle', { cx: frame.x(xs.values[i * 2]), cy: frame.y(xs.values[i * 2 + 1]), r: 4, fill: pointColor(v), ...rim })).join('');
  const legend = classifier ? classLegend(k, options.classNames, w - legendWidth + 20, py0) : rampLegend(lo, hi, w - legendWidth + 20, py0, py1);
  const title = options.title ? text(options.title, { x: (px0 + px1) / 2, y: 24, 'text-anchor': 'middle', 'font-size': 15, 'font-weight': 600, fill: '#111827' }) : '';
  const body =
    title +
    el('g', { class: 'regions', 'shape-rendering': 'crispEdges' }, cells.join('')) +
    drawFrame(frame) +
    el('rect', { class: 'plot-border', x: px0, y: py0, width: px1 - px0, height: py1 - py0, fill: 'none', stroke: '#9ca3af' }) +
    el('g', { class: 'points', 'data-points': n }, points) +
    el('g', { class: 'legend' }, legend);
  return emitPlot(svgDocument(w, h, options.title ?? 'Decision boundary', body), options, 'decision-boundary.svg', WHERE);
}

function classLegend(k: number, names: string[] | undefined, x: number, y: number): string {
  return Array.from({ length: k }, (_, c) =>
    el('g', { transform: `translate(${num(x)} ${num(y + 8 + c * 22)})` },
      el('rect', { x: 0, y: -8, width: 14, height: 14, fill: tint(classColor(c), 0.7), stroke: classColor(c) }),
      el('circle', { cx: 7, cy: -1, r: 3.5, fill: classColor(c) }),
      text(names?.[c] ?? `class ${c}`, { x: 22, y: 4, fill: '#111827' })),
  ).join('');
}

function rampLegend(lo: number, hi: number, x: number, top: number, bottom: number): string {
  const steps = 40;
  const hgt = (bottom - top) / steps;
  const bar = Array.from({ length: steps }, (_, i) => el('rect', { x, y: top + i * hgt, width: 16, height: hgt + 0.5, fill: rampColor(1 - (i + 0.5) / steps) })).join('');
  const d = niceDomain(lo, hi, 5);
  const scale = linearScale([lo, hi], [bottom, top]);
  const labels = d.ticks
    .filter((t) => t >= lo - 1e-12 && t <= hi + 1e-12)
    .map((t) => text(formatTick(t, d.step), { x: x + 22, y: scale(t) + 4, fill: '#374151' }))
    .join('');
  return el('g', { class: 'colorbar', 'shape-rendering': 'crispEdges' }, bar) + labels;
}

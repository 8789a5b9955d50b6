/**
 * Scales, "nice" ticks (steps of 1, 2 or 5 × 10ⁿ) and tick labels, and the drawing of a plot frame:
 * grid lines, two axes with tick labels, axis titles.
 */
import { el, num, text } from './svg';

/** Smallest and largest finite value (`[Infinity, -Infinity]` when there is none); no argument spreading. */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A linear map from a data interval to a pixel interval. */
export interface Scale {
  domain: [number, number];
  range: [number, number];
  (v: number): number;
}

/** A linear scale; a zero-width domain maps to the middle of the range. */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = ((v: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0))) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** The step of about `count` ticks over `span`: 1, 2 or 5 × 10ⁿ (at least `minStep`). */
export function niceStep(span: number, count: number, minStep = 0): number {
  const raw = Math.max(span / Math.max(1, count), Number.MIN_VALUE);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
  return Math.max(step, minStep);
}

/**
 * A padded, nice domain and its ticks for data in [lo, hi]: the domain ends on ticks. A flat range is
 * widened so a constant series still gets a readable axis.
 */
export function niceDomain(lo: number, hi: number, count = 5): { domain: [number, number]; ticks: number[]; step: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  return { domain: [start, end], ticks: ticksBetween(start, end, step), step };
}

/** Multiples of `step` within [lo, hi], without floating-point drift. */
export function ticksBetween(lo: number, hi: number, step: number): number[] {
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let i = first; i <= last && out.length < 1000; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Tick labels with as many decimals as the step needs (1e-4 ≤ |step| and |v| < 1e6), else exponents. */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const big = Math.max(Math.abs(v), Math.abs(step));
  if (big >= 1e6 || Math.abs(step) < 1e-4) return v.toExponential(Math.max(0, Math.min(3, Math.ceil(-Math.log10(step / big))))).replace('e+', 'e');
  const decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
  const s = v.toFixed(decimals);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/** Everything needed to draw one frame. */
export interface Frame {
  x: Scale;
  y: Scale;
  xTicks: number[];
  yTicks: number[];
  xStep: number;
  yStep: number;
  xLabel: string;
  yLabel: string;
}

const AXIS = '#4b5563';
const GRID = '#e5e7eb';
const LABEL = '#374151';

/** Grid, axes, tick labels and axis titles of a frame. */
export function drawFrame(f: Frame): string {
  const [x0, x1] = f.x.range;
  const [y0, y1] = f.y.range; // y0 is the bottom
  const grid = [
    ...f.yTicks.map((t) => el('line', { x1: x0, x2: x1, y1: f.y(t), y2: f.y(t) })),
    ...f.xTicks.map((t) => el('line', { x1: f.x(t), x2: f.x(t), y1: y0, y2: y1 })),
  ].join('');
  const line = (x1: number, y1: number, x2: number, y2: number) => el('line', { x1, y1, x2, y2, stroke: AXIS });
  const xAxis = f.xTicks
    .map((t) => line(f.x(t), y0, f.x(t), y0 + 5) + text(formatTick(t, f.xStep), { x: f.x(t), y: y0 + 18, 'text-anchor': 'middle' }))
    .join('');
  const yAxis = f.yTicks
    .map((t) => line(x0 - 5, f.y(t), x0, f.y(t)) + text(formatTick(t, f.yStep), { x: x0 - 8, y: f.y(t) + 4, 'text-anchor': 'end' }))
    .join('');
  const midY = (y0 + y1) / 2;
  return (
    el('g', { class: 'grid', stroke: GRID, 'stroke-width': 1 }, grid) +
    el('g', { class: 'axis x-axis', fill: LABEL }, line(x0, y0, x1, y0), xAxis) +
    el('g', { class: 'axis y-axis', fill: LABEL }, line(x0, y0, x0, y1), yAxis) +
    text(f.xLabel, { class: 'axis-label', x: (x0 + x1) / 2, y: y0 + 36, 'text-anchor': 'middle', fill: LABEL }) +
    text(f.yLabel, { class: 'axis-label', x: 0, y: 0, 'text-anchor': 'middle', fill: LABEL, transform: `translate(${num(x0 - 46)} ${num(midY)}) rotate(-90)` })
  );
}

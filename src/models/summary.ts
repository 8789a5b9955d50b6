/** Keras's summary table: `Layer (type)`, `Output Shape`, `Param #`, then the parameter totals with sizes. */
import { formatShape } from '../tensor/shape';
import type { Sequential } from './sequential';

/** Keras's default column widths; a column grows when a cell needs more room. */
const DEFAULT_WIDTHS = [33, 26, 15];

function bytesLabel(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

function row(widths: number[], cells: string[], edge: [string, string, string]): string {
  const [left, mid, right] = edge;
  const padded = cells.map((c, i) => ` ${i === 2 ? c.padStart(widths[i] - 2) : c.padEnd(widths[i] - 2)} `);
  return left + padded.join(mid) + right;
}

function rule(widths: number[], chars: [string, string, string, string]): string {
  const [left, fill, mid, right] = chars;
  return left + widths.map((w) => fill.repeat(w)).join(mid) + right;
}

/** Lines of the summary of a built model. */
export function formatSummary(model: Sequential): string[] {
  const cells = model.layers.map((layer) => [
    `${layer.name} (${layer.className})`,
    formatShape([null, ...(layer.outputShape ?? [])]),
    layer.countParams().toLocaleString('en-US'),
  ]);
  const widths = DEFAULT_WIDTHS.map((w, i) => Math.max(w, ...cells.map((c) => c[i].length + 2)));
  const lines = [`Model: "${model.name}"`, rule(widths, ['┏', '━', '┳', '┓'])];
  lines.push(row(widths, ['Layer (type)', 'Output Shape', 'Param #'], ['┃', '┃', '┃']));
  lines.push(rule(widths, ['┡', '━', '╇', '┩']));
  cells.forEach((c, i) => {
    if (i > 0) lines.push(rule(widths, ['├', '─', '┼', '┤']));
    lines.push(row(widths, c, ['│', '│', '│']));
  });
  lines.push(rule(widths, ['└', '─', '┴', '┘']));
  const bytesPer = model.weights[0]?.value.dtype === 'float64' ? 8 : 4;
  const count = (vars: { shape: readonly number[] }[]) => vars.reduce((n, v) => n + v.shape.reduce((a, b) => a * b, 1), 0);
  const total = count(model.weights);
  const trainable = count(model.trainableWeights);
  const fmt = (n: number) => `${n.toLocaleString('en-US')} (${bytesLabel(n * bytesPer)})`;
  lines.push(` Total params: ${fmt(total)}`, ` Trainable params: ${fmt(trainable)}`, ` Non-trainable params: ${fmt(total - trainable)}`);
  return lines;
}

/** Keras's summary table: `Layer (type)`, `Output Shape`, `Param #`, then the parameter totals with sizes. */
import { formatShape } from '../tensor/shape';
import type { Sequential } from './sequential';

const WIDTHS = [33, 26, 15];

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

function row(cells: string[], edge: [string, string, string]): string {
  const [left, mid, right] = edge;
  const padded = cells.map((c, i) => {
    const w = WIDTHS[i] - 2;
    const text = c.length > w ? `${c.slice(0, w - 1)}…` : c;
    return ` ${i === 2 ? text.padStart(w) : text.padEnd(w)} `;
  });
  return left + padded.join(mid) + right;
}

function rule(chars: [string, string, string, string]): string {
  const [left, fill, mid, right] = chars;
  return left + WIDTHS.map((w) => fill.repeat(w)).join(mid) + right;
}

/** Lines of the summary of a built model. */
export function formatSummary(model: Sequential): string[] {
  const lines = [`Model: "${model.name}"`, rule(['┏', '━', '┳', '┓'])];
  lines.push(row(['Layer (type)', 'Output Shape', 'Param #'], ['┃', '┃', '┃']));
  lines.push(rule(['┡', '━', '╇', '┩']));
  model.layers.forEach((layer, i) => {
    if (i > 0) lines.push(rule(['├', '─', '┼', '┤']));
    const shape = formatShape([null, ...(layer.outputShape ?? [])]);
    lines.push(row([`${layer.name} (${layer.className})`, shape, layer.countParams().toLocaleString('en-US')], ['│', '│', '│']));
  });
  lines.push(rule(['└', '─', '┴', '┘']));
  const bytesPer = model.weights[0]?.value.dtype === 'float64' ? 8 : 4;
  const count = (vars: { shape: readonly number[] }[]) => vars.reduce((n, v) => n + v.shape.reduce((a, b) => a * b, 1), 0);
  const total = count(model.weights);
  const trainable = count(model.trainableWeights);
  const fmt = (n: number) => `${n.toLocaleString('en-US')} (${bytesLabel(n * bytesPer)})`;
  lines.push(` Total params: ${fmt(total)}`, ` Trainable params: ${fmt(trainable)}`, ` Non-trainable params: ${fmt(total - trainable)}`);
  return lines;
}

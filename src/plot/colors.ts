/** Colours of the plots: a categorical palette, a sequential ramp, and tinting toward white. */

/** Distinct colours for classes and series, readable on white. */
export const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#dc2626', '#9333ea', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

/** Training and validation series colours. */
export const TRAIN_COLOR = PALETTE[0];
export const VAL_COLOR = PALETTE[1];

/** Stops of a perceptually ordered dark-purple → teal → yellow ramp (the viridis anchor colours). */
const RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hex([r, g, b]: number[]): string {
  return `#${[r, g, b].map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

/** The colour of class `k` (the palette repeats after ten classes). */
export function classColor(k: number): string {
  return PALETTE[((k % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Mix a colour with white: `amount` 0 keeps it, 1 gives white. */
export function tint(color: string, amount: number): string {
  return hex(rgb(color).map((c) => c + (255 - c) * amount));
}

/** The ramp colour at `t` in [0, 1] (clamped). */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const a = rgb(RAMP[i]);
  const b = rgb(RAMP[i + 1]);
  const f = x - i;
  return hex(a.map((c, j) => c + (b[j] - c) * f));
}

/**
 * Keras-style progress output. `verbose: 2` prints one line per epoch; `verbose: 1` on a terminal redraws
 * a bar in place (at most 10 times a second) and ends each epoch with the same line. Where stdout is not
 * a terminal (CI logs, files, the browser) only whole lines are written, never carriage returns.
 */
import { Callback, type Logs } from '../callbacks/callback';

/** A text sink: `isTTY` says whether carriage-return redraws are allowed. */
export type Writer = { write(text: string): void; isTTY: boolean };

function defaultWriter(): Writer {
  const stdout = typeof process !== 'undefined' ? process.stdout : undefined;
  if (stdout && typeof stdout.write === 'function') return { write: (t) => void stdout.write(t), isTTY: Boolean(stdout.isTTY) };
  let pending = '';
  return {
    isTTY: false,
    write: (t) => {
      pending += t;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) console.log(line);
    },
  };
}

/** `0.06234` → `0.0623`; large or tiny values in exponent form. */
export function formatLogValue(value: number): string {
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return value.toExponential(4);
  return value.toFixed(4);
}

/** `accuracy: 0.9812 - loss: 0.0623`, keys sorted as Keras 3 prints them. */
export function formatLogs(logs: Logs): string {
  return Object.keys(logs)
    .filter((k) => k !== 'batch' && k !== 'size')
    .sort()
    .map((k) => `${k}: ${formatLogValue(logs[k])}`)
    .join(' - ');
}

/** Keras 3's durations: whole seconds from one second up, else whole milliseconds. */
function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms)}ms`;
}

/** Keras 3's time per step: `4ms/step`, `120us/step`, `2s/step`. */
function formatPerStep(ms: number): string {
  if (ms >= 1000) return `${Math.round(ms / 1000)}s/step`;
  if (ms >= 1) return `${Math.round(ms)}ms/step`;
  return `${Math.round(ms * 1000)}us/step`;
}

export class ProgressLogger extends Callback {
  private epochStart = 0;
  private lastDraw = 0;
  private lastLogs: Logs = {};
  private readonly out: Writer;

  /**
   * @param verbose 1: a bar redrawn in place on a terminal (whole lines elsewhere); 2: one line per epoch.
   * @param writer Where to write (default: stdout in Node, console.log lines in the browser).
   */
  constructor(
    private readonly verbose: 1 | 2,
    writer?: Writer,
  ) {
    super();
    this.out = writer ?? defaultWriter();
  }

  private get live(): boolean {
    return this.verbose === 1 && this.out.isTTY;
  }

  override onEpochBegin(epoch: number): void {
    this.epochStart = Date.now();
    this.out.write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
  }

  /** True when this logger wants per-batch logs (a live bar on a terminal). */
  get wantsBatchLogs(): boolean {
    return this.live;
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    if (!this.live) return;
    const now = Date.now();
    const steps = Number(this.params.steps);
    // Redraw at most 10 times a second (and always on the last batch).
    if (now - this.lastDraw < 100 && batch + 1 < steps) return;
    this.lastDraw = now;
    if (Object.keys(logs).some((k) => k !== 'batch' && k !== 'size')) this.lastLogs = logs;
    const done = Math.min(20, Math.floor((20 * (batch + 1)) / steps));
    const bar = '━'.repeat(done) + ' '.repeat(20 - done);
    const elapsed = now - this.epochStart;
    const eta = (elapsed / (batch + 1)) * (steps - batch - 1);
    const metrics = formatLogs(this.lastLogs);
    this.out.write(`\r${batch + 1}/${steps} ${bar} ${formatDuration(eta)} ${formatPerStep(elapsed / (batch + 1))}${metrics ? ` - ${metrics}` : ''}\x1b[K`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const steps = Number(this.params.steps);
    const elapsed = Date.now() - this.epochStart;
    const perStep = formatPerStep(elapsed / Math.max(steps, 1));
    this.lastLogs = {};
    if (this.verbose === 1) {
      const prefix = this.live ? '\r' : '';
      const suffix = this.live ? '\x1b[K' : '';
      this.out.write(`${prefix}${steps}/${steps} ${'━'.repeat(20)} ${formatDuration(elapsed)} ${perStep} - ${formatLogs(logs)}${suffix}\n`);
    } else {
      this.out.write(`${steps}/${steps} - ${formatDuration(elapsed)} - ${perStep} - ${formatLogs(logs)}\n`);
    }
  }
}

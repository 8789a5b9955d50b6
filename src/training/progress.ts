/**
 * Keras 3's progress output (`keras/src/utils/progbar.py` and `callbacks/progbar_logger.py`), for `fit`,
 * `evaluate` and `predict`:
 *
 * - `verbose: 1` on a terminal redraws `  7/32 ━━━━━━━━━━━━━━━━━━━━ 2s 4ms/step - loss: 0.3121` in place (at
 *   most every 50 ms): the step counter padded to the target's width, the done part of the bar green and
 *   the rest grey, the remaining time (`5s`, `1:05`, `1:00:05`) while running and the whole seconds spent
 *   once done, the time per step (`s`, `ms` or `us`, the first step left out once there are more), and the
 *   logs (`.4f`, or `.4e` up to 1e-3). Without colours the escapes are left out and the remaining part of
 *   the bar is blank.
 * - `verbose: 1` where stdout is no terminal (CI logs, files, the browser console) writes only each
 *   finished line, never a carriage return.
 * - `verbose: 2` writes `32/32 - 2s - 4ms/step - loss: 0.3121` when each pass ends.
 *
 * `fit` prints `Epoch 3/10` before each epoch when it runs more than one.
 */
import { Callback, type Logs } from '../callbacks/callback';
import { invalid, received } from '../errors';
import { platform, type TextSink } from '../platform';
import { pyExp, pyFixed } from './py-format';

export type { TextSink as Writer };

const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const GREY = '\x1b[37m';
const RESET = '\x1b[0m';

/** `console.log` per finished line: where there is no stdout (browsers). */
function consoleSink(): TextSink {
  let pending = '';
  return {
    isTTY: false,
    colors: false,
    write: (text) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) console.log(line);
    },
  };
}

/** Keras's `verbose='auto'`: a live bar on a terminal, one line per pass elsewhere. */
export function defaultVerbose(): 1 | 2 {
  return platform.stdout()?.isTTY ? 1 : 2;
}

/** `verbose` checked (0, 1 or 2), `undefined` meaning {@link defaultVerbose}. */
export function checkVerbose(verbose: unknown, where: string): 0 | 1 | 2 {
  if (verbose === undefined) return defaultVerbose();
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) invalid({ what: 'verbose', where, expected: '0, 1 or 2', received: received('verbose', verbose) });
  return verbose;
}

/** The progress logger of a pass with `verbose`, or null when silent. */
export function progressFor(verbose: 0 | 1 | 2): ProgressLogger | null {
  return verbose === 0 ? null : new ProgressLogger(verbose);
}

/** Seconds since an arbitrary origin. */
export type Clock = () => number;

const wallClock: Clock = () => (typeof performance !== 'undefined' ? performance.now() : Date.now()) / 1000;

/** A log value as Keras's bar prints it (`verbose: 2` tests `avg > 1e-3`, `verbose: 1` its absolute value). */
function formatValue(value: number, absolute: boolean): string {
  return (absolute ? Math.abs(value) : value) > 1e-3 ? pyFixed(value, 4) : pyExp(value, 4);
}

/** Keras's `_format_time`: ` 4ms/step`, ` 120us/step`, ` 2s/step` (with its leading space). */
function formatPerUnit(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${pyFixed(seconds, 0)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${pyFixed(seconds * 1000, 0)}ms/${unit}`;
  return ` ${pyFixed(seconds * 1e6, 0)}us/${unit}`;
}

/** Keras's remaining time: `42s`, `1:05`, `1:00:05` (Python's `%d` truncates). */
function formatEta(eta: number): string {
  const two = (n: number) => String(Math.trunc(n)).padStart(2, '0');
  if (eta > 3600) return `${Math.trunc(Math.floor(eta / 3600))}:${two(Math.floor((eta % 3600) / 60))}:${two(eta % 60)}`;
  if (eta > 60) return `${Math.trunc(Math.floor(eta / 60))}:${two(eta % 60)}`;
  return `${Math.trunc(eta)}s`;
}

/** Keras's `Progbar` with every metric shown as given (what `ProgbarLogger` asks for). */
export class Progbar {
  private readonly values = new Map<string, number>();
  private readonly start: number;
  private lastUpdate = 0;
  private timeAfterFirstStep: number | null = null;
  private prevTotalWidth = 0;

  /**
   * @param target Steps of the pass (null or 0: unknown).
   * @param verbose 1: a bar (redrawn in place on a terminal); 2: one line when the pass ends.
   * @param out Where to write.
   * @param clock Seconds (default: `performance.now()`); tests pass their own.
   */
  constructor(
    private readonly target: number | null,
    private readonly verbose: 1 | 2,
    private readonly out: TextSink,
    private readonly clock: Clock = wallClock,
    private readonly width = 20,
    private readonly interval = 0.05,
    private readonly unit = 'step',
  ) {
    this.start = clock();
  }

  /** Keras's `update(current, values, finalize)`; keys `batch` and `size` are not logs and are skipped. */
  update(current: number, logs: Logs = {}, finalize = this.target !== null && current >= this.target): void {
    for (const [k, v] of Object.entries(logs)) if (k !== 'batch' && k !== 'size') this.values.set(k, v);
    const now = this.clock();
    const perUnit = this.estimateStepDuration(current, now);
    const known = this.target !== null && this.target > 0;
    if (this.verbose === 1) {
      const live = this.out.isTTY;
      if (live ? now - this.lastUpdate < this.interval && !finalize : !finalize) return;
      const colors = live && this.out.colors;
      const paint = (code: string, text: string) => (colors ? `${code}${text}${RESET}` : text);
      let bar: string;
      if (known) {
        const target = this.target!;
        const done = Math.trunc((this.width * current) / target);
        bar = `${paint(BOLD, `${String(current).padStart(String(target).length)}/${target}`)} `;
        if (done > 0) bar += paint(GREEN, '━'.repeat(done));
        bar += paint(GREY, (colors ? '━' : ' ').repeat(Math.max(0, this.width - done)));
      } else {
        bar = `${String(current).padStart(7)}/Unknown`;
      }
      const time = known && !finalize ? formatEta(perUnit * (this.target! - current)) : `${pyFixed(now - this.start, 0)}s`;
      let info = ` ${paint(BOLD, time)}${formatPerUnit(perUnit, this.unit)}`;
      for (const [k, v] of this.values) info += ` - ${k}: ${formatValue(v, true)}`;
      // Keras pads with spaces over a longer previous line, counting characters without the escapes.
      const totalWidth = stripEscapes(bar).length + stripEscapes(info).length;
      let message = live ? `${'\b'.repeat(this.prevTotalWidth)}\r${bar}${info}` : `${bar}${info}`;
      if (live && this.prevTotalWidth > totalWidth) message += ' '.repeat(this.prevTotalWidth - totalWidth);
      if (finalize || !live) message += '\n';
      this.out.write(message);
      this.prevTotalWidth = totalWidth;
    } else if (finalize && known) {
      const target = this.target!;
      let info = `${String(current).padStart(String(target).length)}/${target} - ${pyFixed(now - this.start, 0)}s -${formatPerUnit(perUnit, this.unit)}`;
      for (const [k, v] of this.values) info += ` - ${k}: ${formatValue(v, false)}`;
      this.out.write(`${info}\n`);
    }
    this.lastUpdate = now;
  }

  /** Keras's estimate: the first step (compilation, warm-up) is left out once there are more. */
  private estimateStepDuration(current: number, now: number): number {
    if (!current) return 0;
    const perUnit = this.timeAfterFirstStep !== null && current > 1 ? (now - this.timeAfterFirstStep) / (current - 1) : (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return perUnit;
  }
}

function stripEscapes(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** Keras's `ProgbarLogger`: one Progbar per epoch of `fit`, per `evaluate` and per `predict`. */
export class ProgressLogger extends Callback {
  private bar: Progbar | null = null;
  private inFit = false;
  private readonly out: TextSink;

  /**
   * @param verbose 1: a bar (redrawn in place on a terminal); 2: one line per pass.
   * @param writer Where to write (default: stdout in Node, `console.log` lines in a browser).
   * @param clock Seconds (default: `performance.now()`); tests pass their own.
   */
  constructor(
    private readonly verbose: 1 | 2,
    writer?: TextSink,
    private readonly clock: Clock = wallClock,
  ) {
    super();
    this.out = writer ?? platform.stdout() ?? consoleSink();
  }

  /** True when this logger wants per-batch logs (a live bar on a terminal). */
  get wantsBatchLogs(): boolean {
    return this.verbose === 1 && this.out.isTTY;
  }

  private begin(): void {
    const steps = this.params.steps;
    this.bar = new Progbar(typeof steps === 'number' ? steps : null, this.verbose, this.out, this.clock);
  }

  private step(batch: number, logs?: Logs): void {
    if (this.verbose === 1) this.bar?.update(batch + 1, logs, false);
  }

  private finish(logs?: Logs): void {
    const steps = Number(this.params.steps);
    this.bar?.update(steps, logs, true);
    this.bar = null;
  }

  override onTrainBegin(): void {
    // Validation inside fit is silent, as in Keras.
    this.inFit = true;
  }
  override onEpochBegin(epoch: number): void {
    this.begin();
    const epochs = Number(this.params.epochs);
    if (epochs > 1) this.out.write(`Epoch ${epoch + 1}/${epochs}\n`);
  }
  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.step(batch, logs);
  }
  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finish(logs);
  }
  override onTestBegin(): void {
    if (!this.inFit) this.begin();
  }
  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.inFit) this.step(batch, logs);
  }
  override onTestEnd(logs?: Logs): void {
    if (!this.inFit) this.finish(logs);
  }
  override onPredictBegin(): void {
    this.begin();
  }
  override onPredictBatchEnd(batch: number): void {
    // Predictions are not logs.
    this.step(batch);
  }
  override onPredictEnd(): void {
    this.finish();
  }
}

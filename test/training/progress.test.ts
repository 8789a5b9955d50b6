/**
 * The progress line, checked against strings worked out by hand from the rules of Keras 3's
 * `keras/src/utils/progbar.py` (with a fake clock), and through fit/evaluate/predict.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as keras from '../../src';
import { Progbar, ProgressLogger, type Writer } from '../../src/training/progress';
import { pyExp, pyFixed } from '../../src/training/py-format';

function capture(isTTY: boolean, colors = isTTY): Writer & { text: string } {
  const sink = { text: '', isTTY, colors, write: (t: string) => void (sink.text += t) };
  return sink;
}

/** A clock that returns the given seconds in turn (the Progbar reads it once at creation and once per update). */
function clock(...seconds: number[]): () => number {
  return () => seconds.shift()!;
}

const B = '\x1b[1m';
const G = '\x1b[32m';
const W = '\x1b[37m';
const R = '\x1b[0m';

describe("Python's float formatting", () => {
  it('rounds exact ties to even as Python does, where toFixed rounds them up', () => {
    expect(pyFixed(0.03125, 4)).toBe('0.0312');
    expect([0.5, 1.5, 2.5].map((x) => pyFixed(x, 0))).toEqual(['0', '2', '2']);
    expect(pyExp(1.03125, 4)).toBe('1.0312e+00');
  });

  it('writes exponents with a sign and two digits', () => {
    expect(pyExp(1.5e-4, 4)).toBe('1.5000e-04');
    expect(pyExp(0, 4)).toBe('0.0000e+00');
    expect(pyExp(-2.5e-5, 4)).toBe('-2.5000e-05');
    expect(pyExp(9.99999, 4)).toBe('1.0000e+01');
  });

  it("prints Python's nan and inf", () => {
    expect([NaN, Infinity, -Infinity].map((x) => pyFixed(x, 4))).toEqual(['nan', 'inf', '-inf']);
  });
});

describe('the Keras progress bar', () => {
  // target 10; step 1 ends at 7.3 s (7.3 s/step, 65.7 s left → "1:05"); step 2 at 7.32 s is within the
  // 50 ms interval; the last step ends at 16.3 s: 9 steps after the first in 9 s → 1 s/step, 16 s spent.
  const run = (out: Writer, verbose: 1 | 2 = 1) => {
    const bar = new Progbar(10, verbose, out, clock(0, 7.3, 7.32, 16.3));
    bar.update(1, { loss: 0.5 }, false);
    bar.update(2, { loss: 0.4 }, false);
    bar.update(10, { loss: 0.25 }, true);
  };

  it('redraws in colour on a terminal: padded counter, green and grey bar, eta, then time spent', () => {
    const out = capture(true);
    run(out);
    const first = `\r${B} 1/10${R} ${G}${'━'.repeat(2)}${R}${W}${'━'.repeat(18)}${R} ${B}1:05${R} 7s/step - loss: 0.5000`;
    // Widths without escapes: 26 + 5 + 8 + 15 = 54, then 26 + 4 + 8 + 15 = 53, so one space of padding.
    const last = `${'\b'.repeat(54)}\r${B}10/10${R} ${G}${'━'.repeat(20)}${R}${W}${R} ${B}16s${R} 1s/step - loss: 0.2500 \n`;
    expect(out.text).toBe(first + last);
  });

  it('leaves the escapes out on a terminal without colours, the rest of the bar blank', () => {
    const out = capture(true, false);
    run(out);
    expect(out.text.split('\r')[1]).toBe(` 1/10 ━━${' '.repeat(18)} 1:05 7s/step - loss: 0.5000${'\b'.repeat(54)}`);
  });

  it('writes only the finished line where stdout is not a terminal', () => {
    const out = capture(false);
    run(out);
    expect(out.text).toBe(`10/10 ${'━'.repeat(20)} 16s 1s/step - loss: 0.2500\n`);
  });

  it('writes one line at the end with verbose 2, timing every step', () => {
    const out = capture(true);
    const bar = new Progbar(32, 2, out, clock(0, 2.6));
    bar.update(32, { loss: 0.062345, accuracy: 0.98124 }, true);
    // 2.6 s / 32 steps = 81.25 ms.
    expect(out.text).toBe('32/32 - 3s - 81ms/step - loss: 0.0623 - accuracy: 0.9812\n');
  });

  it('prints small, zero and negative values as Keras does in each mode', () => {
    const logs = { a: 1e-4, b: 0, c: -0.5 };
    const one = capture(false);
    new Progbar(1, 1, one, clock(0, 0.0004)).update(1, logs, true);
    expect(one.text).toBe(`1/1 ${'━'.repeat(20)} 0s 400us/step - a: 1.0000e-04 - b: 0.0000e+00 - c: -0.5000\n`);
    const two = capture(false);
    new Progbar(1, 2, two, clock(0, 0.0004)).update(1, logs, true);
    // verbose 2 compares the value itself with 1e-3, so negative values take the exponent form.
    expect(two.text).toBe('1/1 - 0s - 400us/step - a: 1.0000e-04 - b: 0.0000e+00 - c: -5.0000e-01\n');
  });

  it('formats remaining time over an hour as h:mm:ss', () => {
    const out = capture(true, false);
    new Progbar(1000, 1, out, clock(0, 4)).update(1, {}, false);
    // 4 s/step × 999 steps = 3996 s.
    expect(out.text).toBe(`\r   1/1000 ${' '.repeat(20)} 1:06:36 4s/step`);
  });
});

describe('progress through fit, evaluate and predict', () => {
  const x = Array.from({ length: 40 }, (_, i) => [i % 2, (i * 7) % 3]);
  const y = x.map((r) => r[0]);
  let stdout = '';

  function model(): keras.Sequential {
    const m = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [2], activation: 'softmax' })]);
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    return m;
  }

  beforeAll(async () => {
    await keras.setBackend('cpu');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    stdout = '';
  });
  const spy = () => vi.spyOn(process.stdout, 'write').mockImplementation((t) => ((stdout += String(t)), true));

  it('prints an epoch header and one line per epoch with verbose 2, logs in sorted order', async () => {
    const out = capture(false);
    const m = model();
    await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, validationSplit: 0.2, callbacks: [new ProgressLogger(2, out)] });
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Epoch 1/2');
    // Keras prints values up to 1e-3 in exponent form (an unseeded model may score 0: 0.0000e+00).
    const value = String.raw`\d\.\d{4}(e[+-]\d\d)?`;
    expect(lines[1]).toMatch(new RegExp(String.raw`^4/4 - \d+s - \d+(ms|us|s)/step - accuracy: ${value} - loss: ${value} - val_accuracy: ${value} - val_loss: ${value}$`));
  });

  it('prints no epoch header when fit runs one epoch', async () => {
    spy();
    await model().fit(x, y, { epochs: 1, batchSize: 8, verbose: 2 });
    expect(stdout).toMatch(/^5\/5 - \d+s - \d+(ms|us|s)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}\n$/);
  });

  it('shows the evaluate line with its metrics, as Keras does', async () => {
    spy();
    await model().evaluate(x, y, { batchSize: 16, verbose: 2 });
    expect(stdout).toMatch(/^3\/3 - \d+s - \d+(ms|us|s)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}\n$/);
  });

  it('shows the predict line without values', async () => {
    spy();
    const out = await model().predict(x, { batchSize: 32, verbose: 1 });
    out.dispose();
    // Not a terminal: only the finished bar, once.
    expect(stdout).toMatch(/^2\/2 ━{20} \d+s \d+(ms|us|s)\/step\n$/);
  });

  it('is silent with verbose 0 and refuses other values', async () => {
    spy();
    const m = model();
    await m.evaluate(x, y, { verbose: 0 });
    (await m.predict(x, { verbose: 0 })).dispose();
    expect(stdout).toBe('');
    await expect(m.predict(x, { verbose: 3 as 0 })).rejects.toThrow('Invalid verbose for predict: expected 0, 1 or 2. Received: verbose=3.');
  });
});

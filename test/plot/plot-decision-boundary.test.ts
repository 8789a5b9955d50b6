import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { ShapeError } from '../../src/errors';
import { Dense } from '../../src/layers';
import { Sequential } from '../../src/models/sequential';
import { plotDecisionBoundary } from '../../src/plot';
import { classColor, tint } from '../../src/plot/colors';
import { setRandomSeed } from '../../src/random';
import { checkWellFormed, group, texts } from './xml';

let dir: string;
beforeAll(async () => {
  await setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'webgpu-keras-db-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rectangles of the regions: [x, width, fill]. */
function regionRects(svg: string): { x: number; width: number; fill: string }[] {
  return [...group(svg, 'class="regions"').matchAll(/<rect x="([\d.-]+)" y="[\d.-]+" width="([\d.]+)" height="[\d.]+" fill="(#[0-9a-f]{6})"\/>/g)].map((m) => ({
    x: Number(m[1]),
    width: Number(m[2]),
    fill: m[3],
  }));
}

describe('plotDecisionBoundary', () => {
  it('colours each region by the argmax class of a known model, with the points on top', async () => {
    // logits (x₁, −x₁): class 0 right of x₁ = 0, class 1 left of it.
    const model = new Sequential([new Dense(2, { inputShape: [2], activation: 'softmax' })]);
    await model.setWeights([[[1, -1], [0, 0]], [0, 0]]);
    const x = [[-1, -1], [-1, 1], [1, -1], [1, 1]];
    const { svg } = await plotDecisionBoundary(model, x, [1, 1, 0, 0], { path: false, resolution: 20, classNames: ['right', 'left'] });
    checkWellFormed(svg);
    const rects = regionRects(svg);
    expect(rects.length).toBe(40); // one merged rectangle per colour per row
    const [c0, c1] = [tint(classColor(0), 0.7), tint(classColor(1), 0.7)];
    const middle = (rects[0].x + rects[1].x + rects[1].width) / 2;
    for (const r of rects) expect(r.fill).toBe(r.x >= middle - 0.5 ? c0 : c1);
    expect(group(svg, 'class="points"').match(/<circle/g)).toHaveLength(4);
    expect(texts(svg)).toEqual(expect.arrayContaining(['right', 'left', 'x₁', 'x₂']));
  });

  it('plots a tiny trained 2-D classifier to a file', async () => {
    setRandomSeed(9);
    const x = Array.from({ length: 60 }, (_, i) => [Math.cos(i * 2.4) * (1 + (i % 3)), Math.sin(i * 2.4) * (1 + (i % 3))]);
    const y = x.map(([a, b]) => (Math.hypot(a, b) > 1.5 ? 1 : 0));
    const model = new Sequential([new Dense(12, { inputShape: [2], activation: 'tanh' }), new Dense(2, { activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await model.fit(x, y, { epochs: 30, batchSize: 10, verbose: 0 });
    const path = join(dir, 'boundary.svg');
    const { svg } = await plotDecisionBoundary(model, x, y, { path, title: 'Rings' });
    expect(await readFile(path, 'utf8')).toBe(svg);
    checkWellFormed(svg);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Rings', 'class 0', 'class 1']));
    const fills = new Set(regionRects(svg).map((r) => r.fill));
    expect(fills.size).toBeGreaterThanOrEqual(1);
    expect(group(svg, 'class="points"').match(/<circle/g)).toHaveLength(60);
  });

  it('uses a colour ramp and a colour bar for a single output', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [2] })]);
    await model.setWeights([[[2], [1]], [0.5]]);
    const x = [[0, 0], [1, 0], [0, 1], [1, 1]];
    const { svg } = await plotDecisionBoundary(model, x, [0.5, 2.5, 1.5, 3.5], { path: false, resolution: 10 });
    checkWellFormed(svg);
    expect(svg).toContain('class="colorbar"');
    expect(new Set(regionRects(svg).map((r) => r.fill)).size).toBeGreaterThan(5);
  });

  it('refuses inputs that are not 2-D points, and labels that do not match them', async () => {
    const model = new Sequential([new Dense(2, { inputShape: [2] })]);
    await expect(plotDecisionBoundary(model, [[1, 2, 3]], [0], { path: false })).rejects.toThrow(ShapeError);
    await expect(plotDecisionBoundary(model, [[1, 2]], [0, 1], { path: false })).rejects.toThrow(/one per point/);
  });
});

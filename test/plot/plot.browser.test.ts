/** In Chromium: the SVGs parse as XML, and the plots are drawn into the page. */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/registry';
import { Dense } from '../../src/layers';
import { Sequential } from '../../src/models/sequential';
import { plotDecisionBoundary, plotHistory } from '../../src/plot';

beforeAll(async () => {
  await setBackend('cpu');
});

function parses(svg: string): boolean {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  return doc.getElementsByTagName('parsererror').length === 0 && doc.documentElement.tagName === 'svg';
}

describe('plots in a browser', () => {
  it('draws the history into an element given by selector, as valid SVG', async () => {
    document.body.innerHTML = '<div id="chart"></div>';
    const { svg, path } = await plotHistory({ loss: [1, 0.6, 0.4], val_loss: [1.1, 0.8, 0.7] }, { container: '#chart' });
    expect(path).toBeUndefined();
    expect(parses(svg)).toBe(true);
    const drawn = document.querySelector('#chart svg')!;
    expect(drawn.querySelectorAll('g.panel').length).toBe(1);
    expect(drawn.querySelector('g.series.val path')!.getAttribute('stroke-dasharray')).toBe('6 4');
  });

  it('draws a decision boundary into an element', async () => {
    const el = document.createElement('div');
    const model = new Sequential([new Dense(3, { inputShape: [2], activation: 'softmax' })]);
    const { svg } = await plotDecisionBoundary(model, [[0, 0], [1, 1], [0, 1]], [0, 1, 2], { container: el, resolution: 30 });
    expect(parses(svg)).toBe(true);
    expect(el.querySelectorAll('g.points circle').length).toBe(3);
  });

  it('refuses a selector that matches nothing', async () => {
    await expect(plotHistory({ loss: [1] }, { container: '#missing' })).rejects.toThrow(/matches one/);
  });
});

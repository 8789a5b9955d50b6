/**
 * A very small SVG writer: elements as strings with escaped text and attributes, and numbers written
 * short. Enough for the plots here; no DOM needed, so it runs the same in Node and in browsers.
 */

type AttrValue = string | number | boolean | null | undefined;

/** Escape text or an attribute value for XML. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate with at most two decimals (plots need no more), without trailing zeros. */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function attrs(a: Record<string, AttrValue>): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null || v === false) continue;
    const text = typeof v === 'number' ? num(v) : v === true ? k : v;
    out += ` ${k}="${escapeXml(text)}"`;
  }
  return out;
}

/** `<tag a="…">children</tag>`, or `<tag a="…"/>` without children. Children are already SVG strings. */
export function el(tag: string, a: Record<string, AttrValue> = {}, ...children: (string | false | null | undefined)[]): string {
  const inner = children.filter((c): c is string => typeof c === 'string' && c.length > 0).join('');
  return inner.length > 0 ? `<${tag}${attrs(a)}>${inner}</${tag}>` : `<${tag}${attrs(a)}/>`;
}

/** A `<text>` element with escaped content. */
export function text(content: string, a: Record<string, AttrValue> = {}): string {
  return `<text${attrs(a)}>${escapeXml(content)}</text>`;
}

/** A polyline path through points; `null` points break the line (missing or non-finite values). */
export function linePath(points: ([number, number] | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${num(p[0])} ${num(p[1])}`;
    pen = true;
  }
  return d;
}

/** The whole document: white background, a title for accessibility, the given body. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      'font-size': 12,
      role: 'img',
    },
    `<title>${escapeXml(title)}</title>`,
    el('rect', { width, height, fill: '#ffffff' }),
    body,
  );
}

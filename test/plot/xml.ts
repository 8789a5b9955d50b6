/** A small XML well-formedness check for the SVG tests (Node has no DOMParser). */

/** Throws unless `xml` is one well-formed element: balanced tags, quoted attributes, escaped text. */
export function checkWellFormed(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let roots = 0;
  let m: RegExpExecArray | null;
  while ((m = token.exec(xml))) {
    const [, closing, name, , selfClosing, textPart, stray] = m;
    if (stray) throw new Error(`malformed tag at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    if (textPart !== undefined) {
      if (stack.length === 0 && textPart.trim()) throw new Error(`text outside the root: ${textPart.slice(0, 40)}`);
      if (/&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(textPart)) throw new Error(`unescaped & in ${textPart.slice(0, 40)}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      roots++;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
}

/** Text contents of all `<text>` elements, unescaped. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

/** The `<g>` element (with its content) whose start tag holds `attr`, e.g. `data-metric="loss"`. */
export function group(svg: string, attr: string): string {
  const at = svg.indexOf(attr);
  const from = at < 0 ? -1 : svg.lastIndexOf('<g', at);
  if (from < 0) throw new Error(`no group with ${attr}`);
  const re = /<(\/?)g\b[^>]*?(\/?)>/g;
  re.lastIndex = from;
  let depth = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg))) {
    if (m[2]) continue;
    depth += m[1] ? -1 : 1;
    if (depth === 0) return svg.slice(from, re.lastIndex);
  }
  throw new Error(`unbalanced group with ${attr}`);
}

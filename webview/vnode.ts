/**
 * A tiny virtual DOM: the renderer builds plain data, and `mount` turns it into DOM nodes with
 * createElement(NS) / textContent only. Manifest text can therefore never become markup, and only
 * the attributes allowed here can be set (no event handlers, no style, no URLs but "#").
 */

export const HTML_TAGS = [
  'div',
  'section',
  'header',
  'nav',
  'aside',
  'h1',
  'h2',
  'h3',
  'p',
  'span',
  'a',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'code',
  'button',
  'small',
  'strong',
  'em',
  'label',
  'input',
  'select',
  'option',
  'form',
  'dl',
  'dt',
  'dd',
  'wbr',
] as const;
export const SVG_TAGS = ['svg', 'g', 'rect', 'path', 'line', 'text', 'title', 'defs', 'marker', 'polygon', 'circle', 'tspan'] as const;
export const ALLOWED_TAGS = [...HTML_TAGS, ...SVG_TAGS] as const;
export type Tag = (typeof ALLOWED_TAGS)[number];

const SVG_SET: ReadonlySet<string> = new Set(SVG_TAGS);
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Attribute names that may be set; everything else (on*, style, src, xlink:href…) is refused. */
const ATTR_RE =
  /^(class|id|role|href|title|tabindex|colspan|type|value|placeholder|checked|selected|disabled|hidden|name|for|autocomplete|spellcheck|x|y|x1|y1|x2|y2|cx|cy|r|width|height|rx|ry|d|points|viewBox|transform|marker-end|refX|refY|markerUnits|markerWidth|markerHeight|orient|text-anchor|dominant-baseline|focusable|aria-[a-z]+|data-[a-z-]+)$/;

export type Attrs = Readonly<Record<string, string | undefined>>;

export interface VElement {
  readonly tag: Tag;
  readonly attrs: Attrs;
  readonly children: readonly VNode[];
}

export type VNode = VElement | string;

export function h(
  tag: Tag,
  attrs: Record<string, string | undefined>,
  ...children: ReadonlyArray<VNode | readonly VNode[] | undefined | false>
): VElement {
  const flat: VNode[] = [];
  for (const c of children) {
    if (c === undefined || c === false) continue;
    if (typeof c === 'string') flat.push(c);
    else if (Array.isArray(c)) flat.push(...(c as readonly VNode[]));
    else flat.push(c as VElement);
  }
  for (const k of Object.keys(attrs)) if (!ATTR_RE.test(k)) throw new Error(`attribute ${k} is not allowed`);
  if (attrs['href'] !== undefined && attrs['href'] !== '#') throw new Error('links go through the host: href must be "#"');
  return { tag, attrs, children: flat };
}

/** Builds real DOM nodes (browser only). */
export function mount(doc: Document, node: VNode, svg = false): Node {
  if (typeof node === 'string') return doc.createTextNode(node);
  const inSvg = svg || node.tag === 'svg';
  const el = inSvg && SVG_SET.has(node.tag) ? doc.createElementNS(SVG_NS, node.tag) : doc.createElement(node.tag);
  for (const [k, v] of Object.entries(node.attrs)) if (v !== undefined && ATTR_RE.test(k)) el.setAttribute(k, v);
  for (const c of node.children) el.appendChild(mount(doc, c, inSvg));
  return el;
}

/**
 * A table of rows that a narrow panel shows stacked (panel.css, `table.rows`: under 350 px each
 * row a block and each cell a line that starts with its column's name, taken from `data-label`),
 * so that its words break between words, never inside them. `headers` name the columns in order.
 */
export function rowsTable(cls: string, headers: readonly string[], rows: readonly VElement[]): VElement {
  const label = (tr: VElement): VElement => {
    let i = 0;
    return {
      ...tr,
      children: tr.children.map((c) => {
        if (typeof c === 'string' || c.tag !== 'td') return c;
        const name = headers[i++];
        return name === undefined || name === '' ? c : { ...c, attrs: { ...c.attrs, 'data-label': name } };
      }),
    };
  };
  return h(
    'table',
    { class: `${cls} rows` },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t) => h('th', {}, t)),
      ),
    ),
    h('tbody', {}, rows.map(label)),
  );
}

/**
 * A workload's id (`ns/name[Kind]`, `0.0.0.0-255.255.255.255[External]`) as text with line-break
 * opportunities (`<wbr>`) after the "/" and before the "[", where a browser would not break by
 * itself: `outfitters/recommendations[Deployment]` breaks after the namespace in a narrow panel,
 * not inside the name. Copied, it is the same text; any other text is returned as it is.
 */
export function breakable(id: string): VNode[] {
  const m = /^(?:([^/[\]]+)\/)?([^/[\]]+)(\[[A-Za-z]+\])$/.exec(id);
  if (m === null) return [id];
  const [, ns, name = '', kind = ''] = m;
  return [...(ns !== undefined ? [`${ns}/`, h('wbr', {})] : []), name, h('wbr', {}), kind];
}

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
  'details',
  'summary',
] as const;
export const SVG_TAGS = ['svg', 'g', 'rect', 'path', 'line', 'text', 'title', 'defs', 'marker', 'polygon', 'circle', 'tspan'] as const;
export const ALLOWED_TAGS = [...HTML_TAGS, ...SVG_TAGS] as const;
export type Tag = (typeof ALLOWED_TAGS)[number];

const SVG_SET: ReadonlySet<string> = new Set(SVG_TAGS);
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Attribute names that may be set; everything else (on*, style, src, xlink:href…) is refused. */
const ATTR_RE =
  /^(class|id|role|href|title|tabindex|colspan|type|value|placeholder|checked|selected|disabled|hidden|open|name|for|autocomplete|spellcheck|x|y|x1|y1|x2|y2|cx|cy|r|width|height|rx|ry|d|points|viewBox|transform|marker-end|refX|refY|markerUnits|markerWidth|markerHeight|orient|text-anchor|dominant-baseline|focusable|aria-[a-z]+|data-[a-z-]+)$/;

/** Attribute names already tested against ATTR_RE (a graph sets tens of thousands, of a few dozen names). */
const allowedNames = new Set<string>();

function allowedAttr(name: string): boolean {
  if (allowedNames.has(name)) return true;
  if (!ATTR_RE.test(name)) return false;
  allowedNames.add(name);
  return true;
}

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
  for (const k in attrs) if (!allowedAttr(k)) throw new Error(`attribute ${k} is not allowed`);
  if (attrs['href'] !== undefined && attrs['href'] !== '#') throw new Error('links go through the host: href must be "#"');
  return { tag, attrs, children: flat };
}

/**
 * The vnode each element was last made from and the child nodes made for its children, in order
 * (`patchChildren` reads these, not the DOM: walking thousands of DOM nodes costs more than
 * drawing them again).
 */
const made = new WeakMap<Element, { readonly v: VElement; readonly kids: readonly Node[] }>();

/** Builds real DOM nodes (browser only). */
export function mount(doc: Document, node: VNode, svg = false): Node {
  if (typeof node === 'string') return doc.createTextNode(node);
  const inSvg = svg || node.tag === 'svg';
  const el = inSvg && SVG_SET.has(node.tag) ? doc.createElementNS(SVG_NS, node.tag) : doc.createElement(node.tag);
  for (const k in node.attrs) {
    const v = node.attrs[k];
    if (v !== undefined && allowedAttr(k)) el.setAttribute(k, v);
  }
  const kids: Node[] = [];
  for (const c of node.children) kids.push(el.appendChild(mount(doc, c, inSvg)));
  made.set(el, { v: node, kids });
  return el;
}

/**
 * What identifies an element among its siblings from one render to the next: its id, the
 * workload, namespace, connection, aggregate or client group it draws. Undefined for the rest
 * (matched by their order among the unidentified siblings).
 */
function identity(get: (name: string) => string | null | undefined, tag: string): string | undefined {
  const id = get('id');
  if (id) return `${tag}#${id}`;
  const node = get('data-node');
  if (node) return `${tag}n${node}`;
  const ns = get('data-ns');
  if (ns) return `${tag}g${ns}`;
  const from = get('data-from');
  const to = get('data-to');
  if (from || to) return `${tag}e${from ?? ''}\u0000${to ?? ''}`;
  const fromGroup = get('data-from-group');
  if (fromGroup) return `${tag}a${fromGroup}\u0000${get('data-to-group') ?? ''}`;
  const sources = get('data-sources');
  if (sources) return `${tag}b${sources}\u0000${get('data-targets') ?? ''}`;
  return undefined;
}

const identityOf = (v: VNode): string | undefined => (typeof v === 'string' ? undefined : identity((k) => v.attrs[k], v.tag));
const identityOfNode = (n: Node): string | undefined =>
  n instanceof Element ? identity((k) => n.getAttribute(k), n.localName) : undefined;

/**
 * Makes the children of `parent` (built by `mount`) those `children` would mount, changing only
 * what differs (browser only): an element kept where one of the same identity (`identity`) or,
 * unidentified, at the same place among the unidentified is there, its attributes set and removed
 * against the element itself (so a class another handler added, as `lit`, goes as a fresh mount
 * would drop it), texts changed in place, the rest mounted or removed. A graph drawn again after
 * an edit changes the few elements the edit changed, not the thousands it draws, and keeps focus.
 */
export function patchChildren(doc: Document, parent: Element, children: readonly VNode[], svg = false): void {
  const last = made.get(parent);
  // The children as last made, unless another handler replaced one (a button's text set by hand).
  let kids = last?.kids;
  let olds = last?.v.children;
  if (kids === undefined || olds === undefined || kids.length !== olds.length || kids.some((k) => k.parentNode !== parent)) {
    kids = [...parent.childNodes];
    olds = undefined;
  }
  let placed: Node[];
  if (olds !== undefined && olds.length === children.length && children.every((c, i) => identityOf(c) === identityOf(olds[i] as VNode))) {
    // The same children in the same order (most of a graph after an edit): each patched in place.
    placed = children.map((c, i) => patch(doc, (kids as Node[])[i] as Node, c, svg));
  } else {
    const byIdentity = new Map<string, Node>();
    const rest: Node[] = [];
    kids.forEach((d, i) => {
      const o = olds?.[i];
      const k = o !== undefined ? identityOf(o) : identityOfNode(d);
      if (k === undefined) rest.push(d);
      else if (!byIdentity.has(k)) byIdentity.set(k, d);
    });
    let r = 0;
    placed = children.map((c) => {
      const k = identityOf(c);
      let d: Node | undefined;
      if (k !== undefined) {
        d = byIdentity.get(k);
        byIdentity.delete(k);
      } else d = rest[r++];
      return d === undefined ? mount(doc, c, svg) : patch(doc, d, c, svg);
    });
  }
  let at = parent.firstChild;
  for (const n of placed) {
    if (n === at) at = at.nextSibling;
    else parent.insertBefore(n, at);
  }
  while (at !== null) {
    const next = at.nextSibling;
    parent.removeChild(at);
    at = next;
  }
  const v = last?.v;
  if (v !== undefined) made.set(parent, { v: { ...v, children }, kids: placed });
  else if (parent instanceof Element) made.set(parent, { v: { tag: 'div', attrs: {}, children }, kids: placed });
}

/** `node` made what `v` would mount (the same node when it can be kept, else a new one). */
function patch(doc: Document, node: Node, v: VNode, svg: boolean): Node {
  if (typeof v === 'string') {
    if (node.nodeType !== node.TEXT_NODE) return doc.createTextNode(v);
    if (node.nodeValue !== v) node.nodeValue = v;
    return node;
  }
  const inSvg = svg || v.tag === 'svg';
  const before = node instanceof Element ? made.get(node) : undefined;
  // Only elements `mount` made (their attributes and children known) are kept.
  if (before === undefined || before.v.tag !== v.tag || (inSvg && SVG_SET.has(v.tag)) !== (node as Element).namespaceURI?.endsWith('svg'))
    return mount(doc, v, svg);
  const el = node as Element;
  // An attribute that changed since the last vnode is set; `class` (hover and selection add to
  // it) and the svg's own (a zoom sets its size) are checked against the element itself. Those
  // the last vnode had and this one has not are removed.
  const own = v.tag === 'svg';
  for (const k in before.v.attrs) if (v.attrs[k] === undefined) el.removeAttribute(k);
  if (v.attrs['class'] === undefined && el.hasAttribute('class')) el.removeAttribute('class');
  for (const k in v.attrs) {
    const val = v.attrs[k];
    if (val === undefined || (val === before.v.attrs[k] && k !== 'class' && !own)) continue;
    if (allowedAttr(k) && el.getAttribute(k) !== val) el.setAttribute(k, val);
  }
  patchChildren(doc, el, v.children, inSvg);
  made.set(el, { v, kids: (made.get(el) as { kids: readonly Node[] }).kids });
  return node;
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

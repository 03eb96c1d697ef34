/**
 * A tiny virtual DOM: the renderer builds plain data, and `mount` turns it into DOM nodes with
 * createElement / textContent only. Manifest text can therefore never become markup, and only
 * the attributes listed here can be set (no event handlers, no style, no URLs but "#").
 */

export type Attr = 'class' | 'id' | 'role' | 'href' | 'title' | 'tabindex' | 'data-loc' | 'data-ns' | 'aria-label' | 'aria-level' | 'colspan';

export const ALLOWED_TAGS = ['div', 'section', 'h1', 'h2', 'h3', 'p', 'span', 'a', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'button', 'small'] as const;
export type Tag = (typeof ALLOWED_TAGS)[number];

export interface VElement {
  readonly tag: Tag;
  readonly attrs: Readonly<Partial<Record<Attr, string>>>;
  readonly children: readonly VNode[];
}

export type VNode = VElement | string;

export function h(tag: Tag, attrs: Partial<Record<Attr, string>>, ...children: ReadonlyArray<VNode | readonly VNode[] | undefined | false>): VElement {
  const flat: VNode[] = [];
  for (const c of children) {
    if (c === undefined || c === false) continue;
    if (typeof c === 'string') flat.push(c);
    else if (Array.isArray(c)) flat.push(...(c as readonly VNode[]));
    else flat.push(c as VElement);
  }
  if (attrs.href !== undefined && attrs.href !== '#') throw new Error('links go through the host: href must be "#"');
  return { tag, attrs, children: flat };
}

/** Builds real DOM nodes (browser only). */
export function mount(doc: Document, node: VNode): Node {
  if (typeof node === 'string') return doc.createTextNode(node);
  const el = doc.createElement(node.tag);
  for (const [k, v] of Object.entries(node.attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of node.children) el.appendChild(mount(doc, c));
  return el;
}

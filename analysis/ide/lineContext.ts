/**
 * Where the cursor is in a half-typed manifest, read from indentation alone (completion cannot
 * rely on the parse tree while the user types): the key path of the parents, the key whose value
 * is being typed, the keys already present in the same map, and the document's apiVersion/kind.
 */

export interface LineContext {
  /** Parent keys from the document root; `[]` for a list item. */
  readonly parents: readonly string[];
  /** The key whose value the cursor is in, when it is in a value. */
  readonly key: string | undefined;
  /** The partial word before the cursor and where it starts. */
  readonly word: string;
  /** The quote that opens the value being typed (`key: "ab|`), if any: an item is then written inside it as it is. */
  readonly quote: '"' | "'" | undefined;
  readonly wordStart: number;
  /** Column where keys of the cursor's map start. */
  readonly indent: number;
  /** Keys already present in the cursor's map (never offered again). */
  readonly present: ReadonlySet<string>;
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
}

interface Line {
  readonly start: number;
  readonly text: string;
}

interface LineShape {
  /** Column of the first non-blank character. */
  readonly col: number;
  /** Column of the key (after a `- ` marker). */
  readonly keyCol: number;
  readonly dash: boolean;
  readonly key: string | undefined;
  readonly opensBlock: boolean;
}

const KEY_LINE = /^(\s*)((?:-\s+)*)([A-Za-z0-9_./-]+|"[^"]*"|'[^']*')\s*:(\s|$)/;

function shape(text: string): LineShape | undefined {
  if (/^\s*(#|$)/.test(text)) return undefined;
  const m = KEY_LINE.exec(text);
  if (m !== null) {
    const col = m[1]?.length ?? 0;
    const dashes = m[2] ?? '';
    const rest = text.slice(m[0].length).trim();
    return {
      col,
      keyCol: col + dashes.length,
      dash: dashes !== '',
      key: (m[3] ?? '').replace(/^["']|["']$/g, ''),
      opensBlock: rest === '' || rest.startsWith('#'),
    };
  }
  const d = /^(\s*)(-\s*)/.exec(text);
  if (d !== null)
    return { col: d[1]?.length ?? 0, keyCol: (d[1]?.length ?? 0) + (d[2]?.length ?? 0), dash: true, key: undefined, opensBlock: false };
  const col = /^\s*/.exec(text)?.[0].length ?? 0;
  return { col, keyCol: col, dash: false, key: undefined, opensBlock: false };
}

function linesOfDocument(text: string, offset: number): { before: Line[]; after: Line[] } {
  const before: Line[] = [];
  let pos = text.lastIndexOf('\n', offset - 1);
  while (pos > 0) {
    const start = text.lastIndexOf('\n', pos - 1) + 1;
    const t = text.slice(start, pos).replace(/\r$/, '');
    if (/^---/.test(t)) break;
    before.push({ start, text: t });
    pos = start - 1;
  }
  const after: Line[] = [];
  let next = text.indexOf('\n', offset);
  while (next !== -1 && next + 1 < text.length) {
    const end = text.indexOf('\n', next + 1);
    const t = text.slice(next + 1, end === -1 ? text.length : end).replace(/\r$/, '');
    if (/^---/.test(t)) break;
    after.push({ start: next + 1, text: t });
    next = end;
  }
  return { before, after };
}

/** Reads the cursor's context; undefined when the cursor is not at a key or a plain value. */
export function lineContextAt(text: string, offset: number): LineContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const valueMatch = /^(\s*)((?:-\s+)*)([A-Za-z0-9_./-]+):\s+(["']?)([A-Za-z0-9_./-]*)$/.exec(before);
  const keyMatch = /^(\s*)((?:-\s+)*)([A-Za-z0-9_./-]*)$/.exec(before);
  const m = valueMatch ?? keyMatch;
  if (m === null) return undefined;
  const lead = m[1]?.length ?? 0;
  const dashes = m[2] ?? '';
  const indent = lead + dashes.length;
  const key = valueMatch !== null ? valueMatch[3] : undefined;
  const word = (valueMatch !== null ? valueMatch[5] : keyMatch?.[3]) ?? '';
  const q = valueMatch?.[4];
  const quote = q === '"' || q === "'" ? q : undefined;
  const { before: up, after: down } = linesOfDocument(text, offset);

  const parents: string[] = [];
  let want = indent;
  let openList = false;
  if (dashes !== '') {
    parents.unshift('[]');
    want = lead;
    openList = true;
  }
  let apiVersion: string | undefined;
  let kind: string | undefined;
  for (const l of up) {
    const s = shape(l.text);
    if (s === undefined) continue;
    if (s.col === 0 && s.key === 'kind') kind = /:\s*["']?([A-Za-z0-9]+)/.exec(l.text)?.[1];
    if (s.col === 0 && s.key === 'apiVersion') apiVersion = /:\s*["']?([A-Za-z0-9./-]+)/.exec(l.text)?.[1];
    if (s.key !== undefined && (s.keyCol < want || (openList && s.keyCol === want && !s.dash && s.opensBlock))) {
      parents.unshift(s.key);
      if (s.dash) {
        parents.unshift('[]');
        want = s.col;
        openList = true;
      } else {
        want = s.keyCol;
        openList = false;
      }
    } else if (s.dash && s.keyCol === want && !openList) {
      // "- key: …" at the cursor's key column: the cursor's map is that list item.
      parents.unshift('[]');
      want = s.col;
      openList = true;
    } else if (s.key === undefined && s.dash && s.col < want) {
      parents.unshift('[]');
      want = s.col;
      openList = true;
    }
  }
  for (const l of down) {
    const s = shape(l.text);
    if (s?.col === 0 && s.key === 'kind' && kind === undefined) kind = /:\s*["']?([A-Za-z0-9]+)/.exec(l.text)?.[1];
    if (s?.col === 0 && s.key === 'apiVersion' && apiVersion === undefined) apiVersion = /:\s*["']?([A-Za-z0-9./-]+)/.exec(l.text)?.[1];
  }
  // Keys of the same map: contiguous lines at this key column, up to the item start or parent.
  const present = new Set<string>();
  if (dashes === '') {
    for (const l of up) {
      const s = shape(l.text);
      if (s === undefined) continue;
      if (s.keyCol < indent) break;
      if (s.keyCol === indent && s.key !== undefined) present.add(s.key);
      if (s.keyCol === indent && s.dash) break;
    }
  }
  for (const l of down) {
    const s = shape(l.text);
    if (s === undefined) continue;
    if (s.keyCol < indent || (s.dash && s.keyCol <= indent)) break;
    if (s.keyCol === indent && s.key !== undefined) present.add(s.key);
  }
  return { parents, key, word, quote, wordStart: offset - word.length, indent, present, apiVersion, kind };
}

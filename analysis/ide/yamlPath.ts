/**
 * Where the cursor is in a manifest: the key path from the document root, found in the parsed tree
 * (for hover) or from indentation alone (for completion, where the YAML is half typed).
 */

import type { ParsedDocument } from '../syntax/parse.js';
import type { YNode } from '../syntax/tree.js';
import { isMap, isSeq } from '../syntax/tree.js';
import type { Span } from '../types.js';

export interface TreePath {
  /** Keys (and `[i]` for list items) from the root to the node under the cursor. */
  readonly keys: readonly string[];
  /** The span of the key or value under the cursor. */
  readonly span: Span;
  readonly onKey: boolean;
}

function inside(s: Span, offset: number): boolean {
  return s.start <= offset && offset <= s.end;
}

/** The path of the deepest key or scalar value containing `offset`. */
export function treePathAt(root: YNode | undefined, offset: number): TreePath | undefined {
  const keys: string[] = [];
  let node = root;
  for (let depth = 0; depth < 64 && node !== undefined; depth++) {
    if (isMap(node)) {
      let next: YNode | undefined;
      let found = false;
      for (const p of node.pairs) {
        if (inside(p.keySpan, offset)) return { keys: [...keys, p.key], span: p.keySpan, onKey: true };
        if (p.value !== undefined && inside(p.value.span, offset)) {
          keys.push(p.key);
          next = p.value;
          found = true;
          break;
        }
      }
      if (!found) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => inside(it.span, offset));
      if (i === -1) return undefined;
      keys.push(`[${i}]`);
      node = node.items[i];
    } else {
      return { keys, span: node.span, onKey: false };
    }
  }
  return undefined;
}

export function documentAt(docs: readonly ParsedDocument[], offset: number): ParsedDocument | undefined {
  return docs.find((d) => d.span.start <= offset && offset <= d.span.end);
}

export interface LineContext {
  /** Parent keys of the cursor line, from the document root (list items as `[]`). */
  readonly parents: readonly string[];
  /** The key typed on this line when the cursor is in its value. */
  readonly key: string | undefined;
  /** The partial word before the cursor. */
  readonly word: string;
  readonly wordStart: number;
  /** The document's `kind:` (top level), if written. */
  readonly kind: string | undefined;
  readonly indent: number;
}

/** Reads the cursor's context from indentation, tolerating half-typed YAML. */
export function lineContextAt(text: string, offset: number): LineContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const valueMatch = /^(\s*)(?:-\s+)?([A-Za-z0-9_./-]+):\s+["']?([A-Za-z0-9_.-]*)$/.exec(before);
  const keyMatch = /^(\s*)(-\s+)?([A-Za-z0-9_./-]*)$/.exec(before);
  let indent: number;
  let key: string | undefined;
  let word: string;
  if (valueMatch !== null) {
    indent = valueMatch[1]?.length ?? 0;
    key = valueMatch[2];
    word = valueMatch[3] ?? '';
  } else if (keyMatch !== null) {
    indent = (keyMatch[1]?.length ?? 0) + (keyMatch[2]?.length ?? 0);
    word = keyMatch[3] ?? '';
  } else {
    return undefined;
  }
  const parents: string[] = [];
  let want = indent;
  let kind: string | undefined;
  let pos = lineStart - 1;
  while (pos > 0) {
    const start = text.lastIndexOf('\n', pos - 1) + 1;
    const line = text.slice(start, pos).replace(/\r$/, '');
    pos = start - 1;
    if (/^---/.test(line)) break;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const m = /^(\s*)(-\s+)?([^\s:#][^:#]*?):(\s|$)/.exec(line);
    const lineIndent = (m?.[1]?.length ?? /^\s*/.exec(line)?.[0].length ?? 0);
    if (lineIndent === 0 && m !== null && m[3] === 'kind') kind = /:\s*([A-Za-z]+)/.exec(line)?.[1];
    if (m === null) continue;
    if (lineIndent < want) {
      if (m[2] !== undefined) {
        // "- key:" opens a list item whose keys sit at lineIndent + 2.
        if (lineIndent + (m[2]?.length ?? 0) < want) {
          // The cursor sits under this item's key: item, then key.
          parents.unshift(m[3] ?? '');
          parents.unshift('[]');
        } else {
          parents.unshift('[]');
        }
      } else {
        parents.unshift(m[3] ?? '');
      }
      want = lineIndent;
    }
  }
  if (kind === undefined) {
    // kind may come after the cursor in the document.
    const rest = text.slice(offset);
    const end = rest.search(/\n---/);
    kind = /(^|\n)kind:\s*([A-Za-z]+)/.exec(end === -1 ? rest : rest.slice(0, end))?.[2];
  }
  return { parents, key, word, wordStart: offset - word.length, kind, indent };
}

/**
 * Where the cursor is in a parsed manifest: the key path from the document root (for hover and
 * navigation; completion reads half-typed YAML by indentation, in lineContext.ts).
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

/**
 * A lone `-` as an item of a flow sequence (`waitFor: [-]`, Cloud Build's "start at once"; `[a, -]`).
 * YAML 1.2 does not allow a plain scalar to start with `-` followed by a flow indicator, and the
 * `yaml` package reads the dash as a block sequence inside the flow one (an error). go-yaml, which
 * kubectl and kustomize read with (libyaml's scanner), starts a plain scalar at a `-` not followed by
 * a blank and ends it at the flow indicator: the item is the string "-".
 *
 * `maskFlowDashes` returns the text with each such dash replaced by a plain character of the same
 * length (every offset and span stays) and the offsets it replaced, or undefined when there is none;
 * `restoreFlowDashes` gives the scalars read there their value "-" back.
 */

import type { YNode } from './tree.js';
import { isMap, isScalar, isSeq } from './tree.js';

/**
 * `[` or `,` (spaces after it allowed) then a dash directly followed by `,` or `]` (one line); a
 * dash followed by a blank is a block entry indicator, an error in go-yaml too.
 */
const FLOW_DASH = /([[,][ \t]*)-(?=[,\]])/g;
const STAND_IN = '_';

export function maskFlowDashes(text: string): { readonly text: string; readonly offsets: ReadonlySet<number> } | undefined {
  if (!text.includes('-]') && !text.includes('-,')) return undefined;
  const offsets = new Set<number>();
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const body = codeOf(line);
    for (const m of body.matchAll(FLOW_DASH)) offsets.add(lineStart + (m.index ?? 0) + (m[1]?.length ?? 0));
    lineStart += line.length + 1;
  }
  if (offsets.size === 0) return undefined;
  const chars = text.split('');
  for (const o of offsets) chars[o] = STAND_IN;
  return { text: chars.join(''), offsets };
}

/** The line up to a comment, with quoted scalars blanked (a dash inside quotes is text). */
function codeOf(line: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      out += ' ';
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      out += ' ';
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) break;
    out += c;
  }
  return out;
}

/** Gives the flow sequence items read at `offsets` their value "-" (aliases are shared: each node once). */
export function restoreFlowDashes(root: YNode | undefined, offsets: ReadonlySet<number>): void {
  const seen = new Set<YNode>();
  const visit = (n: YNode | undefined): void => {
    if (n === undefined || seen.has(n)) return;
    seen.add(n);
    if (isSeq(n)) {
      n.items.forEach((item, i) => {
        if (isScalar(item) && !item.quoted && item.value === STAND_IN && offsets.has(item.span.start)) n.items[i] = { ...item, value: '-' };
        else visit(item);
      });
    } else if (isMap(n)) for (const p of n.pairs) visit(p.value);
  };
  visit(root);
}

/**
 * Quoted scalars continued at their key's indentation, as go-yaml v2's emitter wrote long
 * descriptions in older controller-gen CRDs:
 *
 * ```yaml
 *             apiVersion:
 *               description: 'APIVersion defines the versioned schema of this representation
 *               of an object. …'
 * ```
 *
 * The same for a sequence item's quoted scalar continued at the dash's indentation (a shell
 * command split over lines in a container's `command`), and for the last item of a flow collection
 * that opens on the key's line (`command: ['sh', '-c', 'set -x;` … `']` at the key's indentation:
 * newrelic's pixie chart; `kubectl kustomize` reads the list).
 *
 * go-yaml (which kubectl and kustomize read with: v2 for `kubectl apply`, v3 for kustomize's kyaml)
 * checks no indentation inside a quoted scalar: any continuation line belongs to it, only a
 * document marker (`---`, `...`) at the start of a line ends the document there. The `yaml`
 * package wants continuation lines more indented than the key and reports a missing closing
 * quote. `joinQuoteContinuations` returns the text with the line break before each continuation
 * line that is not more indented than the key (or the dash) replaced by a space (same length: every
 * offset and span stays), or undefined when there is none. An nginx.conf written at column 0
 * inside a quoted ConfigMap value (`nginx.conf: '` then `events {` …) is read as kubectl reads it.
 * Only spaces count as indentation: a continuation line led by tabs (`command: ["/bin/sh", "-c",
 * "couchbase-cli …` then tab-indented flags, in couchbase-operator's examples) is at column 0 for the
 * `yaml` package, which refuses tabs there; go-yaml strips them as blanks.
 *
 * Blank lines before such a line (`slaves: 'localhost`, a blank line, `'` at column 0, as Helm's
 * `toYaml` of a value ending in a line break is sometimes written by hand) are joined with it: a
 * blank line has no room for the indentation the `yaml` package wants. A line break that stands for
 * blank lines is a `\n` of the value, not a space, and a joined line's indentation would stay in the
 * value (folding drops a continuation line's leading white space), so the value of each joined
 * scalar is read again from its own text, re-indented: `values` maps the offset of its opening quote
 * to the value go-yaml reads (`localhost\n`, `done; ` for `done;` then `  '`, as `kubectl kustomize`
 * v5.5.0 writes them); `restoreQuotedValues` puts it back into the tree.
 */

import { parse as parseYaml } from 'yaml';
import type { YNode } from './tree.js';
import { isMap, isScalar, isSeq } from './tree.js';

/**
 * Where a quoted flow scalar opens as a mapping value (indentation of the key, the quote) or as a
 * sequence item (`- 'echo … &&`, a command line split over lines: indentation of the dash).
 */
const OPENS = /^( *)(?:(?:- +)*[^\s'"#\-?[{][^'"#]*?:[ \t]+|- +)(['"])/;
/** The same place opening a flow collection (`command: ['sh', '-c', 'set -x;`): its last item may be a quoted scalar that goes on. */
const OPENS_FLOW = /^( *)(?:(?:- +)*[^\s'"#\-?[{][^'"#]*?:[ \t]+|- +)[[{]/;

/**
 * Where a quoted scalar that the line leaves open starts: the indentation of its key (or dash), the
 * quote, and the offset just after the quote; undefined when the line closes every scalar it opens.
 */
function openScalar(line: string): { indent: number; quote: string; after: number } | undefined {
  const m = OPENS.exec(line);
  if (m !== null) {
    const quote = m[2] ?? "'";
    return closeAt(line, m[0].length, quote) >= 0 ? undefined : { indent: m[1]?.length ?? 0, quote, after: m[0].length };
  }
  const f = OPENS_FLOW.exec(line);
  if (f === null) return undefined;
  // Inside the flow collection: the quoted items it closes, up to one it leaves open at the line's end.
  for (let i = f[0].length; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === '#' && /\s/.test(line[i - 1] ?? '')) return undefined;
    if (c !== "'" && c !== '"') continue;
    const close = closeAt(line, i + 1, c);
    if (close < 0) return { indent: f[1]?.length ?? 0, quote: c, after: i + 1 };
    i = close - 1;
  }
  return undefined;
}

/** The offset just after the closing quote in `line` from `from`, or -1 when the scalar goes on. */
function closeAt(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c !== quote) continue;
    if (quote === "'" && line[i + 1] === "'") {
      i++;
      continue;
    }
    return i + 1;
  }
  return -1;
}

export interface JoinedQuotes {
  readonly text: string;
  /** Offset of a joined scalar's opening quote → its value as go-yaml reads it (blank lines kept). */
  readonly values: ReadonlyMap<number, string>;
}

export function joinQuoteContinuations(text: string): JoinedQuotes | undefined {
  if (!text.includes("'") && !text.includes('"')) return undefined;
  const lines = text.split('\n');
  const out = lines.slice();
  const joinedAt = new Set<number>();
  const values = new Map<number, string>();
  let lineStart = 0;
  const starts = lines.map((l) => {
    const at = lineStart;
    lineStart += l.length + 1;
    return at;
  });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const open = openScalar(line);
    if (open === undefined) continue;
    const { indent, quote } = open;
    // The scalar goes on: its continuation lines up to the closing quote.
    let j = i + 1;
    let blankFrom = -1;
    let joinedHere = false;
    let closed = -1;
    for (; j < lines.length; j++) {
      const next = lines[j] ?? '';
      const body = next.replace(/\r$/, '');
      if (body.trim() === '') {
        if (blankFrom < 0) blankFrom = j;
        continue;
      }
      // Only spaces indent (the `yaml` package refuses a tab there; go-yaml reads tabs before a continuation as blanks).
      const lead = body.length - body.replace(/^ +/, '').length;
      // A document marker ends the document (an error for go-yaml too: the quote is not closed).
      if (/^(?:---|\.\.\.)(?:\s|$)/.test(body)) break;
      if (lead <= indent) {
        // Joined to the line before it: its break becomes a space (a `\r` before it too); after blank
        // lines, they are joined too (their value is read again below).
        for (let k = blankFrom < 0 ? j : blankFrom; k <= j; k++) {
          const prev = out[k - 1] ?? '';
          if (prev.endsWith('\r')) out[k - 1] = `${prev.slice(0, -1)} `;
          joinedAt.add(k);
        }
        joinedHere = true;
      }
      blankFrom = -1;
      closed = closeAt(body, 0, quote);
      if (closed >= 0) break;
    }
    if (joinedHere && closed >= 0) {
      const from = (starts[i] ?? 0) + open.after - 1;
      const value = goYamlValue(text.slice(from, (starts[j] ?? 0) + closed));
      if (value !== undefined) values.set(from, value);
    }
    i = j;
  }
  if (joinedAt.size === 0) return undefined;
  let result = out[0] ?? '';
  for (let k = 1; k < out.length; k++) result += `${joinedAt.has(k) ? ' ' : '\n'}${out[k] ?? ''}`;
  return result.length === text.length ? { text: result, values } : undefined;
}

/** The value of a quoted scalar's text (quotes included), its continuation lines indented. */
function goYamlValue(scalar: string): string | undefined {
  try {
    const read: unknown = parseYaml(`v: ${scalar.replace(/\n/g, '\n  ')}\n`);
    const v = typeof read === 'object' && read !== null ? (read as { v?: unknown }).v : undefined;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Gives the scalars whose quote opens at a key of `values` their value (aliases are shared: each node once). */
export function restoreQuotedValues(root: YNode | undefined, values: ReadonlyMap<number, string>): void {
  if (values.size === 0) return;
  const seen = new Set<YNode>();
  const fix = (n: YNode | undefined): YNode | undefined => {
    if (n === undefined || seen.has(n)) return undefined;
    seen.add(n);
    if (isScalar(n)) {
      const v = n.quoted ? values.get(n.span.start) : undefined;
      return v === undefined ? undefined : { ...n, value: v };
    }
    if (isSeq(n))
      n.items.forEach((item, i) => {
        const fixed = fix(item);
        if (fixed !== undefined) n.items[i] = fixed;
      });
    else if (isMap(n))
      n.pairs.forEach((p, i) => {
        const fixed = fix(p.value);
        if (fixed !== undefined) n.pairs[i] = { ...p, value: fixed };
      });
    return undefined;
  };
  fix(root);
}

/**
 * When two templated selectors stand for one value (docs/dev/netpol-semantics.md rule 1,
 * docs/dev/cluster-policies.md C13): the same text in the same file, inside the same `range` or
 * `with` block (or outside any), renders to the same value every time the file renders; at the top
 * level of a chart's templates, `.` is the release's root object in every template file, so the same
 * text without template variables renders to the same value across the chart's templates. Such
 * selectors select the same pods whatever the value is: their key says so. Anything else (other
 * files of no chart, different blocks, `$variables`) gets no key: independent, as before.
 */

import type { Selector } from '../model/types.js';
import { selectorKey } from './selectors.js';

/** Per file text: the template block openers (`range`, `with`, …) with their extent, in order. */
const blocksCache = new Map<string, { text: string; blocks: ReadonlyArray<{ kind: string; start: number; end: number }> }>();

function blocksOf(uri: string, text: string): ReadonlyArray<{ kind: string; start: number; end: number }> {
  const hit = blocksCache.get(uri);
  if (hit !== undefined && hit.text === text) return hit.blocks;
  const out: Array<{ kind: string; start: number; end: number }> = [];
  const stack: Array<{ kind: string; start: number; end: number }> = [];
  const action = /\{\{-?\s*(\/\*[\s\S]*?\*\/)?\s*([A-Za-z]+)?/g;
  for (let m = action.exec(text); m !== null; m = action.exec(text)) {
    if (m[1] !== undefined) continue;
    const word = m[2];
    if (word === 'range' || word === 'with' || word === 'if' || word === 'define' || word === 'block') {
      const b = { kind: word, start: m.index, end: text.length };
      stack.push(b);
      out.push(b);
    } else if (word === 'end') {
      const b = stack.pop();
      if (b !== undefined) b.end = m.index;
    }
  }
  if (blocksCache.size > 256) blocksCache.clear();
  blocksCache.set(uri, { text, blocks: out });
  return out;
}

/** The innermost `range`/`with`/`define`/`block` around `offset` (where `.` is not the root), or undefined. */
function rebinding(uri: string, text: string, offset: number): { start: number } | undefined {
  let inner: { start: number } | undefined;
  for (const b of blocksOf(uri, text)) {
    if (b.start > offset) break;
    if (b.end > offset && b.kind !== 'if') inner = b;
  }
  return inner;
}

/**
 * The selector's source text (whitespace runs as one space) when it holds a template action or a
 * placeholder; undefined for a fixed selector, or one the API rejects for another reason.
 */
function templatedText(sel: Selector, text: string): string | undefined {
  const whole = text.slice(sel.span.start, sel.span.end).replace(/\s+/g, ' ').trim();
  return whole.includes('{{') || whole.includes('${') || whole.includes('$(') ? whole : undefined;
}

/**
 * A key shared by the templated selectors (in `parts`, one selection: a NetworkPolicy's pod
 * selector, a cluster policy's namespace and pod selectors) that select the same pods whatever the
 * templated values are; undefined when they are not known to (or none is templated).
 */
export function sharedSelectionKey(uri: string, text: string | undefined, parts: ReadonlyArray<Selector | undefined>): string | undefined {
  if (text === undefined) return undefined;
  const written: string[] = [];
  let templated = false;
  let start = Number.POSITIVE_INFINITY;
  for (const sel of parts) {
    if (sel === undefined) {
      written.push('-');
      continue;
    }
    if (sel.span.uri !== undefined && sel.span.uri !== uri) return undefined;
    if (!sel.unknown) {
      written.push(selectorKey(sel));
      continue;
    }
    const t = templatedText(sel, text);
    if (t === undefined) return undefined;
    templated = true;
    start = Math.min(start, sel.span.start);
    written.push(t);
  }
  if (!templated) return undefined;
  const all = written.join('&');
  // `$name` is a template variable, bound in this file only; `$.` and `$` alone are the root.
  const variables = /\$[A-Za-z_]/.test(all.replace(/\$\{[^}]*\}|\$\([^)]*\)/g, ''));
  const block = rebinding(uri, text, start);
  const chart = uri.lastIndexOf('/templates/');
  const scope =
    block !== undefined
      ? `${uri}@${block.start}`
      : !variables && chart >= 0 && all.includes('{{') && !all.includes('${') && !all.includes('$(')
        ? `${uri.slice(0, chart)}/templates/`
        : uri;
  return `${scope}|${all}`;
}

/** What `sharedConditions` reads of the cluster policies that may select a pod on one side. */
interface ConditionPolicy {
  readonly selected: { readonly yes: Uint32Array; readonly maybe: Uint32Array };
  readonly selection: string | undefined;
  readonly ingress: ReadonlyArray<{ readonly peers: ReadonlyArray<ConditionPeer> }>;
  readonly egress: ReadonlyArray<{ readonly peers: ReadonlyArray<ConditionPeer> }>;
}

interface ConditionPeer {
  readonly pods: { readonly yes: Uint32Array; readonly maybe: Uint32Array };
  readonly selection: string | undefined;
}

function bit(b: Uint32Array, i: number): boolean {
  return ((b[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

/** At most this many shared conditions are decided together on one side (2^n worlds); others stay independent. */
export const MAX_SHARED_CONDITIONS = 6;

/**
 * The conditions that decide two or more of a side's maybe-matches at once (docs/dev/cluster-policies.md
 * C13): `s|key`, two policies' subjects that select the pod together or not at all; `p|key`, two
 * peers that match the far pod together or not at all. Each is one unknown: the side is evaluated
 * once with it true and once false, instead of taking the matches as independent.
 */
export function sharedConditions(
  policies: readonly ConditionPolicy[],
  direction: 'ingress' | 'egress',
  target: number,
  other: number | undefined,
  shared: { readonly subjects: ReadonlySet<string>; readonly peers: ReadonlySet<string> },
): string[] {
  const count = new Map<string, number>();
  const add = (k: string): void => {
    count.set(k, (count.get(k) ?? 0) + 1);
  };
  for (const p of policies) {
    const s = p.selection;
    if (s !== undefined && shared.subjects.has(s) && !bit(p.selected.yes, target) && bit(p.selected.maybe, target)) add(`s|${s}`);
    if (other === undefined || shared.peers.size === 0) continue;
    for (const rule of direction === 'ingress' ? p.ingress : p.egress)
      for (const peer of rule.peers) {
        const k = peer.selection;
        if (k !== undefined && shared.peers.has(k) && !bit(peer.pods.yes, other) && bit(peer.pods.maybe, other)) add(`p|${k}`);
      }
  }
  const out: string[] = [];
  for (const [k, n] of count) if (n > 1 && out.length < MAX_SHARED_CONDITIONS) out.push(k);
  return out;
}

/** Every assignment of `keys` (2^n worlds). */
export function worlds(keys: readonly string[]): Array<ReadonlyMap<string, boolean>> {
  const out: Array<Map<string, boolean>> = [];
  for (let m = 0; m < 1 << keys.length; m++) out.push(new Map(keys.map((k, i) => [k, (m & (1 << i)) !== 0])));
  return out;
}

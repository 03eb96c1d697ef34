/**
 * The source map of a rendered Helm template (docs/dev/helm-units.md, "Objects and spans"): output
 * offsets to template offsets through the render's segments (literal text one to one, an action's
 * output to the action, text an included template wrote to the call site), trees copied with their
 * spans mapped, what one action wrote (hover), and a fingerprint of a source map (a template whose
 * output and source map did not change keeps its facts).
 */

import type { Segment } from '../render/helm/template/index.js';
import type { YNode, YPair } from '../syntax/tree.js';
import type { Span } from '../types.js';

/** The source map of one template's output: output offsets to template offsets. */
export class SourceMap {
  constructor(
    private readonly segments: readonly Segment[],
    private readonly own: string,
  ) {}

  private segAt(o: number): Segment | undefined {
    const s = this.segments;
    let lo = 0;
    let hi = s.length - 1;
    let found: Segment | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const seg = s[mid];
      if (seg === undefined) break;
      if (seg.outStart <= o) {
        found = seg;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private point(o: number, end: boolean): number {
    const seg = this.segAt(o);
    if (seg === undefined) return 0;
    if (seg.source === this.own) {
      if (seg.literal) return seg.srcStart + Math.min(o - seg.outStart, seg.srcEnd - seg.srcStart - 1) + (end ? 1 : 0);
      return end ? seg.srcEnd : seg.srcStart;
    }
    if (seg.site !== undefined) return end ? seg.site.srcEnd : seg.site.srcStart;
    return 0;
  }

  span(s: Span): Span {
    const start = this.point(s.start, false);
    if (s.end <= s.start) return { start, end: start };
    const end = this.point(s.end - 1, true);
    return { start, end: Math.max(start, end) };
  }

  /** Whether output [start, end) and the text before it on its line are one piece of literal template text. */
  literalLine(text: string, start: number, end: number): boolean {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const seg = this.segAt(lineStart);
    return seg !== undefined && seg.source === this.own && seg.literal && seg.outStart <= lineStart && end <= seg.outEnd;
  }

  /** Whether the output offset lies in text an action wrote (not literal template text of this file). */
  written(o: number): boolean {
    const seg = this.segAt(o);
    return seg === undefined || seg.source !== this.own || !seg.literal;
  }
}

/** A copy of a tree with every span mapped (keys too); aliases stay shared. */
export function mapTree(root: YNode, map: SourceMap): YNode {
  const memo = new Map<YNode, YNode>();
  const visit = (n: YNode, depth: number): YNode => {
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    let out: YNode;
    if (n.kind === 'scalar') out = { ...n, span: map.span(n.span) };
    else if (depth > 300) out = { kind: 'scalar', span: map.span(n.span), value: null, unknown: true, quoted: false };
    else if (n.kind === 'map') {
      const pairs: YPair[] = n.pairs.map((p) => ({
        key: p.key,
        keySpan: map.span(p.keySpan),
        value: p.value === undefined ? undefined : visit(p.value, depth + 1),
        keyUnknown: p.keyUnknown,
      }));
      out = { kind: 'map', span: map.span(n.span), pairs, unknown: n.unknown, flow: n.flow };
    } else {
      out = { kind: 'seq', span: map.span(n.span), items: n.items.map((i) => visit(i, depth + 1)), unknown: n.unknown, flow: n.flow };
    }
    memo.set(n, out);
    return out;
  };
  return visit(root, 0);
}

/** What the action of template `own` around `offset` wrote: see `RenderedFile.renderedAt`. */
export function actionOutputs(
  text: string,
  segments: readonly Segment[],
  own: string,
  offset: number,
): { action: Span; outputs: string[] } | undefined {
  let action: Span | undefined;
  const outputs: string[] = [];
  let run: { start: number; end: number } | undefined;
  const flush = (): void => {
    if (run !== undefined) outputs.push(text.slice(run.start, run.end));
    run = undefined;
  };
  for (const seg of segments) {
    // The action's own output, or text an included template wrote for it (its call site).
    const span =
      seg.source === own
        ? seg.literal
          ? undefined
          : { start: seg.srcStart, end: seg.srcEnd }
        : seg.site !== undefined
          ? { start: seg.site.srcStart, end: seg.site.srcEnd }
          : undefined;
    const hit = span !== undefined && span.start <= offset && offset < span.end && (action === undefined || action.start === span.start);
    if (!hit) {
      flush();
      continue;
    }
    action ??= span;
    if (run !== undefined && run.end === seg.outStart) run.end = seg.outEnd;
    else {
      flush();
      run = { start: seg.outStart, end: seg.outEnd };
    }
  }
  flush();
  return action === undefined ? undefined : { action, outputs };
}

/** Two 32-bit FNV-1a hashes over a template's source map (its segments), with their count and sources. */
export function segmentsFingerprint(segments: readonly Segment[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  const mix = (n: number): void => {
    a = Math.imul(a ^ n, 0x01000193) >>> 0;
    b = Math.imul(b ^ n, 0x5bd1e995) >>> 0;
  };
  const sources = new Map<string, number>();
  for (const seg of segments) {
    let id = sources.get(seg.source);
    if (id === undefined) sources.set(seg.source, (id = sources.size));
    mix(seg.outStart);
    mix(seg.outEnd);
    mix(seg.srcStart);
    mix(seg.srcEnd);
    mix(id * 2 + (seg.literal ? 1 : 0));
    mix(seg.site === undefined ? -1 : seg.site.srcStart);
    mix(seg.site === undefined ? -1 : seg.site.srcEnd);
  }
  return `${segments.length}:${a.toString(36)}:${b.toString(36)}:${[...sources.keys()].join('\u0000')}`;
}

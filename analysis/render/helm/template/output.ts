/**
 * The output of an execution with its source map. Literal text maps one to one; an action's output
 * maps to the action, except the pieces of it that came from an `include`d template (found again in
 * the action's output, e.g. after `nindent`), which keep the included template's own mapping.
 */

export interface Segment {
  readonly outStart: number;
  readonly outEnd: number;
  readonly source: string;
  readonly srcStart: number;
  readonly srcEnd: number;
  readonly literal: boolean;
  /**
   * For text another template wrote (an `include`, a `template` call): the action or `template`
   * call of the executed file that produced it (offsets in that file).
   */
  readonly site?: Site;
}

export interface Site {
  readonly srcStart: number;
  readonly srcEnd: number;
}

interface Provenance {
  readonly text: string;
  readonly segments: readonly Segment[];
}

/**
 * A segment, with `site` only when there is one. Written as two object literals rather than a
 * conditional spread: an execution makes one per piece of output, and the spread's temporary object
 * and generic property copy were a measurable part of rendering.
 */
function segment(
  outStart: number,
  outEnd: number,
  source: string,
  srcStart: number,
  srcEnd: number,
  literal: boolean,
  site: Site | undefined,
): Segment {
  return site === undefined
    ? { outStart, outEnd, source, srcStart, srcEnd, literal }
    : { outStart, outEnd, source, srcStart, srcEnd, literal, site };
}

/** How far ahead of the last matched piece an included piece is looked for in an action's output. */
const ALIGN_WINDOW = 256;

export class Output {
  private parts: string[] = [];
  private joined: string | undefined;
  length = 0;
  readonly segments: Segment[] = [];
  private provenance: Provenance[] = [];

  constructor(private readonly max: number) {}

  text(): string {
    if (this.joined === undefined) {
      this.joined = this.parts.join('');
      this.parts = [this.joined];
    }
    return this.joined;
  }

  private push(text: string): boolean {
    if (text === '') return true;
    if (this.length + text.length > this.max) return false;
    this.parts.push(text);
    this.joined = undefined;
    this.length += text.length;
    return true;
  }

  /** Copied template text. False when the output limit is reached. */
  literal(text: string, source: string, srcStart: number, site?: Site): boolean {
    const at = this.length;
    if (!this.push(text)) return false;
    if (text !== '') this.segments.push(segment(at, at + text.length, source, srcStart, srcStart + text.length, true, site));
    return true;
  }

  /** An action's printed value; included text found in it keeps its own mapping. */
  action(text: string, source: string, srcStart: number, srcEnd: number, provenanceMark: number, site?: Site): boolean {
    const at = this.length;
    if (!this.push(text)) return false;
    if (text === '') return true;
    let cursor = 0;
    const own = (from: number, to: number): void => {
      if (to > from) this.segments.push(segment(at + from, at + to, source, srcStart, srcEnd, false, site));
    };
    for (const p of this.provenance.slice(provenanceMark)) {
      for (const seg of p.segments) {
        const segText = p.text.slice(seg.outStart, seg.outEnd);
        let offset = 0;
        for (const line of segText.split('\n')) {
          const pieceOffset = offset;
          offset += line.length + 1;
          if (line.trim() === '') continue;
          const idx = text.indexOf(line, cursor);
          if (idx < 0 || idx - cursor > ALIGN_WINDOW) continue;
          own(cursor, idx);
          const srcFrom = seg.literal ? seg.srcStart + pieceOffset : seg.srcStart;
          const srcTo = seg.literal ? srcFrom + line.length : seg.srcEnd;
          this.segments.push(segment(at + idx, at + idx + line.length, seg.source, srcFrom, srcTo, seg.literal, seg.site ?? site));
          cursor = idx + line.length;
        }
      }
    }
    own(cursor, text.length);
    return true;
  }

  /** Segments written into another output (by a template call) move over as they are. */
  provenanceMark(): number {
    return this.provenance.length;
  }

  dropProvenance(mark: number): void {
    this.provenance.length = mark;
  }

  addProvenance(text: string, from: Output): void {
    this.provenance.push({ text, segments: from.segments });
  }
}

/**
 * Removes every occurrence of `needle` from a text and its segments (Helm deletes "<no value>"
 * from rendered output); segments are cut around the removed ranges and shifted.
 */
export function removeAll(text: string, segments: readonly Segment[], needle: string): { text: string; segments: Segment[] } {
  const removed: [number, number][] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) removed.push([i, i + needle.length]);
  if (removed.length === 0) return { text, segments: [...segments] };
  const newText = text.split(needle).join('');
  const shiftBefore = (x: number): number => {
    let s = 0;
    for (const [a, b] of removed) {
      if (a >= x) break;
      s += Math.min(b, x) - a;
    }
    return s;
  };
  const out: Segment[] = [];
  for (const seg of segments) {
    let pieces: [number, number][] = [[seg.outStart, seg.outEnd]];
    for (const [a, b] of removed) {
      if (b <= seg.outStart || a >= seg.outEnd) continue;
      pieces = pieces.flatMap(([x, y]): [number, number][] => {
        const keep: [number, number][] = [];
        if (a > x) keep.push([x, Math.min(a, y)]);
        if (b < y) keep.push([Math.max(b, x), y]);
        return keep;
      });
    }
    for (const [x, y] of pieces) {
      if (y <= x) continue;
      const ns = x - shiftBefore(x);
      const srcStart = seg.literal ? seg.srcStart + (x - seg.outStart) : seg.srcStart;
      const srcEnd = seg.literal ? srcStart + (y - x) : seg.srcEnd;
      out.push({
        outStart: ns,
        outEnd: ns + (y - x),
        source: seg.source,
        srcStart,
        srcEnd,
        literal: seg.literal,
        ...(seg.site !== undefined ? { site: seg.site } : {}),
      });
    }
  }
  return { text: newText, segments: out };
}

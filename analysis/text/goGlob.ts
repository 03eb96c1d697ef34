/**
 * Go's `path/filepath.Match` patterns (the Unix reading, where `\` escapes) as regular expressions,
 * read once for every tool written in Go whose globs the analysis follows: Helm's `.helmignore`
 * (`render/helm/chart.ts`), Fleet's GitRepo `paths` (`units/fleetGlob.ts`) and chainsaw's `file`
 * globs (`units/testSteps.ts`). Pure.
 *
 * The syntax, as Go documents it:
 *
 *     pattern:         { term }
 *     term:            '*'  any sequence of non-'/' characters
 *                      '?'  any single non-'/' character
 *                      '[' [ '^' ] { character-range } ']'   a class (must be non-empty)
 *                      c    the character c (c != '*', '?', '\\', '[')
 *                      '\\' c   the character c
 *     character-range: c (c != '\\', '-', ']') | '\\' c | lo '-' hi (lo <= c <= hi)
 *
 * A malformed pattern is Go's `ErrBadPattern` (undefined here) whatever the name: an unclosed class,
 * an empty one (`[]`, `[^]`), a class starting with `]` or `-` or ending in `-`, a range with a second
 * `-` (`[a-b-c]`), a trailing `\`. A range whose ends are reversed (`[z-a]`) is accepted and holds no
 * character. A class matches any character, `/` included (`filepath.Match("a[^x]b", "a/b")` is true);
 * only `filepath.Glob`, which matches one path segment at a time, keeps a class within a segment
 * (`goGlobPattern`).
 */

/** The regular expression of Go's `filepath.Match(pattern, name)` over a whole name; undefined for `ErrBadPattern`. */
export function goMatchPattern(pattern: string): RegExp | undefined {
  const source = compile(pattern, false);
  return source === undefined ? undefined : new RegExp(`^${source}$`, 'u');
}

/**
 * The regular expression of Go's `filepath.Glob(pattern)` over `/`-separated paths relative to where
 * the pattern starts: each segment a `filepath.Match` pattern against one name (so nothing, a class
 * included, matches a `/`). Undefined when a segment is malformed (`Glob` returns `ErrBadPattern`).
 */
export function goGlobPattern(pattern: string): RegExp | undefined {
  const parts: string[] = [];
  for (const seg of pattern.split('/')) {
    const source = compile(seg, true);
    if (source === undefined) return undefined;
    parts.push(source);
  }
  return new RegExp(`^${parts.join('/')}$`, 'u');
}

/** Whether Go's `filepath.Glob` reads `path` as a pattern (`hasMeta`: `*`, `?`, `[` or `\` on Unix). */
export function hasGoGlobMeta(path: string): boolean {
  return /[*?[\\]/.test(path);
}

/** The regular expression source of one Match pattern; `segment`: classes never match `/`. */
function compile(pattern: string, segment: boolean): string | undefined {
  const chars = Array.from(pattern);
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i++] ?? '';
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      const next = chars[i++];
      if (next === undefined) return undefined;
      out += literal(next);
    } else if (c === '[') {
      const cls = readClass(chars, i);
      if (cls === undefined) return undefined;
      out += classSource(cls, segment);
      i = cls.end;
    } else out += literal(c);
  }
  return out;
}

interface Class {
  readonly negated: boolean;
  readonly ranges: ReadonlyArray<readonly [number, number]>;
  /** Index after the closing `]`. */
  readonly end: number;
}

/** A class whose `[` is just before `start`, as Go's `matchChunk` reads it; undefined when malformed. */
function readClass(chars: readonly string[], start: number): Class | undefined {
  let i = start;
  if (i >= chars.length) return undefined;
  const negated = chars[i] === '^';
  if (negated) i++;
  const ranges: Array<readonly [number, number]> = [];
  for (;;) {
    if (chars[i] === ']' && ranges.length > 0) return { negated, ranges, end: i + 1 };
    const lo = escaped(chars, i);
    if (lo === undefined) return undefined;
    i = lo.next;
    let hi = lo.code;
    if (chars[i] === '-') {
      const h = escaped(chars, i + 1);
      if (h === undefined) return undefined;
      hi = h.code;
      i = h.next;
    }
    ranges.push([lo.code, hi]);
  }
}

/** Go's `getEsc`: one possibly escaped class character, which must not be `-` or `]` and must not end the pattern. */
function escaped(chars: readonly string[], at: number): { code: number; next: number } | undefined {
  let i = at;
  const c = chars[i];
  if (c === undefined || c === '-' || c === ']') return undefined;
  if (c === '\\') i++;
  const ch = chars[i];
  if (ch === undefined || i + 1 >= chars.length) return undefined;
  return { code: ch.codePointAt(0) ?? 0, next: i + 1 };
}

function classSource(cls: Class, segment: boolean): string {
  // A reversed range holds no character (Go compares lo <= c <= hi); JavaScript would refuse it.
  const body = cls.ranges
    .filter(([lo, hi]) => lo <= hi)
    .map(([lo, hi]) => (lo === hi ? code(lo) : `${code(lo)}-${code(hi)}`))
    .join('');
  if (!segment) return cls.negated ? `[^${body}]` : `[${body}]`;
  return cls.negated ? `[^/${body}]` : `(?!/)[${body}]`;
}

function code(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

function literal(c: string): string {
  return /[\^$\\.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

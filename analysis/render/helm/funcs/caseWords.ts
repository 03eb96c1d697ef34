/**
 * Sprig's `snakecase`, `kebabcase` and `camelcase` are huandu/xstrings' `ToSnakeCase`,
 * `ToKebabCase` and `ToCamelCase` (xstrings 1.4 and later, which Sprig 3.3 and Helm 3.17+ use).
 * Written here from their documented behaviour (the package's doc comments and samples):
 * - snake/kebab: a string is split into words: runs of connectors (`_`, `-`, white space), of
 *   punctuation, of upper-case letters (`HTTPServer` is `HTTP` and `Server`), of other letters, of
 *   digits, and of anything else (CJK characters are no letters here). Words are lower-cased and
 *   joined by the connector; connectors become the connector one for one (`HELLO____WORLD` keeps
 *   four); punctuation joins without one (`snake/kebab`). A number stays part of the word before it
 *   (`http2`, `Bld4Floor` is `bld4_floor`) unless lower-case letters follow it (`http2xx` is
 *   `http_2xx`, `HTTP20xOK` is `http_20x_ok`).
 * - camel: connectors are dropped and the rune after each is upper-cased; leading connectors, and all
 *   but the last of a run, are kept (`_complex__case_` is `_Complex_Case_`); other case is kept.
 * Strings are walked by code point, as Go walks runes.
 */

const enum W {
  Invalid,
  Number,
  Upper,
  Alphabet,
  Connector,
  Punct,
  Other,
}

/** Go's utf8.RuneError: a string that holds U+FFFD decodes it as an error rune. */
const RUNE_ERROR = 0xfffd;

const isUpper = (r: number): boolean => /\p{Lu}/u.test(String.fromCodePoint(r));
const isLetter = (r: number): boolean => /\p{L}/u.test(String.fromCodePoint(r));
const isNumber = (r: number): boolean => /\p{N}/u.test(String.fromCodePoint(r));
const isPunct = (r: number): boolean => /\p{P}/u.test(String.fromCodePoint(r));
const isSpace = (r: number): boolean => /\p{White_Space}/u.test(String.fromCodePoint(r));
const isConnector = (r: number): boolean => r === 0x2d || r === 0x5f || isSpace(r);

/** A letter that is not a CJK character. */
function isAlphabet(r: number): boolean {
  if (!isLetter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  if (r >= 0x20000 && r <= 0x2b81d) return false;
  return true;
}

/** One rune mapped by simple case mapping (a mapping to several runes, as ß to SS, keeps the rune). */
function mapRune(r: number, upper: boolean): number {
  const s = String.fromCodePoint(r);
  const m = upper ? s.toUpperCase() : s.toLowerCase();
  const cp = m.codePointAt(0);
  return cp !== undefined && m.length === String.fromCodePoint(cp).length ? cp : r;
}

/** The first rune at `i` that is no error rune, and how many runes that took (`prev` if all are). */
function nextValidRune(rs: readonly number[], i: number, prev: number): { r: number; size: number } {
  let size = 0;
  for (let j = i; j < rs.length; j++) {
    size++;
    const r = rs[j] ?? RUNE_ERROR;
    if (r !== RUNE_ERROR) return { r, size };
  }
  return { r: prev, size };
}

interface Word {
  readonly wt: W;
  readonly start: number;
  readonly end: number;
}

/** The word starting at `s`. */
function nextWord(rs: readonly number[], s: number): Word {
  const n = rs.length;
  if (s >= n) return { wt: W.Invalid, start: s, end: s };
  const first = nextValidRune(rs, s, RUNE_ERROR);
  let r = first.r;
  let offset = first.size;
  if (r === RUNE_ERROR) return { wt: W.Invalid, start: s, end: s + offset };
  const more = (): boolean => s + offset < n;
  /** Extends the word while `keep` holds of the next valid rune. */
  const run = (keep: (x: number) => boolean): void => {
    while (more()) {
      const nx = nextValidRune(rs, s + offset, r);
      r = nx.r;
      if (!keep(r)) break;
      offset += nx.size;
    }
  };
  let wt: W;
  if (isConnector(r)) {
    wt = W.Connector;
    run(isConnector);
  } else if (isPunct(r)) {
    wt = W.Punct;
    run(isPunct);
  } else if (isUpper(r)) {
    wt = W.Upper;
    if (more()) {
      const nx = nextValidRune(rs, s + offset, r);
      r = nx.r;
      if (isUpper(r)) {
        let prevSize = nx.size;
        offset += nx.size;
        while (more()) {
          const nx2 = nextValidRune(rs, s + offset, r);
          r = nx2.r;
          if (!isUpper(r)) break;
          prevSize = nx2.size;
          offset += nx2.size;
        }
        // "HTTPStatus" is "HTTP" and "Status": the last capital starts the next word.
        if (more() && isAlphabet(r)) offset -= prevSize;
      } else if (isAlphabet(r)) {
        offset += nx.size;
        run((x) => isAlphabet(x) && !isUpper(x));
      }
    }
  } else if (isAlphabet(r)) {
    wt = W.Alphabet;
    run((x) => isAlphabet(x) && !isUpper(x));
  } else if (isNumber(r)) {
    wt = W.Number;
    run(isNumber);
  } else {
    wt = W.Other;
    run((x) => !(isConnector(x) || isAlphabet(x) || isNumber(x) || isPunct(x)));
  }
  return { wt, start: s, end: s + offset };
}

function lowerInto(out: string[], rs: readonly number[], w: Word, connector: string): void {
  for (let i = w.start; i < w.end; i++) {
    const r = rs[i] ?? 0;
    if (w.wt !== W.Upper && w.wt !== W.Connector) out.push(String.fromCodePoint(r));
    else if (isConnector(r)) out.push(connector);
    else out.push(String.fromCodePoint(isUpper(r) ? mapRune(r, false) : r));
  }
}

/** xstrings' camelCaseToLowerCase: `ToSnakeCase` with `_`, `ToKebabCase` with `-`. */
export function lowerCaseWords(str: string, connector: string): string {
  if (str === '') return '';
  const rs = Array.from(str, (c) => c.codePointAt(0) ?? 0);
  const out: string[] = [];
  let w = nextWord(rs, 0);
  const next = (): Word => nextWord(rs, w.end);
  const rest = (): boolean => w.end < rs.length;
  while (rest()) {
    if (w.wt !== W.Connector) lowerInto(out, rs, w, connector);
    const prev = w;
    w = next();
    if (prev.wt === W.Number) {
      while (w.wt === W.Alphabet || w.wt === W.Number) {
        lowerInto(out, rs, w, connector);
        w = next();
      }
      if (w.wt !== W.Invalid && w.wt !== W.Punct && w.wt !== W.Connector) out.push(connector);
    } else if (prev.wt === W.Connector) {
      lowerInto(out, rs, prev, connector);
    } else if (prev.wt !== W.Punct) {
      if (w.wt !== W.Number) {
        if (w.wt !== W.Connector && w.wt !== W.Punct) out.push(connector);
        continue;
      }
      if (!rest()) continue;
      const num = w;
      w = next();
      // A number is part of the word before it ("Bld4Floor"), unless lower-case letters follow it ("HTTP2xx").
      if (w.wt !== W.Alphabet) {
        lowerInto(out, rs, num, connector);
        if (w.wt !== W.Connector && w.wt !== W.Punct) out.push(connector);
        continue;
      }
      out.push(connector);
      lowerInto(out, rs, num, connector);
      while (w.wt === W.Alphabet || w.wt === W.Number) {
        lowerInto(out, rs, w, connector);
        w = next();
      }
      if (w.wt !== W.Invalid && w.wt !== W.Connector && w.wt !== W.Punct) out.push(connector);
    }
  }
  lowerInto(out, rs, w, connector);
  return out.join('');
}

/** xstrings' `ToCamelCase`. */
export function camelCaseWords(str: string): string {
  if (str === '') return '';
  const rs = Array.from(str, (c) => c.codePointAt(0) ?? 0);
  const out: string[] = [];
  let i = 0;
  let r0 = 0;
  let read = false;
  // Leading connectors stay.
  while (i < rs.length) {
    r0 = rs[i++] ?? 0;
    read = true;
    if (!isConnector(r0)) {
      r0 = mapRune(r0, true);
      break;
    }
    out.push(String.fromCodePoint(r0));
  }
  if (i >= rs.length) {
    if (read) out.push(String.fromCodePoint(r0));
    return out.join('');
  }
  while (i < rs.length) {
    const r1 = r0;
    r0 = rs[i++] ?? 0;
    if (isConnector(r0) && isConnector(r1)) {
      out.push(String.fromCodePoint(r1));
      continue;
    }
    if (isConnector(r1)) r0 = mapRune(r0, true);
    else out.push(String.fromCodePoint(r1));
  }
  out.push(String.fromCodePoint(r0));
  return out.join('');
}

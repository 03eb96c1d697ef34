/**
 * Whether Go's `regexp.Compile` accepts a pattern: regexp/syntax's parser with Perl flags, followed
 * step by step (parse.go: the main loop, parsePerlFlags, parseRepeat/repeat, parseClass,
 * parseNamedClass, parseUnicodeClass, parseEscape), giving Go's own error text
 * (`error parsing regexp: invalid or unsupported Perl syntax: `(?=``). Go 1.22+, as the Helm
 * releases that use santhosh-tekuri/jsonschema v6 are built: `(?<name>` is a named group.
 *
 * Unknown (never reported) where the answer depends on what is not modelled here: look-behind
 * `(?<=`/`(?<!` (its wording changed with Go 1.22), `\p{…}` names outside a fixed list of Unicode
 * categories and common scripts (the tables follow Go's Unicode version), a counted repetition inside
 * another (repeatIsValid), the size limits (patterns over 1,000 characters, counts of 100 or more,
 * counted repetitions next to `\p` or case folding), text outside UTF-16 pairs.
 */

/** Go's regexp/syntax error text, undefined when Go compiles `src`, `unknown` when not decided here. */
export function goRegexpError(src: string): string | undefined | 'unknown' {
  const cps = Array.from(src);
  if (cps.length > 1000 || cps.some((c) => c.length === 1 && c >= '\ud800' && c <= '\udfff')) return 'unknown';
  try {
    return new Parser(cps, src).parse();
  } catch (e) {
    if (e instanceof GoSyntaxError) return `error parsing regexp: ${e.code}: \`${e.expr}\``;
    if (e instanceof Unknown) return 'unknown';
    throw e;
  }
}

class GoSyntaxError {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {}
}
class Unknown {
  readonly unknown = true;
}

const INVALID_CHAR_CLASS_RANGE = 'invalid character class range';
const INVALID_ESCAPE = 'invalid escape sequence';
const INVALID_NAMED_CAPTURE = 'invalid named capture';
const INVALID_PERL_OP = 'invalid or unsupported Perl syntax';
const INVALID_REPEAT_OP = 'invalid nested repetition operator';
const INVALID_REPEAT_SIZE = 'invalid repeat count';
const MISSING_BRACKET = 'missing closing ]';
const MISSING_PAREN = 'missing closing )';
const MISSING_REPEAT_ARGUMENT = 'missing argument to repetition operator';
const TRAILING_BACKSLASH = 'trailing backslash at end of expression';
const UNEXPECTED_PAREN = 'unexpected )';

const POSIX_NAMES = new Set([
  'alnum',
  'alpha',
  'ascii',
  'blank',
  'cntrl',
  'digit',
  'graph',
  'lower',
  'print',
  'punct',
  'space',
  'upper',
  'word',
  'xdigit',
]);

/** `\p` names Go surely knows: "Any", the general categories, and scripts every Unicode version has. */
const UNICODE_NAMES = new Set([
  'Any',
  ...['C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No'],
  ...['P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs'],
  ...['Arabic', 'Armenian', 'Bengali', 'Common', 'Cyrillic', 'Devanagari', 'Georgian', 'Greek', 'Han', 'Hangul'],
  ...['Hebrew', 'Hiragana', 'Inherited', 'Katakana', 'Latin', 'Tamil', 'Thai'],
]);

const PERL_CLASSES = new Set(['d', 'D', 's', 'S', 'w', 'W']);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);
function unhex(c: string | undefined): number {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c) ? parseInt(c, 16) : -1;
}

/** What sits on top of Go's parse stack: nothing or a marker (`(`, `|`), or an expression. */
type Top = { readonly kind: 'marker' } | { readonly kind: 'expr'; readonly counted: boolean };
const MARKER: Top = { kind: 'marker' };
const ATOM: Top = { kind: 'expr', counted: false };

class Parser {
  private top: Top = MARKER;
  /** Open groups: whether a counted repetition occurs inside each. */
  private readonly groups: boolean[] = [];
  private readonly sizeRisk: boolean;

  constructor(
    private readonly s: readonly string[],
    private readonly whole: string,
  ) {
    this.sizeRisk = /\\[pP]|\(\?[a-zA-Z-]*i/.test(whole);
  }

  private text(from: number, to: number): string {
    return this.s.slice(from, to).join('');
  }

  private fail(code: string, from: number, to: number): never {
    throw new GoSyntaxError(code, this.text(from, to));
  }

  private push(t: Top): void {
    this.top = t;
    if (t.kind === 'expr' && t.counted && this.groups.length > 0) this.groups[this.groups.length - 1] = true;
  }

  parse(): undefined {
    const s = this.s;
    let i = 0;
    let lastRepeat: number | undefined;
    while (i < s.length) {
      let repeat: number | undefined;
      const c = s[i] ?? '';
      switch (c) {
        case '(':
          if (s[i + 1] === '?') i = this.perlFlags(i);
          else {
            this.groups.push(false);
            this.top = MARKER;
            i++;
          }
          break;
        case '|':
          this.top = MARKER;
          i++;
          break;
        case ')': {
          const counted = this.groups.pop();
          if (counted === undefined) throw new GoSyntaxError(UNEXPECTED_PAREN, this.whole);
          this.push({ kind: 'expr', counted });
          i++;
          break;
        }
        case '[':
          i = this.parseClass(i);
          this.push(ATOM);
          break;
        case '*':
        case '+':
        case '?': {
          let after = i + 1;
          if (s[after] === '?') after++;
          this.repeat(i, after, lastRepeat, false, 0, 0);
          repeat = i;
          i = after;
          break;
        }
        case '{': {
          const r = this.parseRepeat(i);
          if (r === undefined) {
            this.push(ATOM);
            i++;
            break;
          }
          const { min, max, end } = r;
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) this.fail(INVALID_REPEAT_SIZE, i, end);
          let after = end;
          if (s[after] === '?') after++;
          this.repeat(i, after, lastRepeat, true, min, max);
          repeat = i;
          i = after;
          break;
        }
        case '\\':
          i = this.topEscape(i);
          break;
        default:
          this.push(ATOM);
          i++;
      }
      lastRepeat = repeat;
    }
    if (this.groups.length > 0) throw new GoSyntaxError(MISSING_PAREN, this.whole);
    return undefined;
  }

  private repeat(before: number, after: number, lastRepeat: number | undefined, counted: boolean, min: number, max: number): void {
    if (lastRepeat !== undefined) this.fail(INVALID_REPEAT_OP, lastRepeat, after);
    if (this.top.kind !== 'expr') this.fail(MISSING_REPEAT_ARGUMENT, before, after);
    if (counted) {
      // Size limits and repeatIsValid are not modelled: decide only small, unnested counts.
      if (Math.max(min, max) >= 100 || this.sizeRisk || this.top.counted) throw new Unknown();
    }
    this.push({ kind: 'expr', counted: counted || this.top.counted });
  }

  /** parseRepeat: `{n}`, `{n,}`, `{n,m}` (no leading zeros); undefined when `{` is a literal. */
  private parseRepeat(i: number): { min: number; max: number; end: number } | undefined {
    let j = i + 1;
    const int = (): number | undefined => {
      if (!isDigit(this.s[j])) return undefined;
      if (this.s[j] === '0' && isDigit(this.s[j + 1])) return undefined;
      let n = 0;
      let big = false;
      while (isDigit(this.s[j])) {
        if (n >= 1e8) big = true;
        else n = n * 10 + Number(this.s[j]);
        j++;
      }
      return big ? -1 : n;
    };
    let min = int();
    if (min === undefined || j >= this.s.length) return undefined;
    let max: number;
    if (this.s[j] !== ',') max = min;
    else {
      j++;
      if (j >= this.s.length) return undefined;
      if (this.s[j] === '}') max = -1;
      else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
        if (max < 0) min = -1;
      }
    }
    if (this.s[j] !== '}') return undefined;
    return { min, max, end: j + 1 };
  }

  /** parsePerlFlags at `(?`: named groups, flag groups `(?i)`, `(?i:`; anything else refused. */
  private perlFlags(i: number): number {
    const s = this.s;
    const rest = s.length - i;
    if ((rest > 4 && s[i + 2] === 'P' && s[i + 3] === '<') || (rest > 3 && s[i + 2] === '<')) {
      if (s[i + 2] === '<' && (s[i + 3] === '=' || s[i + 3] === '!')) throw new Unknown();
      const begin = s[i + 2] === '<' ? i + 3 : i + 4;
      const end = s.indexOf('>', i);
      if (end < 0) this.fail(INVALID_NAMED_CAPTURE, i, s.length);
      const name = s.slice(begin, end);
      if (name.some((ch) => (ch.codePointAt(0) ?? 0) > 0x7f)) throw new Unknown();
      if (name.length === 0 || !name.every((ch) => ch === '_' || isAlnum(ch))) this.fail(INVALID_NAMED_CAPTURE, i, end + 1);
      this.groups.push(false);
      this.top = MARKER;
      return end + 1;
    }
    let j = i + 2;
    let negated = false;
    let sawFlag = false;
    while (j < s.length) {
      const c = s[j++];
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') sawFlag = true;
      else if (c === '-') {
        if (negated) break;
        negated = true;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (negated && !sawFlag) break;
        if (c === ':') {
          this.groups.push(false);
          this.top = MARKER;
        }
        return j;
      } else break;
    }
    return this.fail(INVALID_PERL_OP, i, j);
  }

  /** A `\` outside a class: Perl's `\A \b \B \z \Q…\E`, `\C` refused, `\p`, `\d`-style classes, or parseEscape. */
  private topEscape(i: number): number {
    const s = this.s;
    const next = s[i + 1];
    if (next !== undefined) {
      if (next === 'A' || next === 'b' || next === 'B' || next === 'z') {
        this.push(ATOM);
        return i + 2;
      }
      if (next === 'C') this.fail(INVALID_ESCAPE, i, i + 2);
      if (next === 'Q') {
        let j = i + 2;
        while (j < s.length && !(s[j] === '\\' && s[j + 1] === 'E')) {
          this.push(ATOM);
          j++;
        }
        return j < s.length ? j + 2 : j;
      }
    }
    const u = this.unicodeClass(i);
    if (u !== undefined) {
      this.push(ATOM);
      return u;
    }
    if (next !== undefined && PERL_CLASSES.has(next)) {
      this.push(ATOM);
      return i + 2;
    }
    const e = this.parseEscape(i);
    this.push(ATOM);
    return e.end;
  }

  /** parseUnicodeClass at `\p`/`\P`: the index after it, undefined when not one. */
  private unicodeClass(i: number): number | undefined {
    const s = this.s;
    if (s[i] !== '\\' || (s[i + 1] !== 'p' && s[i + 1] !== 'P')) return undefined;
    let name: string;
    let end: number;
    if (s[i + 2] !== '{') {
      name = s[i + 2] ?? '';
      end = Math.min(i + 3, s.length);
    } else {
      const close = s.indexOf('}', i);
      if (close < 0) this.fail(INVALID_CHAR_CLASS_RANGE, i, s.length);
      name = this.text(i + 3, close);
      end = close + 1;
    }
    if (name.startsWith('^')) name = name.slice(1);
    if (!UNICODE_NAMES.has(name)) throw new Unknown();
    return end;
  }

  /** parseEscape at `\`: the rune and the index after it, or Go's error. */
  private parseEscape(i: number): { r: number; end: number } {
    const s = this.s;
    let j = i + 1;
    if (j >= s.length) throw new GoSyntaxError(TRAILING_BACKSLASH, '');
    const c = s[j++] ?? '';
    const cp = c.codePointAt(0) ?? 0;
    if (cp < 0x80 && !isAlnum(c)) return { r: cp, end: j };
    const C: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    const simple = C[c];
    if (simple !== undefined) return { r: simple, end: j };
    if (c === '0' || (c >= '1' && c <= '7' && isOctal(s[j]))) {
      let r = Number(c);
      for (let k = 1; k < 3 && isOctal(s[j]); k++) r = r * 8 + Number(s[j++]);
      return { r, end: j };
    }
    if (c === 'x' && j < s.length) {
      const d = s[j++];
      if (d === '{') {
        let r = 0;
        let n = 0;
        for (;;) {
          if (j >= s.length) return this.fail(INVALID_ESCAPE, i, j);
          const h = s[j++];
          if (h === '}') break;
          const v = unhex(h);
          if (v < 0) return this.fail(INVALID_ESCAPE, i, j);
          r = r * 16 + v;
          if (r > 0x10ffff) return this.fail(INVALID_ESCAPE, i, j);
          n++;
        }
        if (n === 0) return this.fail(INVALID_ESCAPE, i, j);
        return { r, end: j };
      }
      const x = unhex(d);
      const y = unhex(s[j]);
      if (j < s.length) j++;
      if (x >= 0 && y >= 0) return { r: x * 16 + y, end: j };
    }
    return this.fail(INVALID_ESCAPE, i, j);
  }

  /** parseClass at `[`: the index after the closing `]`. */
  private parseClass(i: number): number {
    const s = this.s;
    let t = i + 1;
    if (s[t] === '^') t++;
    let first = true;
    while (t >= s.length || s[t] !== ']' || first) {
      first = false;
      if (s.length - t > 2 && s[t] === '[' && s[t + 1] === ':') {
        const tail = this.text(t + 2, s.length);
        const k = tail.indexOf(':]');
        if (k >= 0) {
          const name = tail.slice(0, k);
          const len = Array.from(name).length;
          if (!POSIX_NAMES.has(name.startsWith('^') ? name.slice(1) : name)) this.fail(INVALID_CHAR_CLASS_RANGE, t, t + len + 4);
          t += len + 4;
          continue;
        }
      }
      const u = this.unicodeClass(t);
      if (u !== undefined) {
        t = u;
        continue;
      }
      if (s[t] === '\\' && s[t + 1] !== undefined && PERL_CLASSES.has(s[t + 1] ?? '')) {
        t += 2;
        continue;
      }
      const rng = t;
      const lo = this.classChar(t, i);
      t = lo.end;
      if (s.length - t >= 2 && s[t] === '-' && s[t + 1] !== ']') {
        const hi = this.classChar(t + 1, i);
        t = hi.end;
        if (hi.r < lo.r) this.fail(INVALID_CHAR_CLASS_RANGE, rng, t);
      }
    }
    return t + 1;
  }

  private classChar(t: number, wholeClass: number): { r: number; end: number } {
    const c = this.s[t];
    if (c === undefined) return this.fail(MISSING_BRACKET, wholeClass, this.s.length);
    if (c === '\\') return this.parseEscape(t);
    return { r: c.codePointAt(0) ?? 0, end: t + 1 };
  }
}

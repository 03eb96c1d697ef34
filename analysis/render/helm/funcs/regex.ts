/**
 * Go regular expressions (RE2 syntax, as Sprig's regex functions use them) run on JS RegExp in
 * Unicode mode (Go reads runes): leading flag groups `(?i)`, `(?s)`, `(?m)` become flags, `(?P<name>`
 * becomes `(?<name>`, `\A`/`\z` anchors, `\p` classes, Go's `\s` and POSIX classes `[[:alpha:]]`
 * are translated (`unicodeBody`); what cannot be translated exactly (`(?U)`, flags after the start) is
 * Unsupported (the template falls back). Replacement templates follow Go's
 * Regexp.Expand (`$1`, `${1}`, `$name`, `$$`).
 */

import { FuncError, Unsupported } from '../template/callable.js';
import { goRegexpError } from '../goRegexp.js';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/** Go's quote in regexp.MustCompile's panic: backquotes when strconv.CanBackquote, else a %q string. */
function mustCompileQuote(src: string): string {
  const plain = [...src].every((ch) => ch === '\t' || (ch !== '`' && ch !== '\ufeff' && ch >= ' ' && ch !== '\x7f'));
  if (plain) return `\`${src}\``;
  return JSON.stringify(src);
}

/**
 * Compiles a Go regexp (global flag set); throws FuncError when invalid. A pattern Go's regexp/syntax
 * refuses (../goRegexp.ts) fails with Go's text: `error parsing regexp: …` as regexp.Compile returns it
 * (Sprig's must* forms), or, with `panics`, as regexp.MustCompile panics (`regexp: Compile(`…`): …`,
 * Sprig's plain forms). Other failures of the JavaScript translation keep a Go-like wording.
 */
export function goRegex(src: string, panics = false): RegExp {
  const hit = cache.get(src);
  if (hit !== undefined) {
    hit.lastIndex = 0;
    return hit;
  }
  const goError = goRegexpError(src);
  if (goError !== undefined && goError !== 'unknown') {
    throw new FuncError(panics ? `regexp: Compile(${mustCompileQuote(src)}): ${goError}` : goError);
  }
  let body = src;
  let flags = 'g';
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead !== null) {
    if (lead[1]?.includes('U') === true)
      throw new Unsupported('regex', `the pattern \`${src}\` (ungreedy mode) is not supported by Kube Reach's Helm renderer`);
    for (const f of lead[1] ?? '') if ((f === 'i' || f === 'm' || f === 's') && !flags.includes(f)) flags += f;
    body = body.slice(lead[0].length);
  }
  // Go reads runes, as JavaScript's Unicode mode does (`\pL`, `.` on a character outside the BMP); that
  // mode reads the rest of the pattern more strictly, so the pattern is rewritten for it.
  const unicode = unicodeBody(body, src);
  if (typeof unicode !== 'string') throw unicode;
  body = unicode;
  flags += 'u';
  body = body.replace(/\(\?P</g, '(?<').replace(/\[:(\^?)(\w+):\]/g, (m, neg: string, name: string) => {
    const cls = POSIX[name];
    if (cls === undefined) return m;
    return neg === '' ? cls : m;
  });
  let re: RegExp;
  try {
    re = new RegExp(body, flags);
  } catch (e) {
    // Go compiles it (goRegexpError): what JavaScript cannot read here is the renderer's limit, not the chart's error.
    throw goError === undefined
      ? new Unsupported(
          'regex',
          `the pattern \`${src}\` is not supported by Kube Reach's Helm renderer (${e instanceof Error ? e.message : String(e)})`,
        )
      : new FuncError(`error parsing regexp: ${e instanceof Error ? e.message : String(e)}: \`${src}\``);
  }
  if (cache.size > 500) cache.clear();
  cache.set(src, re);
  return re;
}

/** Go's `\pC`: Cc, Cf, Co and Cs (unicode.C; JavaScript's `\p{C}` also holds unassigned code points). */
const GO_OTHER = '\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}';
/** Go's general category names (unicode.Categories), which JavaScript reads as `\p{Lu}`; other names are scripts. */
const CATEGORIES = /^(?:[LMNPSZ]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps]|C[cfos])$/;

/**
 * A Go pattern with `\p` classes as a pattern for JavaScript's Unicode mode (Go RE2 reads runes, as
 * the `u` flag does): `\pL`, `\p{Greek}`, `\PL`, `\p{^L}` become `\p{L}`, `\p{Script=Greek}`,
 * `\P{L}`; `\p{Any}` any code point; Go's `\pC` its four categories; escapes of punctuation,
 * `\a`, octal and `\x{…}` escapes, `\Q…\E` and Go's `\s` (`[\t\n\f\r ]`, narrower than
 * JavaScript's) are rewritten for that mode. Character membership follows the Unicode tables of
 * the JavaScript engine (Go's may be a version older). An Unsupported error where the translation
 * cannot be exact (a negated `\pC` or `\S` inside a class).
 */
function unicodeBody(body: string, src: string): string | Unsupported {
  const cps = Array.from(body);
  let out = '';
  let inClass = false;
  const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] ?? '';
    if (c === '[' && !inClass) {
      inClass = true;
      out += c;
      // A `]` first in a class (after `^`) is a literal in Go.
      if (cps[i + 1] === '^') out += cps[++i] ?? '';
      if (cps[i + 1] === ']') {
        out += hex(93);
        i++;
      }
      continue;
    }
    if (c === '[' && inClass) {
      // `[:alpha:]` is translated afterwards (kept whole); a literal `[` inside a class otherwise.
      const close = cps[i + 1] === ':' ? cps.indexOf(']', i) : -1;
      if (close > 0 && cps[close - 1] === ':') {
        out += cps.slice(i, close + 1).join('');
        i = close;
      } else out += hex(91);
      continue;
    }
    if (!inClass && (c === '{' || c === '}')) {
      // A brace that is not a repeat count is a literal in Go; JavaScript's Unicode mode refuses it bare.
      const count = c === '{' ? /^\{\d+(?:,\d*)?\}/.exec(cps.slice(i, i + 24).join('')) : null;
      if (count !== null) {
        out += count[0];
        i += count[0].length - 1;
      } else out += hex(c.codePointAt(0) ?? 0);
      continue;
    }
    if (c === ']') {
      // A `]` outside a class is a literal in Go.
      out += inClass ? c : hex(93);
      inClass = false;
      continue;
    }
    if (!inClass && (c === '^' || c === '$')) {
      // Empty-width assertions Go lets a quantifier follow (`^*`): a group JavaScript can repeat.
      out += `(?:${c})`;
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = cps[++i] ?? '';
    if (e === 'p' || e === 'P') {
      let name: string;
      if (cps[i + 1] === '{') {
        const close = cps.indexOf('}', i);
        name = cps.slice(i + 2, close).join('');
        i = close;
      } else name = cps[++i] ?? '';
      let negated = e === 'P';
      if (name.startsWith('^')) [name, negated] = [name.slice(1), !negated];
      const p = negated ? 'P' : 'p';
      if (name === 'Any')
        out += inClass ? (negated ? '' : '\\u{0}-\\u{10ffff}') : negated ? '[^\\u{0}-\\u{10ffff}]' : '[\\u{0}-\\u{10ffff}]';
      else if (name === 'C') {
        if (inClass && negated)
          return new Unsupported(
            'regex',
            `the pattern \`${src}\` (a negated \\pC in a class) is not supported by Kube Reach's Helm renderer`,
          );
        out += inClass ? GO_OTHER : `[${negated ? '^' : ''}${GO_OTHER}]`;
      } else out += CATEGORIES.test(name) ? `\\${p}{${name}}` : `\\${p}{Script=${name}}`;
      continue;
    }
    if (e === 's' || e === 'S') {
      if (inClass && e === 'S')
        return new Unsupported('regex', `the pattern \`${src}\` (\\S in a class) is not supported by Kube Reach's Helm renderer`);
      out += inClass ? '\\t\\n\\f\\r ' : e === 's' ? '[\\t\\n\\f\\r ]' : '[^\\t\\n\\f\\r ]';
      continue;
    }
    if (e === 'Q') {
      let stop = i + 1;
      while (stop < cps.length && !(cps[stop] === '\\' && cps[stop + 1] === 'E')) stop++;
      for (const q of cps.slice(i + 1, stop)) out += hex(q.codePointAt(0) ?? 0);
      i = stop + 1;
      continue;
    }
    if (e === 'A' || e === 'z') out += e === 'A' ? '(?<![\\s\\S])' : '(?![\\s\\S])';
    else if (e === 'a') out += hex(7);
    else if (e === 'x' && cps[i + 1] === '{') {
      const close = cps.indexOf('}', i);
      out += `\\u{${cps.slice(i + 2, close).join('')}}`;
      i = close;
    } else if (/[0-7]/.test(e)) {
      // Octal (Go refused a lone `\1`, a back-reference, before: goRegexpError).
      let digits = e;
      while (digits.length < 3 && /[0-7]/.test(cps[i + 1] ?? '')) digits += cps[++i] ?? '';
      out += hex(parseInt(digits, 8));
    } else if ((e.codePointAt(0) ?? 0) < 0x80 && !/[0-9A-Za-z]/.test(e)) out += hex(e.codePointAt(0) ?? 0);
    else out += '\\' + e;
  }
  return out;
}

/** Go's Regexp.Expand of a replacement template for one match. */
export function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let len = 0;
    const braced = /^\{(\w+)\}/.exec(rest);
    if (braced !== null) {
      name = braced[1];
      len = braced[0].length;
    } else {
      const plain = /^\w+/.exec(rest);
      if (plain !== null) {
        name = plain[0];
        len = plain[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    i += len;
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out;
}

/** All matches of re in s (at most n when n >= 0), as Go's FindAll does, never looping on empty matches. */
export function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  let prevEnd = -1;
  while (n < 0 || out.length < n) {
    const m = re.exec(s);
    if (m === null) break;
    if (m[0] === '') {
      re.lastIndex = m.index + 1;
      // Go skips an empty match right after the previous match.
      if (m.index === prevEnd) {
        if (m.index >= s.length) break;
        continue;
      }
    }
    out.push(m);
    prevEnd = m.index + m[0].length;
    if (m.index >= s.length) break;
  }
  re.lastIndex = 0;
  return out;
}

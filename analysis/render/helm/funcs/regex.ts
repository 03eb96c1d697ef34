/**
 * Go regular expressions (RE2 syntax, as Sprig's regex functions use them) run on JS RegExp:
 * leading flag groups `(?i)`, `(?s)`, `(?m)` become flags, `(?P<name>` becomes `(?<name>`, `\A`/`\z`
 * anchors and POSIX classes `[[:alpha:]]` are translated. Replacement templates follow Go's
 * Regexp.Expand (`$1`, `${1}`, `$name`, `$$`).
 */

import { FuncError } from '../template/callable.js';
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
    for (const f of lead[1] ?? '') if ((f === 'i' || f === 'm' || f === 's') && !flags.includes(f)) flags += f;
    body = body.slice(lead[0].length);
  }
  body = body
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:(\^?)(\w+):\]/g, (m, neg: string, name: string) => {
      const cls = POSIX[name];
      if (cls === undefined) return m;
      return neg === '' ? cls : m;
    });
  let re: RegExp;
  try {
    re = new RegExp(body, flags);
  } catch (e) {
    throw new FuncError(`error parsing regexp: ${e instanceof Error ? e.message : String(e)}: \`${src}\``);
  }
  if (cache.size > 500) cache.clear();
  cache.set(src, re);
  return re;
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

/**
 * The lexer of Go's text/template (delimiters `{{ }}`), following the package documentation:
 * trim markers `{{- ` and ` -}}`, comments `{{/* … *\/}}` right after the delimiter (trim markers
 * allowed), actions spanning lines, strings, raw strings, characters, numbers, fields, variables.
 * Produces a flat token list; an error is returned as a final `error` token.
 */

export type ItemType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'comment'
  | 'space'
  | 'assign'
  | 'declare'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'comma'
  | 'keyword'
  | 'eof'
  | 'error';

export interface Item {
  readonly typ: ItemType;
  readonly val: string;
  /** Offset of the token in the source (for text: after trimming). */
  readonly pos: number;
  readonly end: number;
}

export const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
/** Go's `isAlphaNumeric`: `_`, a letter or a digit (ASCII without the Unicode property tables). */
const isAlnum = (c: string | undefined): boolean => {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  if (x < 128) return x === 95 || (x >= 48 && x <= 57) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122);
  return /[\p{L}\p{Nd}]/u.test(c);
};

/** Tokenises one template text. */
export function lex(text: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNextText = false;
  const n = text.length;
  const err = (msg: string, at: number): Item[] => {
    items.push({ typ: 'error', val: msg, pos: at, end: at });
    return items;
  };
  for (;;) {
    // Text up to the next left delimiter.
    const ld = text.indexOf('{{', pos);
    let textEnd = ld < 0 ? n : ld;
    let textStart = pos;
    const leftTrim = ld >= 0 && text[ld + 2] === '-' && isSpace(text[ld + 3]);
    if (trimNextText) {
      while (textStart < textEnd && isSpace(text[textStart])) textStart++;
      trimNextText = false;
    }
    if (leftTrim) while (textEnd > textStart && isSpace(text[textEnd - 1])) textEnd--;
    if (textEnd > textStart) items.push({ typ: 'text', val: text.slice(textStart, textEnd), pos: textStart, end: textEnd });
    if (ld < 0) {
      items.push({ typ: 'eof', val: '', pos: n, end: n });
      return items;
    }
    let p = ld + 2 + (leftTrim ? 2 : 0);
    // Comment right after the delimiter.
    if (text.startsWith('/*', p)) {
      const close = text.indexOf('*/', p + 2);
      if (close < 0) return err('unclosed comment', ld);
      let q = close + 2;
      let rightTrim = false;
      if (isSpace(text[q]) && text[q + 1] === '-' && text.startsWith('}}', q + 2)) {
        rightTrim = true;
        q += 2;
      }
      if (!text.startsWith('}}', q)) return err('comment ends before closing delimiter', ld);
      items.push({ typ: 'comment', val: text.slice(p, close + 2), pos: ld, end: q + 2 });
      pos = q + 2;
      trimNextText = rightTrim;
      continue;
    }
    items.push({ typ: 'leftDelim', val: '{{', pos: ld, end: p });
    let parenDepth = 0;
    // Inside the action.
    for (;;) {
      // Right delimiter, with or without a trim marker.
      if (isSpace(text[p]) && text[p + 1] === '-' && text.startsWith('}}', p + 2)) {
        if (parenDepth > 0) return err('unclosed left paren', p);
        items.push({ typ: 'rightDelim', val: '}}', pos: p, end: p + 4 });
        pos = p + 4;
        trimNextText = true;
        break;
      }
      if (text.startsWith('}}', p)) {
        if (parenDepth > 0) return err('unclosed left paren', p);
        items.push({ typ: 'rightDelim', val: '}}', pos: p, end: p + 2 });
        pos = p + 2;
        break;
      }
      const c = text[p];
      if (c === undefined) return err('unclosed action', ld);
      const start = p;
      if (isSpace(c)) {
        while (isSpace(text[p]) && !(text[p + 1] === '-' && text.startsWith('}}', p + 2))) p++;
        if (p === start) p++;
        items.push({ typ: 'space', val: text.slice(start, p), pos: start, end: p });
        continue;
      }
      if (c === '=') {
        items.push({ typ: 'assign', val: '=', pos: p, end: ++p });
        continue;
      }
      if (c === ':') {
        if (text[p + 1] !== '=') return err('expected :=', p);
        items.push({ typ: 'declare', val: ':=', pos: p, end: (p += 2) });
        continue;
      }
      if (c === '|') {
        items.push({ typ: 'pipe', val: '|', pos: p, end: ++p });
        continue;
      }
      if (c === ',') {
        items.push({ typ: 'comma', val: ',', pos: p, end: ++p });
        continue;
      }
      if (c === '(') {
        parenDepth++;
        items.push({ typ: 'leftParen', val: '(', pos: p, end: ++p });
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) return err('unexpected right paren', p);
        items.push({ typ: 'rightParen', val: ')', pos: p, end: ++p });
        continue;
      }
      if (c === '"') {
        p++;
        for (;;) {
          const d = text[p];
          if (d === '\\') {
            p += 2;
            continue;
          }
          if (d === undefined || d === '\n') return err('unterminated quoted string', start);
          p++;
          if (d === '"') break;
        }
        items.push({ typ: 'string', val: text.slice(start, p), pos: start, end: p });
        continue;
      }
      if (c === '`') {
        const close = text.indexOf('`', p + 1);
        if (close < 0) return err('unterminated raw quoted string', start);
        p = close + 1;
        items.push({ typ: 'rawString', val: text.slice(start, p), pos: start, end: p });
        continue;
      }
      if (c === "'") {
        p++;
        for (;;) {
          const d = text[p];
          if (d === '\\') {
            p += 2;
            continue;
          }
          if (d === undefined || d === '\n') return err('unterminated character constant', start);
          p++;
          if (d === "'") break;
        }
        items.push({ typ: 'char', val: text.slice(start, p), pos: start, end: p });
        continue;
      }
      if (c === '$') {
        p++;
        while (isAlnum(text[p])) p++;
        items.push({ typ: 'variable', val: text.slice(start, p), pos: start, end: p });
        continue;
      }
      if (c === '.') {
        const d = text[p + 1];
        if (d !== undefined && d >= '0' && d <= '9') {
          p = scanNumber(text, p);
          if (p < 0) return err(`bad number syntax: ${JSON.stringify(text.slice(start, -p))}`, start);
          items.push({ typ: 'number', val: text.slice(start, p), pos: start, end: p });
          continue;
        }
        p++;
        if (!isAlnum(text[p])) {
          items.push({ typ: 'dot', val: '.', pos: start, end: p });
          continue;
        }
        while (isAlnum(text[p])) p++;
        if (!atTerminator(text, p)) return err(`bad character ${quoteRune(text[p] ?? '')}`, p);
        items.push({ typ: 'field', val: text.slice(start, p), pos: start, end: p });
        continue;
      }
      if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
        const e = scanNumber(text, p);
        if (e < 0) return err(`bad number syntax: ${JSON.stringify(text.slice(start, -e))}`, start);
        p = e;
        items.push({ typ: 'number', val: text.slice(start, p), pos: start, end: p });
        continue;
      }
      if (isAlnum(c)) {
        while (isAlnum(text[p])) p++;
        const word = text.slice(start, p);
        if (!atTerminator(text, p)) return err(`bad character ${quoteRune(text[p] ?? '')}`, p);
        const typ: ItemType = KEYWORDS.has(word)
          ? 'keyword'
          : word === 'true' || word === 'false'
            ? 'bool'
            : word === 'nil'
              ? 'nil'
              : 'identifier';
        items.push({ typ, val: word, pos: start, end: p });
        continue;
      }
      return err(`unrecognized character in action: ${quoteRune(c)}`, p);
    }
  }
}

function quoteRune(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

function atTerminator(text: string, p: number): boolean {
  const c = text[p];
  if (c === undefined || isSpace(c)) return true;
  if ('.,|:()='.includes(c)) return true;
  return text.startsWith('}}', p);
}

/** Scans a number from p; returns its end, or -(end) when the syntax is bad. */
function scanNumber(text: string, p: number): number {
  if (text[p] === '+' || text[p] === '-') p++;
  let digits = '0123456789_';
  let exp = 'eE';
  if (text[p] === '0') {
    const x = text[p + 1];
    if (x === 'x' || x === 'X') {
      p += 2;
      digits = '0123456789abcdefABCDEF_';
      exp = 'pP';
    } else if (x === 'o' || x === 'O') {
      p += 2;
      digits = '01234567_';
      exp = '';
    } else if (x === 'b' || x === 'B') {
      p += 2;
      digits = '01_';
      exp = '';
    }
  }
  const run = (set: string): void => {
    while (text[p] !== undefined && set.includes(text[p] ?? '')) p++;
  };
  run(digits);
  if (text[p] === '.') {
    p++;
    run(digits);
  }
  if (exp !== '' && exp.includes(text[p] ?? '\0')) {
    p++;
    if (text[p] === '+' || text[p] === '-') p++;
    run('0123456789_');
  }
  if (text[p] === 'i') p++;
  if (isAlnum(text[p])) return -(p + 1);
  return p;
}

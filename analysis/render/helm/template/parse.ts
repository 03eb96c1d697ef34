/**
 * The parser of Go's text/template (after text/template/parse): actions, pipelines with declarations
 * and assignments, parenthesised pipelines, field chains, if/else if/else, range/else with
 * break/continue, with/else with/else, define, template, block. Variables are checked in scope and
 * functions must exist, as Go checks them at parse time. Nesting is bounded (a `limit` error).
 */

import type { Arg, Command, Node, NumberConst, Pipe, Tree } from './ast.js';
import { lex } from './lex.js';
import type { Item } from './lex.js';

export interface ParseFailure {
  readonly message: string;
  readonly pos: number;
  readonly end: number;
  readonly kind: 'parse' | 'limit' | 'unsupported';
  readonly func?: string;
}

export interface ParseResult {
  /** The file's own template (named like the source) and every define/block in it. */
  readonly trees: Tree[];
  readonly error?: ParseFailure;
}

class ParseError extends Error {
  constructor(readonly failure: ParseFailure) {
    super(failure.message);
  }
}

export const MAX_PARSE_DEPTH = 200;

export function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function itemString(it: Item): string {
  switch (it.typ) {
    case 'eof':
      return 'EOF';
    case 'error':
      return it.val;
    case 'keyword':
      return `<${it.val}>`;
    case 'space':
      return 'space';
    default:
      return it.val.length > 10 ? `${JSON.stringify(it.val.slice(0, 10))}...` : JSON.stringify(it.val);
  }
}

/** Go's strconv.Unquote for "…" strings and '…' characters (the lexer checked termination). */
function unquote(s: string): string | undefined {
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const hex = (len: number): string | undefined => {
      const h = body.slice(i + 1, i + 1 + len);
      if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
      i += len;
      return h;
    };
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
      case '"':
      case "'":
        if ((e === '"' && s[0] !== '"') || (e === "'" && s[0] !== "'")) return undefined;
        out += e;
        break;
      case 'x': {
        const h = hex(2);
        if (h === undefined) return undefined;
        out += String.fromCharCode(parseInt(h, 16));
        break;
      }
      case 'u':
      case 'U': {
        const h = hex(e === 'u' ? 4 : 8);
        if (h === undefined) return undefined;
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
        out += String.fromCodePoint(cp);
        break;
      }
      default:
        if (e !== undefined && e >= '0' && e <= '7') {
          const o = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) return undefined;
          out += String.fromCharCode(parseInt(o, 8));
          i += 2;
          break;
        }
        return undefined;
    }
  }
  return out;
}

function parseIntText(t: string): bigint | undefined {
  let s = t;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  let body = s;
  let prefix = '';
  if (/^0[xXoObB]/.test(s)) {
    prefix = s.slice(0, 2).toLowerCase();
    body = s.slice(2);
  } else if (/^0\d/.test(s) || /^0_/.test(s)) {
    prefix = '0o';
    body = s.slice(1);
  }
  if (body.includes('_')) {
    // Go literals: an underscore separates digits or follows a base prefix.
    if (/__|_$/.test(body) || (body.startsWith('_') && (prefix === '' || (prefix === '0o' && !s.startsWith('0_'))))) return undefined;
    body = body.replace(/^_/, '').replace(/_/g, '');
  }
  const re = prefix === '0x' ? /^[0-9a-fA-F]+$/ : prefix === '0o' ? /^[0-7]+$/ : prefix === '0b' ? /^[01]+$/ : /^\d+$/;
  if (!re.test(body)) return undefined;
  const v = BigInt((prefix === '' ? '' : prefix) + body);
  const r = neg ? -v : v;
  if (r > 0xffffffffffffffffn || r < -(2n ** 63n)) return undefined;
  return r;
}

/** Go's parse.newNumber. Returns a message when the text is not a usable number. */
function newNumber(item: Item): NumberConst | string {
  const text = item.val;
  if (item.typ === 'char') {
    const s = unquote(text);
    const cps = s === undefined ? [] : [...s];
    if (cps.length !== 1) return `malformed character constant: ${text}`;
    const cp = BigInt(cps[0]?.codePointAt(0) ?? 0);
    return { text, int: cp, float: Number(cp), ideal: 'int' };
  }
  if (text.endsWith('i')) return 'complex';
  const asInt = parseIntText(text);
  if (asInt !== undefined) {
    if (asInt > 2n ** 63n - 1n) return `${text} overflows int`;
    return { text, int: asInt, float: Number(asInt), ideal: 'int' };
  }
  const isHex = /^[+-]?0[xX]/.test(text);
  let f: number;
  if (isHex) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?\d+)$/.exec(text);
    if (m === null) return `illegal number syntax: ${JSON.stringify(text)}`;
    const mant = (m[2] ?? '').replace(/_/g, '') + (m[3] ?? '').replace(/_/g, '');
    f = parseInt(mant || '0', 16) * 2 ** (Number(m[4]) - 4 * (m[3] ?? '').replace(/_/g, '').length);
    if (m[1] === '-') f = -f;
  } else {
    const clean = text.replace(/_/g, '');
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(clean)) return `illegal number syntax: ${JSON.stringify(text)}`;
    f = Number(clean);
  }
  if (!/[.eEpP]/.test(text)) return `integer overflow: ${JSON.stringify(text)}`;
  if (!Number.isFinite(f)) return `illegal number syntax: ${JSON.stringify(text)}`;
  const int = Number.isInteger(f) && Math.abs(f) < 2 ** 63 ? BigInt(f) : undefined;
  return int === undefined ? { text, float: f, ideal: 'float' } : { text, int, float: f, ideal: 'float' };
}

/** Parses one source text; `hasFunc` tells which identifiers are functions. */
export function parseTemplate(name: string, text: string, hasFunc: (name: string) => boolean): ParseResult {
  const items = lex(text).filter((it) => it.typ !== 'comment');
  let i = 0;
  let vars: string[] = ['$'];
  let rangeDepth = 0;
  let depth = 0;
  const trees: Tree[] = [];

  const fail = (msg: string, at: Item | undefined, kind: ParseFailure['kind'] = 'parse', func?: string): never => {
    const pos = at?.pos ?? 0;
    throw new ParseError({
      message: `template: ${name}:${lineOf(text, pos)}: ${msg}`,
      pos,
      end: Math.max(at?.end ?? pos, pos),
      kind,
      ...(func === undefined ? {} : { func }),
    });
  };
  const eof: Item = { typ: 'eof', val: '', pos: text.length, end: text.length };
  const next = (): Item => {
    const it = items[i++] ?? eof;
    if (it.typ === 'error') fail(it.val, it);
    return it;
  };
  const peek = (): Item => items[i] ?? eof;
  const nextNonSpace = (): Item => {
    let it = next();
    while (it.typ === 'space') it = next();
    return it;
  };
  const peekNonSpace = (): Item => {
    const save = i;
    const it = nextNonSpace();
    i = save;
    while (items[i]?.typ === 'space') i++;
    return it;
  };
  const expect = (typ: Item['typ'], context: string): Item => {
    const it = nextNonSpace();
    if (it.typ !== typ) fail(`unexpected ${itemString(it)} in ${context}`, it);
    return it;
  };
  const deeper = (at: Item): void => {
    if (++depth > MAX_PARSE_DEPTH) fail(`exceeded maximum nesting depth (${MAX_PARSE_DEPTH})`, at, 'limit');
  };

  const term = (): Arg | undefined => {
    const t = nextNonSpace();
    switch (t.typ) {
      case 'identifier':
        if (!hasFunc(t.val)) fail(`function ${JSON.stringify(t.val)} not defined`, t, 'unsupported', t.val);
        return { type: 'identifier', name: t.val, pos: t.pos, end: t.end };
      case 'dot':
        return { type: 'dot', pos: t.pos, end: t.end };
      case 'nil':
        return { type: 'nil', pos: t.pos, end: t.end };
      case 'variable':
        if (!vars.includes(t.val)) fail(`undefined variable ${JSON.stringify(t.val)}`, t);
        return { type: 'variable', idents: [t.val], pos: t.pos, end: t.end };
      case 'field':
        return { type: 'field', idents: [t.val.slice(1)], pos: t.pos, end: t.end };
      case 'bool':
        return { type: 'bool', val: t.val === 'true', pos: t.pos, end: t.end };
      case 'char':
      case 'number': {
        const num = newNumber(t);
        if (num === 'complex') return fail(`complex number constant ${t.val} is not supported`, t, 'unsupported', 'complex');
        if (typeof num === 'string') return fail(num, t);
        return { type: 'number', num, pos: t.pos, end: t.end };
      }
      case 'leftParen': {
        deeper(t);
        const pipe = pipeline('parenthesized pipeline', 'rightParen');
        depth--;
        const close = items[i - 1] ?? t;
        return { type: 'pipe', pipe, pos: t.pos, end: close.end };
      }
      case 'string':
      case 'rawString': {
        const val = t.typ === 'rawString' ? t.val.slice(1, -1).replace(/\r/g, '') : unquote(t.val);
        if (val === undefined) return fail(`invalid syntax: ${t.val}`, t);
        return { type: 'string', val, pos: t.pos, end: t.end };
      }
      default:
        i--;
        return undefined;
    }
  };

  const operand = (): Arg | undefined => {
    const node = term();
    if (node === undefined) return undefined;
    if (peek().typ !== 'field') return node;
    const fields: string[] = [];
    let end = node.end;
    while (peek().typ === 'field') {
      const f = next();
      fields.push(f.val.slice(1));
      end = f.end;
    }
    switch (node.type) {
      case 'field':
        return { type: 'field', idents: [...node.idents, ...fields], pos: node.pos, end };
      case 'variable':
        return { type: 'variable', idents: [...node.idents, ...fields], pos: node.pos, end };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return fail(`unexpected . after term ${JSON.stringify(text.slice(node.pos, node.end))}`, items[i - 1]);
      default:
        return { type: 'chain', node, fields, pos: node.pos, end };
    }
  };

  const command = (): Command => {
    const args: Arg[] = [];
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op !== undefined) args.push(op);
      const t = next();
      if (t.typ === 'space') continue;
      if (t.typ === 'rightDelim' || t.typ === 'rightParen') i--;
      else if (t.typ !== 'pipe') fail(`unexpected ${itemString(t)} in operand`, t);
      break;
    }
    const first = args[0];
    const last = args[args.length - 1];
    if (first === undefined || last === undefined) return fail('empty command', items[i]);
    return { args, pos: first.pos, end: last.end };
  };

  const pipeline = (context: string, end: 'rightDelim' | 'rightParen'): Pipe => {
    const decl: string[] = [];
    let isAssign = false;
    const startTok = peekNonSpace();
    // Declarations: $x := / $x = / $i, $e :=
    for (;;) {
      const v = peekNonSpace();
      if (v.typ !== 'variable') break;
      const save = i;
      next();
      const nx = peekNonSpace();
      if (nx.typ === 'assign' || nx.typ === 'declare') {
        isAssign = nx.typ === 'assign';
        nextNonSpace();
        decl.push(v.val);
        vars.push(v.val);
        break;
      }
      if (nx.typ === 'comma') {
        nextNonSpace();
        decl.push(v.val);
        vars.push(v.val);
        if (context === 'range' && decl.length < 2) {
          const p = peekNonSpace();
          if (p.typ === 'variable' || p.typ === 'rightDelim' || p.typ === 'rightParen') continue;
          fail('range can only initialize variables', p);
        }
        fail(`too many declarations in ${context}`, nx);
      }
      i = save;
      break;
    }
    const cmds: Command[] = [];
    for (;;) {
      const t = nextNonSpace();
      if (t.typ === end) {
        if (cmds.length === 0) fail(`missing value for ${context}`, t);
        cmds.forEach((c, k) => {
          const a = c.args[0];
          if (
            k > 0 &&
            a !== undefined &&
            (a.type === 'bool' || a.type === 'dot' || a.type === 'nil' || a.type === 'number' || a.type === 'string')
          ) {
            fail(`non executable command in pipeline stage ${k + 1}`, t);
          }
        });
        const first = cmds[0];
        const last = cmds[cmds.length - 1];
        return { decl, isAssign, cmds, pos: Math.min(startTok.pos, first?.pos ?? startTok.pos), end: last?.end ?? t.pos };
      }
      switch (t.typ) {
        case 'bool':
        case 'char':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          i--;
          cmds.push(command());
          break;
        default:
          fail(`unexpected ${itemString(t)} in ${context}`, t);
      }
    }
  };

  type Stop = { kind: 'end' | 'else'; item: Item; elseKeyword?: 'if' | 'with' };

  /** Items until {{end}} or {{else}}. */
  const itemList = (): [Node[], Stop] => {
    const list: Node[] = [];
    for (;;) {
      if (peekNonSpace().typ === 'eof') fail('unexpected EOF', peek());
      const r = textOrAction();
      if ('kind' in r) return [list, r];
      list.push(r);
    }
  };

  const control = (context: 'if' | 'with' | 'range', open: Item): Node => {
    deeper(open);
    const mark = vars.length;
    const pipe = pipeline(context, 'rightDelim');
    if (context === 'range') rangeDepth++;
    const [list, firstStop] = itemList();
    let stop = firstStop;
    if (context === 'range') rangeDepth--;
    let elseList: Node[] | undefined;
    if (stop.kind === 'else') {
      if (stop.elseKeyword !== undefined && stop.elseKeyword === context) {
        // {{else if …}} / {{else with …}}: a nested control that consumes the {{end}}.
        const kw = next();
        elseList = [control(context, kw)];
      } else {
        if (stop.elseKeyword !== undefined) fail(`unexpected <${stop.elseKeyword}> in else`, stop.item);
        [elseList, stop] = itemList();
        if (stop.kind !== 'end') fail(`expected end; found {{else}}`, stop.item);
      }
    }
    vars = vars.slice(0, mark);
    depth--;
    const close = items[i - 1] ?? open;
    return { type: context, pipe, list, elseList, pos: open.pos, end: close.end };
  };

  const templateName = (context: string): string => {
    const t = nextNonSpace();
    if (t.typ !== 'string' && t.typ !== 'rawString') return fail(`unexpected ${itemString(t)} in ${context}`, t);
    const s = t.typ === 'rawString' ? t.val.slice(1, -1) : unquote(t.val);
    if (s === undefined) return fail(`invalid syntax: ${t.val}`, t);
    return s;
  };

  /** After `{{`: one node, or a stop marker for end/else. */
  const action = (open: Item): Node | Stop => {
    const kw = peekNonSpace();
    if (kw.typ === 'keyword') {
      next();
      switch (kw.val) {
        case 'if':
        case 'with':
        case 'range':
          return control(kw.val, { ...kw, pos: open.pos });
        case 'end':
          expect('rightDelim', 'end');
          return { kind: 'end', item: kw };
        case 'else': {
          const p = peekNonSpace();
          if (p.typ === 'keyword' && (p.val === 'if' || p.val === 'with')) return { kind: 'else', item: kw, elseKeyword: p.val };
          expect('rightDelim', 'else');
          return { kind: 'else', item: kw };
        }
        case 'break':
        case 'continue': {
          if (rangeDepth === 0) fail(`{{${kw.val}}} outside {{range}}`, kw);
          const close = expect('rightDelim', kw.val);
          return { type: kw.val, pos: open.pos, end: close.end };
        }
        case 'template': {
          const tname = templateName('template clause');
          let pipe: Pipe | undefined;
          if (peekNonSpace().typ !== 'rightDelim') pipe = pipeline('template clause', 'rightDelim');
          else next();
          const close = items[i - 1] ?? kw;
          return { type: 'template', name: tname, pipe, pos: open.pos, end: close.end };
        }
        case 'block': {
          const tname = templateName('block clause');
          const pipe = pipeline('block clause', 'rightDelim');
          const close = items[i - 1] ?? kw;
          const saved = vars;
          vars = ['$'];
          deeper(kw);
          const [body, stop] = itemList();
          depth--;
          if (stop.kind !== 'end') fail('unexpected {{else}}', stop.item);
          vars = saved;
          trees.push({ name: tname, source: name, text, root: body });
          return { type: 'template', name: tname, pipe, pos: open.pos, end: close.end };
        }
        case 'define':
          return fail('unexpected <define> in command', kw);
      }
    }
    const pipe = pipeline('command', 'rightDelim');
    const close = items[i - 1] ?? open;
    return { type: 'action', pipe, pos: open.pos, end: close.end };
  };

  const textOrAction = (): Node | Stop => {
    const t = nextNonSpace();
    if (t.typ === 'text') return { type: 'text', text: t.val, pos: t.pos, end: t.end };
    if (t.typ === 'leftDelim') return action(t);
    return fail(`unexpected ${itemString(t)} in input`, t);
  };

  try {
    const root: Node[] = [];
    for (;;) {
      const t = peek();
      if (t.typ === 'eof') break;
      if (t.typ === 'error') next();
      if (t.typ === 'leftDelim') {
        const save = i;
        next();
        const kw = peekNonSpace();
        if (kw.typ === 'keyword' && kw.val === 'define') {
          next();
          const tname = templateName('define clause');
          expect('rightDelim', 'define clause');
          // A define is a tree of its own (Go's parse starts a new Tree): its variables are its own,
          // and the file's variables declared before it are still in scope after its end.
          const outer = vars;
          vars = ['$'];
          deeper(kw);
          const [body, stop] = itemList();
          depth--;
          vars = outer;
          if (stop.kind !== 'end') fail('unexpected {{else}}', stop.item);
          trees.push({ name: tname, source: name, text, root: body });
          continue;
        }
        i = save;
      }
      const r = textOrAction();
      if ('kind' in r) fail(`unexpected {{${r.kind}}}`, r.item);
      else root.push(r);
    }
    trees.unshift({ name, source: name, text, root });
    return { trees };
  } catch (e) {
    if (e instanceof ParseError) return { trees: [], error: e.failure };
    if (e instanceof RangeError)
      return { trees: [], error: { message: `template: ${name}: too deeply nested`, pos: 0, end: 0, kind: 'limit' } };
    throw e;
  }
}

/** Whether a parsed body is empty (only whitespace text), as Go's parse.IsEmptyTree decides. */
export function isEmptyTree(nodes: readonly Node[]): boolean {
  return nodes.every((n) => n.type === 'text' && n.text.trim() === '');
}

/**
 * Expands a VS Code snippet body the way accepting every default does: `${1:text}` → text,
 * `${1|a,b|}` → a, `$1` / `${1}` → the default given to placeholder 1 elsewhere, `$0` → "".
 * Enough of the TextMate snippet grammar for the project's snippets; anything else throws.
 */

interface Parsed {
  readonly defaults: Map<number, string>;
  readonly render: () => string;
}

export function expandSnippet(body: string | readonly string[]): string {
  const text = typeof body === 'string' ? body : body.join('\n');
  const parsed = parse(text);
  return parsed.render();
}

function parse(text: string): Parsed {
  const defaults = new Map<number, string>();
  const parts: Array<string | { mirror: number }> = [];
  let i = 0;

  // Returns [rendered default, next index]; stops at the closing brace when `nested`.
  const readUntilClose = (start: number): [Array<string | { mirror: number }>, number] => {
    const out: Array<string | { mirror: number }> = [];
    let j = start;
    while (j < text.length) {
      const c = text[j];
      if (c === '\\' && j + 1 < text.length) {
        out.push(text[j + 1] ?? '');
        j += 2;
      } else if (c === '}') {
        return [out, j + 1];
      } else if (c === '$') {
        const [node, next] = readDollar(j);
        out.push(...node);
        j = next;
      } else {
        out.push(c ?? '');
        j++;
      }
    }
    throw new Error(`unclosed placeholder at ${start}`);
  };

  const flatten = (nodes: Array<string | { mirror: number }>): string =>
    nodes.map((n) => (typeof n === 'string' ? n : (defaults.get(n.mirror) ?? ''))).join('');

  const readDollar = (j: number): [Array<string | { mirror: number }>, number] => {
    const rest = text.slice(j);
    let m = /^\$(\d+)/.exec(rest);
    if (m) return [[{ mirror: Number(m[1]) }], j + m[0].length];
    m = /^\$\{(\d+)\}/.exec(rest);
    if (m) return [[{ mirror: Number(m[1]) }], j + m[0].length];
    m = /^\$\{(\d+)\|([^|]*)\|\}/.exec(rest);
    if (m) {
      const first = (m[2] ?? '').split(',')[0] ?? '';
      if (!defaults.has(Number(m[1]))) defaults.set(Number(m[1]), first);
      return [[first], j + m[0].length];
    }
    m = /^\$\{(\d+):/.exec(rest);
    if (m) {
      const [inner, next] = readUntilClose(j + m[0].length);
      const value = flatten(inner);
      if (!defaults.has(Number(m[1]))) defaults.set(Number(m[1]), value);
      return [[value], next];
    }
    throw new Error(`unsupported snippet syntax at ${JSON.stringify(rest.slice(0, 20))}`);
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      parts.push(text[i + 1] ?? '');
      i += 2;
    } else if (c === '$') {
      const [node, next] = readDollar(i);
      parts.push(...node);
      i = next;
    } else {
      parts.push(c ?? '');
      i++;
    }
  }
  return { defaults, render: () => flatten(parts) };
}

/**
 * Suppression comments (docs/dev/design.md §3.2): `# kube-reach-disable-next-line <code>[, <code>]` and
 * `# kube-reach-disable <code>` (to the end of the file). Codes are read, never messages.
 */

import type { Suppressions } from './types.js';

const COMMENT = /#\s*kube-reach-disable(-next-line)?\b([^\n]*)/g;

function codesOf(rest: string): string[] {
  return rest
    .split(/[,\s]+/)
    .map((c) => c.trim())
    .filter((c) => /^[a-z0-9-]+$/.test(c));
}

export function readSuppressions(text: string): Suppressions {
  const lines = new Map<number, string[]>();
  const fromLine: Array<{ line: number; codes: string[] }> = [];
  if (!text.includes('kube-reach-disable')) return { lines, fromLine };
  for (const m of text.matchAll(COMMENT)) {
    let line = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    const codes = codesOf(m[2] ?? '');
    if (m[1] !== undefined) {
      lines.set(line + 1, [...(lines.get(line + 1) ?? []), ...codes]);
    } else {
      fromLine.push({ line, codes });
    }
  }
  return { lines, fromLine };
}

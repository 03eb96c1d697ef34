/**
 * Quoted scalars continued at their key's indentation, as go-yaml v2's emitter wrote long
 * descriptions in older controller-gen CRDs:
 *
 * ```yaml
 *             apiVersion:
 *               description: 'APIVersion defines the versioned schema of this representation
 *               of an object. …'
 * ```
 *
 * The same for a sequence item's quoted scalar continued at the dash's indentation (a shell
 * command split over lines in a container's `command`).
 *
 * go-yaml (which kubectl and kustomize read with: v2 for `kubectl apply`, v3 for kustomize's kyaml)
 * checks no indentation inside a quoted scalar: any continuation line belongs to it, only a
 * document marker (`---`, `...`) at the start of a line ends the document there. The `yaml`
 * package wants continuation lines more indented than the key and reports a missing closing
 * quote. `joinQuoteContinuations` returns the text with the line break before each continuation
 * line that is not more indented than the key (or the dash) replaced by a space (same length: every
 * offset and span stays), or undefined when there is none. An nginx.conf written at column 0
 * inside a quoted ConfigMap value (`nginx.conf: '` then `events {` …) is read as kubectl reads it.
 */

/**
 * Where a quoted flow scalar opens as a mapping value (indentation of the key, the quote) or as a
 * sequence item (`- 'echo … &&`, a command line split over lines: indentation of the dash).
 */
const OPENS = /^( *)(?:(?:- +)*[^\s'"#\-?[{][^'"#]*?:[ \t]+|- +)(['"])/;

/** The offset just after the closing quote in `line` from `from`, or -1 when the scalar goes on. */
function closeAt(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c !== quote) continue;
    if (quote === "'" && line[i + 1] === "'") {
      i++;
      continue;
    }
    return i + 1;
  }
  return -1;
}

export function joinQuoteContinuations(text: string): string | undefined {
  if (!text.includes("'") && !text.includes('"')) return undefined;
  const lines = text.split('\n');
  const out = lines.slice();
  const joinedAt = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = OPENS.exec(line);
    if (m === null) continue;
    const indent = m[1]?.length ?? 0;
    const quote = m[2] ?? "'";
    if (closeAt(line, m[0].length, quote) >= 0) continue;
    // The scalar goes on: its continuation lines up to the closing quote.
    let j = i + 1;
    for (; j < lines.length; j++) {
      const next = lines[j] ?? '';
      const body = next.replace(/\r$/, '');
      if (body.trim() === '') continue;
      const lead = body.length - body.trimStart().length;
      // A document marker ends the document (an error for go-yaml too: the quote is not closed).
      if (/^(?:---|\.\.\.)(?:\s|$)/.test(body)) break;
      if (lead <= indent) {
        // Joined to the line before it: its break becomes a space (a `\r` before it too).
        const prev = out[j - 1] ?? '';
        if (prev.endsWith('\r')) out[j - 1] = `${prev.slice(0, -1)} `;
        joinedAt.add(j);
      }
      if (closeAt(body, 0, quote) >= 0) break;
    }
    i = j;
  }
  if (joinedAt.size === 0) return undefined;
  let result = out[0] ?? '';
  for (let k = 1; k < out.length; k++) result += `${joinedAt.has(k) ? ' ' : '\n'}${out[k] ?? ''}`;
  return result.length === text.length ? result : undefined;
}

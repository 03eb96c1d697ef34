/**
 * Flow collections continued at (or left of) their key's indentation:
 *
 *     - apiGroups: [""]
 *       resources: ["secrets", "configmaps",
 *       "cronjobs", "deployments"]
 *
 * The `yaml` package reports "Flow sequence in block collection must be sufficiently indented"; the
 * libyaml family (go-yaml, which kubectl and Helm read values with, and PyYAML) checks no
 * indentation inside a flow collection and reads the list. `joinFlowContinuations` gives the text
 * with each line break before such a line made a space, so the same parser reads it as go-yaml
 * does, with every offset unchanged. Only breaks between tokens are joined (after `[`, `{` or `,`,
 * or before `]`, `}` or `,`): a break inside a multi-line plain scalar folds differently. A comment
 * inside the collection leaves the text as it is.
 */

/** The text with the breaks before under-indented lines of flow collections made spaces, or undefined when there is none. */
export function joinFlowContinuations(text: string): string | undefined {
  if (!text.includes('[') && !text.includes('{')) return undefined;
  const out = text.split('');
  let depth = 0;
  /** Indentation of the line the outermost open flow collection started on. */
  let openIndent = 0;
  let lineStart = 0;
  let quote: string | undefined;
  let last = '';
  let joined = false;
  const indentAt = (start: number): number => {
    let i = start;
    while (text[i] === ' ') i++;
    return i - start;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote !== undefined) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
      if (c === '\n') lineStart = i + 1;
      continue;
    }
    if (c === '\n') {
      if (depth > 0) {
        const next = i + 1;
        const lead = indentAt(next);
        const first = text[next + lead] ?? '';
        if (first !== '\n' && first !== '\r' && lead <= openIndent) {
          if (!/[[{,]/.test(last) && !/[\]},]/.test(first)) return undefined;
          out[i] = ' ';
          if (text[i - 1] === '\r') out[i - 1] = ' ';
          joined = true;
        }
      }
      lineStart = i + 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (c === '#' && (i === lineStart || /\s/.test(text[i - 1] ?? ''))) {
      // A comment: inside a flow collection a joined break would comment out what follows.
      if (depth > 0) return undefined;
      const eol = text.indexOf('\n', i);
      if (eol === -1) break;
      i = eol - 1;
      continue;
    }
    if ((c === '"' || c === "'") && (last === '' || /[[{,:]/.test(last) || depth === 0)) {
      // A quoted scalar starts here (in block context also after a key or at a line's start).
      if (depth > 0 || last === '' || last === ':' || last === '-' || i === lineStart + indentAt(lineStart)) quote = c;
    } else if (c === '[' || c === '{') {
      if (depth === 0) openIndent = indentAt(lineStart);
      depth++;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === '|' || c === '>') {
      // A block scalar in block context: its lines are text, skip them.
      if (depth === 0 && (last === ':' || last === '-')) {
        const own = indentAt(lineStart);
        let j = text.indexOf('\n', i);
        while (j !== -1) {
          const lead = indentAt(j + 1);
          const ch = text[j + 1 + lead] ?? '';
          if (ch !== '\n' && ch !== '\r' && ch !== '' && lead <= own) break;
          j = text.indexOf('\n', j + 1);
        }
        if (j === -1) break;
        i = j - 1;
        last = '';
        continue;
      }
    }
    last = c;
  }
  return joined ? out.join('') : undefined;
}

/** The parser's message for such a collection (a flow sequence or a flow mapping). */
export function isFlowIndentError(message: string): boolean {
  return /^Flow (?:sequence|map|mapping) in block collection must be sufficiently indented/.test(message);
}

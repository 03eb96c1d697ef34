/**
 * Lines that hold only a `<NAME>` placeholder where a generator writes mapping entries: template
 * repositories that a CLI copies and fills in before anything is applied (kubefirst's
 * gitops-template writes its cert-manager issuer annotations where
 * `<CERT_MANAGER_ISSUER_ANNOTATION_1>` stands):
 *
 * ```yaml
 *   annotations:
 *     nginx.ingress.kubernetes.io/backend-protocol: "GRPC"
 *     <CERT_MANAGER_ISSUER_ANNOTATION_1>
 * ```
 *
 * Not valid YAML as it stands (kubectl refuses it too). `readPlaceholderLines` reads such a file,
 * when it is valid YAML with those lines read as keys (`<` and `>` replaced, same length: every
 * offset and span stays), with the keys left out and their maps marked unknown (the generator adds
 * keys there), or undefined otherwise. A placeholder where a value or a list item goes is not one.
 */

import type { ParsedFile } from './parse.js';
import type { YNode } from './tree.js';
import { isMap, isSeq } from './tree.js';

/** A line of one `<NAME>` placeholder: its indentation, the name, trailing blanks and a `\r`. */
const PLACEHOLDER_LINE = /^([ \t]*)<([A-Za-z][A-Za-z0-9_-]*)>([ \t]*\r?)$/;

export function readPlaceholderLines(input: string, plain: ParsedFile, read: (text: string) => ParsedFile): ParsedFile | undefined {
  const first = plain.errors[0];
  if (first === undefined || !input.includes('<')) return undefined;
  const keys = new Set<number>();
  let at = 0;
  const lines = input.split('\n').map((line) => {
    const m = PLACEHOLDER_LINE.exec(line);
    const start = at;
    at += line.length + 1;
    if (m === null) return line;
    keys.add(start + (m[1]?.length ?? 0));
    return `${m[1] ?? ''}_${m[2] ?? ''}:${m[3] ?? ''}`;
  });
  if (keys.size === 0) return undefined;
  const masked = read(lines.join('\n'));
  if (masked.limit !== undefined || masked.errors.length > 0) return undefined;
  let found = 0;
  for (const d of masked.documents) found += dropKeys(d.root, keys, new Set());
  // Every placeholder a mapping key: otherwise it stands where a value or item goes.
  if (found !== keys.size) return undefined;
  return { ...masked, guessedTemplate: { ...first, placeholders: true } };
}

/** Removes the pairs keyed at `keys` and marks their maps unknown; how many it removed. */
function dropKeys(n: YNode | undefined, keys: ReadonlySet<number>, seen: Set<YNode>): number {
  if (n === undefined || seen.has(n)) return 0;
  seen.add(n);
  let found = 0;
  if (isMap(n)) {
    const kept = n.pairs.filter(
      (p) => !(keys.has(p.keySpan.start) && (p.value === undefined || (p.value.kind === 'scalar' && p.value.value === null))),
    );
    if (kept.length !== n.pairs.length) {
      found += n.pairs.length - kept.length;
      n.pairs.splice(0, n.pairs.length, ...kept);
      n.unknown = true;
    }
    for (const p of n.pairs) found += dropKeys(p.value, keys, seen);
  } else if (isSeq(n)) for (const item of n.items) found += dropKeys(item, keys, seen);
  return found;
}

/**
 * Plain readings the host has just made, offered to the Kustomize layout (units/kustomize.ts),
 * which reads resource files, patches and kustomizations with `parseFile` and would otherwise
 * parse each again on a cold pass (half of the layout's time at 500 roots). Keyed by text: a
 * `parseFile(text)` reading depends on nothing else, and parsed trees are never changed (the
 * builder copies what it loads). At most this many characters of text are kept; the oldest go
 * first.
 */

import type { ParsedFile } from './parse.js';

const offered = new Map<string, ParsedFile>();
let offeredLength = 0;
const OFFERED_LENGTH = 4 * 1024 * 1024;

/**
 * `parsed` is `parseFile(text)` (no options): a later `offeredPlainParse(text)` may return it. Returns `parsed`. `offer`
 * false (the host holds no kustomization file): nothing would read it, so it is not kept (the memo held parsed trees
 * of up to 4 MB of text for nothing: 15–20 % more peak memory on the bench's workspaces without kustomizations).
 */
export function offerPlainParse(text: string, parsed: ParsedFile, offer = true): ParsedFile {
  if (!offer || text.length > OFFERED_LENGTH) return parsed;
  if (offered.has(text)) {
    offered.delete(text);
    offeredLength -= text.length;
  }
  while (offeredLength + text.length > OFFERED_LENGTH) {
    const oldest = offered.keys().next().value;
    if (oldest === undefined) break;
    offered.delete(oldest);
    offeredLength -= oldest.length;
  }
  offered.set(text, parsed);
  offeredLength += text.length;
  return parsed;
}

/** An offered `parseFile(text)` reading, if one is kept. */
export function offeredPlainParse(text: string): ParsedFile | undefined {
  return offered.get(text);
}

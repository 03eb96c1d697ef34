/**
 * File paths ↔ `file://` URIs. Analysis treats URIs as opaque `/`-separated ids and does path
 * arithmetic on them (Kustomize `resources:`), so every URI the server hands to the analysis host
 * is in one canonical form: `file:///abs/path`, percent-encoded as Node's `pathToFileURL` does
 * (`pathToUri`).
 * Clients may encode differently (VS Code encodes `:` in drive letters, some clients leave spaces
 * alone), so incoming URIs are canonicalised, and publications for open documents use the
 * client's own spelling.
 */

import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeSegment } from '../analysis/index.js';

/**
 * The canonical URI of an absolute file path: each segment encoded by the core's `encodeSegment`,
 * the same function the analysis joins Kustomize paths with (docs/dev/design.md §2, "File ids").
 * It spells what `pathToFileURL` spells, but keeps the control characters `pathToFileURL` drops.
 * Windows paths (drive letters, UNC) go through `pathToFileURL`.
 */
export function pathToUri(path: string): string {
  if (sep !== '/') return pathToFileURL(path).href;
  return 'file://' + path.split('/').map(encodeSegment).join('/');
}

/** The file path of a `file:` URI, or undefined for other schemes and malformed URIs. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The canonical form of a URI (non-`file:` URIs are kept as they are). */
export function canonicalUri(uri: string): string {
  const path = uriToPath(uri);
  return path === undefined ? uri : pathToUri(path);
}

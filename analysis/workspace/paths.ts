/**
 * Path arithmetic on `/`-separated file ids (URIs or paths), without the file system.
 *
 * One path logic (docs/dev/design.md §2, "File ids"): the CLI and the server hand the analysis canonical
 * `file:` URIs, percent-encoded exactly as Node's `pathToFileURL` encodes them. A reference a user
 * wrote (a Kustomize `resources:` entry, a patch path) is a file path, so joining it onto a URI
 * encodes its segments the same way, and a name shown in a message is decoded back to what the
 * user wrote. A file called `svc 100%#1.yaml` is then the same file to the CLI, the server and the
 * Kustomize resolver.
 */

/** What `pathToFileURL` percent-encodes in a path besides non-ASCII: C0 controls, space, the characters "#%<>?[\]^`{|}~ and DEL. */
const ENCODED = new Set([...'"#%<>?[\\]^`{|}~', ' ', '\u007f']);

/**
 * Percent-encodes one path segment as `pathToFileURL` does (UTF-8, upper-case hex; a lone surrogate
 * becomes U+FFFD), except that every C0 control is encoded, where `pathToFileURL` drops most of them.
 */
export function encodeSegment(seg: string): string {
  let out = '';
  for (const ch of seg) {
    const c = ch.codePointAt(0) ?? 0;
    if (c > 0x7f) out += c >= 0xd800 && c <= 0xdfff ? '%EF%BF%BD' : encodeURIComponent(ch);
    else if (c < 0x20 || ENCODED.has(ch)) out += `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** True for an id with a URI scheme (`file:///…`), whose segments are percent-encoded. */
function hasScheme(id: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(id);
}

/** A run of percent escapes decoded as UTF-8; escapes that are not valid UTF-8 stay as written. */
function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run;
  }
}

/**
 * A part of file id `from` (a path relative to some folder, a folder name) as the user wrote it:
 * decoded when `from` is a URI, as it is when it is a plain path.
 */
export function displayPart(part: string, from: string): string {
  return hasScheme(from) ? part.replace(/(?:%[0-9A-Fa-f]{2})+/g, decodeRun) : part;
}

export function dirname(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : uri.slice(0, i);
}

/** The folder of `uri` and every folder above it, nearest first, up to the file system's or the URI's root. */
export function foldersUp(uri: string): string[] {
  const out: string[] = [];
  for (let d = dirname(uri); ; d = dirname(d)) {
    out.push(d);
    const up = dirname(d);
    if (up === d || d === '.' || d === '/' || /^[a-z][a-z0-9+.-]*:\/*$/i.test(up)) return out;
  }
}

export function basename(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/**
 * Joins a relative file path the user wrote onto a folder, resolving `.` and `..`; onto a URI its
 * segments are percent-encoded (`encodeSegment`).
 */
export function joinPath(dir: string, rel: string): string {
  const schemeMatch = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(dir);
  const prefix = schemeMatch?.[0] ?? '';
  const rest = dir.slice(prefix.length);
  const encode = hasScheme(dir);
  const parts = rest.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 1) parts.pop();
    } else {
      parts.push(encode ? encodeSegment(seg) : seg);
    }
  }
  const joined = parts.join('/');
  return prefix + (joined === '' ? '/' : joined);
}

/** True when `uri` lies inside folder `dir`. */
export function isUnder(uri: string, dir: string): boolean {
  return uri.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** A relative path (as a user writes it) from folder `from` to `to`. */
export function relativePath(from: string, to: string): string {
  const a = from.split('/');
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const parts = [...a.slice(i).map(() => '..'), ...b.slice(i).map((s) => displayPart(s, to))];
  return parts.length === 0 ? '.' : parts.join('/');
}

/** A short path of `uri` as seen from `from` (for messages). */
export function shortPath(uri: string, from: string): string {
  let base = dirname(from);
  let up = 0;
  while (base !== '.' && base !== '/' && !uri.startsWith(base + '/') && up < 3) {
    base = dirname(base);
    up++;
  }
  const rel = uri.startsWith(base + '/') ? uri.slice(base.length + 1) : uri.slice(uri.lastIndexOf('/') + 1);
  return '../'.repeat(up) + displayPart(rel, uri);
}

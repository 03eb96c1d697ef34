/**
 * Path arithmetic on `/`-separated file ids (URIs or paths), without the file system.
 */

export function dirname(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : uri.slice(0, i);
}

export function basename(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** Joins a relative reference onto a folder, resolving `.` and `..`. */
export function joinPath(dir: string, rel: string): string {
  const schemeMatch = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(dir);
  const prefix = schemeMatch?.[0] ?? '';
  const rest = dir.slice(prefix.length);
  const parts = rest.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 1) parts.pop();
    } else {
      parts.push(seg);
    }
  }
  const joined = parts.join('/');
  return prefix + (joined === '' ? '/' : joined);
}

/** True when `uri` lies inside folder `dir`. */
export function isUnder(uri: string, dir: string): boolean {
  return uri.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/**
 * Reading a Helm chart from disk for the renderer (analysis/render/helm/, which is pure): every
 * file of the chart folder by its chart-relative path, with `.tgz` subcharts in charts/ unpacked
 * into folders (gzip by zlib, tar read here), as Helm's loader does. Shared by the CLI and the
 * language server. Never throws on bad input: an unreadable file or archive is a note.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { localDependencies, writesNothing } from '../analysis/index.js';

const SKIPPED: ReadonlySet<string> = new Set(['.git', 'node_modules']);
/** A chart larger than this (in bytes, all files) is not read further. */
const MAX_TOTAL = 64 * 1024 * 1024;

export interface ChartFiles {
  readonly files: Map<string, string>;
  readonly notes: string[];
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/** The files of a tar archive (ustar and GNU long names), paths as written. */
export function untar(buf: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let off = 0;
  let longName: string | undefined;
  const field = (start: number, len: number): string => {
    const b = buf.subarray(start, start + len);
    const nul = b.indexOf(0);
    return decode(nul === -1 ? b : b.subarray(0, nul));
  };
  while (off + 512 <= buf.length) {
    const name = field(off, 100);
    if (name === '') break;
    const size = parseInt(field(off + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(buf[off + 156] ?? 48);
    const prefix = field(off + 345, 155);
    const dataStart = off + 512;
    const data = buf.subarray(dataStart, dataStart + (Number.isFinite(size) ? size : 0));
    if (type === 'L') longName = decode(data).replace(/\0+$/, '');
    else {
      if (type === '0' || type === '\0' || type === '7') out.set(longName ?? (prefix !== '' ? `${prefix}/${name}` : name), data);
      longName = undefined;
    }
    off = dataStart + Math.ceil((Number.isFinite(size) ? size : 0) / 512) * 512;
  }
  return out;
}

/**
 * Reads the chart in `dir`, with its `file://` dependencies that write nothing (library charts,
 * partials-only charts: `writesNothing`) under `charts/<name>/`, as `helm dependency build` vendors
 * them. A `file://` dependency that writes manifests is a chart of its own in the workspace and is
 * not copied (the templates that use it stay unrendered, as for any dependency not in charts/).
 */
export function readChartFiles(dir: string, known?: KnownText): ChartFiles {
  return withLocalDependencies(dir, readFolder(dir, known), known);
}

/**
 * The text of a file the caller has read already (by absolute path: a manifest the workspace
 * holds), or undefined to read it from disk.
 */
export type KnownText = (path: string) => string | undefined;

/**
 * `readChartFiles` of every folder in `dirs`; a chart folder inside another listed one (a vendored
 * subchart, `charts/<sub>/`) takes its files from that one's read instead of reading them again,
 * the `.tgz` archives in its own charts/ folder unpacked (the parent's read unpacks only its own).
 * Each result equals `readChartFiles(dir, known)`.
 */
export function readChartFolders(dirs: Iterable<string>, known?: KnownText): Map<string, ChartFiles> {
  const listed = [...new Set(dirs)];
  const own = new Map<string, FolderRead>();
  const read = new Map<string, ChartFiles>();
  // Outer folders first (a path sorts before the paths under it).
  for (const dir of [...listed].sort()) {
    let folder: FolderRead | undefined;
    for (let up = dirname(dir); up !== dirname(up) && folder === undefined; up = dirname(up)) {
      const outer = own.get(up);
      if (
        outer !== undefined &&
        !outer.truncated &&
        !relative(up, dir)
          .split(sep)
          .some((part) => SKIPPED.has(part))
      )
        folder = inner(outer, relative(up, dir).split(sep).join('/'), dir);
    }
    folder ??= readFolder(dir, known);
    own.set(dir, folder);
    read.set(dir, withLocalDependencies(dir, { files: new Map(folder.files), notes: [...folder.notes] }, known));
  }
  const out = new Map<string, ChartFiles>();
  for (const dir of listed) {
    const r = read.get(dir);
    if (r !== undefined) out.set(dir, r);
  }
  return out;
}

/** The files of the folder `rel` inside an outer chart folder's read, as reading it would give them. */
function inner(outer: FolderRead, rel: string, dir: string): FolderRead {
  const prefix = `${rel}/`;
  const files = new Map<string, string>();
  const notes: string[] = [];
  for (const [path, text] of outer.files) {
    if (!path.startsWith(prefix)) continue;
    const r = path.slice(prefix.length);
    if (!/^charts\/[^/]+\.tgz$/.test(r)) files.set(r, text);
    else {
      try {
        unpack(readFileSync(join(dir, r)), files, r, notes);
      } catch (e) {
        notes.push(`${r}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  for (const n of outer.notes) {
    if (n.startsWith(prefix)) notes.push(n.slice(prefix.length));
    else if (n === `${rel}: unreadable folder`) notes.push('.: unreadable folder');
  }
  return { files, notes, truncated: false };
}

function withLocalDependencies(dir: string, own: ChartFiles, known: KnownText | undefined): ChartFiles {
  for (const dep of localDependencies(own.files)) {
    const depDir = join(dir, dep.path);
    if (!isFolder(depDir)) continue;
    const lib = readFolder(depDir, known);
    if (!writesNothing(lib.files)) continue;
    for (const [rel, text] of lib.files) if (!rel.startsWith('charts/')) own.files.set(`charts/${dep.name}/${rel}`, text);
  }
  return own;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

interface FolderRead extends ChartFiles {
  /** Files were left out for the size limit. */
  readonly truncated: boolean;
}

/** Unpacks the `.tgz` subchart `bytes` (at chart path `rel`) into `files` as charts/<name>/…; a bad archive is a note. */
function unpack(bytes: Uint8Array, files: Map<string, string>, rel: string, notes: string[]): void {
  try {
    for (const [name, data] of untar(gunzipSync(bytes))) {
      // An archive holds one folder, the chart's name: charts/<name>/…
      const slash = name.indexOf('/');
      if (slash <= 0) continue;
      files.set(`charts/${name}`, decode(data));
    }
  } catch (e) {
    notes.push(`${rel}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The files of the packed subcharts (`charts/*.tgz`) of the chart in `dir` only, unpacked as
 * `charts/<name>/…` (as `readChartFiles` has them), without reading the rest of the chart: what
 * hover and completion read of a packed subchart's values.
 */
export function readPackedSubcharts(dir: string): Map<string, { readonly text: string; readonly archive: string }> {
  const files = new Map<string, { readonly text: string; readonly archive: string }>();
  let entries: string[];
  try {
    entries = readdirSync(join(dir, 'charts')).sort();
  } catch {
    return files;
  }
  for (const e of entries) {
    if (!e.endsWith('.tgz')) continue;
    const one = new Map<string, string>();
    try {
      unpack(readFileSync(join(dir, 'charts', e)), one, `charts/${e}`, []);
    } catch {
      // Unreadable: as readChartFiles, the render's note says so.
    }
    for (const [rel, text] of one) files.set(rel, { text, archive: `charts/${e}` });
  }
  return files;
}

function readFolder(dir: string, known?: KnownText): FolderRead {
  const files = new Map<string, string>();
  const notes: string[] = [];
  let total = 0;
  let truncated = false;
  const walk = (abs: string, rel: string, depth: number): void => {
    if (depth > 30) {
      truncated = true;
      return;
    }
    let entries: string[];
    try {
      entries = readdirSync(abs).sort();
    } catch {
      notes.push(`${rel || '.'}: unreadable folder`);
      return;
    }
    for (const e of entries) {
      if (SKIPPED.has(e)) continue;
      const p = join(abs, e);
      const r = rel === '' ? e : `${rel}/${e}`;
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        walk(p, r, depth + 1);
        continue;
      }
      if (!st.isFile()) continue;
      if (total + st.size > MAX_TOTAL) {
        truncated = true;
        continue;
      }
      total += st.size;
      const tgz = /^charts\/[^/]+\.tgz$/.test(r);
      const text = tgz ? undefined : known?.(p);
      if (text !== undefined) {
        files.set(r, text);
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(p);
      } catch (e) {
        notes.push(`${r}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      if (tgz) unpack(bytes, files, r, notes);
      else files.set(r, decode(bytes));
    }
  };
  walk(dir, '', 0);
  return { files, notes, truncated };
}

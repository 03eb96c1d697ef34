/**
 * Reading a Helm chart from disk for the renderer (analysis/render/helm/, which is pure): every
 * file of the chart folder by its chart-relative path, with `.tgz` subcharts in charts/ unpacked
 * into folders (gzip by zlib, tar read here), as Helm's loader does. Shared by the CLI and the
 * language server. Never throws on bad input: an unreadable file or archive is a note.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
export function readChartFiles(dir: string): ChartFiles {
  const own = readFolder(dir);
  for (const dep of localDependencies(own.files)) {
    const depDir = join(dir, dep.path);
    if (!isFolder(depDir)) continue;
    const lib = readFolder(depDir);
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

function readFolder(dir: string): ChartFiles {
  const files = new Map<string, string>();
  const notes: string[] = [];
  let total = 0;
  const walk = (abs: string, rel: string, depth: number): void => {
    if (depth > 30) return;
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
      if (!st.isFile() || total + st.size > MAX_TOTAL) continue;
      total += st.size;
      try {
        const bytes = readFileSync(p);
        if (/^charts\/[^/]+\.tgz$/.test(r)) {
          for (const [name, data] of untar(gunzipSync(bytes))) {
            // An archive holds one folder, the chart's name: charts/<name>/…
            const slash = name.indexOf('/');
            if (slash <= 0) continue;
            files.set(`charts/${name}`, decode(data));
          }
        } else {
          files.set(r, decode(bytes));
        }
      } catch (e) {
        notes.push(`${r}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  walk(dir, '', 0);
  return { files, notes };
}

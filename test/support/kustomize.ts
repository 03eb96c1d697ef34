/**
 * The Kustomize builder's test helper: `#- path` virtual files (as in fixtures), built from one
 * directory, and the output as plain objects sorted by kind, namespace and name (kustomize's own
 * output order is a sort too; the order of documents carries no meaning for Kube Reach).
 */

import { parseFile } from '../../analysis/syntax/parse.js';
import type { ParsedFile } from '../../analysis/syntax/parse.js';
import { buildKustomization, KUSTOMIZATION_FILES } from '../../analysis/render/kustomize/index.js';
import type { BuildResult } from '../../analysis/render/kustomize/index.js';
import { plain } from '../../analysis/render/kustomize/nodes.js';
import { parseAllDocuments } from 'yaml';

export function virtualFiles(source: string, root = 'file:///k'): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    // Every line of a virtual file ends with a newline, as files on disk do.
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    if (current !== undefined) files.set(`${root}/${current}`, lines.map((l) => `${l}\n`).join(''));
  };
  for (const l of source.split('\n')) {
    const m = /^#- (\S+)\s*$/.exec(l);
    if (m !== null) {
      flush();
      current = m[1];
      lines = [];
    } else lines.push(l);
  }
  flush();
  return files;
}

export function build(
  source: string,
  dir: string,
  /** Changes the virtual files before the build (a file without its final line break). */
  edit?: (files: Map<string, string>) => void,
): { result: BuildResult; files: Map<string, string> } {
  const files = virtualFiles(source);
  edit?.(files);
  const cache = new Map<string, ParsedFile>();
  const result = buildKustomization(`file:///k/${dir}`.replace(/\/$/, ''), {
    text: (uri) => files.get(uri),
    parse: (uri) => {
      const t = files.get(uri);
      if (t === undefined) return undefined;
      let p = cache.get(uri);
      if (p === undefined) cache.set(uri, (p = parseFile(t)));
      return p;
    },
    kustomizationOf: (d) => KUSTOMIZATION_FILES.map((f) => `${d}/${f}`).find((u) => files.has(u)),
    filesUnder: (d) => [...files.keys()].filter((u) => u.startsWith(`${d}/`)).sort(),
  });
  return { result, files };
}

function key(o: unknown): string {
  const r = o as { kind?: string; metadata?: { name?: string; namespace?: string } };
  return `${r.kind ?? ''}|${r.metadata?.namespace ?? ''}|${r.metadata?.name ?? ''}`;
}

/** The build's objects as plain data, sorted. */
export function builtObjects(result: BuildResult): unknown[] {
  return result.objects.map((o) => plain(o.root)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Expected output written as a YAML stream, sorted the same way. */
export function expectedObjects(yamlText: string): unknown[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as unknown)
    .filter((o) => o !== null)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

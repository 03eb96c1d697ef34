/**
 * The GitOps units' test helper (test/analysis/fluxUnits.test.ts, argoUnits.test.ts): a host over
 * `#- path` virtual files, its diagnostics and placements as sorted lines, and a run of edits after
 * each of which the incremental host must equal a fresh one.
 */

import assert from 'node:assert/strict';
import { AnalysisHost } from '../../analysis/index.js';
import type { Diagnostic } from '../../analysis/index.js';

export function hostOf(files: ReadonlyMap<string, string>): AnalysisHost {
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  return host;
}

export function render(all: ReadonlyMap<string, readonly Diagnostic[]>): string[] {
  return [...all].flatMap(([uri, list]) => list.map((d) => `${uri}:${d.span.start}-${d.span.end} ${d.code} ${d.message}`)).sort();
}

/** `Kind/name@namespaces` of the objects of the given kinds, sorted. */
export function placements(host: AnalysisHost, kinds: readonly string[]): string[] {
  return host
    .snapshot()
    .index.objects.filter((p) => kinds.includes(p.obj.kind))
    .map(
      (p) =>
        `${p.obj.kind}/${p.obj.name?.known === true ? p.obj.name.value : '?'}@${p.placements.map((pl) => pl.namespace ?? '').join(',')}`,
    )
    .sort();
}

export type Edit = readonly [string, (text: string | undefined) => string | undefined];

/** Applies the edits one by one (undefined: the file is removed); after each, the host equals a fresh one. */
export function editsEqualFresh(files: Map<string, string>, host: AnalysisHost, edits: readonly Edit[], kinds: readonly string[]): void {
  for (const [uri, edit] of edits) {
    const text = edit(files.get(uri));
    if (text === undefined) {
      files.delete(uri);
      host.removeFile(uri);
    } else {
      files.set(uri, text);
      host.setFile(uri, text);
    }
    const snap = host.snapshot();
    const fresh = hostOf(files).snapshot();
    assert.deepEqual(render(snap.diagnostics()), render(fresh.diagnostics()), `after editing ${uri}`);
    assert.deepEqual(snap.index.kustomizeLayout().roots, fresh.index.kustomizeLayout().roots, `roots after editing ${uri}`);
    assert.deepEqual(placements(host, kinds), placements(hostOf(files), kinds), `placements after editing ${uri}`);
  }
}

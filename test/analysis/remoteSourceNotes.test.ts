/**
 * `remote-source-not-fetched` on Flux sources (checks/remoteSourceNotFetched.ts): a HelmRepository or
 * OCIRepository the workspace holds carries one note for every release it feeds; a release whose
 * source is not here keeps its own. After each edit that adds, removes, renames or moves a source or a
 * release's reference, an incremental pass equals a fresh one, judging again fewer than half the files.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostOf, scopedEditsEqualFresh } from '../support/gitops.js';

const P = 'file:///lab';
const CODE = 'remote-source-not-fetched';

const repository = (name: string, namespace = 'flux-system'): string => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: ${name}, namespace: ${namespace}}
spec: {url: https://charts.example.com/${name}}
`;

const release = (name: string, namespace: string, source: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  chart:
    spec:
      chart: ${name}
      sourceRef: {kind: HelmRepository, name: ${source}, namespace: flux-system}
`;

function lab(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${P}/flux/repositories/charts.yaml`, repository('charts'));
  for (let i = 0; i < 6; i++) files.set(`${P}/apps/r${i}/release.yaml`, release(`r${i}`, `ns${i}`, 'charts'));
  return files;
}

/** The files holding a note of the code, with how many each holds. */
function notes(files: ReadonlyMap<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [uri, list] of hostOf(files).snapshot().diagnostics()) {
    const n = list.filter((d) => d.code === CODE).length;
    if (n > 0) out.set(uri.slice(P.length + 1), n);
  }
  return out;
}

describe('remote-source-not-fetched on Flux sources', () => {
  it('is one note on the source for the releases it feeds; without the source, one per release', () => {
    const files = lab();
    assert.deepEqual([...notes(files)], [['flux/repositories/charts.yaml', 1]]);
    files.delete(`${P}/flux/repositories/charts.yaml`);
    assert.equal(notes(files).size, 6);
  });

  it('moves between the source and the releases as they change, as a fresh pass finds it', () => {
    const repo = `${P}/flux/repositories/charts.yaml`;
    scopedEditsEqualFresh(
      P,
      lab(),
      [
        // The source goes: each release has its note again; then it comes back.
        [repo, () => undefined],
        [repo, () => repository('charts')],
        // A release names another source (not here), then this one again.
        [`${P}/apps/r2/release.yaml`, (t) => t?.replace('name: charts', 'name: other')],
        [`${P}/apps/r2/release.yaml`, (t) => t?.replace('name: other', 'name: charts')],
        // The source moves to another namespace, then back; a release is renamed.
        [repo, (t) => t?.replace('namespace: flux-system', 'namespace: sources')],
        [repo, (t) => t?.replace('namespace: sources', 'namespace: flux-system')],
        [`${P}/apps/r0/release.yaml`, (t) => t?.replace('name: r0,', 'name: first,')],
      ],
      ['HelmRelease', 'HelmRepository'],
    );
  });
});

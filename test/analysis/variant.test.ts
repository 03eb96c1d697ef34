/**
 * The base of the comparison with git HEAD derived from the workspace's own index
 * (`AnalysisHost.variant`, analysis/variant.ts; server/headDiff.ts): only the files that differ
 * from HEAD are read, every other file's facts are shared, and the answer equals the full
 * two-sided computation (a second analysis of every file as HEAD has it). Each case edits the
 * 31-workload app (test/fixtures/panel-app) one way (the work tree) against the app as committed
 * (HEAD); a Chart.yaml that comes or goes cannot be derived (its folder's templates are read another
 * way), and the host says so (the server then analyses HEAD in full, as before); a kustomization
 * that comes or goes can.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/host.js';
import type { Analysis } from '../../analysis/host.js';
import { changeScope, workspaceChanges } from '../../analysis/ide/changes.js';
import { computeReach } from '../../analysis/reachability/connectionList.js';

const APP = join(__dirname, '..', 'fixtures', 'panel-app');
const uri = (name: string): string => `file:///ws/${name}`;

function appFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(APP).sort()) out.set(uri(name), readFileSync(join(APP, name), 'utf8'));
  return out;
}

function hostOf(files: ReadonlyMap<string, string>): AnalysisHost {
  const host = new AnalysisHost();
  for (const [u, text] of files) host.setFile(u, text);
  return host;
}

function edit(files: Map<string, string>, name: string, from: string, to: string): void {
  const text = files.get(uri(name)) ?? '';
  assert.ok(text.includes(from), `${name} holds ${JSON.stringify(from)}`);
  files.set(uri(name), text.replace(from, to));
}

/** What differs in `base` from `current`: a text, or undefined where the base lacks the file. */
function differing(current: ReadonlyMap<string, string>, base: ReadonlyMap<string, string>): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [u, t] of base) if (current.get(u) !== t) out.set(u, t);
  for (const u of current.keys()) if (!base.has(u)) out.set(u, undefined);
  return out;
}

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const CASES: ReadonlyArray<{ readonly name: string; readonly change: (f: Map<string, string>) => void }> = [
  {
    name: "a store's pod label",
    change: (f) => edit(f, 'data.yaml', 'app: orders-db\n        engine:', 'app: orders-dbx\n        engine:'),
  },
  {
    name: 'a policy peer in a file of two namespaces',
    change: (f) => edit(f, 'policies.yaml', '              tier: edge\n      ports:', '              tier: edgy\n      ports:'),
  },
  { name: 'every policy removed in the work tree (HEAD has them)', change: (f) => f.delete(uri('policies.yaml')) },
  {
    name: 'a file added in the work tree (HEAD lacks it): a deny-all policy',
    change: (f) =>
      f.set(
        uri('deny.yaml'),
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-all\n  namespace: monitoring\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n',
      ),
  },
  {
    // A kustomization that comes or goes builds again only the roots it concerns (units/layoutChange.ts): derived too.
    name: 'a kustomization added in the work tree (HEAD lacks it): its files move to another namespace',
    change: (f) => f.set(uri('kustomization.yaml'), 'namespace: moved\nresources:\n  - data.yaml\n'),
  },
  { name: 'a Namespace renamed', change: (f) => edit(f, 'namespaces.yaml', 'name: monitoring', 'name: monitoring-x') },
  {
    name: "the Ingress's backend port",
    change: (f) =>
      edit(
        f,
        'ingress.yaml',
        'name: mobile-bff\n                port:\n                  number: 80',
        'name: mobile-bff\n                port:\n                  number: 81',
      ),
  },
];

describe('the base derived from the workspace index equals the base analysed in full', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const head = appFiles();
      const tree = appFiles();
      c.change(tree);
      const host = hostOf(tree);
      const current = host.snapshot({ deferChecks: true });
      const diff = differing(tree, head);
      const derived = host.variant(current, diff);
      assert.ok(derived !== undefined, 'derived');
      // The full two-sided computation: HEAD analysed on its own, the work tree on its own.
      const full: Analysis = hostOf(head).snapshot({ deferChecks: true });
      const other: Analysis = hostOf(tree).snapshot({ deferChecks: true });
      const want = workspaceChanges(full, other);
      const got = workspaceChanges(derived, current);
      assert.ok(want.entries.length > 0 || c.name.includes('renamed'), `${want.entries.length} changed connections`);
      assert.deepEqual(json(got.entries), json(want.entries));
      assert.deepEqual(got.policies, want.policies);
      // Scoped as the server scopes it, too.
      const scope = changeScope(derived, current, new Set(diff.keys()));
      assert.deepEqual(json(workspaceChanges(derived, current, {}, scope).entries), json(want.entries));
      // Every connection of the base, not only the changed ones.
      assert.deepEqual(json(computeReach(derived.reachEngine()).connections), json(computeReach(full.reachEngine()).connections));
      // Only the differing files were read: every other file's facts are the workspace's own.
      for (const u of tree.keys()) if (!diff.has(u)) assert.equal(derived.index.files.get(u), current.index.files.get(u), `${u} shared`);
      for (const [u, t] of diff) assert.equal(derived.text(u), t);
      // The workspace's snapshot is untouched.
      assert.equal(host.snapshot({ deferChecks: true }), current);
      assert.deepEqual(json(workspaceChanges(other, current).entries), []);
    });
  }

  it("a Chart.yaml that comes in HEAD is not derived (its folder's templates would be read another way); nor is a snapshot that is not the last", () => {
    const tree = appFiles();
    const host = hostOf(tree);
    const current = host.snapshot({ deferChecks: true });
    const chart = new Map<string, string | undefined>([[uri('Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\n']]);
    assert.equal(host.variant(current, chart), undefined);
    host.setFile(uri('notes.yaml'), 'owner: platform-team\n');
    assert.equal(host.variant(current, new Map([[uri('data.yaml'), undefined]])), undefined);
  });
});

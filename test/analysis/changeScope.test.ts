/**
 * What a change opens or closes, compared only where it can matter (issue #16): `changeScope`
 * confines a change of plain manifest files to the namespaces their objects are in (either side),
 * and `workspaceChanges` with that scope gives exactly the answer of the whole comparison. Each
 * case edits the 31-workload app (test/fixtures/panel-app) one way and checks the scope and that
 * the scoped answer (connections and the policy lenses' counts) equals the whole one.
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

function snapshot(files: ReadonlyMap<string, string>): Analysis {
  const host = new AnalysisHost();
  for (const [u, text] of files) host.setFile(u, text);
  return host.snapshot({ deferChecks: true });
}

/** Replaces the first `from` in a file (the case fails if it is not there). */
function edit(files: Map<string, string>, name: string, from: string, to: string): void {
  const text = files.get(uri(name)) ?? '';
  assert.ok(text.includes(from), `${name} holds ${JSON.stringify(from)}`);
  files.set(uri(name), text.replace(from, to));
}

const ANP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: no-metrics-from-monitoring
spec:
  priority: 10
  subject:
    namespaces:
      matchLabels:
        kubernetes.io/metadata.name: outfitters
  ingress:
    - name: deny-monitoring
      action: Deny
      from:
        - namespaces:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
`;

interface Case {
  readonly name: string;
  readonly change: (files: Map<string, string>) => void;
  /** The namespaces the comparison is confined to; undefined: the whole workspace. */
  readonly scope: readonly string[] | undefined;
  /** The change opens or closes something (so the equality below is not between two empty lists). */
  readonly changes: boolean;
}

const CASES: readonly Case[] = [
  {
    name: "a store's pod label (data.yaml: outfitters-data only)",
    change: (f) => edit(f, 'data.yaml', 'app: orders-db\n        engine:', 'app: orders-dbx\n        engine:'),
    scope: ['outfitters-data'],
    changes: true,
  },
  {
    name: "an edge workload's tier label (edge.yaml)",
    change: (f) => edit(f, 'edge.yaml', 'tier: edge', 'tier: edgy'),
    scope: ['outfitters'],
    changes: true,
  },
  {
    name: 'a policy peer edited in a file of two namespaces (policies.yaml)',
    change: (f) => edit(f, 'policies.yaml', '              tier: edge\n      ports:', '              tier: edgy\n      ports:'),
    scope: ['outfitters', 'outfitters-data'],
    changes: true,
  },
  {
    name: 'every policy removed (policies.yaml deleted)',
    change: (f) => f.delete(uri('policies.yaml')),
    scope: ['outfitters', 'outfitters-data'],
    changes: true,
  },
  {
    name: "Prometheus's pod label (monitoring.yaml): its scrapes close",
    change: (f) => edit(f, 'monitoring.yaml', '        app.kubernetes.io/name: prometheus\n', '        app.kubernetes.io/name: prom\n'),
    scope: ['monitoring'],
    changes: true,
  },
  {
    name: "the Ingress's backend port (ingress.yaml): controller lines compared in full",
    change: (f) =>
      edit(
        f,
        'ingress.yaml',
        'name: mobile-bff\n                port:\n                  number: 80',
        'name: mobile-bff\n                port:\n                  number: 81',
      ),
    scope: ['outfitters'],
    changes: true,
  },
  {
    name: 'a Namespace renamed (namespaces.yaml): the namespaces it declares',
    change: (f) => edit(f, 'namespaces.yaml', 'name: monitoring', 'name: monitoring-x'),
    scope: ['monitoring', 'monitoring-x', 'outfitters', 'outfitters-data'],
    changes: false,
  },
  {
    name: 'an AdminNetworkPolicy added: the whole workspace',
    change: (f) => f.set(uri('anp.yaml'), ANP),
    scope: undefined,
    changes: true,
  },
  {
    name: 'a YAML file without objects added: the whole workspace',
    change: (f) => f.set(uri('notes.yaml'), 'owner: platform-team\n'),
    scope: undefined,
    changes: false,
  },
];

function differing(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [u, t] of a) if (b.get(u) !== t) out.add(u);
  for (const u of b.keys()) if (!a.has(u)) out.add(u);
  return out;
}

describe('changes since a base, compared only where the change can matter', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const before = appFiles();
      const after = appFiles();
      c.change(after);
      const uris = differing(before, after);
      // Separate snapshots for each comparison: nothing memoized by one is read by the other.
      const whole = workspaceChanges(snapshot(before), snapshot(after));
      const base = snapshot(before);
      const current = snapshot(after);
      const scope = changeScope(base, current, uris);
      assert.deepEqual(scope === undefined ? undefined : [...scope].sort(), c.scope);
      const scoped = workspaceChanges(base, current, {}, scope);
      assert.equal(whole.entries.length > 0, c.changes, `${whole.entries.length} changed connections`);
      assert.deepEqual(JSON.parse(JSON.stringify(scoped.entries)), JSON.parse(JSON.stringify(whole.entries)));
      assert.deepEqual(scoped.policies, whole.policies);
    });
  }

  it('a scope lists fewer connections than the whole workspace (the point of it)', () => {
    const engine = snapshot(appFiles()).reachEngine();
    const all = computeReach(engine).connections.length;
    const some = computeReach(engine, new Set(['monitoring'])).connections.length;
    assert.ok(some > 0 && some < all, `${some} of ${all}`);
  });
});

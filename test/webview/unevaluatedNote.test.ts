/**
 * Network policies of CNI plugins that Kube Reach does not evaluate (Calico's, Cilium's) are never
 * passed over in silence: `reach`, `explain` and the panel carry one note naming them, so that the
 * connections they deny, shown as allowed, and the workloads they isolate, shown open (`in: any`),
 * are not read as the cluster's. A workspace without them gets no note.
 */

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../cli/main.js';
import { ROOT, modelOfFolder } from './stubHost.js';

const CALICO = 'test/fixtures/panel-calico';

/** The notes a CLI command prints on standard error (`kube-reach: note: …`). */
async function cliNotes(args: readonly string[]): Promise<string[]> {
  let err = '';
  const code = await main(args, { stdout: () => undefined, stderr: (s) => (err += s), cwd: ROOT });
  assert.equal(code, 0, err);
  return err
    .split('\n')
    .filter((l) => l.startsWith('kube-reach: note: '))
    .map((l) => l.slice('kube-reach: note: '.length));
}

const unevaluated = (notes: readonly string[]): string[] => notes.filter((n) => n.includes('not evaluated'));

describe('policies Kube Reach does not evaluate: one note, in the CLI and the panel', () => {
  it('Calico NetworkPolicy and GlobalNetworkPolicy (test/fixtures/panel-calico): named and counted by reach, explain and the panel alike', async () => {
    const want = [
      '1 Calico NetworkPolicy, 1 Calico GlobalNetworkPolicy are not evaluated (only Kubernetes NetworkPolicies and cluster network policies are): a connection they deny shows as allowed, and a workload only they isolate as open',
    ];
    assert.deepEqual(unevaluated(await cliNotes(['reach', CALICO])), want);
    assert.deepEqual(
      unevaluated(await cliNotes(['explain', CALICO, '--from', 'shop/db[Deployment]', '--to', 'shop/web[Deployment]', '--port', '8080'])),
      want,
    );
    const m = await modelOfFolder(join(ROOT, CALICO));
    assert.deepEqual(m.notes, want);
  });

  it('examples/ (Kubernetes NetworkPolicies only): no note', async () => {
    assert.deepEqual(unevaluated(await cliNotes(['reach', 'examples'])), []);
    assert.deepEqual((await modelOfFolder(join(ROOT, 'examples'))).notes, []);
  });
});

/**
 * Network policies of CNI plugins that Kube Reach does not evaluate (Calico's, Cilium's) are never
 * passed over in silence: `reach`, `explain`, `diff` and the panel carry one note naming them, so that the
 * connections they deny, shown as allowed, and the workloads they isolate, shown open (`in: any`),
 * are not read as the cluster's. A workspace without them gets no note.
 */

import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../cli/main.js';
import { runCli } from '../support/cli.js';
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

  it('diff: the same note on stderr for the side that has them, in every format (the json on stdout unchanged, as reach --format json)', async () => {
    const note =
      '1 Calico NetworkPolicy, 1 Calico GlobalNetworkPolicy are not evaluated (only Kubernetes NetworkPolicies and cluster network policies are): a connection they deny shows as allowed, and a workload only they isolate as open';
    const dir = mkdtempSync(join(tmpdir(), 'kr-diff-calico-'));
    try {
      cpSync(join(ROOT, CALICO, 'app.yaml'), join(dir, 'before', 'app.yaml'));
      cpSync(join(ROOT, CALICO), join(dir, 'after'), { recursive: true });
      // The Calico policies added: no connectivity difference Kube Reach sees, and the note says why.
      for (const format of ['text', 'csv', 'md', 'json', 'dot', 'mermaid']) {
        const r = await runCli(['diff', 'before', 'after', '--format', format], dir);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.err, `kube-reach: note (ref2): ${note}\nkube-reach: note: no connectivity difference\n`, format);
        if (format === 'json') assert.deepEqual(JSON.parse(r.out), { ref1: 'ref1', ref2: 'ref2', changes: [] });
      }
      const both = await runCli(['diff', 'after', 'after', '--ref1-name', 'main', '--ref2-name', 'pr'], dir);
      assert.equal(both.err, `kube-reach: note (main and pr): ${note}\nkube-reach: note: no connectivity difference\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('examples/ (Kubernetes NetworkPolicies only): no note', async () => {
    assert.deepEqual(unevaluated(await cliNotes(['reach', 'examples'])), []);
    const diff = await runCli(['diff', 'examples', 'examples'], ROOT);
    assert.equal(diff.err, 'kube-reach: note: no connectivity difference\n');
    assert.deepEqual((await modelOfFolder(join(ROOT, 'examples'))).notes, []);
  });
});

/**
 * `kubeReach/diff` and the policy lens's "since HEAD" over real JSON-RPC, in a throwaway git
 * repository: an unsaved edit is compared with HEAD exactly as `kube-reach diff` compares the same
 * two folders; the edited policy's lens says what its edit added and removed; outside a repository
 * the answer says why there is none.
 */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../cli/main.js';
import { DIFF_METHOD } from '../../protocol/changes.js';
import type { DiffResult } from '../../protocol/changes.js';
import { REACHABILITY_CONTEXT_METHOD, type ReachabilityContext } from '../../protocol/reachability.js';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';
import { commitFolder } from '../support/git.js';

const shop = join(__dirname, '..', 'fixtures', 'diff', 'shop');

async function cliDiff(dir1: string, dir2: string): Promise<unknown> {
  let out = '';
  const code = await main(['diff', dir1, dir2, '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, cwd: dir1 });
  assert.ok(code === 0, `kube-reach diff exited ${code}`);
  return (JSON.parse(out) as { changes: unknown }).changes;
}

interface Lens {
  readonly command?: { readonly title: string };
}

test('kubeReach/diff compares unsaved edits with HEAD as kube-reach diff does, and the edited policies’ lenses count them', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-changes-'));
  const after = mkdtempSync(join(tmpdir(), 'kube-reach-changes-after-'));
  const h = new Harness({
    capabilities: { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } },
    rootPath: repo,
  });
  try {
    commitFolder(repo, join(shop, 'ref1'), 'deploy');
    await h.initialize();
    await h.analysisComplete();

    const clean = (await h.client.sendRequest(DIFF_METHOD, {})) as DiffResult;
    assert.equal(clean.available, true, clean.reason);
    assert.deepEqual(clean.changes, []);
    assert.deepEqual(clean.policies, []);

    // An unsaved edit: the policies of ref2 typed over the committed file (the disk keeps HEAD's).
    const policies = pathToUri(join(repo, 'deploy', 'policies.yaml'));
    const edited = readFileSync(join(shop, 'ref2', 'policies.yaml'), 'utf8');
    const mark = h.received.length;
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: policies, languageId: 'yaml', version: 1, text: edited },
    });
    await h.analysisComplete(mark);
    const first = (await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri: policies } })) as Lens[];
    assert.ok(first.length > 0 && first.every((l) => !/since HEAD/.test(l.command?.title ?? '')), 'not known yet');
    await h.waitFor('workspace/codeLens/refresh', (m) => m.method === 'workspace/codeLens/refresh', mark);
    const r = (await h.client.sendRequest(DIFF_METHOD, {})) as DiffResult;
    assert.equal(r.available, true, r.reason);
    assert.equal(r.base, 'HEAD');
    cpSync(join(shop, 'ref1', 'workloads.yaml'), join(after, 'workloads.yaml'));
    cpSync(join(shop, 'ref2', 'policies.yaml'), join(after, 'policies.yaml'));
    assert.deepEqual(r.changes, await cliDiff(join(shop, 'ref1'), after));
    assert.ok(r.changes.length > 0);

    // The frontend policy now also admits 9090 from frontend → api (changed) and the internet
    // minus 10/8 (removed); the db policy became the cache policy (db's is gone, cache's new).
    const byKey = new Map(r.policies.map((p) => [p.policy, p]));
    assert.ok(byKey.has('shop/db') && byKey.get('shop/db')?.location === undefined, 'a deleted policy has no location');
    const changedOnes = r.policies.filter((p) => p.location !== undefined);
    assert.ok(changedOnes.length > 0);
    for (const p of r.policies) assert.match(p.title, /since HEAD$/);
    assert.ok(r.policies.some((p) => p.removed > 0 && /\u2212\d/.test(p.title)));

    // The lenses (asked before kubeReach/diff: the comparison was being made, and the client was
    // asked to refresh them once it was): the edited policies say what their edit did.
    const lenses = (await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri: policies } })) as Lens[];
    const titles = lenses.map((l) => l.command?.title ?? '');
    for (const p of changedOnes)
      assert.ok(
        titles.some((t) => t.endsWith(` · ${p.title}`)),
        `${p.policy}: ${titles.join(' | ')}`,
      );
    const unchanged = titles.filter((t) => /selects/.test(t) && !/since HEAD/.test(t));
    assert.equal(unchanged.length, titles.filter((t) => /selects/.test(t)).length - changedOnes.length, titles.join(' | '));

    // Another keystroke: while its comparison is made the lenses keep their words (no blinking).
    const typing = h.received.length;
    await h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri: policies, version: 2 },
      contentChanges: [{ text: `${edited}# typing\n` }],
    });
    await h.analysisComplete(typing);
    const kept = (await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri: policies } })) as Lens[];
    assert.equal(kept.filter((l) => /since HEAD/.test(l.command?.title ?? '')).length, changedOnes.length);

    // Closing the document without saving: nothing differs from HEAD any more.
    const closing = h.received.length;
    await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: policies } });
    await h.analysisComplete(closing);
    const back = (await h.client.sendRequest(DIFF_METHOD, {})) as DiffResult;
    assert.deepEqual(back.changes, []);
  } finally {
    h.dispose();
    rmSync(repo, { recursive: true, force: true });
    rmSync(after, { recursive: true, force: true });
  }
});

test('kubeReach/diff outside a git repository answers why there is nothing to compare', async () => {
  const ws = tempWorkspace({ 'a.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n' });
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const r = (await h.client.sendRequest(DIFF_METHOD, {})) as DiffResult;
    assert.equal(r.available, false);
    assert.match(r.reason ?? '', /not in a git repository/);
    assert.deepEqual(r.changes, []);
  } finally {
    h.dispose();
    ws.cleanup();
  }
});

test('kubeReach/diff never runs git when the client says the workspace is not trusted', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-changes-untrusted-'));
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: repo });
  try {
    execFileSync('git', ['init', '-q'], { cwd: repo });
    cpSync(join(shop, 'ref1'), join(repo, 'deploy'), { recursive: true });
    await h.initialize({ git: false });
    await h.analysisComplete();
    const r = (await h.client.sendRequest(DIFF_METHOD, {})) as DiffResult;
    assert.equal(r.available, false);
    assert.match(r.reason ?? '', /untrusted workspace/);
  } finally {
    h.dispose();
    rmSync(repo, { recursive: true, force: true });
  }
});

test('kubeReach/diff: a file deleted from the work tree is read from HEAD, so what it held shows as removed', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-changes-deleted-'));
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: repo });
  try {
    commitFolder(repo, join(shop, 'ref1'), 'deploy');
    rmSync(join(repo, 'deploy', 'policies.yaml'));
    await h.initialize();
    await h.analysisComplete();
    const r = (await h.client.sendRequest(DIFF_METHOD, {})) as DiffResult;
    assert.equal(r.available, true, r.reason);
    const after = mkdtempSync(join(tmpdir(), 'kube-reach-changes-deleted-after-'));
    try {
      cpSync(join(shop, 'ref1', 'workloads.yaml'), join(after, 'workloads.yaml'));
      assert.deepEqual(r.changes, await cliDiff(join(shop, 'ref1'), after));
    } finally {
      rmSync(after, { recursive: true, force: true });
    }
    assert.ok(
      r.changes.some((c) => c.diffType === 'added'),
      'removing the policies opens connections',
    );
    // Every policy of the deleted file is listed, without a location.
    assert.ok(r.policies.length > 0 && r.policies.every((p) => p.location === undefined));
  } finally {
    h.dispose();
    rmSync(repo, { recursive: true, force: true });
  }
});

test('kubeReach/diff carries each side’s notes as kube-reach diff --base HEAD prints them, the files that exist now as links', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-changes-notes-'));
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: repo });
  try {
    // HEAD: a policy defined twice (step2 over step1), alternatives left out, a remote base, a Calico
    // policy. The work tree: step2 deleted, step3 written (defined twice again: step3 over step1).
    commitFolder(repo, join(__dirname, '..', 'fixtures', 'panel-notes'), '.');
    const shopDir = join(repo, 'shop');
    cpSync(join(shopDir, 'step2-policy.yaml'), join(shopDir, 'step3-policy.yaml'));
    rmSync(join(shopDir, 'step2-policy.yaml'));
    await h.initialize();
    await h.analysisComplete();
    const r = (await h.client.sendRequest(DIFF_METHOD, {})) as DiffResult;
    assert.equal(r.available, true, r.reason);
    let err = '';
    const code = await main(['diff', '--base', 'HEAD'], { stdout: () => undefined, stderr: (s) => (err += s), cwd: repo });
    assert.equal(code, 0, err);
    const cli = err.split('\n').filter((l) => l.startsWith('kube-reach: note ('));
    // The CLI's side names; where it says --unit, the panel names its Unit list (the Changes view
    // compares the unit the panel shows).
    const sides = { both: 'HEAD and worktree', base: 'HEAD', current: 'worktree' };
    assert.deepEqual(
      r.notes.map((n) => `kube-reach: note (${sides[n.sides]}): ${n.note}`),
      cli.map((l) => l.replace('(pick one with --unit)', '(pick one in the Unit list)')),
    );
    assert.deepEqual(
      r.notes.filter((n) => n.sides !== 'both').map((n) => [n.sides, n.note.replace(/^.*: /, '')]),
      [
        ['base', 'NetworkPolicy db-ingress (shop/step2-policy.yaml over shop/step1-policy.yaml)'],
        ['current', 'NetworkPolicy db-ingress (shop/step3-policy.yaml over shop/step1-policy.yaml)'],
      ],
    );
    assert.equal(r.notes.filter((n) => n.sides === 'both').length, 3, JSON.stringify(r.notes));
    // The files a note names that exist now open from the panel; the deleted one does not.
    assert.deepEqual(
      [...(r.noteFiles ?? [])].sort((a, b) => a.text.localeCompare(b.text)),
      [
        { text: 'shop/step1-policy.yaml', uri: pathToUri(join(shopDir, 'step1-policy.yaml')) },
        { text: 'shop/step3-policy.yaml', uri: pathToUri(join(shopDir, 'step3-policy.yaml')) },
      ],
    );
  } finally {
    h.dispose();
    rmSync(repo, { recursive: true, force: true });
  }
});

test('kubeReach/diff compares the unit the panel shows, as kube-reach diff --base HEAD --unit does: a change to an alternative left out shows when it is picked', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-changes-unit-'));
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: repo });
  try {
    // dev/ and prod/ hold the same shop (alternatives); the change under review is prod's policy.
    const variants = join(__dirname, '..', 'fixtures', 'diff', 'variants');
    commitFolder(repo, join(variants, 'ref1'), 'deploy');
    cpSync(join(variants, 'ref2'), join(repo, 'deploy'), { recursive: true });
    await h.initialize();
    await h.analysisComplete();
    const cli = async (...args: string[]): Promise<unknown> => {
      let out = '';
      const code = await main(['diff', '--base', 'HEAD', 'deploy', '--format', 'json', ...args], {
        stdout: (t) => (out += t),
        stderr: () => undefined,
        cwd: repo,
      });
      assert.ok(code === 0, `kube-reach diff exited ${code}`);
      return (JSON.parse(out) as { changes: unknown }).changes;
    };
    // The workspace's first in path order (dev) did not change: nothing, and the note says prod was left out.
    const first = (await h.client.sendRequest(DIFF_METHOD, {})) as DiffResult;
    assert.equal(first.available, true, first.reason);
    assert.deepEqual(first.changes, []);
    assert.deepEqual(first.changes, await cli());
    assert.deepEqual(first.notes, [
      { sides: 'both', note: 'alternatives of units taken earlier in path order were left out: deploy/prod (pick one in the Unit list)' },
    ]);
    // prod picked in the Unit list: its change, as diff --unit prints it, and the policy's lens words.
    const prod = (await h.client.sendRequest(DIFF_METHOD, { unit: pathToUri(join(repo, 'deploy', 'prod')) })) as DiffResult;
    assert.deepEqual(prod.changes, await cli('--unit', 'deploy/prod'));
    assert.deepEqual(
      prod.changes.map((c) => [c.diffType, c.source, c.destination, c.ref1, c.ref2]),
      [['changed', 'shop/client[Deployment]', 'shop/web[Deployment]', 'TCP 8080', 'TCP 9090']],
    );
    assert.deepEqual(
      prod.policies.map((p) => [p.policy, p.title]),
      [['shop/web', '~1 since HEAD']],
    );
    assert.deepEqual(prod.notes, [
      { sides: 'both', note: 'alternatives of the unit picked, or of units taken earlier in path order, were left out: deploy/dev' },
    ]);
    // A malformed unit is no unit.
    assert.deepEqual(((await h.client.sendRequest(DIFF_METHOD, { unit: 3 })) as DiffResult).changes, []);
  } finally {
    h.dispose();
    rmSync(repo, { recursive: true, force: true });
  }
});

test('the lens of a policy only an alternative unit takes counts in that unit, says what its edit changed since HEAD there, and opens the panel on it', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-changes-lens-unit-'));
  const h = new Harness({
    capabilities: { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } },
    rootPath: repo,
  });
  try {
    const variants = join(__dirname, '..', 'fixtures', 'diff', 'variants');
    commitFolder(repo, join(variants, 'ref1'), 'deploy');
    cpSync(join(variants, 'ref2'), join(repo, 'deploy'), { recursive: true });
    await h.initialize();
    const mark = h.received.length;
    await h.analysisComplete();
    const prodFile = pathToUri(join(repo, 'deploy', 'prod', 'app.yaml'));
    const prodUnit = pathToUri(join(repo, 'deploy', 'prod'));
    interface PolicyLens {
      readonly command?: {
        readonly title: string;
        readonly arguments?: ReadonlyArray<{ readonly policy?: string; readonly unit?: string }>;
      };
    }
    const lensesOf = async (uri: string): Promise<PolicyLens[]> =>
      ((await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as PolicyLens[]).filter((l) =>
        /^selects/.test(l.command?.title ?? ''),
      );
    await lensesOf(prodFile);
    await h.waitFor('workspace/codeLens/refresh', (m) => m.method === 'workspace/codeLens/refresh', mark);
    const [prod] = await lensesOf(prodFile);
    // Counted in prod, as the panel's Policy filter counts it with prod picked.
    const context = (await h.client.sendRequest(REACHABILITY_CONTEXT_METHOD, { unit: prodUnit })) as ReachabilityContext;
    const allows = context.policies.find((p) => p.key === 'shop/web')?.allows?.length;
    assert.ok(allows !== undefined && allows > 0);
    assert.match(prod?.command?.title ?? '', new RegExp(` · allows ${allows} connections? · ~1 since HEAD$`));
    assert.deepEqual(
      prod?.command?.arguments?.map((a) => [a.policy, a.unit]),
      [['shop/web', prodUnit]],
    );
    // dev's policy, which the workspace takes first: its own counts, unchanged, no unit.
    const [dev] = await lensesOf(pathToUri(join(repo, 'deploy', 'dev', 'app.yaml')));
    assert.match(dev?.command?.title ?? '', / · allows \d+ connections?$/);
    assert.equal(dev?.command?.arguments?.[0]?.unit, undefined);
  } finally {
    h.dispose();
    rmSync(repo, { recursive: true, force: true });
  }
});

/**
 * The panel's Changes view (webview/changes.ts) on a real comparison: the shop fixture of
 * test/fixtures/diff before (as HEAD) and after (as the editor holds it), compared by the server's
 * own `diffResult` and forwarded through the message validators: the summary, the graph's edges
 * styled by type over the model's layout, the matrix, the table, the changed policies' links;
 * malformed answers are dropped and manifest-derived strings stay text.
 */

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/host.js';
import type { Analysis } from '../../analysis/host.js';
import { workspaceChanges } from '../../analysis/ide/changes.js';
import { parseWebviewMessage } from '../../client/panel/messages.js';
import { buildPanelModel } from '../../client/panel/model.js';
import type { DiffChange, DiffResult } from '../../protocol/changes.js';
import type { PanelModel } from '../../protocol/panel.js';
import { buildOverview } from '../../server/handlers/overview.js';
import { buildContext, buildReachability } from '../../server/handlers/reachability.js';
import { diffResult } from '../../server/headDiff.js';
import { changesSummary, parseDiffResult, renderChanges, workloadsChanged } from '../../webview/changes.js';
import { parseHostMessage } from '../../webview/messages.js';
import { Links } from '../../webview/views.js';
import { ALLOWED_TAGS, type VElement, type VNode } from '../../webview/vnode.js';

const shop = join(__dirname, '..', 'fixtures', 'diff', 'shop');

function snapshotOf(side: 'ref1' | 'ref2'): Analysis {
  const host = new AnalysisHost();
  for (const f of ['workloads.yaml', 'policies.yaml']) host.setFile(`file:///ws/${f}`, readFileSync(join(shop, side, f), 'utf8'));
  return host.snapshot();
}

async function modelOf(a: Analysis): Promise<PanelModel> {
  return buildPanelModel({ reach: buildReachability(a), context: buildContext(a), overview: buildOverview(a), scope: {}, revision: 1 });
}

function elements(node: VNode): VElement[] {
  return typeof node === 'string' ? [] : [node, ...node.children.flatMap(elements)];
}

function texts(node: VNode): string[] {
  return typeof node === 'string' ? [node] : node.children.flatMap(texts);
}

/** The comparison as the host forwards it: JSON through the webview's validator. */
function forwarded(r: DiffResult): DiffResult {
  const msg = parseHostMessage(JSON.parse(JSON.stringify({ kind: 'changes', result: r })));
  assert.ok(msg?.kind === 'changes', 'the webview accepts the answer');
  return msg.result;
}

describe('Changes view', () => {
  it('draws the changed connections by type over the layout, and lists them in a matrix and a table', async () => {
    const before = snapshotOf('ref1');
    const after = snapshotOf('ref2');
    const result = forwarded(diffResult(after, { available: true, base: before, changes: workspaceChanges(before, after) }));
    const model = await modelOf(after);
    assert.ok(model.layout !== null);
    assert.equal(changesSummary(result), '+1 added \u00b7 \u22122 removed \u00b7 ~1 changed since HEAD');

    const links = new Links(0);
    const tree = renderChanges(model, result, links);
    const all = elements(tree);
    // Graph: one edge per change whose ends exist now, styled by its type.
    const edges = all.filter((e) => e.tag === 'g' && (e.attrs['class'] ?? '').startsWith('chg-edge'));
    const drawable = result.changes.filter(
      (c) => model.layout?.nodes[c.source] !== undefined && model.layout.nodes[c.destination] !== undefined,
    );
    assert.equal(edges.length, drawable.length);
    assert.equal(drawable.length, result.changes.length, 'every end is a node of the current graph here');
    for (const [i, c] of drawable.entries()) assert.equal(edges[i]?.attrs['class'], `chg-edge chg-${c.diffType}`);
    assert.ok(!texts(tree).some((t) => /have an end not in the graph/.test(t)));
    // A change whose end is gone (a workload only HEAD has) is in the table, not the graph.
    const gone = renderChanges(
      model,
      {
        ...result,
        changes: [
          ...result.changes,
          {
            diffType: 'removed',
            source: 'shop/worker[Deployment]',
            destination: 'shop/db[Deployment]',
            ref1: 'TCP 5432',
            ref2: 'No Connections',
          },
        ],
      },
      new Links(0),
    );
    assert.ok(texts(gone).some((t) => /^1 of the changed connections have an end not in the graph/.test(t)));
    // The legend names the three styles.
    assert.deepEqual(
      all.filter((e) => (e.attrs['class'] ?? '').startsWith('lg chg-')).map((e) => e.attrs['class']),
      ['lg chg-added', 'lg chg-removed', 'lg chg-changed'],
    );
    // Matrix: one marked cell per change.
    const matrix = all.find((e) => e.tag === 'table' && e.attrs['class'] === 'chg-matrix');
    assert.ok(matrix !== undefined);
    assert.equal(
      elements(matrix).filter((e) => e.tag === 'td' && (e.attrs['class'] ?? '').startsWith('chg-')).length,
      result.changes.length,
    );
    // Table: a row per change, in the CLI's order.
    const table = all.find((e) => e.tag === 'table' && e.attrs['class'] === 'chg-table');
    const rows = elements(table ?? tree).filter((e) => e.tag === 'tr' && (e.attrs['class'] ?? '').startsWith('chg-'));
    assert.deepEqual(
      rows.map((r) => r.attrs['class']),
      result.changes.map((c) => `chg-${c.diffType}`),
    );
    // The edited policies link to their YAML; the deleted one says so.
    assert.ok(links.locations.length > 0 && links.locations.every((l) => l.uri === 'file:///ws/policies.yaml'));
    assert.ok(texts(tree).some((t) => t === 'shop/db (deleted)'));
  });

  it('says why there is nothing to compare, and when nothing changed', async () => {
    const model = await modelOf(snapshotOf('ref1'));
    const none = renderChanges(
      model,
      { available: false, reason: 'the workspace is not in a git repository', base: 'HEAD', changes: [], policies: [], notes: [] },
      new Links(0),
    );
    assert.ok(texts(none).some((t) => t === 'No comparison with HEAD: the workspace is not in a git repository'));
    const same = renderChanges(model, { available: true, base: 'HEAD', changes: [], policies: [], notes: [] }, new Links(0));
    assert.ok(texts(same).some((t) => t === 'No connection changed since HEAD'));
    assert.ok(texts(renderChanges(model, undefined, new Links(0))).some((t) => /Comparing with git HEAD/.test(t)));
  });

  it('drops malformed answers and keeps manifest-derived strings as text', async () => {
    const ok = { available: true, base: 'HEAD', changes: [], policies: [], notes: [] };
    assert.ok(parseDiffResult(ok) !== undefined);
    for (const bad of [
      null,
      { ...ok, available: 'yes' },
      { ...ok, changes: [{ diffType: 'opened', source: 'a', destination: 'b', ref1: 'x', ref2: 'y' }] },
      { ...ok, changes: [{ diffType: 'added', source: 1, destination: 'b', ref1: 'x', ref2: 'y' }] },
      { ...ok, policies: [{ policy: 'a/b', added: -1, removed: 0, changed: 0, isNew: false, title: 't' }] },
      { ...ok, policies: [{ policy: 'a/b', added: 1, removed: 0, changed: 0, isNew: false, title: 't', location: { uri: 'x' } }] },
      { ...ok, notes: undefined },
      { ...ok, notes: [{ sides: 'worktree', note: 'n' }] },
      { ...ok, notes: [{ sides: 'both', note: 3 }] },
      { ...ok, noteFiles: [{ text: 'a.yaml' }] },
    ])
      assert.equal(parseDiffResult(bad), undefined, JSON.stringify(bad));
    assert.deepEqual(parseWebviewMessage({ kind: 'changes' }), { kind: 'changes' });

    const payload = '<script>alert(1)</script>';
    const hostile: DiffResult = {
      available: true,
      base: 'HEAD',
      changes: [
        {
          diffType: 'added',
          source: `shop/${payload}[Deployment]`,
          destination: '"><svg onload=alert(2)>',
          ref1: 'No Connections',
          ref2: payload,
        },
      ],
      policies: [{ policy: payload, added: 1, removed: 0, changed: 0, isNew: true, title: `+1 since HEAD ${payload}` }],
      notes: [{ sides: 'both', note: `some objects are defined twice: ${payload} (a/${payload}.yaml over b.yaml)` }],
      noteFiles: [{ text: `a/${payload}.yaml`, uri: `file:///ws/a/${payload}.yaml` }],
    };
    const tree = renderChanges(await modelOf(snapshotOf('ref1')), forwarded(hostile), new Links(0));
    assert.ok(texts(tree).some((t) => t.includes(payload)));
    for (const e of elements(tree)) {
      assert.ok((ALLOWED_TAGS as readonly string[]).includes(e.tag), e.tag);
      for (const k of Object.keys(e.attrs)) assert.doesNotMatch(k, /^on/i);
    }
  });

  it('says each side’s notes as kube-reach diff does (HEAD and now, HEAD, now), the files that exist now as links', async () => {
    const model = await modelOf(snapshotOf('ref2'));
    const step = (n: number): string => `shop/step${n}-policy.yaml`;
    const twice = (a: number): string =>
      `some objects are defined twice in one folder or build; as kubectl apply of the whole folder, the last file in lexical order was used: NetworkPolicy db (${step(a)} over ${step(1)})`;
    const result = forwarded({
      available: true,
      base: 'HEAD',
      changes: [],
      policies: [],
      notes: [
        { sides: 'base', note: twice(2) },
        { sides: 'both', note: '1 Calico NetworkPolicy is not evaluated' },
        { sides: 'current', note: twice(3) },
      ],
      noteFiles: [
        { text: step(1), uri: 'file:///ws/shop/step1-policy.yaml' },
        { text: step(3), uri: 'file:///ws/shop/step3-policy.yaml' },
      ],
    });
    const links = new Links(0);
    const tree = renderChanges(model, result, links);
    const notes = elements(tree).filter((e) => e.attrs['class'] === 'note panel-note');
    // Three notes: a disclosure that counts them, closed unless the person opened it.
    const details = elements(tree).find((e) => e.tag === 'details');
    assert.equal(details?.attrs['id'], 'changes-notes');
    assert.equal(details?.attrs['open'], undefined);
    assert.deepEqual(
      notes.map((n) => texts(n).join('')),
      [`HEAD: ${twice(2)}`, 'HEAD and now: 1 Calico NetworkPolicy is not evaluated', `now: ${twice(3)}`],
    );
    // Each file that exists now opens from the note that names it (step2, only HEAD's, is text).
    assert.deepEqual(
      notes.map((n) =>
        elements(n)
          .filter((e) => e.tag === 'a')
          .map((a) => [texts(a).join(''), links.locations[Number(a.attrs['data-loc'])]?.uri]),
      ),
      [
        [[step(1), 'file:///ws/shop/step1-policy.yaml']],
        [],
        [
          [step(3), 'file:///ws/shop/step3-policy.yaml'],
          [step(1), 'file:///ws/shop/step1-policy.yaml'],
        ],
      ],
    );
    const open = elements(renderChanges(model, result, new Links(0), undefined, true)).find((e) => e.tag === 'details');
    assert.equal(open?.attrs['open'], '');
    // No notes: no block.
    assert.ok(!elements(renderChanges(model, { ...result, notes: [] }, new Links(0))).some((e) => e.attrs['class'] === 'note panel-note'));
  });

  it('the 30-workload app: the edge tier’s 28 connections changed alike meet in one junction, the odd one is an edge', async () => {
    const app = join(__dirname, '..', 'fixtures', 'panel-app');
    const read = (edit: (t: string) => string): Analysis => {
      const host = new AnalysisHost();
      for (const f of [
        'namespaces.yaml',
        'edge.yaml',
        'identity.yaml',
        'browse.yaml',
        'commerce.yaml',
        'fulfilment.yaml',
        'workers.yaml',
        'data.yaml',
        'ingress.yaml',
        'monitoring.yaml',
        'policies.yaml',
      ])
        host.setFile(
          `file:///ws/${f}`,
          f === 'policies.yaml' ? edit(readFileSync(join(app, f), 'utf8')) : readFileSync(join(app, f), 'utf8'),
        );
      return host.snapshot();
    };
    const before = read((t) => t);
    // browse-from-edge no longer admits 9090; orders admits cart too.
    const after = read((t) =>
      t
        .replace('        - port: 8080\n        - port: 9090\n', '        - port: 8080\n')
        .replace(
          '              app: checkout\n        - podSelector:\n            matchLabels:\n              app: admin-ui',
          '              app: checkout\n        - podSelector:\n            matchLabels:\n              app: cart\n        - podSelector:\n            matchLabels:\n              app: admin-ui',
        ),
    );
    const result = forwarded(diffResult(after, { available: true, base: before, changes: workspaceChanges(before, after) }));
    assert.equal(result.changes.length, 29);
    const tree = renderChanges(await modelOf(after), result, new Links(0));
    const junctions = elements(tree).filter((e) => (e.attrs['class'] ?? '').includes('chg-junction'));
    assert.equal(junctions.length, 1);
    assert.ok(texts(junctions[0] as VElement).includes('tier=edge (4)'));
    assert.equal(elements(junctions[0] as VElement).filter((e) => e.tag === 'path').length, 4 + 7, 'a leg per client and per destination');
    const single = elements(tree).filter((e) => (e.attrs['class'] ?? '') === 'chg-edge chg-added');
    assert.equal(single.length, 1);
  });
});

describe('Changes view: a workload swapped and many changes around one workload', () => {
  // A workload of another kind under the same name (a VirtualMachine made a Deployment): every
  // connection of the old one removed, of the new one added, as kube-reach diff lists them.
  const swap = async (): Promise<{ model: PanelModel; result: DiffResult }> => {
    const model = await modelOf(snapshotOf('ref2'));
    const others = model.nodes.filter((n) => !n.entry).map((n) => n.id);
    const monty = others[0] ?? '';
    const old = monty.replace(/\[[^\]]*\]$/, '[VirtualMachine]');
    const changes: DiffChange[] = [];
    for (const o of others.slice(1))
      for (const [from, to] of [
        [monty, o],
        [o, monty],
      ] as const)
        changes.push({
          diffType: 'added',
          source: from,
          destination: to,
          ref1: 'No Connections',
          ref2: 'All Connections',
          workloadsDiffInfo: `workload ${monty} added`,
        });
    for (const c of [...changes])
      changes.push({
        diffType: 'removed',
        source: c.source === monty ? old : c.source,
        destination: c.destination === monty ? old : c.destination,
        ref1: 'All Connections',
        ref2: 'No Connections',
        workloadsDiffInfo: `workload ${old} removed`,
      });
    return { model, result: forwarded({ available: true, base: 'HEAD', changes, policies: [], notes: [] }) };
  };

  it('says which workloads appeared or went, and a workload whose kind changed as one', async () => {
    const { model, result } = await swap();
    const monty = result.changes[0]?.source ?? '';
    const name = monty.replace(/\[[^\]]*\]$/, '');
    assert.equal(workloadsChanged(result), `${name} is a Deployment now, not a VirtualMachine`);
    const tree = renderChanges(model, result, new Links(0));
    assert.ok(texts(tree).includes(`${name} is a Deployment now, not a VirtualMachine`));
    const more: DiffResult = {
      ...result,
      changes: [
        ...result.changes,
        {
          diffType: 'added',
          source: monty,
          destination: 'shop/new[Deployment]',
          ref1: 'No Connections',
          ref2: 'TCP 80',
          workloadsDiffInfo: 'workload shop/new[Deployment] added',
        },
        {
          diffType: 'removed',
          source: 'shop/old[Job]',
          destination: monty,
          ref1: 'TCP 80',
          ref2: 'No Connections',
          workloadsDiffInfo: 'workload shop/old[Job] removed',
        },
      ],
    };
    assert.equal(
      workloadsChanged(more),
      `${name} is a Deployment now, not a VirtualMachine · workload added: shop/new[Deployment] · workload gone: shop/old[Job]`,
    );
    assert.equal(workloadsChanged({ ...result, changes: more.changes.slice(-1) }), 'Workload gone: shop/old[Job]');
    assert.equal(workloadsChanged({ ...result, changes: result.changes.map(({ workloadsDiffInfo: _, ...c }) => c) }), undefined);
  });

  it('the change graph places its labels where they overlap no box, junction or other label; the others are left to the tooltip', async () => {
    const { model, result } = await swap();
    for (const width of [undefined, 900, 500]) {
      const tree = renderChanges(model, result, new Links(0), width);
      const all = elements(tree);
      const boxes = all
        .filter((e) => e.tag === 'rect' && e.attrs['x'] !== undefined)
        .map((e) => ({
          x: Number(e.attrs['x']),
          y: Number(e.attrs['y']),
          width: Number(e.attrs['width']),
          height: Number(e.attrs['height']),
        }));
      // A label's box as the graph's labels are measured (7 px a character, 16 px high, on its baseline + 3).
      const labels = all
        .filter((e) => e.tag === 'text' && (e.attrs['class'] ?? '').startsWith('chg-label'))
        .map((e) => {
          const w = String(e.children[0]).length * 7 + 6;
          return { x: Number(e.attrs['x']) - w / 2, y: Number(e.attrs['y']) + 3 - 14, width: w, height: 16 };
        });
      assert.ok(labels.length > 0, 'no label placed');
      const overlap = (a: (typeof boxes)[number], b: (typeof boxes)[number]): boolean =>
        a.x < b.x + b.width - 0.01 && b.x < a.x + a.width - 0.01 && a.y < b.y + b.height - 0.01 && b.y < a.y + a.height - 0.01;
      for (const [i, l] of labels.entries()) {
        for (const b of boxes) assert.ok(!overlap(l, b), `${width}: a label at ${l.x},${l.y} over a box at ${b.x},${b.y}`);
        for (const o of labels.slice(i + 1)) assert.ok(!overlap(l, o), `${width}: two labels at ${l.x},${l.y} and ${o.x},${o.y}`);
      }
      // Every changed line keeps its words in its tooltip.
      const titled = all
        .filter((e) => e.tag === 'g' && (e.attrs['class'] ?? '').startsWith('chg-edge'))
        .filter((g) => g.children.some((c) => typeof c !== 'string' && c.tag === 'title'));
      assert.ok(titled.length > 0);
    }
  });
});

/**
 * The index's lookup lists after edits equal a fresh index's (workspace/lists.ts `reindex`): an
 * edit changes each list it touches at the edited objects' places (binary search), and objects an
 * edit only moved (documents after a removed or added one) keep their place. Seeded edits of
 * multi-document files — documents removed, inserted and relabelled in the middle of a file —
 * through one host; after each, every list read through the index's accessors must be a fresh
 * host's, object by object and in order.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import type { WorkspaceIndex } from '../../analysis/workspace/workspaceIndex.js';
import { rng } from '../../scripts/bench/generate.js';

function workload(i: number, tier: string, ns: string): string {
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: app-${i}\n` +
    `  template:\n    metadata:\n      labels:\n        app: app-${i}\n        tier: ${tier}\n    spec:\n      containers:\n        - name: main\n          image: x\n`
  );
}

function service(i: number, tier: string, ns: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\n  namespace: ${ns}\nspec:\n  selector:\n    tier: ${tier}\n  ports:\n    - port: 80\n`;
}

const NAMESPACES = ['shop', 'shop', 'pay'];
const TIERS = ['frontend', 'backend'];

/** What the lists hold, as text: each object by file, position, kind and name. */
function lists(index: WorkspaceIndex, apps: number): string[] {
  const show = (
    label: string,
    list: ReadonlyArray<{ readonly obj: { uri: string; ordinal: number; kind: string; name?: { known: boolean; value?: unknown } } }>,
  ): string =>
    `${label}: ${list.map((p) => `${p.obj.uri.slice(-12)}#${p.obj.ordinal}:${p.obj.kind}/${p.obj.name?.known === true ? String(p.obj.name.value) : '?'}`).join(' ')}`;
  const out: string[] = [];
  for (const ns of new Set(NAMESPACES)) {
    out.push(show(`ns:${ns}`, index.objectsIn(ns)), show(`pods:${ns}`, index.producersIn(ns)), show(`svcs:${ns}`, index.servicesIn(ns)));
    for (const tier of TIERS) out.push(show(`svcsel:${ns}:${tier}`, index.servicesSelectingPair(ns, 'tier', tier)));
  }
  for (const tier of TIERS) out.push(show(`label:${tier}`, index.producersWithLabel('tier', tier)));
  for (let i = 0; i < apps; i++) out.push(show(`label:app-${i}`, index.producersWithLabel('app', `app-${i}`)));
  out.push(show('unit', index.objectsOfUnit('file:///ws/apps')), show('unit-svcs', index.servicesOfUnit('file:///ws/apps')));
  return out;
}

it('lists after edits in the middle of multi-document files equal a fresh index', () => {
  const random = rng(11);
  const FILES = 4;
  const docs: string[][] = [];
  let next = 0;
  const doc = (): string => {
    const i = next++;
    const ns = NAMESPACES[i % NAMESPACES.length] ?? 'shop';
    const tier = TIERS[i % 2] ?? 'frontend';
    return i % 3 === 2 ? service(i, tier, ns) : workload(i, tier, ns);
  };
  for (let f = 0; f < FILES; f++) docs.push(Array.from({ length: 6 }, doc));
  const uri = (f: number): string => `file:///ws/apps/file-${f}.yaml`;
  const host = new AnalysisHost();
  for (let f = 0; f < FILES; f++) host.setFile(uri(f), (docs[f] ?? []).join('---\n'));
  host.snapshot().diagnostics();
  let moves = 0;
  for (let step = 0; step < 80; step++) {
    const f = Math.floor(random() * FILES);
    const list = docs[f] ?? [];
    const at = Math.floor(random() * list.length);
    const roll = random();
    if (roll < 0.35 && list.length > 2) {
      // Remove one or two documents in the middle: the documents after them move up.
      list.splice(at, roll < 0.15 ? 2 : 1);
      moves++;
    } else if (roll < 0.7) {
      list.splice(at, 0, ...Array.from({ length: roll < 0.5 ? 1 : 2 }, doc));
      moves++;
    } else {
      list[at] = (list[at] ?? '').replace(/tier: (\w+)/g, (_, t: string) => `tier: ${t === 'frontend' ? 'backend' : 'frontend'}`);
    }
    host.setFile(uri(f), list.join('---\n'));
    const derived = host.snapshot();
    derived.diagnostics();
    const fresh = new AnalysisHost();
    for (let g = 0; g < FILES; g++) fresh.setFile(uri(g), (docs[g] ?? []).join('---\n'));
    assert.deepEqual(lists(derived.index, next), lists(fresh.snapshot().index, next), `step ${step}: edit of file ${f}`);
  }
  assert.ok(moves > 30, `${moves} edits moved documents`);
});

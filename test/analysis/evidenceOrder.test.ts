/**
 * The evidence for a selector that matches nothing (analysis/checks/support/evidence.ts,
 * `selectorEvidence`) names, for each kind of evidence, the candidate that sorts first by its
 * description: found in one pass over the namespace's producers instead of sorting them all
 * (issue #21). On seeded namespaces whose workloads share names, kinds and near-miss labels, it
 * gives what sorting every candidate by description and taking the first that qualifies gives
 * (the reference below, the order the evidence was found in before). After edits, the verdicts
 * carried from the last index for unchanged files (checks/support/evidenceMemo.ts) give the same,
 * and only the changed files' producers are judged again.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import type { CheckContext } from '../../analysis/checks/support/check.js';
import { candidateProducers, describe, evaluateSelector, labelsOf, selectorEvidence } from '../../analysis/checks/support/evidence.js';
import { NO_ALTERNATIVES } from '../../analysis/units/alternatives.js';
import { EvidenceSearch } from '../../analysis/checks/support/evidenceMemo.js';
import { isKeyPrefixVariant, isNearMissValue } from '../../analysis/checks/support/similarity.js';
import { serviceSelector } from '../../analysis/checks/support/serviceTargets.js';
import type { Placed, Placement } from '../../analysis/workspace/workspaceIndex.js';
import type { KObject, Selector } from '../../analysis/model/types.js';
import { matchSelector } from '../../analysis/model/labels.js';
import { rng } from '../../scripts/bench/generate.js';

const RUNTIME_ROLE = /^(leader|master|primary|replica|standby|active|passive|secondary|follower)$/i;

/** The evidence kind and candidate as the sort-based search found them. */
function reference(obj: KObject, placement: Placement, sel: Selector, candidates: readonly Placed[], all: readonly Placed[]): string {
  const sorted = [...candidates].sort((a, b) => describe(a.obj).localeCompare(describe(b.obj)));
  const entries = sel.matchLabels?.entries ?? [];
  for (const c of sorted) {
    const meta = new Map<string, string>();
    for (const e of c.obj.labels?.entries ?? []) if (e.value.known) meta.set(e.key, e.value.value);
    for (const e of c.obj.pod?.workloadSelector?.matchLabels?.entries ?? []) if (e.value.known) meta.set(e.key, e.value.value);
    if (entries.length > 0 && entries.every((e) => e.value.known && meta.get(e.key) === e.value.value)) return `wrong-level ${id(c)}`;
  }
  if (sel.matchExpressions.length === 0) {
    const pairs = entries.filter((e) => e.value.known);
    let prefix: string | undefined;
    for (const c of sorted) {
      const labels = labelsOf(c);
      const differing = pairs.filter((e) => !e.value.known || labels.known.get(e.key) !== e.value.value);
      const d = differing[0];
      if (differing.length !== 1 || d === undefined || !d.value.known) continue;
      const have = labels.known.get(d.key);
      if (have !== undefined && isNearMissValue(d.value.value, have)) return `near-miss ${id(c)} ${d.key}=${have}`;
      if (prefix === undefined)
        for (const [k, v] of labels.known)
          if (v === d.value.value && isKeyPrefixVariant(d.key, k)) {
            prefix = `key-prefix ${id(c)}`;
            break;
          }
    }
    if (prefix !== undefined) return prefix;
  }
  // A producer the selector matches in another namespace.
  for (const c of all) {
    if (c.obj.pod === undefined || matchSelector(sel, labelsOf(c)) !== 'yes') continue;
    if (c.placements.some((x) => x.namespace !== undefined && !x.floating && x.namespace !== placement.namespace))
      return `wrong-namespace ${id(c)}`;
  }
  const ownName = obj.name?.known === true ? obj.name.value : undefined;
  const identity = (obj.labels?.entries ?? []).filter(
    (e) => ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance'].includes(e.key) && e.value.known,
  );
  for (const c of sorted) {
    if (c.obj.uri !== obj.uri && !c.placements.some((p) => p.unit === placement.unit)) continue;
    const labels = labelsOf(c);
    const carries = identity.length > 0 && identity.every((e) => e.value.known && labels.known.get(e.key) === e.value.value);
    if (!((ownName !== undefined && c.obj.name?.known === true && c.obj.name.value === ownName) || carries)) continue;
    const unmatched = entries.filter((e) => !e.value.known || labels.known.get(e.key) !== e.value.value);
    const roles =
      sel.matchExpressions.length === 0 &&
      unmatched.length > 0 &&
      unmatched.every((e) => e.value.known && !labels.known.has(e.key) && RUNTIME_ROLE.test(e.value.value));
    return roles ? 'none' : `sibling ${id(c)}`;
  }
  return 'none';
}

function id(c: Placed): string {
  return `${c.obj.uri}#${c.obj.ordinal}`;
}

/** One namespace of workloads with colliding names and kinds, labels one edit apart, labels on the wrong level, and Services. */
function workspace(seed: number, unique = false): Map<string, string> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const names = ['web', 'api', 'Web', 'cart', 'carts', 'db', 'db-0', 'worker'];
  const values = ['web', 'webb', 'api', 'apis', 'cart', 'carts', 'db', 'worker', 'workr', 'leader'];
  const keys = ['app', 'app.kubernetes.io/name', 'tier', 'role'];
  const files = new Map<string, string>();
  files.set('file:///ws/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
  for (let i = 0; i < 40; i++) {
    const kind = pick(['Deployment', 'StatefulSet', 'DaemonSet']);
    // Unique names: no two objects are alternatives of one another (units/alternatives.ts), whose views carry nothing.
    const name = unique ? `${pick(names).toLowerCase()}-w${i}` : pick(names);
    const podLabels = [...new Set([pick(keys), pick(keys)])].map((k) => `        ${k}: ${pick(values)}\n`).join('');
    const meta = r() < 0.3 ? `  labels:\n    ${pick(keys)}: ${pick(values)}\n` : '';
    files.set(
      `file:///ws/${pick(['a', 'b', 'c'])}/w${i}.yaml`,
      `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: shop\n${meta}spec:\n  selector:\n    matchLabels:\n      ${pick(keys)}: ${pick(values)}\n` +
        `  template:\n    metadata:\n      labels:\n${podLabels}    spec:\n      containers:\n        - name: c\n          image: nginx\n`,
    );
  }
  for (let i = 0; i < 30; i++) {
    const sel = [...new Set([pick(keys), pick(keys)])].map((k) => `    ${k}: ${pick(values)}\n`).join('');
    const meta = r() < 0.5 ? `  labels:\n    app: ${pick(values)}\n` : '';
    files.set(
      `file:///ws/${pick(['a', 'b', 'c'])}/s${i}.yaml`,
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${pick(names).toLowerCase()}${unique ? `-s${i}` : ''}\n  namespace: shop\n${meta}spec:\n  selector:\n${sel}  ports:\n    - port: 80\n`,
    );
  }
  return files;
}

/** Every Service's evidence on `host`'s current index compared with the reference; the kinds found, counted into `kinds`. */
function compareAll(host: AnalysisHost, kinds: Map<string, number>, what: string): void {
  const index = host.snapshot().index;
  const ctx = { index } as unknown as CheckContext;
  for (const p of index.objects) {
    const sel = serviceSelector(p);
    if (sel === undefined) continue;
    for (const pl of p.placements) {
      const candidates = candidateProducers(ctx, pl);
      if (evaluateSelector(candidates, sel).matched.length > 0) continue;
      const e = selectorEvidence(ctx, p.obj, pl, sel, candidates);
      const actual =
        e === undefined
          ? 'none'
          : e.kind === 'near-miss'
            ? `near-miss ${id(e.candidate)} ${e.fix?.key ?? ''}=${e.fix?.value ?? ''}`
            : `${e.kind} ${id(e.candidate)}`;
      assert.equal(actual, reference(p.obj, pl, sel, candidates, index.objects), `${what}: ${p.obj.uri}`);
      const kind = actual.split(' ')[0] ?? '';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  }
}

/** Every kind of evidence the reference can name came up (the comparison is not vacuous). */
function assertAllKinds(kinds: ReadonlyMap<string, number>): void {
  for (const k of ['wrong-level', 'near-miss', 'key-prefix', 'sibling', 'none'])
    assert.ok((kinds.get(k) ?? 0) > 0, `no ${k}: ${[...kinds]}`);
}

it('selectorEvidence names the candidate the sort by description found first, on 40 seeded namespaces', () => {
  const kinds = new Map<string, number>();
  for (let seed = 1; seed <= 40; seed++) {
    const host = new AnalysisHost();
    for (const [uri, text] of workspace(seed)) host.setFile(uri, text);
    compareAll(host, kinds, `seed ${seed}`);
  }
  assertAllKinds(kinds);
});

it('after edits, the evidence carried from the last index (evidenceMemo.ts) is what a full pass finds', () => {
  const kinds = new Map<string, number>();
  let carried = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const files = workspace(seed, true);
    const host = new AnalysisHost();
    for (const [uri, text] of files) host.setFile(uri, text);
    compareAll(host, kinds, `seed ${seed}`);
    // Another seed's files at the same paths: workloads and Services edited, added and removed one at a time.
    const other = workspace(seed + 100, true);
    const r = rng(seed);
    const uris = [...new Set([...files.keys(), ...other.keys()])].filter((u) => !u.endsWith('/ns.yaml'));
    for (let step = 0; step < 15; step++) {
      const uri = uris[Math.floor(r() * uris.length)] ?? '';
      const text = other.get(uri);
      if (text === undefined || r() < 0.15) host.removeFile(uri);
      else {
        // The same file, another's content, a renamed object, or one moved to another namespace (no candidate then).
        const edit = r();
        host.setFile(
          uri,
          edit < 0.4 ? text : edit < 0.7 ? text.replace(/name: (\w+)/, 'name: $1x') : text.replace('namespace: shop', 'namespace: other'),
        );
      }
      compareAll(host, kinds, `seed ${seed} step ${step}: ${uri}`);
      if (host.snapshot().index.alternatives === NO_ALTERNATIVES) carried++;
    }
  }
  assertAllKinds(kinds);
  // Nearly every step carried evidence from the last index (views of alternatives carry nothing).
  assert.ok(carried > 150, `${carried} steps without alternatives`);
});

it("after an edit, only the edited file's producers are judged again", () => {
  const host = new AnalysisHost();
  for (const [uri, text] of workspace(7, true)) host.setFile(uri, text);
  const judged = (): number => {
    const index = host.snapshot().index;
    const candidates = index.producersIn('shop');
    let n = 0;
    new EvidenceSearch(index, 'test', candidates, (c) => describe(c.obj)).first('near-miss', () => {
      n++;
      return false;
    });
    return n;
  };
  assert.equal(judged(), 40);
  assert.equal(judged(), 0);
  // One workload's image: its file is the only one changed since the last search.
  const edited = [...workspace(7, true)].find(([u]) => u.endsWith('/w3.yaml'));
  assert.ok(edited !== undefined);
  host.setFile(edited[0], edited[1].replace('image: nginx', 'image: nginx:2'));
  assert.equal(judged(), 1);
  // Moved to another namespace: no candidate any more, so not judged.
  host.setFile(edited[0], edited[1].replace('namespace: shop', 'namespace: other'));
  assert.equal(judged(), 0);
});

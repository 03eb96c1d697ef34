/**
 * An edit in one document of a big multi-document file lowers only that document
 * (`model/lower.ts`, `lowerEdit`; docs/dev/design.md §9, T5), and the result is exactly what a full
 * analysis gives: after each of a seeded run of random edits (typing, deleting, pasting markers,
 * quotes left open, directives, `...`, anchors and aliases, placeholders, broken YAML) the objects,
 * findings and diagnostics of one host equal a fresh host's over the same text.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import type { FileFacts } from '../../analysis/index.js';
import { generateBundle, rng } from '../../scripts/bench/generate.js';
import { editRegion } from '../../analysis/syntax/region.js';
import {
  LineSplice,
  computeLineStarts,
  lineStartAt,
  lineStartsList,
  offsetAt,
  positionAt,
  spliceLineStarts,
} from '../../analysis/text/lineIndex.js';
import type { LineStarts } from '../../analysis/text/lineIndex.js';

const URI = 'file:///ws/install.yaml';

/** What a file lowered to, as JSON, without the fields that say how it was made. */
function comparable(f: FileFacts | undefined): string {
  if (f === undefined) return 'none';
  const { serial: _serial, lastEdit: _lastEdit, version: _version, ...rest } = f;
  // A document's id says which lowering made it, not what it holds.
  return JSON.stringify(rest, (k, v: unknown) =>
    k === 'id' && typeof v === 'number' ? undefined : v instanceof Map ? [...(v as Map<unknown, unknown>)] : v,
  );
}

/** Equal JSON texts, or a failure that shows where they first differ. */
function sameJson(got: string, want: string, what: string): void {
  if (got === want) return;
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  assert.fail(
    `${what}: differs at ${i}\n  got  …${got.slice(Math.max(0, i - 300), i + 200)}\n  want …${want.slice(Math.max(0, i - 300), i + 200)}`,
  );
}

function render(host: AnalysisHost): string[] {
  const out: string[] = [];
  for (const [uri, list] of host.snapshot().diagnostics())
    for (const d of list)
      out.push(`${uri}|${d.span.start}-${d.span.end}|${d.code}|${d.severity}|${d.message}|${JSON.stringify(d.related ?? [])}`);
  return out.sort();
}

/** Random edits of the kinds a user (or a paste) makes; `at` is a random offset. */
const EDITS: ReadonlyArray<(t: string, at: number, r: () => number) => string> = [
  // Typing and deleting.
  (t, at) => t.slice(0, at) + 'x' + t.slice(at),
  (t, at, r) => t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 40)),
  (t, at) => t.slice(0, at) + '\n' + t.slice(at),
  // A value changed where it matters.
  (t, at) => {
    const i = t.indexOf('app: ', at);
    return i < 0 ? t : t.slice(0, i + 5) + 'z' + t.slice(i + 5);
  },
  (t, at) => {
    const i = t.indexOf('targetPort: ', at);
    return i < 0 ? t : t.slice(0, i + 12) + '9' + t.slice(i + 12);
  },
  (t, at) => {
    const i = t.indexOf('namespace: ', at);
    return i < 0 ? t : t.slice(0, i + 11) + 'moved-' + t.slice(i + 11);
  },
  // Document markers typed, pasted, broken.
  (t, at) => {
    const line = t.lastIndexOf('\n', at) + 1;
    return t.slice(0, line) + '---\n' + t.slice(line);
  },
  (t, at) => {
    const i = t.indexOf('\n---', at);
    return i < 0 ? t : t.slice(0, i + 1) + 'x' + t.slice(i + 1);
  },
  (t, at) => {
    const i = t.indexOf('\n---', at);
    return i < 0 ? t : t.slice(0, i) + t.slice(i + 4);
  },
  // Open quotes and collections (the `yaml` parser runs a quote over markers).
  (t, at) => t.slice(0, at) + '"' + t.slice(at),
  (t, at) => t.slice(0, at) + "'" + t.slice(at),
  (t, at) => t.slice(0, at) + '[' + t.slice(at),
  (t, at) => {
    const i = t.indexOf(': ', at);
    return i < 0 ? t : t.slice(0, i + 2) + '{a: 1' + t.slice(i + 2);
  },
  // Directives, document end markers, anchors, placeholders, template actions, comments.
  (t, at) => {
    const line = t.lastIndexOf('\n', at) + 1;
    return t.slice(0, line) + '...\n' + t.slice(line);
  },
  (t, at) => {
    const line = t.lastIndexOf('\n', at) + 1;
    return t.slice(0, line) + '%YAML 1.2\n---\n' + t.slice(line);
  },
  (t, at) => {
    const i = t.indexOf('labels:', at);
    return i < 0 ? t : t.slice(0, i + 7) + ' &l' + t.slice(i + 7);
  },
  (t, at) => {
    const i = t.indexOf('  name: ', at);
    return i < 0 ? t : t.slice(0, i + 8) + '${NAME}' + t.slice(i + 8);
  },
  (t, at) => {
    const i = t.indexOf('  name: ', at);
    return i < 0 ? t : t.slice(0, i + 8) + '"{{ x }}"' + t.slice(i + 8);
  },
  (t, at) => {
    const line = t.lastIndexOf('\n', at) + 1;
    return t.slice(0, line) + '# kube-reach-disable-next-line service-target-port-unknown\n' + t.slice(line);
  },
  (t, at) => {
    const line = t.lastIndexOf('\n', at) + 1;
    return t.slice(0, line) + '# Source: chart/templates/x.yaml\n' + t.slice(line);
  },
  // A whole document copied elsewhere, or removed.
  (t, at, r) => {
    const docs = t.split(/^---\n/m);
    const i = Math.floor(r() * docs.length);
    const j = t.lastIndexOf('\n---\n', at);
    return j < 0 ? t : t.slice(0, j + 1) + '---\n' + (docs[i] ?? '') + t.slice(j + 1);
  },
  (t, at) => {
    const i = t.indexOf('\n---\n', at);
    const j = i < 0 ? -1 : t.indexOf('\n---\n', i + 5);
    return j < 0 ? t : t.slice(0, i + 1) + t.slice(j + 1);
  },
  // An edit that spans two documents.
  (t, at) => {
    const i = t.indexOf('\n---\n', at);
    return i < 0 ? t : t.slice(0, Math.max(0, i - 10)) + 'q' + t.slice(i + 12);
  },
];

it('edits in one document of a multi-document file lower only that document and equal a full analysis', () => {
  const bundle = generateBundle(60_000, 11);
  let text = [...bundle.files.values()][0] ?? '';
  // The CRDs at the top of a bundle are long; most edits land among the workloads below them.
  const host = new AnalysisHost(undefined, { incrementalMinLength: 0 });
  host.setFile(URI, text, 1);
  host.snapshot().diagnostics();
  const random = rng(19);
  let incremental = 0;
  for (let step = 0; step < 120; step++) {
    const at = Math.floor(random() * text.length);
    const edit = EDITS[Math.floor(random() * EDITS.length)];
    if (edit === undefined) continue;
    const next = edit(text, at, random);
    // Restore the generated text now and then, so the file never drifts into one long syntax error.
    text = step % 8 === 7 ? ([...bundle.files.values()][0] ?? '') : next;
    const before = host.stats.documentEdits;
    host.setFile(URI, text, step + 2);
    const got = render(host);
    if (host.stats.documentEdits > before) incremental++;
    const fresh = new AnalysisHost();
    fresh.setFile(URI, text, step + 2);
    const want = render(fresh);
    sameJson(comparable(host.snapshot().index.files.get(URI)), comparable(fresh.snapshot().index.files.get(URI)), `step ${step}`);
    assert.deepEqual(got, want, `step ${step}`);
  }
  // Most edits stay within documents; those that cannot (markers, directives, placeholders) parse the file whole.
  assert.ok(incremental > 50, `only ${incremental} of 120 edits were lowered document by document`);
});

it('a directive made by an edit parses the file whole, however the edit made it (editRegion searches only the changed part)', () => {
  const base = 'a: 1\n---\nb: 2\nx%YAML 1.2\n---\nc: 3\n';
  // Deleting the `x` makes `%YAML` start a line: a directive, so no run of documents is safe.
  assert.equal(editRegion(base, base.replace('x%', '%')), undefined);
  assert.equal(editRegion(base, base.replace('\nx%', '\n%')), undefined);
  // Typing one at the start of a line, or pasting one, too; and a text that had one stays whole.
  assert.equal(editRegion(base, base.replace('c: 3', '%TAG ! x\nc: 3')), undefined);
  assert.equal(editRegion(base.replace('x%', '%'), base.replace('x%', '%').replace('a: 1', 'a: 2')), undefined);
  // An edit far from the `x%` line keeps its run.
  assert.deepEqual(editRegion(base, base.replace('a: 1', 'a: 12')), { start: 0, endBefore: 5, endAfter: 6 });
});

it('an edit in a file read with its line placeholders filled in keeps that reading and its note, as a full analysis does', () => {
  // A generator's `<EXTRA_SELECTOR>` line: not YAML as it stands, read with the placeholder filled in (one yaml-syntax note).
  const service =
    'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector:\n    app: web\n    <EXTRA_SELECTOR>\n  ports: [{port: 80}]\n';
  const deployment = (app: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec: {containers: [{name: s, image: s}]}\n`;
  const codes = (h: AnalysisHost): string[] => (h.snapshot().diagnostics().get(URI) ?? []).map((d) => `${d.span.start} ${d.code}`);
  const host = new AnalysisHost();
  host.setFile(URI, `${service}---\n${deployment('web')}`);
  assert.ok(codes(host).some((c) => c.endsWith(' yaml-syntax')));
  // The last document is edited: the first one's reading, and its note, stay.
  const edited = `${service}---\n${deployment('webx')}`;
  host.setFile(URI, edited);
  const fresh = new AnalysisHost();
  fresh.setFile(URI, edited);
  assert.deepEqual(codes(host), codes(fresh));
  sameJson(comparable(host.snapshot().index.files.get(URI)), comparable(fresh.snapshot().index.files.get(URI)), 'facts');
});

it('line starts spliced after an edit equal those of the new text', () => {
  const random = rng(5);
  let text = [...generateBundle(20_000, 3).files.values()][0] ?? '';
  let starts: LineStarts = computeLineStarts(text);
  let stacked = 0;
  let relisted = 0;
  for (let step = 0; step < 200; step++) {
    const at = Math.floor(random() * text.length);
    const cut = Math.floor(random() * 30);
    const insert = ['', 'x', '\n', '\r\n', '\r', 'a\nb\n', '---\n'][Math.floor(random() * 7)] ?? '';
    const next = text.slice(0, at) + insert + text.slice(at + cut);
    const r = editRegion(text, next);
    if (r !== undefined) {
      const before = starts;
      starts = spliceLineStarts(starts, next, r.start, r.endBefore, r.endAfter);
      if (starts instanceof LineSplice && starts.depth > 1) stacked++;
      if (before instanceof LineSplice && !(starts instanceof LineSplice)) relisted++;
      const want = computeLineStarts(next);
      assert.deepEqual(lineStartsList(starts), want, `step ${step}`);
      assert.equal(starts.length, want.length, `step ${step}`);
      assert.equal(JSON.stringify(starts), JSON.stringify(want), `step ${step}`);
      // Read where they are, as the diagnostics and the IDE read them.
      for (let k = 0; k < 20; k++) {
        const line = Math.floor(random() * (want.length + 2)) - 1;
        assert.equal(lineStartAt(starts, line), want[line], `step ${step} line ${line}`);
        const offset = Math.floor(random() * (next.length + 1));
        const pos = positionAt(starts, offset);
        assert.deepEqual(pos, positionAt(want, offset), `step ${step} offset ${offset}`);
        assert.equal(offsetAt(starts, next.length, pos), offsetAt(want, next.length, pos), `step ${step} offset ${offset}`);
      }
    } else starts = computeLineStarts(next);
    text = next;
  }
  // Splices stacked on splices, and were made a list again past the most a read walks.
  assert.ok(stacked > 50 && relisted >= 3, `stacked ${stacked}, made lists ${relisted}`);
});

it('an edited file is stored in the warm-start cache with its line starts as a list', () => {
  let text = [...generateBundle(20_000, 3).files.values()][0] ?? '';
  const host = new AnalysisHost(undefined, { incrementalMinLength: 0 });
  host.setFile(URI, text, 1);
  host.snapshot();
  const at = text.indexOf('targetPort: ');
  text = text.slice(0, at) + 'targetPort: 9' + text.slice(at + 'targetPort: '.length);
  host.setFile(URI, text, 2);
  host.snapshot();
  assert.equal(host.stats.documentEdits, 1);
  // The host's facts share the earlier line starts; what the cache writes is plain data.
  assert.ok(host.snapshot().index.files.get(URI)?.lineStarts instanceof LineSplice);
  const stored = host.factsForCache(URI);
  assert.ok(stored !== undefined && Array.isArray(stored.lineStarts));
  assert.deepEqual(stored.lineStarts, computeLineStarts(text));
});

it("a Service edit in a multi-document file re-checks no other namespace's Ingress with a missing backend", () => {
  // Each namespace: a Service, and an Ingress whose backend names a Service that does not exist.
  // Whether the file (one unit) has Services decides the Ingress's wording, not which they are.
  const service = (ns: string, port: string): string =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: web-${ns}\n  namespace: ${ns}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: ${port}}]\n`;
  const ingress = (ns: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: site\n  namespace: ${ns}\nspec:\n  ingressClassName: nginx\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service: {name: wbe-${ns}, port: {number: 80}}\n`;
  const namespaces = ['a', 'b', 'c', 'd'];
  const docs = (ports: ReadonlyMap<string, string | undefined>): string =>
    namespaces
      .map((ns) =>
        [ports.get(ns) === undefined ? undefined : service(ns, ports.get(ns) ?? ''), ingress(ns)]
          .filter((d) => d !== undefined)
          .join('---\n'),
      )
      .join('---\n');
  const ports = new Map<string, string | undefined>(namespaces.map((ns) => [ns, '8080']));
  const host = new AnalysisHost(undefined, { incrementalMinLength: 0 });
  host.setFile(URI, docs(ports), 1);
  const cold = render(host);
  assert.equal(cold.filter((d) => d.includes('|ingress-backend-missing|')).length, namespaces.length);
  const same = (version: number): string[] => {
    const got = render(host);
    const fresh = new AnalysisHost();
    fresh.setFile(URI, docs(ports), version);
    assert.deepEqual(got, render(fresh), `version ${version}`);
    return got;
  };
  // A Service's port changed: its document and its namespace's Ingress, not the other Ingresses.
  ports.set('b', '9090');
  host.setFile(URI, docs(ports), 2);
  same(2);
  assert.equal(host.stats.documentEdits, 1);
  assert.ok(host.stats.rechecked <= 2, `${host.stats.rechecked} re-checked`);
  // The Services removed one by one: when the last goes, every Ingress's finding says so.
  let version = 3;
  for (const ns of namespaces) {
    ports.set(ns, undefined);
    host.setFile(URI, docs(ports), version);
    const got = same(version++);
    if (ns === 'd') assert.ok(got.every((d) => !d.includes('Services in this unit')));
  }
  ports.set('c', '8080');
  host.setFile(URI, docs(ports), version);
  same(version);
});

it("removing the last Service of a multi-document file re-checks the Ingresses that named the file's Services", () => {
  // The Ingress's namespace has its Service in another folder (another unit); this file's only Service is in another
  // namespace. With it, the Ingress's finding lists its namespace's Services as the unit's neighbours.
  const other = 'file:///elsewhere/web.yaml';
  const webText =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: a\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';
  const ingress =
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: site\n  namespace: a\nspec:\n  ingressClassName: nginx\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service: {name: zzz, port: {number: 80}}\n';
  const service =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: b\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n';
  const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n  namespace: b\ndata: {}\n';
  const host = new AnalysisHost(undefined, { incrementalMinLength: 0 });
  host.setFile(other, webText, 1);
  const check = (text: string, version: number): string[] => {
    host.setFile(URI, text, version);
    const got = render(host);
    const fresh = new AnalysisHost();
    fresh.setFile(other, webText, 1);
    fresh.setFile(URI, text, version);
    assert.deepEqual(got, render(fresh), `version ${version}`);
    return got.filter((d) => d.includes('|ingress-backend-missing|'));
  };
  const withService = check(`${ingress}---\n${service}`, 1);
  assert.equal(withService.length, 1);
  assert.ok(withService[0]?.includes('Services in this unit'), withService[0]);
  // The Service's document becomes a ConfigMap: an edit lowered document by document.
  const edits = host.stats.documentEdits;
  const without = check(`${ingress}---\n${config}`, 2);
  assert.equal(host.stats.documentEdits, edits + 1);
  assert.ok(without.length === 1 && !(without[0] ?? '').includes('Services in this unit'), without[0]);
  assert.deepEqual(check(`${ingress}---\n${service}`, 3), withService);
});

it("a big file's documents are checked each with its own part of the file: a document's findings lie in it", () => {
  // Three documents with a YAML 1.1 value among many without: each document's unit of the check
  // runner (what the warm-start cache stores) holds the hints of its own document only, not every
  // document's (the runner handed each document the whole file's list of documents).
  const docs: string[] = [];
  for (let i = 0; i < 40; i++)
    docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  labels:\n    enabled: ${i % 15 === 3 ? 'yes' : '"no"'}\n`);
  const host = new AnalysisHost(undefined, { incrementalMinLength: 0 });
  host.setFile(URI, docs.join('---\n'), 1);
  const all = host.snapshot().diagnosticsFor(URI);
  assert.equal(all.filter((d) => d.code === 'yaml-1-1-value').length, 3);
  const documents = host.snapshot().index.files.get(URI)?.documents ?? [];
  const cached = host.checksForCache();
  assert.ok(cached !== undefined);
  let hints = 0;
  for (const u of cached.units) {
    const doc = documents[u.document];
    assert.ok(doc !== undefined, `unit ${u.document} is a document of the file`);
    for (const { code, finding } of u.found) {
      assert.ok(finding.span.start >= doc.span.start && finding.span.end <= doc.span.end, `${code} of document ${u.document}`);
      if (code === 'yaml-1-1-value') hints++;
    }
  }
  assert.equal(hints, 3);
});

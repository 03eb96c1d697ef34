/**
 * Round trips for hover, completion and code actions: what the server answers equals what the
 * analysis façade answers for the same workspace text, converted (so the test cannot pass
 * vacuously while checks, hover and completion grow). Bad requests get empty answers.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CodeAction, CompletionItem, Hover, PublishDiagnosticsParams } from 'vscode-languageserver';
import { AnalysisHost } from '../../analysis/index.js';
import type { Analysis } from '../../analysis/index.js';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const FILES: Record<string, string> = {
  'shop/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          ports:
            - name: http
              containerPort: 8080
`,
  'shop/svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: wbe
  ports:
    - port: 80
      targetPort: htp
`,
  'shop/broken.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  labels: {a: [b}
data:
  x: "1"
`,
};

let ws: { root: string; cleanup: () => void };
let h: Harness;
let facade: Analysis;
const uri = (rel: string): string => pathToUri(join(ws.root, rel));

before(async () => {
  ws = tempWorkspace(FILES);
  const host = new AnalysisHost();
  for (const rel of Object.keys(FILES)) host.setFile(uri(rel), readFileSync(join(ws.root, rel), 'utf8'));
  facade = host.snapshot();
  h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  await h.initialize();
  await h.analysisComplete();
});
after(() => {
  h.dispose();
  ws.cleanup();
});

function position(rel: string, needle: string, delta = 0): { line: number; character: number } {
  const text = FILES[rel] ?? '';
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `${needle} in ${rel}`);
  return facade.positionAt(uri(rel), offset);
}

test("published diagnostics equal the façade's: code, range, source", () => {
  for (const rel of Object.keys(FILES)) {
    const expected = facade.diagnosticsFor(uri(rel));
    const published = h.publications(uri(rel)).at(-1)?.diagnostics ?? [];
    assert.deepEqual(
      published.map((d) => ({ code: d.code, source: d.source, range: d.range })),
      expected.map((d) => ({
        code: d.code,
        source: 'kube-reach',
        range: { start: facade.positionAt(d.uri, d.span.start), end: facade.positionAt(d.uri, d.span.end) },
      })),
      rel,
    );
  }
  const broken = h.publications(uri('shop/broken.yaml')).at(-1) as PublishDiagnosticsParams;
  const syntax = broken.diagnostics.find((d) => d.code === 'yaml-syntax');
  assert.ok(syntax !== undefined, 'yaml-syntax reported');
  assert.equal(syntax.range.start.line, 4, 'at the flow collection on line 5, not line 1');
  assert.equal(syntax.severity, 1);
});

test('code actions round trip: each façade fix becomes a quickfix with its edits', async () => {
  for (const rel of Object.keys(FILES)) {
    const published = h.publications(uri(rel)).at(-1)?.diagnostics ?? [];
    const text = FILES[rel] ?? '';
    const end = facade.positionAt(uri(rel), text.length);
    const actions = (await h.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri(rel) },
      range: { start: { line: 0, character: 0 }, end },
      context: { diagnostics: published },
    })) as CodeAction[];
    const fixes = facade.fixes(uri(rel), { start: 0, end: text.length });
    assert.deepEqual(
      actions.map((a) => ({ title: a.title, kind: a.kind, preferred: a.isPreferred === true, edits: a.edit?.changes })),
      fixes.map((f) => ({
        title: f.title,
        kind: 'quickfix',
        preferred: f.isPreferred === true,
        edits: Object.fromEntries(
          [...new Set(f.edits.map((e) => e.uri))].map((u) => [
            u,
            f.edits
              .filter((e) => e.uri === u)
              .map((e) => ({
                range: { start: facade.positionAt(u, e.span.start), end: facade.positionAt(u, e.span.end) },
                newText: e.newText,
              })),
          ]),
        ),
      })),
      rel,
    );
    for (const a of actions) {
      for (const d of a.diagnostics ?? [])
        assert.ok(
          published.some((p) => p.code === d.code),
          'attached diagnostics come from the context',
        );
    }
  }
  // Only other kinds requested: nothing.
  const none = await h.client.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uri('shop/svc.yaml') },
    range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
    context: { diagnostics: [], only: ['refactor'] },
  });
  assert.deepEqual(none, []);
});

test('hover round trip equals the façade', async () => {
  const probes: Array<[string, string, number]> = [
    ['shop/svc.yaml', 'selector', 2],
    ['shop/svc.yaml', 'wbe', 1],
    ['shop/svc.yaml', 'htp', 1],
    ['shop/deploy.yaml', 'containerPort', 3],
    ['shop/svc.yaml', 'kind', 0],
  ];
  for (const [rel, needle, delta] of probes) {
    const pos = position(rel, needle, delta);
    const got = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri: uri(rel) }, position: pos })) as Hover | null;
    const want = facade.hover(uri(rel), facade.offsetAt(uri(rel), pos));
    if (want === undefined) {
      assert.equal(got, null, `${rel} ${needle}`);
    } else {
      assert.ok(got !== null);
      assert.deepEqual(got.contents, { kind: 'markdown', value: want.contents });
      assert.deepEqual(got.range, { start: facade.positionAt(uri(rel), want.span.start), end: facade.positionAt(uri(rel), want.span.end) });
    }
  }
});

test('completion round trip equals the façade', async () => {
  const probes: Array<[string, string, number]> = [
    ['shop/svc.yaml', 'wbe', 0],
    ['shop/svc.yaml', 'htp', 3],
    ['shop/svc.yaml', 'ports:', 0],
  ];
  for (const [rel, needle, delta] of probes) {
    const pos = position(rel, needle, delta);
    const got = (await h.client.sendRequest('textDocument/completion', {
      textDocument: { uri: uri(rel) },
      position: pos,
    })) as CompletionItem[];
    const want = facade.completion(uri(rel), facade.offsetAt(uri(rel), pos));
    assert.deepEqual(
      got.map((c) => [c.label, c.textEdit]),
      want.map((c) => [
        c.label,
        {
          range: { start: facade.positionAt(uri(rel), c.replace.start), end: facade.positionAt(uri(rel), c.replace.end) },
          newText: c.insertText,
        },
      ]),
    );
  }
});

test('requests on unknown documents or bad positions get empty answers, and the server lives on', async () => {
  const unknown = 'file:///nowhere/at-all.yaml';
  assert.equal(
    await h.client.sendRequest('textDocument/hover', { textDocument: { uri: unknown }, position: { line: 0, character: 0 } }),
    null,
  );
  assert.deepEqual(
    await h.client.sendRequest('textDocument/completion', { textDocument: { uri: unknown }, position: { line: 0, character: 0 } }),
    [],
  );
  const far = { line: 1e6, character: 1e6 };
  await h.client.sendRequest('textDocument/hover', { textDocument: { uri: uri('shop/svc.yaml') }, position: far });
  await h.client.sendRequest('textDocument/completion', { textDocument: { uri: uri('shop/svc.yaml') }, position: far });
  const actions = await h.client.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uri('shop/svc.yaml') },
    range: { start: far, end: far },
    context: { diagnostics: [] },
  });
  assert.ok(Array.isArray(actions));
  // Garbage parameters are answered (an error or an empty result), never a crash.
  await h.client.sendRequest('textDocument/hover', { textDocument: {}, position: null }).catch(() => undefined);
  await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri: 42 }, range: null, context: null }).catch(() => undefined);
  // Still serving.
  const stillThere = await h.client.sendRequest('textDocument/hover', {
    textDocument: { uri: uri('shop/svc.yaml') },
    position: { line: 0, character: 0 },
  });
  assert.ok(stillThere === null || typeof stillThere === 'object');
});

test('definition, references, symbols and code lenses round trip equal the façade', async () => {
  const svc = uri('shop/svc.yaml');
  const deploy = uri('shop/deploy.yaml');
  const conv = (locs: ReadonlyArray<{ uri: string; span: { start: number; end: number } }>) =>
    locs.map((l) => ({ uri: l.uri, range: { start: facade.positionAt(l.uri, l.span.start), end: facade.positionAt(l.uri, l.span.end) } }));
  const atSelector = position('shop/svc.yaml', 'app: wbe', 6);
  const def = (await h.client.sendRequest('textDocument/definition', { textDocument: { uri: svc }, position: atSelector })) as unknown[];
  assert.deepEqual(def, conv(facade.definition(svc, facade.offsetAt(svc, atSelector))));
  const atWorkload = position('shop/deploy.yaml', 'name: web', 6);
  const refs = (await h.client.sendRequest('textDocument/references', {
    textDocument: { uri: deploy },
    position: atWorkload,
    context: { includeDeclaration: false },
  })) as unknown[];
  assert.deepEqual(refs, conv(facade.references(deploy, facade.offsetAt(deploy, atWorkload))));
  const symbols = (await h.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: svc } })) as Array<{ name: string }>;
  assert.deepEqual(
    symbols.map((s) => s.name),
    facade.symbols(svc).map((s) => s.name),
  );
  assert.ok(symbols.length > 0);
  const lenses = (await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri: svc } })) as Array<{
    command?: { title: string; command: string };
  }>;
  assert.deepEqual(
    lenses.map((l) => l.command?.title),
    facade.codeLenses(svc).map((l) => l.title),
  );
  assert.ok(lenses.every((l) => l.command?.command === 'kubeReach.showReferences'));
});

test('diagnostic codes link to their section of docs/rules.md', () => {
  const published = h.publications(uri('shop/broken.yaml')).at(-1)?.diagnostics ?? [];
  const d = published.find((x) => x.code === 'yaml-syntax');
  assert.match(d?.codeDescription?.href ?? '', /\/docs\/rules\.md#yaml-syntax$/);
});

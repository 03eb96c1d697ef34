/**
 * `source.fixAll.kube-reach` (editor.codeActionsOnSave) and "Suppress <code> in this file", on the
 * example workspace: the fix-all action applies every preferred fix of a file at once and never a
 * suppression, and the codes those fixes resolve are gone afterwards; the file-wide suppression
 * silences its code in that file.
 */

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CodeAction, InitializeResult, TextEdit as LspTextEdit } from 'vscode-languageserver';
import { AnalysisHost } from '../../analysis/index.js';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const examples = join(__dirname, '..', '..', 'examples');
const FILES: Record<string, string> = { 'namespaces.yaml': readFileSync(join(examples, 'namespaces.yaml'), 'utf8') };
for (const f of readdirSync(join(examples, 'shop'))) FILES[`shop/${f}`] = readFileSync(join(examples, 'shop', f), 'utf8');

let ws: { root: string; cleanup: () => void };
let h: Harness;
let init: InitializeResult;
const uri = (rel: string): string => pathToUri(join(ws.root, rel));

before(async () => {
  ws = tempWorkspace(FILES);
  h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  init = await h.initialize();
  await h.analysisComplete();
});
after(() => {
  h.dispose();
  ws.cleanup();
});

/** Applies LSP edits to a text (last first). */
function apply(text: string, edits: readonly LspTextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }): number => (starts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

/** Codes of `rel` when its text is replaced by `text`, the rest of the workspace unchanged. */
function codesWith(rel: string, text: string): string[] {
  const host = new AnalysisHost();
  for (const [r, t] of Object.entries(FILES)) host.setFile(uri(r), r === rel ? text : t);
  return host
    .snapshot()
    .diagnosticsFor(uri(rel))
    .map((d) => d.code);
}

async function actions(rel: string, only?: string[]): Promise<CodeAction[]> {
  return (await h.client.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uri(rel) },
    range: { start: { line: 0, character: 0 }, end: { line: 500, character: 0 } },
    context: { diagnostics: [], ...(only === undefined ? {} : { only }) },
  })) as CodeAction[];
}

test('the server offers the fix-all kind', () => {
  const caps = init.capabilities.codeActionProvider;
  assert.ok(typeof caps === 'object' && caps.codeActionKinds?.includes('source.fixAll.kube-reach'));
});

test('source.fixAll applies every preferred fix of the file at once and no suppression', async () => {
  for (const [rel, codes] of [
    ['shop/worker.yaml', ['service-target-port-unknown']],
    ['shop/catalog.yaml', ['service-selector-no-match']],
    ['shop/ingress.yaml', ['ingress-backend-missing', 'ingress-backend-port-missing']],
  ] as const) {
    const text = FILES[rel] ?? '';
    for (const code of codes) assert.ok(codesWith(rel, text).includes(code), `${rel} reports ${code} before`);
    for (const only of [['source.fixAll'], ['source.fixAll.kube-reach'], ['source']]) {
      const list = await actions(rel, only);
      assert.equal(list.length, 1, `${rel} ${JSON.stringify(only)}`);
      const all = list[0];
      assert.ok(all !== undefined);
      assert.equal(all.kind, 'source.fixAll.kube-reach');
      const fixed = apply(text, all.edit?.changes?.[uri(rel)] ?? []);
      assert.doesNotMatch(fixed, /kube-reach-disable/);
      // The fixed findings are gone (a fix may reveal the next one, e.g. a policy on the now-found backend).
      const after = codesWith(rel, fixed);
      for (const code of codes) assert.ok(!after.includes(code), `${rel} after fix-all still has ${code}:\n${fixed}`);
    }
  }
  assert.deepEqual(await actions('namespaces.yaml', ['source.fixAll']), [], 'nothing to fix: no action');
  assert.ok(
    (await actions('shop/worker.yaml')).every((a) => a.kind === 'quickfix'),
    'no fix-all among plain quick-fixes',
  );
});

test('"Suppress <code> in this file" silences the code in that file', async () => {
  const list = await actions('shop/catalog.yaml', ['quickfix']);
  const suppress = list.find((a) => a.title === 'Suppress service-selector-no-match in this file');
  assert.ok(suppress !== undefined, list.map((a) => a.title).join('\n'));
  const text = apply(FILES['shop/catalog.yaml'] ?? '', suppress.edit?.changes?.[uri('shop/catalog.yaml')] ?? []);
  assert.ok(text.startsWith('# kube-reach-disable service-selector-no-match\n'));
  assert.deepEqual(codesWith('shop/catalog.yaml', text), []);
});

test('"Convert to Gateway API" is a refactor.rewrite action on an Ingress; the new-file form only for clients that create files', async () => {
  const caps = init.capabilities.codeActionProvider;
  assert.ok(typeof caps === 'object' && caps.codeActionKinds?.includes('refactor.rewrite'));
  const all = (await actions('shop/ingress.yaml')).filter((a) => a.kind === 'refactor.rewrite');
  const append = all.find((a) => a.title.startsWith('Convert to Gateway API') && a.title.endsWith('(append to this file)'));
  const created = all.find((a) => a.title.includes('(new file '));
  assert.ok(append?.edit?.changes !== undefined, all.map((a) => a.title).join('\n'));
  const edits = append.edit.changes[uri('shop/ingress.yaml')] ?? [];
  const text = apply(FILES['shop/ingress.yaml'] ?? '', edits);
  assert.match(text, /\nkind: HTTPRoute\n/);
  // This client cannot create files (no workspace.workspaceEdit.resourceOperations): no new-file form.
  assert.equal(created, undefined);
  // Only what was asked for: quick-fixes alone bring no refactoring; a file without Ingress has none.
  assert.deepEqual(
    (await actions('shop/ingress.yaml', ['quickfix'])).filter((a) => a.kind === 'refactor.rewrite'),
    [],
  );
  assert.equal((await actions('shop/ingress.yaml', ['refactor'])).length, all.length);
  assert.deepEqual((await actions('shop/api.yaml', ['refactor'])).length, 0);
});

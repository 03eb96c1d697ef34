/**
 * A server that cannot be wedged (issue 20): the hostile corpus opened in the editor, invalid
 * document notifications (text not a string, unknown URIs, out-of-range edits, versions out of
 * order) rejected at the boundary, and after each the server still publishes for the other files
 * and answers requests correctly.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { pathToUri } from '../../server/uris.js';
import { checkDidChange, checkDidOpen } from '../../server/documentGuard.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HOSTILE } from '../support/hostile.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const BROKEN_NAME = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Web_1\nspec:\n  ports:\n  - port: 80\n';
const FIXED_NAME = BROKEN_NAME.replace('Web_1', 'web');

/** The codes last published for `uri`. */
function codes(h: Harness, uri: string): string[] {
  const last = h.publications(uri).at(-1) as PublishDiagnosticsParams | undefined;
  return (last?.diagnostics ?? []).map((d) => String(d.code));
}

/** Edits the healthy file (fixing or breaking its name) and waits for its publication. */
async function roundTrip(h: Harness, uri: string, version: number, text: string): Promise<string[]> {
  const from = h.received.length;
  await h.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  await h.waitFor(
    `diagnostics of version ${version}`,
    (r) =>
      r.method === 'textDocument/publishDiagnostics' &&
      (r.params as PublishDiagnosticsParams).uri === uri &&
      (r.params as PublishDiagnosticsParams).version === version,
    from,
  );
  return codes(h, uri);
}

test('the boundary rejects unsound document notifications', () => {
  assert.equal(checkDidOpen({ textDocument: { uri: 'file:///a.yaml', languageId: 'yaml', version: 1, text: 'a: 1' } }), undefined);
  assert.match(
    checkDidOpen({ textDocument: { uri: 'file:///a.yaml', languageId: 'yaml', version: 1, text: null } }) ?? '',
    /text is not a string/,
  );
  assert.match(checkDidOpen({ textDocument: { uri: 7, languageId: 'yaml', version: 1, text: '' } }) ?? '', /uri/);
  assert.match(checkDidOpen(null) ?? '', /uri/);
  const doc = TextDocument.create('file:///a.yaml', 'yaml', 3, 'a: 1\nb: 2\n');
  const change = (version: number, contentChanges: unknown): unknown => ({ textDocument: { uri: doc.uri, version }, contentChanges });
  const at = (l1: number, c1: number, l2: number, c2: number, text = 'x'): unknown => ({
    range: { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } },
    text,
  });
  assert.equal(checkDidChange(change(4, [at(0, 0, 0, 1)]), doc), undefined);
  assert.equal(checkDidChange(change(4, [at(2, 0, 2, 0)]), doc), undefined, 'the empty last line can be edited');
  assert.match(checkDidChange(change(4, [at(0, 0, 9, 0)]), doc) ?? '', /reaches line 10 of a 3-line document/);
  assert.match(checkDidChange(change(4, [at(1, 0, 0, 0)]), doc) ?? '', /ends before it starts/);
  assert.match(checkDidChange(change(4, [at(0, -1, 0, 0)]), doc) ?? '', /malformed range/);
  assert.match(checkDidChange(change(4, [{ text: null }]), doc) ?? '', /no string text/);
  assert.match(checkDidChange(change(3, [at(0, 0, 0, 1)]), doc) ?? '', /version 3 is not newer than 3/);
  assert.match(checkDidChange(change(2, [at(0, 0, 0, 1)]), doc) ?? '', /not newer/);
  assert.match(checkDidChange(change(4, [at(0, 0, 0, 1)]), undefined) ?? '', /is not open/);
  // Ranges follow the earlier changes of the same notification.
  assert.equal(checkDidChange(change(4, [{ text: 'a\nb\nc\nd\ne\n' }, at(5, 0, 5, 0)]), doc), undefined);
});

test('after hostile files and unsound notifications the server still publishes for the others and answers', async () => {
  const ws = tempWorkspace({ 'ok/svc.yaml': BROKEN_NAME });
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  const healthy = pathToUri(join(ws.root, 'ok/svc.yaml'));
  try {
    await h.initialize();
    await h.analysisComplete();
    assert.deepEqual(codes(h, healthy), ['api-invalid-name']);
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: healthy, languageId: 'yaml', version: 1, text: BROKEN_NAME },
    });
    let version = 1;

    // A didOpen whose text is null, and other unsound notifications: rejected, nothing wedges.
    const nullDoc = pathToUri(join(ws.root, 'null.yaml'));
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: nullDoc, languageId: 'yaml', version: 1, text: null } });
    await h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri: pathToUri(join(ws.root, 'never-opened.yaml')), version: 2 },
      contentChanges: [{ text: 'a: 1' }],
    });
    await h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri: healthy, version: 99 },
      contentChanges: [{ range: { start: { line: 500, character: 0 }, end: { line: 501, character: 0 } }, text: 'x' }],
    });
    await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: 42 } });
    assert.deepEqual(await roundTrip(h, healthy, ++version, FIXED_NAME), [], 'a fixed typo is cleared');
    assert.deepEqual(await roundTrip(h, healthy, ++version, BROKEN_NAME), ['api-invalid-name']);

    // Versions out of order: the older text is not applied; what is published is the newest version's.
    const from = h.received.length;
    await h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri: healthy, version: version - 1 },
      contentChanges: [{ text: FIXED_NAME }],
    });
    assert.deepEqual(await roundTrip(h, healthy, ++version, BROKEN_NAME + '# same\n'), ['api-invalid-name']);
    assert.ok(
      !h.received
        .slice(from)
        .some(
          (r) =>
            r.method === 'textDocument/publishDiagnostics' &&
            (r.params as PublishDiagnosticsParams).uri === healthy &&
            (r.params as PublishDiagnosticsParams).version === version - 2,
        ),
    );

    // The hostile corpus opened one file after another (the short run's cases).
    for (const [i, c] of HOSTILE.filter((x) => x.long !== true).entries()) {
      const uri = pathToUri(join(ws.root, `hostile/${i}.yaml`));
      const text = c.text();
      const start = h.received.length;
      await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      await h.waitFor(
        `diagnostics of ${c.name}`,
        (r) => r.method === 'textDocument/publishDiagnostics' && (r.params as PublishDiagnosticsParams).uri === uri,
        start,
      );
      if (c.expect !== undefined)
        assert.ok(codes(h, uri).includes(c.expect), `${c.name}: expected ${c.expect}, got ${codes(h, uri).join(', ')}`);
      await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
      await h.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
      // The server still answers correctly: a fixed typo in another file is cleared, and broken again.
      assert.deepEqual(await roundTrip(h, healthy, ++version, FIXED_NAME), [], `after ${c.name}`);
      assert.deepEqual(await roundTrip(h, healthy, ++version, BROKEN_NAME), ['api-invalid-name'], `after ${c.name}`);
    }
    const symbols = await h.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: healthy } });
    assert.ok(Array.isArray(symbols) && symbols.length === 1);
  } finally {
    h.dispose();
    ws.cleanup();
  }
});

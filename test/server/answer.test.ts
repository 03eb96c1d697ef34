/**
 * The custom requests' answers (server/handlers/answer.ts): a request the client cancelled before or
 * while the snapshot was awaited gets LSP's RequestCancelled and builds nothing; a throw becomes an
 * InternalError naming the request; otherwise the built value.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancellationToken, CancellationTokenSource, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { AnalysisHost } from '../../analysis/index.js';
import type { Analysis } from '../../analysis/index.js';
import { answer } from '../../server/handlers/answer.js';

const snapshot = (): Analysis => new AnalysisHost().snapshot();

test('answers with what it builds from the snapshot', async () => {
  const r = await answer('kubeReach/x', CancellationToken.None, snapshot, (a) => a.uris().length);
  assert.equal(r, 0);
});

test('a request cancelled before it starts, or while the snapshot is awaited, is RequestCancelled and builds nothing', async () => {
  let built = 0;
  const build = (): number => ++built;
  const before = await answer('kubeReach/x', CancellationToken.Cancelled, snapshot, build);
  assert.ok(before instanceof ResponseError);
  assert.equal(before.code, LSPErrorCodes.RequestCancelled);
  const source = new CancellationTokenSource();
  const during = await answer(
    'kubeReach/x',
    source.token,
    async () => {
      source.cancel();
      await new Promise((r) => setTimeout(r, 1));
      return snapshot();
    },
    build,
  );
  assert.ok(during instanceof ResponseError);
  assert.equal(during.code, LSPErrorCodes.RequestCancelled);
  assert.match(during.message, /kubeReach\/x cancelled/);
  assert.equal(built, 0);
});

test('a throw is an InternalError that names the request', async () => {
  const r = await answer('kubeReach/reachability', CancellationToken.None, snapshot, () => {
    throw new Error('boom');
  });
  assert.ok(r instanceof ResponseError);
  assert.equal(r.code, ErrorCodes.InternalError);
  assert.equal(r.message, 'kubeReach/reachability failed: boom');
});

/**
 * The seeded mutation fuzzer through the language server (issue 20, point 6): each case sends one
 * mutated fixture as the next version of an open document, waits for the diagnostics of exactly
 * that version, then asks hover, completion, definition, code lenses and code actions at a random
 * offset; a case fails when the server answers a request with an error, publishes nothing within
 * the budget or reports a check failure. At the end an unrelated healthy file still round-trips
 * (its typo reported, then cleared, whatever else the mutated file makes of it). `test/server/fuzz.test.ts` runs a short budget, `npm run fuzz`
 * a long one.
 */

import { join } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { isRecord } from '../../analysis/index.js';
import { pathToUri } from '../../server/uris.js';
import { mutate, rng } from '../support/fuzz.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Web_1\nspec:\n  ports:\n  - port: 80\n';
const FIXED = BROKEN.replace('Web_1', 'web');

export interface ServerFuzzResult {
  readonly cases: number;
  readonly slowestMs: number;
  readonly slowest: number;
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return { line, character: offset - lastBreak - 1 };
}

/** Throws (with the seed, case and text) on the first case that fails; returns the slowest case. */
export async function fuzzServer(texts: readonly string[], seed: number, count: number, budgetMs: number): Promise<ServerFuzzResult> {
  const random = rng(seed);
  const ws = tempWorkspace({ 'healthy.yaml': BROKEN });
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  const uri = pathToUri(join(ws.root, 'mutated.yaml'));
  const healthy = pathToUri(join(ws.root, 'healthy.yaml'));
  let slowestMs = 0;
  let slowest = -1;
  const published = async (target: string, version: number, from: number, what: string): Promise<PublishDiagnosticsParams> => {
    const r = await h.waitFor(
      what,
      (m) => {
        const p = m.params as PublishDiagnosticsParams;
        return m.method === 'textDocument/publishDiagnostics' && p.uri === target && p.version === version;
      },
      from,
    );
    return r.params as PublishDiagnosticsParams;
  };
  try {
    await h.initialize();
    await h.analysisComplete();
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: '' } });
    for (let i = 0; i < count; i++) {
      const base = texts[Math.floor(random() * texts.length)] ?? '';
      const text = mutate(base, random);
      const at = position(text, Math.floor(random() * (text.length + 1)));
      const fail = (why: string): Error => new Error(`server fuzz seed ${seed} case ${i}: ${why}\n--- text ---\n${JSON.stringify(text)}`);
      const t0 = performance.now();
      const from = h.received.length;
      const version = i + 2;
      await h.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      const done = published(uri, version, from, `diagnostics of version ${version}`);
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(fail(`no diagnostics within ${budgetMs} ms`)), budgetMs));
      await Promise.race([done, timeout]).catch((e: unknown) => {
        throw e instanceof Error && e.message.startsWith('server fuzz') ? e : fail(String(e));
      });
      const doc = { textDocument: { uri }, position: at };
      try {
        await h.client.sendRequest('textDocument/hover', doc);
        await h.client.sendRequest('textDocument/completion', doc);
        await h.client.sendRequest('textDocument/definition', doc);
        await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri } });
        await h.client.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: { start: at, end: at },
          context: { diagnostics: [] },
        });
      } catch (e) {
        throw fail(`a request failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      const failures = h.received
        .slice(from)
        .filter((m) => m.method === 'kubeReach/analysisComplete')
        .map((m) => (isRecord(m.params) ? m.params['checkFailures'] : undefined))
        .filter((f) => f !== 0 && f !== undefined);
      if (failures.length > 0) throw fail(`checkFailures ${failures.join(', ')}`);
      const ms = performance.now() - t0;
      if (ms > slowestMs) {
        slowestMs = ms;
        slowest = i;
      }
    }
    // The server still serves an unrelated file: a typo is reported, then cleared.
    let from = h.received.length;
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: healthy, languageId: 'yaml', version: 1, text: BROKEN },
    });
    const broken = await published(healthy, 1, from, 'diagnostics of the healthy file');
    from = h.received.length;
    await h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri: healthy, version: 2 },
      contentChanges: [{ text: FIXED }],
    });
    const fixed = await published(healthy, 2, from, 'diagnostics of the fixed healthy file');
    if (!broken.diagnostics.some((d) => d.code === 'api-invalid-name') || fixed.diagnostics.some((d) => d.code === 'api-invalid-name'))
      throw new Error(
        `server fuzz seed ${seed}: after ${count} cases the healthy file was not analysed right: ${JSON.stringify([broken.diagnostics, fixed.diagnostics])}`,
      );
    return { cases: count, slowestMs, slowest };
  } finally {
    h.dispose();
    ws.cleanup();
  }
}

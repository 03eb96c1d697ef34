/**
 * Hover, completion and code actions (server/handlers/editor.ts) and definition, references,
 * document symbols and code lenses (server/handlers/navigation.ts) take the request's
 * cancellation token, through answer.ts: a request the client cancelled before it started, or while the
 * snapshot was awaited, answers RequestCancelled and reads nothing of the snapshot; otherwise the
 * answer is the one the analysis façade gives; a throw is logged and answered empty.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancellationToken, CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type {
  CodeActionParams,
  CodeLensParams,
  CompletionParams,
  DefinitionParams,
  DocumentSymbolParams,
  HoverParams,
  ReferenceParams,
} from 'vscode-languageserver';
import { AnalysisHost, DEFAULT_SETTINGS, positionAt, computeLineStarts } from '../../analysis/index.js';
import type { Analysis } from '../../analysis/index.js';
import { codeActions, completion, hover } from '../../server/handlers/editor.js';
import type { HandlerContext } from '../../server/handlers/editor.js';
import { codeLenses, definition, documentSymbols, references } from '../../server/handlers/navigation.js';

const URI = 'file:///ws/shop.yaml';
const TEXT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: htp
`;

function at(needle: string): { line: number; character: number } {
  const offset = TEXT.indexOf(needle);
  assert.ok(offset >= 0, needle);
  return positionAt(computeLineStarts(TEXT), offset);
}

const doc = { uri: URI };
const HOVER: HoverParams = { textDocument: doc, position: at('Service') };
const COMPLETION: CompletionParams = { textDocument: doc, position: at('htp') };
const whole = { start: { line: 0, character: 0 }, end: at('htp') };
const ACTIONS: CodeActionParams = { textDocument: doc, range: whole, context: { diagnostics: [] } };
// The Service's selector value: its definition is the Deployment's pod template labels.
const DEFINITION: DefinitionParams = { textDocument: doc, position: at('web\n  ports') };
// The Deployment's pod label: the Service's selector references it.
const REFERENCES: ReferenceParams = { textDocument: doc, position: at('web\n    spec'), context: { includeDeclaration: false } };
const SYMBOLS: DocumentSymbolParams = { textDocument: doc };
const LENSES: CodeLensParams = { textDocument: doc };

interface Setup {
  readonly ctx: HandlerContext;
  readonly host: AnalysisHost;
  readonly logged: string[];
  /** Names of the snapshot's members the request read. */
  readonly reads: string[];
}

/** A context whose snapshot is handed out through `snapshot` (default: at once), every read of it recorded. */
function setup(snapshot?: (real: () => Analysis) => Analysis | Promise<Analysis>): Setup {
  const host = new AnalysisHost();
  host.setFile(URI, TEXT);
  const reads: string[] = [];
  const logged: string[] = [];
  const watched = (): Analysis =>
    new Proxy(host.snapshot(), {
      get(target, p, receiver) {
        // Awaiting a value asks for its `then`: that is not the request reading the snapshot.
        if (p !== 'then') reads.push(String(p));
        const v: unknown = Reflect.get(target, p, receiver);
        return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
      },
    });
  const ctx: HandlerContext = {
    host,
    clientUri: (k) => k,
    log: (m) => logged.push(m),
    ide: () => ({}),
    createsFiles: () => true,
    helm: { roots: () => [], settings: () => DEFAULT_SETTINGS, readTextFile: () => undefined },
    snapshot: () => (snapshot === undefined ? watched() : snapshot(watched)),
  };
  return { ctx, host, logged, reads };
}

const requests = [
  { name: 'hover', run: (ctx: HandlerContext, token: CancellationToken) => hover(ctx, HOVER, token) },
  { name: 'completion', run: (ctx: HandlerContext, token: CancellationToken) => completion(ctx, COMPLETION, token) },
  { name: 'code actions', run: (ctx: HandlerContext, token: CancellationToken) => codeActions(ctx, ACTIONS, token) },
  { name: 'definition', run: (ctx: HandlerContext, token: CancellationToken) => definition(ctx, DEFINITION, token) },
  { name: 'references', run: (ctx: HandlerContext, token: CancellationToken) => references(ctx, REFERENCES, token) },
  { name: 'document symbols', run: (ctx: HandlerContext, token: CancellationToken) => documentSymbols(ctx, SYMBOLS, token) },
  { name: 'code lenses', run: (ctx: HandlerContext, token: CancellationToken) => codeLenses(ctx, LENSES, token) },
];

function assertCancelled(r: unknown): void {
  assert.ok(r instanceof ResponseError, `expected RequestCancelled, got ${JSON.stringify(r)}`);
  assert.equal(r.code, LSPErrorCodes.RequestCancelled);
  assert.match(r.message, /^textDocument\/\w+ cancelled$/);
}

for (const { name, run } of requests) {
  test(`${name}: answers what the analysis gives when not cancelled`, async () => {
    const { ctx, reads, logged } = setup();
    const r = await run(ctx, CancellationToken.None);
    assert.ok(!(r instanceof ResponseError));
    assert.ok(r !== null && (!Array.isArray(r) || r.length > 0), `${name} answered nothing`);
    assert.ok(reads.length > 0);
    assert.deepEqual(logged, []);
  });

  test(`${name}: cancelled before it starts, it is RequestCancelled and takes no snapshot`, async () => {
    let taken = 0;
    const { ctx, reads } = setup((real) => {
      taken++;
      return real();
    });
    assertCancelled(await run(ctx, CancellationToken.Cancelled));
    assert.equal(taken, 0);
    assert.deepEqual(reads, []);
  });

  test(`${name}: cancelled while the snapshot is awaited, it is RequestCancelled and reads nothing of it`, async () => {
    const source = new CancellationTokenSource();
    const { ctx, reads } = setup(async (real) => {
      const s = real();
      source.cancel();
      await new Promise((r) => setTimeout(r, 1));
      return s;
    });
    assertCancelled(await run(ctx, source.token));
    assert.deepEqual(reads, []);
  });

  test(`${name}: a throw is logged and answered empty`, async () => {
    const { ctx, logged } = setup(() => {
      throw new Error('boom');
    });
    const r = await run(ctx, CancellationToken.None);
    assert.ok(r === null || (Array.isArray(r) && r.length === 0));
    assert.equal(logged.length, 1);
    assert.match(logged[0] ?? '', /^textDocument\/\w+ failed: Error: boom/);
  });
}

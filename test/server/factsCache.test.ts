/**
 * The warm-start cache on disk (server/factsCache.ts) and in the server: a second server over the
 * same workspace with the same storage folder reads every file's facts instead of parsing and
 * publishes the same diagnostics; a changed file is parsed again; a truncated, corrupt, foreign
 * (another build or format) or other-settings cache file is ignored as a whole, with a line in the
 * log; nothing is written to the workspace; without a storage folder nothing is written at all.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../analysis/index.js';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { FactsCache, cacheFileFor, loadFactsCache } from '../../server/factsCache.js';
import { factsCacheSettingsKey } from '../../analysis/index.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

function app(i: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${i}`,
    '  namespace: shop',
    'spec:',
    '  template:',
    '    metadata:',
    `      labels: {app: app-${i}}`,
    '    spec:',
    '      containers:',
    '        - name: c',
    '          ports: [{name: http, containerPort: 8080}]',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: app-${i}`,
    '  namespace: shop',
    'spec:',
    // Every third Service selects nothing: findings to compare.
    `  selector: {app: app-${i}${i % 3 === 0 ? 'x' : ''}}`,
    '  ports: [{port: 80, targetPort: http}]',
    '',
  ].join('\n');
}

const FILES = 30;
let ws: { root: string; cleanup: () => void };
let storage: string;
before(() => {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`apps/app-${i}.yaml`] = app(i);
  ws = tempWorkspace(files);
  storage = mkdtempSync(join(tmpdir(), 'kube-reach-storage-'));
});
after(() => {
  ws.cleanup();
  rmSync(storage, { recursive: true, force: true });
});

interface Run {
  readonly diagnostics: string[];
  readonly parses: number;
  readonly restored: number;
  readonly logs: string[];
}

/** One server lifetime over the workspace: the cold pass, then shutdown (which writes the cache). */
async function serve(options: unknown): Promise<Run> {
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    await h.initialize(options);
    await h.analysisComplete();
    const latest = new Map<string, PublishDiagnosticsParams>();
    for (const r of h.received)
      if (r.method === 'textDocument/publishDiagnostics')
        latest.set((r.params as PublishDiagnosticsParams).uri, r.params as PublishDiagnosticsParams);
    const diagnostics = [...latest.values()]
      .flatMap((p) => p.diagnostics.map((d) => `${p.uri}|${d.range.start.line}|${String(d.code)}|${d.message}`))
      .sort();
    const { parses, restored } = h.server.host.stats;
    await h.client.sendRequest('shutdown');
    const logs = h.received.filter((r) => r.method === 'window/logMessage').map((r) => String((r.params as { message?: unknown }).message));
    return { diagnostics, parses, restored, logs };
  } finally {
    h.dispose();
  }
}

function workspaceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else out.push(join(dir, e.name));
    }
  };
  walk(ws.root);
  return out.sort();
}

test('a warm start reads the facts, parses nothing, and publishes the same diagnostics', async () => {
  const before = workspaceFiles();
  const cold = await serve({ cacheDir: storage });
  assert.equal(cold.parses, FILES);
  assert.equal(cold.restored, 0);
  assert.ok(cold.diagnostics.length >= FILES / 3, 'findings to compare');
  const file = cacheFileFor(storage, [ws.root]);
  assert.ok(
    cold.logs.some((l) => l.startsWith('Warm-start cache written')),
    'written at shutdown',
  );
  assert.deepEqual(workspaceFiles(), before, 'nothing is written to the workspace');
  assert.equal(loadFactsCache(file, 'other', '').problem?.includes('another Kube Reach build'), true);

  const warm = await serve({ cacheDir: storage });
  assert.equal(warm.parses, 0);
  assert.equal(warm.restored, FILES);
  assert.deepEqual(warm.diagnostics, cold.diagnostics);
  assert.ok(warm.logs.some((l) => l.includes(`${FILES} of ${FILES} files' facts read`)));
  // Nothing changed: the check results are read too (equal diagnostics above, without running a check).
  assert.ok(warm.logs.some((l) => l.includes('check results read')));
  assert.ok(!cold.logs.some((l) => l.includes('check results read')));

  // A file changed on disk since: it alone is parsed; its diagnostics are the new text's.
  const changed = join(ws.root, 'apps/app-1.yaml');
  const original = readFileSync(changed, 'utf8');
  writeFileSync(changed, original.replace('selector: {app: app-1}', 'selector: {app: app-1x}'));
  try {
    const stale = await serve({ cacheDir: storage });
    assert.equal(stale.parses, 1);
    assert.equal(stale.restored, FILES - 1);
    assert.ok(stale.logs.some((l) => l.includes('(1 changed since)')));
    assert.ok(!stale.logs.some((l) => l.includes('check results read')), 'one file changed: the checks run');
    assert.ok(stale.diagnostics.some((d) => d.includes('app-1.yaml') && d.includes('service-selector-no-match')));
  } finally {
    writeFileSync(changed, original);
  }
});

test('a truncated, corrupt, foreign or other-settings cache file is ignored as a whole', async () => {
  await serve({ cacheDir: storage });
  const file = cacheFileFor(storage, [ws.root]);
  const good = readFileSync(file);
  const key = factsCacheSettingsKey(DEFAULT_SETTINGS);
  const header = good.subarray(0, good.indexOf(0x0a, good.indexOf(0x0a) + 1) + 1).toString('utf8');
  const flipped = Buffer.from(good);
  flipped[flipped.length - 10] = (flipped[flipped.length - 10] ?? 0) ^ 0xff;
  // A payload its checksum vouches for that is still not the codec's (a writer's bug, a foreign
  // tool): the codec itself refuses it (analysis/cache/codec.ts).
  const resealed = (payload: Buffer): Buffer => {
    const h = JSON.parse(header.slice(header.indexOf('\n') + 1)) as Record<string, unknown>;
    const sealed = { ...h, bytes: payload.length, sha256: createHash('sha256').update(payload).digest('base64url') };
    return Buffer.concat([Buffer.from(header.slice(0, header.indexOf('\n') + 1)), Buffer.from(`${JSON.stringify(sealed)}\n`), payload]);
  };
  const payload = good.subarray(header.length);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['truncated', good.subarray(0, good.length - 100), /truncated/],
    ['cut payload, checksum matching', resealed(payload.subarray(0, payload.length - 7)), /corrupt \(truncated/],
    [
      'a byte after the pack, checksum matching',
      resealed(Buffer.concat([payload, Buffer.from([0xee])])),
      /corrupt \(1 bytes? after the value/,
    ],
    [
      'another codec version, checksum matching',
      resealed(Buffer.concat([Buffer.from([9]), payload.subarray(1)])),
      /corrupt \(not codec version/,
    ],
    [
      'another format',
      Buffer.from(good.toString('latin1').replace(header, header.replace(/"format":\d+/, '"format":1')), 'latin1'),
      /format 1, expected/,
    ],
    ['cut inside the header', good.subarray(0, 30), /truncated|not a Kube Reach cache/],
    ['corrupt payload', flipped, /checksum/],
    ['not a cache', Buffer.from('hello'), /not a Kube Reach cache/],
    [
      'another build',
      Buffer.from(good.toString('latin1').replace(/"analysis":"[^"]*"/, '"analysis":"0.0.0+other"'), 'latin1'),
      /another Kube Reach build/,
    ],
    [
      'other settings',
      Buffer.from(good.toString('latin1').replace(header, header.replace(/"settings":"(?:[^"\\]|\\.)*"/, '"settings":"{}"')), 'latin1'),
      /other settings/,
    ],
  ];
  for (const [what, bytes, problem] of cases) {
    writeFileSync(file, bytes);
    assert.match(loadFactsCache(file, new FactsCache(file).build, key).problem ?? '', problem, what);
    const run = await serve({ cacheDir: storage });
    assert.equal(run.restored, 0, what);
    assert.equal(run.parses, FILES, what);
    assert.ok(
      run.logs.some((l) => problem.test(l) && l.includes('ignored')),
      `${what}: the log says why`,
    );
    // The next start is warm again: the ignored file was replaced.
    assert.equal(loadFactsCache(file, new FactsCache(file).build, key).problem, undefined, `${what}: rewritten`);
  }
});

test('without a storage folder (kubeReach.server.cache off) nothing is written', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'kube-reach-storage-'));
  try {
    const before = workspaceFiles();
    const run = await serve(undefined);
    assert.equal(run.restored, 0);
    assert.ok(!run.logs.some((l) => l.includes('Warm-start cache')));
    assert.deepEqual(workspaceFiles(), before);
    assert.deepEqual(readdirSync(empty), []);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

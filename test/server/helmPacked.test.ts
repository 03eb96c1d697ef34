/**
 * A chart with a packed subchart (`charts/*.tgz`) through the server: hover and completion on the
 * parent's `.Values.<subchart>…` read the archive's values.yaml (as the render does), definition
 * opens the archive's dependency entry in Chart.yaml (no file inside the archive to open), and an API error in the packed
 * subchart's template is published on the parent's Chart.yaml dependency entry.
 */

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { CompletionItem, Hover, Location, PublishDiagnosticsParams } from 'vscode-languageserver';
import { pathToUri } from '../../server/uris.js';
import { tar } from '../support/tar.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const CHART = 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    alias: redis\n';
const TEMPLATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  memory: {{ .Values.redis.maxMemory | quote }}\n';

let ws: { root: string; cleanup: () => void };
let h: Harness;
const uri = (rel: string): string => pathToUri(join(ws.root, rel));

before(async () => {
  ws = tempWorkspace({
    'shop/Chart.yaml': CHART,
    'shop/values.yaml': 'redis:\n  port: 6380\n',
    'shop/templates/configmap.yaml': TEMPLATE,
  });
  mkdirSync(join(ws.root, 'shop', 'charts'));
  writeFileSync(
    join(ws.root, 'shop', 'charts', 'cache-1.0.0.tgz'),
    gzipSync(
      tar({
        'cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.0.0\n',
        'cache/values.yaml': '# Memory limit of the cache.\nmaxMemory: 64mb\nport: 6379\n',
        'cache/templates/service.yaml':
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: cache\nspec:\n  selector:\n    app: cache\n  ports:\n    - port: {{ .Values.port }}\n      protocol: tcp\n',
      }),
    ),
  );
  h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  await h.initialize();
  await h.analysisComplete();
});
after(() => {
  h.dispose();
  ws.cleanup();
});

const at = (needle: string, delta: number): { line: number; character: number } => {
  const offset = TEMPLATE.indexOf(needle) + delta;
  const before = TEMPLATE.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
};

test("hover on a packed subchart's value shows its default from the archive; definition opens its dependency entry", async () => {
  const rel = 'shop/templates/configmap.yaml';
  const hov = (await h.client.sendRequest('textDocument/hover', {
    textDocument: { uri: uri(rel) },
    position: at('.Values.redis.maxMemory', 'Values.redis.max'.length),
  })) as Hover | null;
  assert.ok(hov !== null);
  const value = typeof hov.contents === 'object' && 'value' in hov.contents ? hov.contents.value : '';
  assert.match(value, /Memory limit of the cache\./);
  assert.match(value, /Default in `shop\/charts\/cache-1\.0\.0\.tgz: cache\/values\.yaml` \(subchart `redis`\):\n```yaml\n64mb\n```/);
  const locs = (await h.client.sendRequest('textDocument/definition', {
    textDocument: { uri: uri(rel) },
    position: at('.Values.redis.maxMemory', 'Values.redis.max'.length),
  })) as Location[] | null;
  // The default lives inside the archive: definition opens the archive's dependency entry (`- name: cache`).
  assert.deepEqual(
    (locs ?? []).map((l) => [l.uri, l.range.start]),
    [[uri('shop/Chart.yaml'), { line: 4, character: 10 }]],
  );
});

test("completion after a packed subchart's name offers the archive's keys, the parent's value over its default", async () => {
  const rel = 'shop/templates/configmap.yaml';
  const text = TEMPLATE.replace('.Values.redis.maxMemory', '.Values.redis.');
  await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rel), languageId: 'helm', version: 1, text } });
  const offset = text.indexOf('.Values.redis.') + '.Values.redis.'.length;
  const lines = text.slice(0, offset).split('\n');
  const items = (await h.client.sendRequest('textDocument/completion', {
    textDocument: { uri: uri(rel) },
    position: { line: lines.length - 1, character: (lines[lines.length - 1] ?? '').length },
    context: { triggerKind: 2, triggerCharacter: '.' },
  })) as CompletionItem[];
  assert.deepEqual(items.map((i) => [i.label, i.detail]).sort(), [
    ['maxMemory', '64mb'],
    ['port', '6380'],
  ]);
  await h.client.sendNotification('textDocument/didOpen', {
    textDocument: { uri: uri(rel), languageId: 'helm', version: 2, text: TEMPLATE },
  });
  await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rel) } });
});

test("an API error in a packed subchart's template is published on the parent's dependency entry", async () => {
  const published: PublishDiagnosticsParams | undefined = h.publications(uri('shop/Chart.yaml')).at(-1);
  const d = published?.diagnostics.find((x) => x.code === 'api-unsupported-value');
  assert.ok(d !== undefined, JSON.stringify(published));
  assert.match(
    typeof d.message === 'string' ? d.message : d.message.value,
    /^charts\/cache-1\.0\.0\.tgz: cache\/templates\/service\.yaml:10 \(packed subchart redis\): spec\.ports\[0\]\.protocol: Unsupported value: "tcp"/,
  );
  assert.deepEqual(d.range.start, { line: 4, character: 10 });
});

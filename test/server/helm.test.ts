/**
 * Helm charts through the server (server/helm.ts): `kubeReach/renderTemplate` returns a template's
 * manifests exactly as `kube-reach render` prints them for the same chart, values files and release
 * (from `.kube-reach.yaml`'s `helm:` settings), renders unsaved edits, and names the file and the
 * function when a template cannot be rendered; hover, definition and completion on `.Values…` and
 * `include "x"` answer from values.yaml, the values files and the `define` in `_helpers.tpl`.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CompletionItem, Hover, Location } from 'vscode-languageserver';
import { main } from '../../cli/main.js';
import { FILE_STATUS_METHOD, RENDER_TEMPLATE_METHOD } from '../../protocol/lsp.js';
import type { FileStatusResult, RenderTemplateResult } from '../../protocol/lsp.js';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const FILES: Record<string, string> = {
  '.kube-reach.yaml': 'helm:\n  valueFiles:\n    charts/shop: [deploy/prod.yaml]\n  releaseName: prod\n  namespace: shop\n',
  'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\nappVersion: "1.2.0"\n',
  'charts/shop/values.yaml': `# Pods of the web tier.
replicaCount: 1
image:
  repository: registry.example.com/shop
  # -- The image tag.
  tag: "1.2.0"
service:
  port: 80
`,
  'deploy/prod.yaml': 'replicaCount: 3\nimage:\n  tag: "1.3.0"\n',
  'charts/shop/templates/_helpers.tpl': `{{- define "shop.fullname" -}}
{{ .Release.Name }}-{{ .Chart.Name }}
{{- end }}
`,
  'charts/shop/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`,
  'charts/shop/templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  ports:
    - port: {{ .Values.service.port }}
`,
  'charts/shop/templates/broken.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ noSuchFunction .Values.x }}
`,
  'plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: a.b\n',
};

let ws: { root: string; cleanup: () => void };
let h: Harness;
const uri = (rel: string): string => pathToUri(join(ws.root, rel));

before(async () => {
  ws = tempWorkspace(FILES);
  h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  await h.initialize();
  await h.analysisComplete();
});
after(() => {
  h.dispose();
  ws.cleanup();
});

function position(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset !== -1, needle);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
}

async function render(rel: string): Promise<RenderTemplateResult> {
  const r = (await h.client.sendRequest(RENDER_TEMPLATE_METHOD, { uri: uri(rel) })) as RenderTemplateResult | null;
  assert.ok(r !== null, rel);
  return r;
}

/** `kube-reach render`'s output for the chart with the same values files and release, cut to one template's documents. */
async function cliRender(source: string): Promise<string> {
  let out = '';
  await main(['render', 'charts/shop', '--values', 'deploy/prod.yaml', '--release', 'prod', '--namespace', 'shop'], {
    stdout: (s) => (out += s),
    stderr: () => undefined,
    cwd: ws.root,
  });
  return out
    .split(/(?=^---\n)/m)
    .filter((d) => d.startsWith(`---\n# Source: ${source}\n`))
    .join('');
}

test("renderTemplate returns the template's documents as kube-reach render prints them, with the configured values and release", async () => {
  const r = await render('charts/shop/templates/deployment.yaml');
  assert.equal(r.ok, true, r.message);
  const expected = await cliRender('shop/templates/deployment.yaml');
  assert.notEqual(expected, '');
  assert.equal(r.text, expected);
  assert.match(r.text, /replicas: 3/);
  assert.match(r.text, /image: "registry\.example\.com\/shop:1\.3\.0"/);
  assert.match(r.text, /name: prod-shop/);
  assert.deepEqual(r.valueFiles, ['charts/shop/values.yaml', 'deploy/prod.yaml']);
  assert.equal(r.template, 'shop/templates/deployment.yaml');
});

test('renderTemplate renders the unsaved text of an open template', async () => {
  const rel = 'charts/shop/templates/service.yaml';
  const text = (FILES[rel] ?? '').replace('port: {{ .Values.service.port }}', 'port: {{ add .Values.service.port 1 }}');
  await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rel), languageId: 'helm', version: 1, text } });
  const r = await render(rel);
  assert.equal(r.ok, true, r.message);
  assert.match(r.text, /port: 81/);
  await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rel) } });
});

test('renderTemplate names the file and the function when a template cannot be rendered, and refuses partials and plain files', async () => {
  const broken = await render('charts/shop/templates/broken.yaml');
  assert.equal(broken.ok, false);
  assert.equal(broken.text, '');
  assert.match(broken.message ?? '', /shop\/templates\/broken\.yaml cannot be rendered: function "noSuchFunction" is not supported/);
  assert.ok(broken.notes.some((n) => n.includes('noSuchFunction')));
  const partial = await render('charts/shop/templates/_helpers.tpl');
  assert.equal(partial.ok, false);
  assert.match(partial.message ?? '', /partial/);
  const plain = await render('plain.yaml');
  assert.equal(plain.ok, false);
  assert.match(plain.message ?? '', /Not a Helm chart template/);
  assert.equal(await h.client.sendRequest(RENDER_TEMPLATE_METHOD, { nope: 1 }), null);
});

test('hover on .Values shows the default, its comment and the values file that sets it', async () => {
  const rel = 'charts/shop/templates/deployment.yaml';
  const hov = (await h.client.sendRequest('textDocument/hover', {
    textDocument: { uri: uri(rel) },
    position: position(FILES[rel] ?? '', '.Values.image.tag', 'Values.image.t'.length),
  })) as Hover | null;
  assert.ok(hov !== null);
  const value = typeof hov.contents === 'object' && 'value' in hov.contents ? hov.contents.value : '';
  assert.match(value, /\.Values\.image\.tag/);
  assert.match(value, /The image tag\./);
  assert.match(value, /Default in `charts\/shop\/values\.yaml`:\n```yaml\n"1\.2\.0"\n```/);
  assert.match(value, /Set in `deploy\/prod\.yaml`/);
  // What the action wrote in the chart's render, with the values file of the settings.
  assert.match(value, /Rendered with the chart's values and kubeReach\.helm\.\*:\n```yaml\n1\.3\.0\n```/);
});

test("hover on an action shows what it wrote in the chart's render: an include through its define, an action without a values path alone", async () => {
  const rel = 'charts/shop/templates/deployment.yaml';
  const text = FILES[rel] ?? '';
  const at = async (needle: string, into: number): Promise<string> => {
    const hov = (await h.client.sendRequest('textDocument/hover', {
      textDocument: { uri: uri(rel) },
      position: position(text, needle, into),
    })) as Hover | null;
    return hov !== null && typeof hov.contents === 'object' && 'value' in hov.contents ? hov.contents.value : '';
  };
  const include = await at('"shop.fullname"', 3);
  assert.match(include, /Defined in `charts\/shop\/templates\/_helpers\.tpl` line 1/);
  assert.match(include, /Rendered with the chart's values and kubeReach\.helm\.\*:\n```yaml\nprod-shop\n```/);
  const namespace = await at('{{ .Release.Namespace }}', 5);
  assert.match(namespace, /^\*\*`\{\{ … \}\}`\*\*\n\nRendered with the chart's values and kubeReach\.helm\.\*:\n```yaml\nshop\n```$/);
});

test('definition jumps from .Values to values.yaml and the values file, and from include to the define', async () => {
  const rel = 'charts/shop/templates/deployment.yaml';
  const text = FILES[rel] ?? '';
  const locs = (await h.client.sendRequest('textDocument/definition', {
    textDocument: { uri: uri(rel) },
    position: position(text, '.Values.replicaCount', 10),
  })) as Location[];
  assert.deepEqual(locs, [
    {
      uri: uri('charts/shop/values.yaml'),
      range: {
        start: position(FILES['charts/shop/values.yaml'] ?? '', 'replicaCount'),
        end: position(FILES['charts/shop/values.yaml'] ?? '', 'replicaCount', 12),
      },
    },
    { uri: uri('deploy/prod.yaml'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } } },
  ]);
  const helpers = FILES['charts/shop/templates/_helpers.tpl'] ?? '';
  const def = (await h.client.sendRequest('textDocument/definition', {
    textDocument: { uri: uri(rel) },
    position: position(text, '"shop.fullname"', 3),
  })) as Location[];
  assert.deepEqual(def, [
    {
      uri: uri('charts/shop/templates/_helpers.tpl'),
      range: { start: position(helpers, '"shop.fullname"'), end: position(helpers, '"shop.fullname"', '"shop.fullname"'.length) },
    },
  ]);
});

test('completion after .Values. offers the keys with their values; a "." elsewhere offers nothing', async () => {
  const rel = 'charts/shop/templates/deployment.yaml';
  const text = (FILES[rel] ?? '').replace('{{ .Values.replicaCount }}', '{{ .Values.image. }}');
  await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rel), languageId: 'helm', version: 1, text } });
  const items = (await h.client.sendRequest('textDocument/completion', {
    textDocument: { uri: uri(rel) },
    position: position(text, '.Values.image. }}', '.Values.image.'.length),
    context: { triggerKind: 2, triggerCharacter: '.' },
  })) as CompletionItem[];
  assert.deepEqual(items.map((i) => [i.label, i.detail]).sort(), [
    ['repository', 'registry.example.com/shop'],
    ['tag', '"1.3.0"'],
  ]);
  await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rel) } });
  const plain = FILES['plain.yaml'] ?? '';
  const none = (await h.client.sendRequest('textDocument/completion', {
    textDocument: { uri: uri('plain.yaml') },
    position: position(plain, 'a.b', 2),
    context: { triggerKind: 2, triggerCharacter: '.' },
  })) as CompletionItem[];
  assert.deepEqual(none, []);
});

test('fileStatus names the chart and its values files for a template, and counts the objects of other files', async () => {
  const template = (await h.client.sendRequest(FILE_STATUS_METHOD, {
    uri: uri('charts/shop/templates/deployment.yaml'),
  })) as FileStatusResult;
  assert.equal(template.chart, 'shop');
  assert.deepEqual(template.valueFiles, ['charts/shop/values.yaml', 'deploy/prod.yaml']);
  const plain = (await h.client.sendRequest(FILE_STATUS_METHOD, { uri: uri('plain.yaml') })) as FileStatusResult;
  assert.deepEqual(plain, { objects: 1 });
  assert.equal(await h.client.sendRequest(FILE_STATUS_METHOD, { uri: uri('nowhere.yaml') }), null);
});

test('what a chart cannot render is logged once per chart and message, however many passes run', async () => {
  const notes = (): string[] =>
    h.received
      .filter((r) => r.method === 'window/logMessage')
      .map((r) => String((r.params as { message?: unknown }).message))
      .filter((m) => m.startsWith('Helm: chart '));
  assert.ok(
    notes().some((n) => /templates\/broken\.yaml \(function "noSuchFunction" is not supported\)/.test(n)),
    notes().join('\n'),
  );
  assert.equal(new Set(notes()).size, notes().length, 'no note twice');
  // The templates that include _helpers.tpl render: the server hands the chart's partials to the renders.
  assert.ok(!notes().some((n) => /no template|shop\.fullname/.test(n)), notes().join('\n'));
  const before = notes().length;
  // Passes that leave the chart's note as it is log nothing new.
  const rel = 'charts/shop/values.yaml';
  for (const [version, text] of [
    [1, `${FILES[rel] ?? ''}# edited\n`],
    [2, FILES[rel] ?? ''],
  ] as const) {
    const from = h.received.length;
    if (version === 1)
      await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rel), languageId: 'yaml', version, text } });
    else
      await h.client.sendNotification('textDocument/didChange', {
        textDocument: { uri: uri(rel), version },
        contentChanges: [{ text }],
      });
    await h.analysisComplete(from);
  }
  assert.equal(notes().length, before, notes().join('\n'));
  await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rel) } });
});

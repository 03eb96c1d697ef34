/**
 * `kube-reach check` on Helm charts: the chart is rendered (partials read from disk), findings land
 * on template lines, `--values`/`--set`/`--set-string`/`--release`/`--namespace` mean what they
 * mean for `render`, and a template that cannot render is a note on stderr, never a finding.
 */

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { tar } from '../support/tar.js';
import { runCli as run } from '../support/cli.js';

/** A chart on disk whose Service forwards to `.Values.service.targetPort`; its Deployment names port "http". */
function chart(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-check-helm-'));
  const files: Record<string, string> = {
    'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'web/values.yaml': 'service:\n  targetPort: http\nmetrics:\n  enabled: false\n',
    'web/templates/_helpers.tpl': [
      '{{- define "web.selectorLabels" -}}',
      'app.kubernetes.io/name: {{ .Chart.Name }}',
      'app.kubernetes.io/instance: {{ .Release.Name }}',
      '{{- end }}',
      '',
    ].join('\n'),
    'web/templates/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}-web',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      {{- include "web.selectorLabels" . | nindent 6 }}',
      '  template:',
      '    metadata:',
      '      labels:',
      '        {{- include "web.selectorLabels" . | nindent 8 }}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: web',
      '          ports:',
      '            - name: http',
      '              containerPort: 8080',
      '',
    ].join('\n'),
    'web/templates/service.yaml': [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: {{ .Release.Name }}-web',
      'spec:',
      '  ports:',
      '    - port: 80',
      '      targetPort: {{ .Values.service.targetPort }}',
      '  selector:',
      '    {{- include "web.selectorLabels" . | nindent 4 }}',
      '',
    ].join('\n'),
    ...extra,
  };
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const TARGET_LINE = 'web/templates/service.yaml:8:';

test('a chart is rendered with its partials and values.yaml: a correct chart has no findings', async () => {
  const r = await run(['check', 'web'], chart());
  assert.equal(r.out, '');
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /note/);
});

test('--set and --set-string change the values; the finding lands on the template line of the action', async () => {
  const dir = chart();
  for (const flag of ['--set', '--set-string']) {
    const r = await run(['check', 'web', flag, 'service.targetPort=metrics'], dir);
    assert.match(r.out, new RegExp(`^${TARGET_LINE}\\d+: warning service-target-port-unknown: .*"metrics"`, 'm'), flag);
  }
  // The JSON output names the values.yaml entry the action reads.
  const j = await run(['check', 'web', '--set', 'service.targetPort=metrics', '--format', 'json'], dir);
  const d = (JSON.parse(j.out) as { diagnostics: Array<{ code: string; relatedInformation?: Array<{ file: string; message: string }> }> })
    .diagnostics;
  const f = d.find((x) => x.code === 'service-target-port-unknown');
  assert.ok(f?.relatedInformation?.some((x) => x.file === 'web/values.yaml' && x.message.includes('.Values.service.targetPort')));
});

test('--values files apply in order, --set over them', async () => {
  const dir = chart({ 'prod.yaml': 'service:\n  targetPort: grpc\n', 'fix.yaml': 'service:\n  targetPort: http\n' });
  const one = await run(['check', 'web', '--values', 'prod.yaml'], dir);
  assert.match(one.out, new RegExp(`^${TARGET_LINE}.*"grpc"`, 'm'));
  const two = await run(['check', 'web', '--values', 'prod.yaml', '--values', 'fix.yaml'], dir);
  assert.equal(two.out, '');
  const set = await run(['check', 'web', '--values', 'fix.yaml', '--set', 'service.targetPort=admin'], dir);
  assert.match(set.out, /"admin"/);
  const missing = await run(['check', 'web', '--values', 'nope.yaml'], dir);
  assert.equal(missing.code, 2);
});

test('--namespace binds the release; --release names it', async () => {
  const r = await run(['check', 'web', '--set', 'service.targetPort=metrics', '--namespace', 'shop', '--release', 'prod'], chart());
  assert.match(r.out, /Service "shop\/prod-web"/);
});

test('a false condition renders nothing; an unsupported function is a note, never a yaml-syntax finding', async () => {
  const dir = chart({
    'web/templates/metrics.yaml': [
      '{{- if .Values.metrics.enabled }}',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: {{ .Release.Name }}-metrics',
      'spec:',
      '  ports: [{port: 9090, targetPort: metrics}]',
      '  selector: {{- include "web.selectorLabels" . | nindent 4 }}',
      '{{- end }}',
      '',
    ].join('\n'),
    'web/templates/odd.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\n  labels: {{- include "web.selectorLabels" . | nindent 4 }}\n    x: {{ frobnicate 1 }}\n',
  });
  const r = await run(['check', 'web'], dir);
  assert.equal(r.out, '');
  assert.match(r.err, /note: web: not rendered, read as templates: templates\/odd\.yaml \(function "frobnicate" is not supported\)/);
  // A template the engine cannot run leaves what the chart installs unknown (as a missing dependency
  // does): the metrics Service's port name is not judged while odd.yaml is there, and is once it is gone.
  const on = await run(['check', 'web', '--set', 'metrics.enabled=true'], dir);
  assert.equal(on.out, '');
  rmSync(join(dir, 'web', 'templates', 'odd.yaml'));
  const judged = await run(['check', 'web', '--set', 'metrics.enabled=true'], dir);
  assert.match(judged.out, /web\/templates\/metrics\.yaml:7:\d+: warning service-target-port-unknown/);
});

test('a chart whose Chart.yaml is itself a template prints no library warning on stderr', async () => {
  // cockroachdb/helm-charts keeps `version: {{ .Version }}` Chart.yaml templates under build/templates:
  // `yaml` warned "Keys with collection values will be stringified" through process.emitWarning.
  const dir = chart({ 'tpl/Chart.yaml': 'apiVersion: v2\nname: tpl\nversion: {{ .Version }}\nappVersion: {{ .AppVersion }}\n' });
  const warnings: string[] = [];
  const listen = (w: Error): void => {
    warnings.push(w.message);
  };
  process.on('warning', listen);
  try {
    await run(['check', '.'], dir);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  assert.deepEqual(warnings, []);
});

test("a packed subchart's objects are named by their archive in check and explain, and link to its dependency entry", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-check-helm-'));
  mkdirSync(join(dir, 'shop', 'templates'), { recursive: true });
  mkdirSync(join(dir, 'shop', 'charts'), { recursive: true });
  writeFileSync(
    join(dir, 'shop', 'Chart.yaml'),
    'apiVersion: v2\nname: shop\nversion: 0.1.0\ndependencies:\n  - name: queue\n    version: 1.0.0\n',
  );
  writeFileSync(
    join(dir, 'shop', 'templates', 'client.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  labels:\n    app: client\nspec:\n  containers:\n    - name: c\n      image: busybox\n',
  );
  writeFileSync(
    join(dir, 'shop', 'templates', 'netpol.yaml'),
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: broker\nspec:\n  podSelector:\n    matchLabels:\n      app: queues\n  policyTypes: [Ingress]\n',
  );
  const queue = [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: queue\nspec:\n  selector:\n    matchLabels:\n      app: queue\n',
    '  template:\n    metadata:\n      labels:\n        app: queue\n    spec:\n      containers:\n        - name: queue\n          image: rabbitmq\n',
    '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: queue-deny\nspec:\n  podSelector:\n    matchLabels:\n      app: queue\n  policyTypes: [Ingress]\n',
  ].join('');
  writeFileSync(
    join(dir, 'shop', 'charts', 'queue-1.0.0.tgz'),
    gzipSync(tar({ 'queue/Chart.yaml': 'apiVersion: v2\nname: queue\nversion: 1.0.0\n', 'queue/templates/all.yaml': queue })),
  );
  const check = await run(['check', '.', '--format', 'json', '--fail-on', 'none'], dir);
  const found = (
    JSON.parse(check.out) as {
      diagnostics: Array<{ file: string; message: string; relatedInformation?: Array<{ file: string; message: string }> }>;
    }
  ).diagnostics;
  assert.equal(found.length, 1, check.out);
  assert.match(
    found[0]?.message ?? '',
    /Deployment "queue" \(\.\.\/charts\/queue-1\.0\.0\.tgz: queue\/templates\/all\.yaml\) has app=queue/,
  );
  // The related object opens the dependency entry, never the unpacked path.
  assert.deepEqual(
    found[0]?.relatedInformation?.map((r) => r.file),
    ['shop/Chart.yaml'],
  );
  const explain = await run(['explain', '.', '--from', 'default/client[Pod]', '--to', 'default/queue[Deployment]', '--port', '5672'], dir);
  assert.equal(explain.err, '');
  assert.match(explain.out, /shop\/charts\/queue-1\.0\.0\.tgz: queue\/templates\/all\.yaml:24 policy default\/queue-deny/);
});

test("reach's note on an object defined twice names a packed subchart's file by its archive", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-check-helm-'));
  mkdirSync(join(dir, 'shop', 'templates'), { recursive: true });
  mkdirSync(join(dir, 'shop', 'charts'), { recursive: true });
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: queue\nspec:\n  selector:\n    app: queue\n  ports:\n    - port: 5672\n';
  writeFileSync(
    join(dir, 'shop', 'Chart.yaml'),
    'apiVersion: v2\nname: shop\nversion: 0.1.0\ndependencies:\n  - name: queue\n    version: 1.0.0\n',
  );
  writeFileSync(join(dir, 'shop', 'templates', 'svc.yaml'), svc);
  writeFileSync(
    join(dir, 'shop', 'charts', 'queue-1.0.0.tgz'),
    gzipSync(tar({ 'queue/Chart.yaml': 'apiVersion: v2\nname: queue\nversion: 1.0.0\n', 'queue/templates/svc.yaml': svc })),
  );
  const r = await run(['reach', '.'], dir);
  assert.match(r.err, /Service queue \(shop\/templates\/svc\.yaml over shop\/charts\/queue-1\.0\.0\.tgz: queue\/templates\/svc\.yaml\)/);
});

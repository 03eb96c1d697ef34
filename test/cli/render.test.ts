/**
 * `kube-reach render` through the CLI entry point, in process: the shop chart's `helm template`
 * output (test/fixtures/helm/charts/shop.expected.yaml), values files and --set, a `.tgz`
 * subchart, the stderr notes for what cannot be rendered, and the exit codes.
 */

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runCli } from '../support/cli.js';
import type { CliRun } from '../support/cli.js';
import { tar } from '../support/tar.js';

const charts = join(__dirname, '..', 'fixtures', 'helm', 'charts');

const run = (args: readonly string[], cwd = charts): Promise<CliRun> => runCli(args, cwd);

test('render prints what helm template prints', async () => {
  const r = await run(['render', 'shop', '--release', 'prod', '--namespace', 'shop']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, readFileSync(join(charts, 'shop.expected.yaml'), 'utf8'));
  assert.equal(r.err, 'kube-reach: note: shop: dependency "postgresql" is not in charts/: the templates that use it are not rendered\n');
});

test('render: --values files in order, then --set', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-render-'));
  try {
    // A repeated key: its later value wins, as `helm -f` reads it (sigs.k8s.io/yaml, non-strict).
    writeFileSync(join(dir, 'a.yaml'), 'service: {port: 80}\nreplicaCount: 5\nservice: {port: 81}\n');
    writeFileSync(join(dir, 'b.yaml'), 'replicaCount: 6\n');
    const r = await run(
      [
        'render',
        join(charts, 'shop'),
        '--values',
        join(dir, 'a.yaml'),
        '--values',
        join(dir, 'b.yaml'),
        '--set',
        'service.type=NodePort',
        '--set-string',
        'containerPort=9090',
      ],
      dir,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /replicas: 6\n/);
    assert.match(r.out, /- port: 81\n/);
    assert.match(r.out, /type: NodePort\n/);
    assert.match(r.out, /containerPort: 9090\n/);
    assert.match(r.out, /name: release-name-shop\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('render: a --values file of several documents merges them in order, as Helm 4 reads it; a separator Helm refuses exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-render-'));
  try {
    // Helm 4's loader.LoadValues: documents cut at `---` lines (a comment may follow), empty ones
    // skipped, maps merged (a later document's map merges into the earlier one's).
    writeFileSync(
      join(dir, 'multi.yaml'),
      '# prod\n---\nreplicaCount: 5\nservice:\n  type: NodePort\n--- # second\n\n---\r\nservice:\n  port: 81\nreplicaCount: 7\n',
    );
    const r = await run(['render', join(charts, 'shop'), '--values', join(dir, 'multi.yaml')], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /replicas: 7\n/);
    assert.match(r.out, /- port: 81\n/);
    assert.match(r.out, /type: NodePort\n/);
    // apimachinery's YAMLReader allows only white space or a comment after `---`.
    writeFileSync(join(dir, 'inline.yaml'), 'replicaCount: 5\n--- {replicaCount: 6}\n');
    const bad = await run(['render', join(charts, 'shop'), '--values', join(dir, 'inline.yaml')], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /inline\.yaml: error reading yaml document: invalid Yaml document separator: \{replicaCount: 6\}/);
    // A document that is not a map stops the file, in sigs.k8s.io/yaml's words.
    writeFileSync(join(dir, 'list.yaml'), 'replicaCount: 5\n---\n- a\n');
    const list = await run(['render', join(charts, 'shop'), '--values', join(dir, 'list.yaml')], dir);
    assert.equal(list.code, 2);
    assert.match(list.err, /json: cannot unmarshal array into Go value of type map\[string\]interface \{\}/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('render reads a .tgz subchart and names what it cannot render', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-render-'));
  try {
    mkdirSync(join(dir, 'app', 'templates'), { recursive: true });
    mkdirSync(join(dir, 'app', 'charts'), { recursive: true });
    writeFileSync(
      join(dir, 'app', 'Chart.yaml'),
      'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: db\n    version: 1.0.0\n',
    );
    writeFileSync(join(dir, 'app', 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n');
    writeFileSync(join(dir, 'app', 'templates', 'odd.yaml'), 'kind: ConfigMap\nx: {{ noSuchFunction 1 }}\n');
    writeFileSync(join(dir, 'app', 'templates', 'req.yaml'), 'kind: ConfigMap\nx: {{ required "set x" .Values.x }}\n');
    writeFileSync(
      join(dir, 'app', 'charts', 'db-1.0.0.tgz'),
      gzipSync(
        tar({
          'db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 1.0.0\n',
          'db/values.yaml': 'port: 5432\n',
          'db/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports: [{port: {{ .Values.port }}}]\n',
        }),
      ),
    );
    const r = await run(['render', 'app'], dir);
    assert.equal(r.code, 1);
    assert.equal(
      r.out,
      // Helm v4.2 keeps each document's trailing line break: a blank line before every `---` but the first.
      '---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: release-name\n\n---\n# Source: app/charts/db/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports: [{port: 5432}]\n',
    );
    assert.match(r.err, /app\/templates\/odd\.yaml: not rendered: function "noSuchFunction" is not supported/);
    assert.match(r.err, /app\/templates\/req\.yaml: not rendered: .*set x/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file:// dependency that writes nothing (partials) is vendored as helm dependency build does; one that writes manifests is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-render-'));
  try {
    for (const d of ['app/templates', 'partials/templates', 'web/templates']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(
      join(dir, 'app', 'Chart.yaml'),
      'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: partials\n    version: 0.1.0\n    repository: file://../partials\n  - name: web\n    version: 0.1.0\n    repository: "file://../web"\n',
    );
    writeFileSync(join(dir, 'app', 'values.yaml'), 'enablePSP: false\n');
    writeFileSync(
      join(dir, 'app', 'templates', 'sa.yaml'),
      [
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata:',
        '  name: app',
        '  annotations:',
        '    {{- include "partials.created-by" . | nindent 4 }}',
        '{{- if .Values.enablePSP }}',
        '---',
        'apiVersion: policy/v1beta1',
        'kind: PodSecurityPolicy',
        'metadata:',
        '  name: app',
        '{{- end }}',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'partials', 'Chart.yaml'), 'apiVersion: v1\nname: partials\nversion: 0.1.0\n');
    writeFileSync(
      join(dir, 'partials', 'templates', '_metadata.tpl'),
      '{{- define "partials.created-by" -}}\ncreated-by: {{ .Chart.Name }}\n{{- end -}}\n',
    );
    writeFileSync(join(dir, 'partials', 'templates', 'NOTES.txt'), 'partials\n');
    writeFileSync(join(dir, 'web', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'web', 'templates', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
    const r = await run(['render', 'app'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      '---\n# Source: app/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    created-by: app\n',
    );
    assert.equal(r.err, 'kube-reach: note: app: dependency "web" is not in charts/: the templates that use it are not rendered\n');
    // The chart renders in `check` too: the PodSecurityPolicy behind the false condition is not judged.
    const c = await run(['check', 'app', '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(c.code, 0, c.err);
    assert.deepEqual((JSON.parse(c.out) as { diagnostics: unknown[] }).diagnostics, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('render: .Capabilities.APIVersions as helm template has it (group/versions, no kinds), plus --api-versions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-render-'));
  try {
    mkdirSync(join(dir, 'app', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'app', 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\n');
    writeFileSync(
      join(dir, 'app', 'templates', 'caps.yaml'),
      [
        'kind: ConfigMap',
        'data:',
        '  gv: "{{ .Capabilities.APIVersions.Has "networking.k8s.io/v1" }}"',
        '  kind: "{{ .Capabilities.APIVersions.Has "networking.k8s.io/v1/IngressClass" }}"',
        '  cm: "{{ .Capabilities.APIVersions.Has "cert-manager.io/v1" }}"',
        '  vap: "{{ has "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy" .Capabilities.APIVersions }}"',
        '',
      ].join('\n'),
    );
    const plain = await run(['render', 'app'], dir);
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.out, /gv: "true"\n {2}kind: "false"\n {2}cm: "false"\n {2}vap: "false"/);
    const more = await run(
      [
        'render',
        'app',
        '--api-versions',
        'cert-manager.io/v1',
        '--api-versions',
        'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy',
      ],
      dir,
    );
    assert.equal(more.code, 0, more.err);
    assert.match(more.out, /gv: "true"\n {2}kind: "false"\n {2}cm: "true"\n {2}vap: "true"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('render: bad usage exits 2', async () => {
  assert.equal((await run(['render'])).code, 2);
  assert.equal((await run(['render', 'no-such-chart'])).code, 2);
  assert.equal((await run(['render', 'shop', '--set', 'novalue'])).code, 2);
  assert.equal((await run(['render', 'shop', '--values', 'missing.yaml'])).code, 2);
});

test("render stops with Helm's error when values.schema.json refuses the values; check reports it on the values entry", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-render-'));
  try {
    mkdirSync(join(dir, 'app', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'app', 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\n');
    writeFileSync(join(dir, 'app', 'values.yaml'), 'replicaCount: 1\nservice:\n  port: 80\n');
    writeFileSync(
      join(dir, 'app', 'values.schema.json'),
      '{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"replicaCount": {"type": "integer", "minimum": 1}, "service": {"properties": {"port": {"type": "integer", "maximum": 65535}}}}}\n',
    );
    writeFileSync(
      join(dir, 'app', 'templates', 'svc.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  ports:\n    - port: {{ .Values.service.port }}\n',
    );
    const ok = await run(['render', 'app'], dir);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /port: 80\n/);
    const refused = await run(['render', 'app', '--set', 'replicaCount=0', '--set', 'service.port=70000'], dir);
    assert.equal(refused.code, 1);
    assert.equal(refused.out, '');
    assert.equal(
      refused.err,
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\napp:\n- at '/replicaCount': minimum: got 0, want 1\n- at '/service/port': maximum: got 70,000, want 65,535\n",
    );
    // check: the values file's entry, and nothing from the template Helm never renders.
    writeFileSync(join(dir, 'app', 'values.yaml'), 'replicaCount: 1\nservice:\n  port: 70000\n');
    const c = await run(['check', 'app', '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(c.code, 0, c.err);
    const diags = (JSON.parse(c.out) as { diagnostics: Array<{ code: string; file: string; range: { start: { line: number } } }> })
      .diagnostics;
    assert.deepEqual(
      diags.map((d) => [d.code, d.file.replace(/\\/g, '/'), d.range.start.line]),
      [['helm-values-schema', 'app/values.yaml', 2]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

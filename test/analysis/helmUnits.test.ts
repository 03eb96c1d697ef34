/**
 * Helm units (analysis/units/helm.ts): charts are rendered in the index and the checks run on the
 * rendered objects. A mutation test writes a wrong targetPort into every Service template of our
 * own fixture charts and expects the finding on that template line; an edit renders its chart
 * again and no other, and the incremental pass equals a full one.
 */

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { helmFilesTouched } from '../../analysis/units/helm.js';
import { canDefer, isDeferred } from '../../analysis/model/deferredFacts.js';
import { lowerFile } from '../../analysis/model/lower.js';
import { parseManifest } from '../../analysis/syntax/parse.js';
import { readSettings, type AnalysisSettings } from '../../analysis/settings.js';
import { parseFixture } from '../support/fixture.js';

const fixtures = join(__dirname, '..', 'fixtures');

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** Our fixture charts: the shop chart (its dependencies that are not vendored left out) and every chart in the check fixtures. */
function charts(): Array<{ name: string; files: Map<string, string> }> {
  const out: Array<{ name: string; files: Map<string, string> }> = [];
  const shop = readTree(join(fixtures, 'helm', 'charts', 'shop'));
  const meta = shop.get('Chart.yaml') ?? '';
  shop.set('Chart.yaml', meta.slice(0, meta.indexOf('  - name: metrics')));
  out.push({ name: 'helm/charts/shop', files: shop });
  const checks = join(fixtures, 'checks');
  for (const folder of readdirSync(checks).sort()) {
    for (const f of readdirSync(join(checks, folder)).sort()) {
      const text = readFileSync(join(checks, folder, f), 'utf8');
      if (!text.includes('/Chart.yaml')) continue;
      const fx = parseFixture(`${folder}/${f}`, text);
      out.push({ name: `checks/${folder}/${f}`, files: new Map(fx.files.map((v) => [v.path, v.text])) });
    }
  }
  return out;
}

function analyse(files: ReadonlyMap<string, string>, settings?: AnalysisSettings): { host: AnalysisHost; uri: (p: string) => string } {
  const host = new AnalysisHost(settings);
  const uri = (p: string): string => `file:///ws/${p}`;
  for (const [p, t] of files) {
    if (p.endsWith('.tpl') || !/\.(ya?ml|json)$/.test(p)) host.setSupportFile(uri(p), t);
    else host.setFile(uri(p), t);
  }
  return { host, uri };
}

describe('helm units', () => {
  it('a wrong targetPort written into a Service template is reported on that template line', () => {
    let mutated = 0;
    for (const c of charts()) {
      const { host, uri } = analyse(c.files);
      const before = host.snapshot();
      // Charts with a template that does not render are read in part as templates (unknown values).
      if (before.helmNotes().length > 0) continue;
      for (const [path, text] of c.files) {
        if (!/(^|\/)templates\/.*\.ya?ml$/.test(path)) continue;
        const u = uri(path);
        const rendered = before.index.renderedTemplate(u);
        // A Service that renders and selects pods (else no port of theirs can be wrong).
        if (rendered === undefined || !rendered.objects.some((o) => o.kind === 'Service')) continue;
        if (before.diagnosticsFor(u).some((d) => d.code === 'service-selector-no-match')) continue;
        const lines = text.split('\n');
        const at = lines.findIndex((l) => /^\s*(-\s+)?targetPort:\s*[^\s{]+\s*$/.test(l));
        if (at === -1) continue;
        lines[at] = (lines[at] ?? '').replace(/targetPort:.*$/, 'targetPort: no-such-port');
        const { host: h2 } = analyse(new Map([...c.files, [path, lines.join('\n')]]));
        const after = h2.snapshot();
        const hit = after
          .diagnosticsFor(u)
          .find((d) => d.code.startsWith('service-target-port-') && after.positionAt(u, d.span.start).line === at);
        assert.ok(hit !== undefined, `${c.name}: ${path}:${at + 1}: ${JSON.stringify(after.diagnosticsFor(u).map((d) => d.code))}`);
        mutated++;
      }
    }
    assert.ok(mutated >= 2, `only ${mutated} Service templates mutated`);
  });

  it('an edit to a template renders its chart again and no other; the derived pass equals a full one', () => {
    const shop = charts()[0];
    assert.ok(shop !== undefined);
    const files = new Map<string, string>();
    for (const [p, t] of shop.files) {
      files.set(`a/${p}`, t);
      files.set(`b/${p}`, t);
    }
    const { host, uri } = analyse(files);
    const first = host.snapshot();
    const layout = first.index.helmLayout();
    const svc = 'a/templates/service.yaml';
    host.setFile(uri(svc), (files.get(svc) ?? '').replace(/targetPort: \w+/, 'targetPort: nope'));
    const second = host.snapshot();
    const next = second.index.helmLayout();
    assert.equal(next.renders.get(uri('b')), layout.renders.get(uri('b')), 'chart b is not rendered again');
    assert.notEqual(next.renders.get(uri('a')), layout.renders.get(uri('a')), 'chart a is rendered again');
    assert.ok(second.diagnosticsFor(uri(svc)).some((d) => d.code === 'service-target-port-unknown'));
    const full = analyse(new Map([...files, [svc, (files.get(svc) ?? '').replace(/targetPort: \w+/, 'targetPort: nope')]])).host.snapshot();
    for (const u of full.uris()) assert.deepEqual(second.diagnosticsFor(u), full.diagnosticsFor(u), u);
  });

  it("an edit to one template leaves the chart's other rendered templates untouched; an edit to a define renders its users again", () => {
    const shop = charts()[0];
    assert.ok(shop !== undefined);
    const { host, uri } = analyse(shop.files);
    const first = host.snapshot();
    const svc = 'templates/service.yaml';
    const deployment = uri('templates/deployment.yaml');
    host.setFile(uri(svc), (shop.files.get(svc) ?? '').replace(/targetPort: \w+/, 'targetPort: nope'));
    const second = host.snapshot();
    assert.equal(second.index.renderedTemplate(deployment), first.index.renderedTemplate(deployment), 'the Deployment keeps its facts');
    assert.deepEqual([...helmFilesTouched(first.index.helmLayout(), second.index.helmLayout())], [uri(svc)]);
    assert.ok(second.diagnosticsFor(uri(svc)).some((d) => d.code === 'service-target-port-unknown'));

    // The selector labels' define, used by the Service and the Deployment, changes both.
    const helpers = 'templates/_helpers.tpl';
    const text = shop.files.get(helpers) ?? '';
    assert.match(text, /app.kubernetes.io\/name:/);
    const edited = text.replace('app.kubernetes.io/name:', 'app.kubernetes.io/nam:');
    host.setSupportFile(uri(helpers), edited);
    const third = host.snapshot();
    assert.notEqual(third.index.renderedTemplate(deployment), second.index.renderedTemplate(deployment));
    const touched = helmFilesTouched(second.index.helmLayout(), third.index.helmLayout());
    assert.ok(touched.has(deployment) && touched.has(uri(helpers)), [...touched].join(', '));
    const full = analyse(
      new Map([...shop.files, [svc, (shop.files.get(svc) ?? '').replace(/targetPort: \w+/, 'targetPort: nope')], [helpers, edited]]),
    ).host.snapshot();
    for (const u of full.uris()) assert.deepEqual(third.diagnosticsFor(u), full.diagnosticsFor(u), u);
  });

  it("a rendered template's masked reading is never made; a template that does not render is read tolerantly, as before", () => {
    const shop = charts()[0];
    assert.ok(shop !== undefined);
    const failing = 'templates/failing.yaml';
    const failingText = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ fail "not today" }}\ndata:\n  a: "1"\n';
    // A long CRD template (a chart's templates/crds/: a List kind name, `&&` in descriptions) renders too.
    const crd = 'templates/crds/widgets.yaml';
    const property = (i: number): string =>
      `                f${i}:\n                  description: "a && b, as the operator reads it (${i})"\n                  type: string\n`;
    const crdText = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: widgets.example.com',
      '  labels:',
      '    {{- include "shop.selectorLabels" . | nindent 4 }}',
      'spec:',
      '  group: example.com',
      '  names:',
      '    kind: Widget',
      '    listKind: WidgetList',
      '    plural: widgets',
      '  scope: Namespaced',
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      storage: true',
      '      schema:',
      '        openAPIV3Schema:',
      '          type: object',
      '          properties:',
      '            spec:',
      '              type: object',
      '              properties:',
      Array.from({ length: 600 }, (_, i) => property(i)).join(''),
    ].join('\n');
    assert.ok(crdText.length > 60_000);
    const { host, uri } = analyse(new Map([...shop.files, [failing, failingText], [crd, crdText]]));
    const snap = host.snapshot();
    const templates = [...shop.files.keys(), crd].filter((p) => /^templates\/[^_].*\.yaml$/.test(p));
    assert.ok(templates.length >= 4, templates.join(', '));
    for (const p of templates) {
      const facts = snap.index.files.get(uri(p));
      assert.ok(facts !== undefined && snap.index.renderedTemplate(uri(p)) !== undefined, p);
      assert.ok(isDeferred(facts), `${p}: its masked reading was made`);
      assert.ok(snap.index.factsForChecks(uri(p))?.objects.length !== undefined);
      assert.ok(isDeferred(facts), `${p}: the checks' facts read its masked reading`);
    }
    // The failing template's facts are its masked reading, the same as an eager one.
    const facts = snap.index.files.get(uri(failing));
    assert.ok(facts !== undefined && snap.index.renderedTemplate(uri(failing)) === undefined);
    const eager = lowerFile(uri(failing), failingText, parseManifest(failingText, { helm: true }), undefined);
    assert.equal(facts.objects.length, 1);
    assert.equal(isDeferred(facts), false);
    for (const k of ['objects', 'syntaxErrors', 'templated', 'apiFindings', 'yaml11', 'lineStarts', 'suppressions', 'toolConfig'] as const)
      assert.deepEqual(facts[k], eager[k], k);
    assert.deepEqual(
      facts.documents?.map((d) => ({ ...d, id: 0 })),
      eager.documents?.map((d) => ({ ...d, id: 0 })),
    );
    // Read at once where the masked reading could pass a limit only the tree shows: a List with an
    // anchor (aliases multiply its items), a long List, a text of more lines and commas than a map may
    // have keys. A long text without a List kind is deferred (its objects are its documents).
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n';
    assert.equal(canDefer(uri(failing), failingText), true);
    assert.equal(canDefer(uri(failing), failingText + '# x\n'.repeat(10_000)), true);
    assert.equal(canDefer(uri(failing), list + '# x\n'.repeat(10_000)), false);
    assert.equal(canDefer(uri(failing), list + 'b: &a 1\n'), false);
    assert.equal(canDefer(uri(failing), failingText + 'b: &a 1\n'), true);
    assert.equal(canDefer(uri(failing), failingText + '# x\n'.repeat(50_000)), false);
    assert.equal(canDefer(uri('templates/values.yaml'), failingText), false);
  });

  it("a chart's note names a failing tpl by the start of its text, on one line", () => {
    const config = `server:\n  port: 3100\n${'  # padding\n'.repeat(20)}  target: {{ include "nowhere" . }}\n`;
    const { host } = analyse(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: tplnote\nversion: 1.0.0\n'],
        ['values.yaml', `config: ${JSON.stringify(config)}\n`],
        ['templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  c: {{ tpl .Values.config . | quote }}\n'],
      ]),
    );
    const notes = host.snapshot().helmNotes();
    assert.equal(notes.length, 1);
    const message = notes[0]?.message ?? '';
    assert.match(
      message,
      /^not rendered, read as templates: templates\/cm\.yaml \(error calling tpl: error during tpl function execution for "server:\\n {2}port: 3100\\n {2}# padding.{10,60}…": /,
    );
    assert.ok(message.includes('no template \\"nowhere\\"') || message.includes('no template "nowhere"'), message);
    assert.ok(!message.includes('# padding\\n  # padding\\n  # padding\\n  # padding\\n  # padding'), message);
  });

  it("a chart's note names templates that fail in one helper together, with Go's innermost clause once", () => {
    // Seven templates reach one helper that reads a subchart's value (the subchart is not vendored),
    // four of them through a second helper: Go nests one clause per include; the note keeps the last
    // (Go counts the column from 0 and cuts the node at 20 characters).
    const files = new Map([
      [
        'Chart.yaml',
        'apiVersion: v2\nname: deps\nversion: 1.0.0\ndependencies:\n  - name: kafka\n    version: 1.0.0\n  - name: redis\n    version: 1.0.0\n',
      ],
      ['values.yaml', 'kafka:\n  enabled: true\n'],
      [
        'templates/_helpers.tpl',
        '{{- define "deps.port" -}}{{ .Values.kafka.service.ports.client }}{{- end -}}\n{{- define "deps.env" -}}{{ include "deps.port" . }}{{- end -}}\n',
      ],
    ]);
    for (let i = 0; i < 7; i++)
      files.set(
        `templates/cm${i}.yaml`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\ndata:\n  port: "{{ include "${i < 4 ? 'deps.env' : 'deps.port'}" . }}"\n`,
      );
    const { host } = analyse(files);
    const notes = host.snapshot().helmNotes();
    assert.equal(notes.length, 1);
    const message = notes[0]?.message ?? '';
    assert.equal(
      message,
      'dependencies "kafka", "redis" are not in charts/ (helm dependency build fetches them); not rendered, read as templates: ' +
        'templates/cm0.yaml, templates/cm1.yaml, templates/cm2.yaml, templates/cm3.yaml, templates/cm4.yaml and 2 more ' +
        '(template: deps/templates/_helpers.tpl:1:29: executing "deps.port" at <.Values.kafka.servic...>: nil pointer evaluating interface {}.ports)',
    );
  });

  it('a finding on an action that reads .Values.a.b names that values.yaml entry', () => {
    const shop = charts()[0];
    assert.ok(shop !== undefined);
    const values = (shop.files.get('values.yaml') ?? '').replace('type: ClusterIP', 'type: Bogus');
    const { host, uri } = analyse(new Map([...shop.files, ['values.yaml', values]]));
    const a = host.snapshot();
    const svcText = shop.files.get('templates/service.yaml') ?? '';
    const action = svcText.indexOf('{{ .Values.service.type }}');
    const hits = a.diagnosticsFor(uri('templates/service.yaml')).filter((d) => d.span.start === action);
    assert.ok(hits.length > 0, 'a finding on the type action');
    for (const d of hits) {
      const related = d.related?.find((r) => r.uri === uri('values.yaml'));
      assert.ok(related !== undefined, `${d.code} names values.yaml`);
      assert.equal(values.slice(related.span.start, related.span.end), 'type');
      assert.equal(related.message, '.Values.service.type (values.yaml)');
    }
  });

  it('a values edit that switches a missing dependency on and off: each incremental pass equals a full one', () => {
    const text = readFileSync(join(fixtures, 'checks', 'service-target-port-unknown', 'helm-disabled-dependency.yaml'), 'utf8');
    const fx = parseFixture('service-target-port-unknown/helm-disabled-dependency.yaml', text);
    const base = new Map(fx.files.map((v) => [v.path, v.text]));
    const service = 'dep-off/templates/service.yaml';
    const codes = (s: ReturnType<AnalysisHost['snapshot']>, uri: (p: string) => string): string[] =>
      s.diagnosticsFor(uri(service)).map((d) => d.code);
    // The switch in the chart's values.yaml (every template of the chart is lowered again), and in a
    // values file of kubeReach.helm.valueFiles (the templates' output, source and values.yaml stay
    // the same: only the dependency's switch says the chart's files must be judged again).
    const prod = 'deploy/prod.yaml';
    const { settings, problems } = readSettings({ helm: { valueFiles: { 'dep-off': [prod] } } });
    assert.deepEqual(problems, []);
    const ways = [
      { path: 'dep-off/values.yaml', off: base.get('dep-off/values.yaml') ?? '', settings: undefined },
      { path: prod, off: 'sdk-server:\n  enabled: false\n', settings },
    ];
    for (const way of ways) {
      assert.match(way.off, /enabled: false/);
      const on = way.off.replace('enabled: false', 'enabled: true');
      const files = new Map([...base, [way.path, way.off]]);
      const { host, uri } = analyse(files, way.settings);
      assert.deepEqual(codes(host.snapshot(), uri), ['service-target-port-unknown'], way.path);
      // off → on → off → on: the finding goes with the dependency switched on and comes back with it off.
      for (const [step, next] of [on, way.off, on].entries()) {
        host.setFile(uri(way.path), next);
        const incremental = host.snapshot();
        const full = analyse(new Map([...files, [way.path, next]]), way.settings).host.snapshot();
        const where = `${way.path}, step ${step}`;
        assert.deepEqual([...incremental.uris()].sort(), [...full.uris()].sort(), where);
        for (const u of full.uris()) assert.deepEqual(incremental.diagnosticsFor(u), full.diagnosticsFor(u), `${where}: ${u}`);
        assert.deepEqual(codes(incremental, uri), next === on ? [] : ['service-target-port-unknown'], where);
      }
    }
  });

  it('a %!s(<nil>) note is information with the defaults alone and a warning once a values file is given, incrementally as in a full pass', () => {
    const text = readFileSync(join(fixtures, 'checks', 'yaml-syntax', 'helm-nil-quoted-values.yaml'), 'utf8');
    const fx = parseFixture('yaml-syntax/helm-nil-quoted-values.yaml', text);
    const prod = 'deploy/prod.yaml';
    const base = new Map(fx.files.filter((v) => v.path !== prod).map((v) => [v.path, v.text] as const));
    const { settings } = readSettings({ helm: { valueFiles: { shop: [prod] } } });
    const severities = (s: ReturnType<AnalysisHost['snapshot']>, uri: (p: string) => string): string[] =>
      s.diagnosticsFor(uri('shop/templates/deployment.yaml')).map((d) => `${d.severity} ${d.code}`);
    const { host, uri } = analyse(base, settings);
    assert.deepEqual(severities(host.snapshot(), uri), ['information yaml-syntax']);
    // The values file appears (it sets a value the template does not read: the template's output stays the same).
    host.setFile(uri(prod), 'other: 1\n');
    const incremental = host.snapshot();
    const full = analyse(new Map([...base, [prod, 'other: 1\n']]), settings).host.snapshot();
    assert.deepEqual(severities(incremental, uri), ['warning yaml-syntax']);
    assert.deepEqual(severities(incremental, uri), severities(full, uri));
  });

  it('a kubeReach.helm.valueFiles file of several documents is read as Helm 4 reads -f: documents merged in order', () => {
    const text = readFileSync(join(fixtures, 'checks', 'service-target-port-unknown', 'helm-disabled-dependency.yaml'), 'utf8');
    const fx = parseFixture('service-target-port-unknown/helm-disabled-dependency.yaml', text);
    const prod = 'deploy/prod.yaml';
    const { settings } = readSettings({ helm: { valueFiles: { 'dep-off': [prod] } } });
    const codes = (values: string): string[] => {
      const { host, uri } = analyse(new Map([...fx.files.map((v) => [v.path, v.text] as const), [prod, values]]), settings);
      return host
        .snapshot()
        .diagnosticsFor(uri('dep-off/templates/service.yaml'))
        .map((d) => d.code);
    };
    // The second document switches the dependency on again (Helm 3 read only the first document).
    assert.deepEqual(codes('sdk-server:\n  enabled: false\n---\nsdk-server:\n  enabled: true\n'), []);
    assert.deepEqual(codes('sdk-server:\n  enabled: true\n--- # off\nsdk-server:\n  enabled: false\n'), ['service-target-port-unknown']);
  });

  it('renderedAt: what an action wrote, once per execution, with what the templates it included wrote', () => {
    const template = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ include "c.name" . }}',
      'data:',
      '{{- range .Values.keys }}',
      '  {{ . }}: "on"',
      '{{- end }}',
      '  empty: "{{ .Values.none }}"',
      '',
    ].join('\n');
    const files = new Map([
      ['Chart.yaml', 'apiVersion: v2\nname: c\nversion: 1.0.0\n'],
      ['values.yaml', 'keys: [a, b, a]\n'],
      ['templates/_helpers.tpl', '{{- define "c.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end }}\n'],
      ['templates/cm.yaml', template],
    ]);
    const { host, uri } = analyse(files);
    const rendered = host.snapshot().index.renderedTemplate(uri('templates/cm.yaml'));
    assert.ok(rendered !== undefined);
    const include = rendered.renderedAt(template.indexOf('include'));
    assert.deepEqual(include?.outputs, ['release-name-c']);
    assert.equal(template.slice(include.action.start, include.action.end), '{{ include "c.name" . }}');
    assert.deepEqual(rendered.renderedAt(template.indexOf('{{ . }}') + 3)?.outputs, ['a', 'b', 'a']);
    // An action that wrote nothing, and literal text, have no output.
    assert.equal(rendered.renderedAt(template.indexOf('.Values.none')), undefined);
    assert.equal(rendered.renderedAt(template.indexOf('kind')), undefined);
  });

  it("a packed subchart's objects are in the parent release's unit; a parent values edit that changes them is judged again", () => {
    // Support files at charts/<name>/, as the CLI and the server unpack charts/*.tgz: rendered, never analysed.
    const files = new Map([
      ['shop/Chart.yaml', 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: queue\n    version: 1.0.0\n'],
      ['shop/values.yaml', 'queue:\n  port: 5672\n'],
      [
        'shop/templates/ingress.yaml',
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  ingressClassName: nginx\n  defaultBackend:\n    service:\n      name: queue\n      port:\n        number: 5672\n',
      ],
    ]);
    const { host, uri } = analyse(files);
    const packed = {
      'shop/charts/queue/Chart.yaml': 'apiVersion: v2\nname: queue\nversion: 1.0.0\n',
      'shop/charts/queue/values.yaml': 'port: 5672\n',
      'shop/charts/queue/templates/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: queue\nspec:\n  selector:\n    app: queue\n  ports:\n    - port: {{ .Values.port }}\n',
    };
    for (const [p, t] of Object.entries(packed)) host.setSupportFile(uri(p), t);
    const ingress = uri('shop/templates/ingress.yaml');
    const service = uri('shop/charts/queue/templates/service.yaml');
    const first = host.snapshot();
    assert.deepEqual(
      first.index.objectsOfFile(service).map((p) => [p.obj.kind, p.placements[0]?.unit]),
      [['Service', uri('shop')]],
    );
    assert.deepEqual(first.diagnosticsFor(ingress), []);
    assert.ok(!first.uris().includes(service), 'the packed template is not analysed');
    // The parent moves the subchart's Service to another port: the Ingress's port is no longer there.
    host.setFile(uri('shop/values.yaml'), 'queue:\n  port: 5673\n');
    const second = host.snapshot();
    const missing = second.diagnosticsFor(ingress).filter((d) => d.code === 'ingress-backend-port-missing');
    assert.equal(missing.length, 1);
    assert.match(missing[0]?.message ?? '', /exposes only port 5673/);
    const full = analyse(new Map([...files, ['shop/values.yaml', 'queue:\n  port: 5673\n']]));
    for (const [p, t] of Object.entries(packed)) full.host.setSupportFile(full.uri(p), t);
    const fresh = full.host.snapshot();
    for (const u of fresh.uris()) assert.deepEqual(second.diagnosticsFor(u), fresh.diagnosticsFor(u), u);
  });
});

/**
 * The chart renderer (analysis/render/helm/): the chart model, values as Helm computes them, and the
 * orchestration `helm template` does. test/fixtures/helm/charts/shop is a chart written for these
 * tests in the idioms of real charts; shop.expected.yaml is what `helm template prod shop
 * --namespace shop` prints for it, worked out by hand from Helm's documented behaviour and Helm
 * v4.2.4's source for the white space (the checksum is the SHA-256 of the ConfigMap template's output).
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/host.js';
import { loadChart } from '../../analysis/render/helm/chart.js';
import type { Chart } from '../../analysis/render/helm/chart.js';
import { manifestText, renderChart } from '../../analysis/render/helm/render.js';
import type { RenderOptions } from '../../analysis/render/helm/render.js';
import { parseSet } from '../../analysis/render/helm/values.js';
import type { Values } from '../../analysis/render/helm/values.js';
import { toJs } from '../../analysis/render/helm/template/index.js';

const charts = join(__dirname, '..', 'fixtures', 'helm', 'charts');

function readTree(dir: string, base = dir, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) readTree(p, base, out);
    else out.set(relative(base, p).split('\\').join('/'), readFileSync(p, 'utf8'));
  }
  return out;
}

function shop(): Chart {
  const c = loadChart(readTree(join(charts, 'shop')));
  assert.ok(c !== undefined);
  return c;
}

function sets(...args: string[]): Values {
  const v: Values = new Map();
  for (const a of args) assert.equal(parseSet(a, v), undefined);
  return v;
}

function render(opts: Partial<RenderOptions> = {}): ReturnType<typeof renderChart> {
  return renderChart(shop(), { releaseName: 'prod', namespace: 'shop', ...opts });
}

function sources(r: ReturnType<typeof renderChart>): string[] {
  return r.manifests.map((m) => `${m.kind} ${m.source}`);
}

describe('helm chart rendering', () => {
  it('prints what helm template prints', () => {
    const r = render();
    assert.equal(manifestText(r), readFileSync(join(charts, 'shop.expected.yaml'), 'utf8'));
    assert.deepEqual(r.missing, ['shop: dependency "postgresql" is not in charts/']);
    assert.deepEqual(r.parseErrors, []);
  });

  it('reads the chart model', () => {
    const c = shop();
    assert.equal(c.meta.name, 'shop');
    assert.deepEqual(
      c.meta.dependencies.map((d) => d.alias ?? d.name),
      ['common', 'cache', 'sessions', 'metrics', 'postgresql'],
    );
    assert.deepEqual(
      c.subcharts.map((s) => `${s.meta.name}:${s.meta.type}`),
      ['cache:application', 'common:library'],
    );
    assert.deepEqual([...c.files.keys()].sort(), ['files/app.conf', 'files/db.properties']);
    assert.equal(loadChart(new Map([['values.yaml', 'a: 1']])), undefined);
  });

  it('switches dependencies by condition (over tags) and renders an aliased subchart under its alias', () => {
    const r = render({ values: sets('sessions.enabled=true', 'cache.enabled=false', 'tags.monitoring=true') });
    assert.deepEqual(
      sources(r).filter((s) => s.startsWith('Service')),
      ['Service shop/charts/sessions/templates/service.yaml', 'Service shop/templates/service.yaml'],
    );
    const svc = r.manifests.find((m) => m.source === 'shop/charts/sessions/templates/service.yaml')?.content ?? '';
    assert.match(svc, /name: prod-sessions\n/);
    assert.match(svc, /- port: 6379\n/);
    // The disabled cache imports nothing: the parent's own default stays.
    assert.match(r.manifests.find((m) => m.kind === 'Deployment')?.content ?? '', /CACHE_PORT\n {14}value: "1"/);
    // metrics' tag is true but its condition (false) wins: it is not missing, it is off.
    assert.deepEqual(r.missing, ['shop: dependency "postgresql" is not in charts/']);
    const on = render({ values: sets('metrics.enabled=true') });
    assert.deepEqual(on.missing, ['shop: dependency "metrics" is not in charts/', 'shop: dependency "postgresql" is not in charts/']);
  });

  it('turns a dependency off when its only tags are false', () => {
    const r = render({ values: sets('tags.shop-common=false') });
    const failed = r.templates.filter((t) => t.error !== undefined).map((t) => t.name);
    assert.deepEqual(failed, ['shop/templates/deployment.yaml', 'shop/templates/service.yaml']);
    assert.match(r.templates.find((t) => t.error !== undefined)?.error?.message ?? '', /common\.labels\.standard/);
  });

  it('lets user values win over imports and null delete a default', () => {
    const r = render({ values: sets('cacheService.port=7000', 'resources=null') });
    const deploy = r.manifests.find((m) => m.kind === 'Deployment')?.content ?? '';
    assert.match(deploy, /value: "7000"/);
    assert.doesNotMatch(deploy, /resources:/);
    assert.equal((toJs(r.values) as { cacheService: { note: string } }).cacheService.note, 'kept');
  });

  it('pushes globals down, the parent winning', () => {
    const r = render();
    const cache = (toJs(r.values) as { cache: { global: Record<string, unknown> } }).cache.global;
    assert.deepEqual(cache, { imageRegistry: 'registry.example.com', labels: { team: 'shop' }, own: 'cache' });
  });

  it('renders templates behind a capability check only for the clusters they are meant for', () => {
    assert.ok(!sources(render()).some((s) => s.startsWith('PodSecurityPolicy')));
    assert.ok(sources(render({ kubernetesVersion: '1.24' })).includes('PodSecurityPolicy shop/templates/psp.yaml'));
  });

  it('never renders a library chart, partials or NOTES.txt', () => {
    const names = render().templates.map((t) => t.name);
    assert.ok(!names.some((n) => n.includes('/_') || n.endsWith('NOTES.txt')));
    const lib = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n'],
        ['templates/cm.yaml', 'kind: ConfigMap\n'],
      ]),
    );
    assert.ok(lib !== undefined);
    assert.deepEqual(renderChart(lib).manifests, []);
  });

  it("reads v1 charts' requirements.yaml and a subchart folder named otherwise", () => {
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v1\nname: old\nversion: 1.0.0\n'],
        ['requirements.yaml', 'dependencies:\n  - name: db\n    condition: db.enabled\n'],
        ['values.yaml', 'db:\n  enabled: true\n  port: 5433\n'],
        ['charts/db-1.0.0/Chart.yaml', 'apiVersion: v1\nname: db\nversion: 1.0.0\n'],
        ['charts/db-1.0.0/values.yaml', 'port: 5432\n'],
        ['charts/db-1.0.0/templates/svc.yaml', 'kind: Service\nport: {{ .Values.port }}\nname: {{ .Chart.Name }}\n'],
      ]),
    );
    assert.ok(c !== undefined);
    assert.equal(manifestText(renderChart(c)), '---\n# Source: old/charts/db/templates/svc.yaml\nkind: Service\nport: 5433\nname: db\n');
  });

  it(".Subcharts.<name> is each enabled subchart's own context (Values, Chart, Release), by alias; a helper of the subchart runs on it", () => {
    // mendersoftware/mender-helm: `include "nats.fullname" $dot.Subcharts.nats` in the parent's helpers.
    const c = loadChart(
      new Map([
        [
          'Chart.yaml',
          'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: db\n    alias: store\n  - name: cache\n    condition: cache.enabled\n',
        ],
        ['values.yaml', 'store:\n  port: 5433\ncache:\n  enabled: false\n'],
        [
          'templates/cm.yaml',
          'kind: ConfigMap\nurl: {{ include "db.fullname" .Subcharts.store }}:{{ .Subcharts.store.Values.port }}\nchart: {{ .Subcharts.store.Chart.Name }}\ncache: {{ hasKey .Subcharts "cache" }}\n',
        ],
        ['charts/db/Chart.yaml', 'apiVersion: v2\nname: db\nversion: 1.0.0\n'],
        ['charts/db/values.yaml', 'port: 5432\n'],
        ['charts/db/templates/_helpers.tpl', '{{- define "db.fullname" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end }}'],
        ['charts/cache/Chart.yaml', 'apiVersion: v2\nname: cache\nversion: 1.0.0\n'],
      ]),
    );
    assert.ok(c !== undefined);
    const r = renderChart(c);
    assert.deepEqual(
      r.templates.map((t) => t.error?.message),
      r.templates.map(() => undefined),
    );
    assert.equal(
      manifestText(r),
      '---\n# Source: app/templates/cm.yaml\nkind: ConfigMap\nurl: release-name-store:5433\nchart: store\ncache: false\n',
    );
  });

  it('gives .Values the methods of chartutil.Values: AsMap, YAML, Table and PathValue', () => {
    // Charts generated from Go by gotohelm (Redpanda's) start each template with `$values := $dot.Values.AsMap`;
    // helm pkg/chartutil/values.go: Table and PathValue fail with `"k" is not a table` / `"k" is not a value`.
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: v\nversion: 1.0.0\n'],
        ['values.yaml', 'connectors:\n  restPort: 8083\n  tls: {enabled: false}\nname: x\n'],
        [
          'templates/svc.yaml',
          [
            'kind: Service',
            '{{- $values := .Values.AsMap }}',
            'port: {{ $values.connectors.restPort | int }}',
            'type: {{ typeOf .Values }} {{ typeOf .Values.connectors }}',
            'table: {{ (.Values.Table "connectors.tls").enabled }}',
            'path: {{ .Values.PathValue "connectors.restPort" }} {{ .Values.PathValue "name" }}',
            'yaml: {{ .Values.YAML | quote }}',
          ].join('\n'),
        ],
        ['templates/bad.yaml', 'kind: Bad\nv: {{ .Values.PathValue "connectors.tls" }}\n'],
      ]),
    );
    assert.ok(c !== undefined);
    const r = renderChart(c);
    assert.equal(
      manifestText(r),
      [
        '---',
        '# Source: v/templates/svc.yaml',
        'kind: Service',
        'port: 8083',
        'type: chartutil.Values map[string]interface {}',
        'table: false',
        'path: 8083 x',
        'yaml: "connectors:\\n  restPort: 8083\\n  tls:\\n    enabled: false\\nname: x\\n"',
        '',
      ].join('\n'),
    );
    assert.match(JSON.stringify(r), /error calling PathValue: \\"tls\\" is not a value/);
  });

  it('reads a .Files.Glob result as a map of files and .Capabilities.APIVersions as a list, both with their methods', () => {
    // Helm's files is a map[string][]byte (ranged in key order) with Get/Glob/AsConfig/AsSecrets/Lines;
    // chartutil.VersionSet is a []string with Has: Sprig's `has` and `range` read them as Go does.
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: g\nversion: 1.0.0\n'],
        ['conf/b.txt', 'bee'],
        ['conf/a.txt', 'ay'],
        [
          'templates/cm.yaml',
          [
            'kind: ConfigMap',
            'data:',
            '{{- range $path, $_ := .Files.Glob "conf/*.txt" }}',
            '  {{ base $path }}: {{ $.Files.Get $path | quote }}',
            '{{- end }}',
            '  n: "{{ len (.Files.Glob "conf/*") }}"',
            '  type: {{ typeOf (.Files.Glob "conf/*") }}',
            '  first: {{ (.Files.Glob "conf/*").Get "conf/a.txt" }}',
            '  config: {{ (.Files.Glob "conf/a.txt").AsConfig | quote }}',
            '  has: "{{ has "apps/v1" .Capabilities.APIVersions }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ has "x/v1" .Capabilities.APIVersions }}"',
            '  vs: {{ typeOf .Capabilities.APIVersions }}',
          ].join('\n'),
        ],
      ]),
    );
    assert.ok(c !== undefined);
    assert.equal(
      manifestText(renderChart(c)),
      [
        '---',
        '# Source: g/templates/cm.yaml',
        'kind: ConfigMap',
        'data:',
        '  a.txt: "ay"',
        '  b.txt: "bee"',
        '  n: "2"',
        '  type: engine.files',
        '  first: ay',
        '  config: "a.txt: ay"',
        '  has: "true true false"',
        '  vs: chartutil.VersionSet',
        '',
      ].join('\n'),
    );
  });

  it('lists kinds in .Capabilities.APIVersions as a cluster does, and only group/versions as helm template does', () => {
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: k\nversion: 1.0.0\n'],
        [
          'templates/cm.yaml',
          'kind: ConfigMap\nx: "{{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }} {{ .Capabilities.APIVersions.Has "x.io/v1" }}"\n',
        ],
      ]),
    );
    assert.ok(c !== undefined);
    const line = (o: RenderOptions): string | undefined => /x: "(.*)"/.exec(manifestText(renderChart(c, o)))?.[1];
    assert.equal(line({}), 'true true false');
    assert.equal(line({ capabilities: 'template' }), 'true false false');
    assert.equal(line({ capabilities: 'template', apiVersions: ['x.io/v1'] }), 'true false true');
  });

  it('has in .Capabilities.APIVersions, for helm template, every group/version client-go knows (Helm v4.2.4), whatever the Kubernetes version', () => {
    // Helm's DefaultVersionSet is client-go v0.36.1's scheme plus apiextensions; a cluster's discovery
    // (the Helm units) serves only what the release serves. [group/version, template, cluster 1.35]
    const cases: Array<[string, boolean, boolean]> = [
      ['policy/v1beta1', true, false],
      ['batch/v1beta1', true, false],
      ['networking.k8s.io/v1beta1', true, false],
      ['extensions/v1beta1', true, false],
      ['apiextensions.k8s.io/v1beta1', true, false],
      ['resource.k8s.io/v1alpha3', true, false],
      // Not in client-go's scheme (kube-aggregator's group): false for helm template, true on a cluster.
      ['apiregistration.k8s.io/v1', false, true],
      // Gone from client-go by v0.36.
      ['autoscaling/v2beta2', false, false],
      ['apps/v1', true, true],
    ];
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: k\nversion: 1.0.0\n'],
        ['templates/cm.yaml', `kind: ConfigMap\nx: "${cases.map(([gv]) => `{{ .Capabilities.APIVersions.Has "${gv}" }}`).join(' ')}"\n`],
      ]),
    );
    assert.ok(c !== undefined);
    const line = (o: RenderOptions): string | undefined => /x: "(.*)"/.exec(manifestText(renderChart(c, o)))?.[1];
    assert.equal(line({ capabilities: 'template', kubernetesVersion: '1.35' }), cases.map(([, t]) => String(t)).join(' '));
    assert.equal(line({ capabilities: 'template', kubernetesVersion: '1.20' }), cases.map(([, t]) => String(t)).join(' '));
    assert.equal(line({ kubernetesVersion: '1.35' }), cases.map(([, , k]) => String(k)).join(' '));
  });

  it('leaves out what .helmignore ignores, as Helm loads a chart folder', () => {
    // external-secrets ignores templates/crds/README.md: rendered, its Markdown is not YAML.
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: ig\nversion: 1.0.0\n'],
        ['.helmignore', '# comment\ntemplates/crds/README.md\nci/\n*.bak\n'],
        ['templates/crds/README.md', '# CRDs\nSet `installCRDs: true` to install them.\n'],
        ['templates/cm.yaml', 'kind: ConfigMap\nfiles: {{ keys (.Files.Glob "**") | sortAlpha | join "," }}\n'],
        ['templates/old.yaml.bak', 'kind: Old\n'],
        ['templates/.hidden.yaml', 'kind: Hidden\n'],
        ['ci/test-values.yaml', 'x: 1\n'],
        ['conf/app.conf', 'a=1\n'],
        ['values.schema.json', '{}'],
      ]),
    );
    assert.ok(c !== undefined);
    assert.deepEqual([...c.templates.keys()], ['templates/cm.yaml']);
    // .helmignore itself is a file of the chart (Helm's loader keeps it in .Files); values.schema.json is not.
    assert.equal(manifestText(renderChart(c)), '---\n# Source: ig/templates/cm.yaml\nkind: ConfigMap\nfiles: .helmignore,conf/app.conf\n');
  });

  it(".helmignore globs are Go's filepath.Match patterns; a line Helm refuses is named, not silently dropped", () => {
    // A class matches `/` in filepath.Match (Helm matches the whole path against a rule with a `/`);
    // `**` and a malformed pattern make Helm's loader fail the chart: left out here, with a problem.
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: ig\nversion: 1.0.0\n'],
        ['.helmignore', 'templates/x[^y]z.yaml\n[]a]\ndocs/**\n'],
        ['templates/x/z.yaml', 'kind: Nested\n'],
        ['templates/cm.yaml', 'kind: ConfigMap\n'],
      ]),
    );
    assert.ok(c !== undefined);
    assert.deepEqual([...c.templates.keys()], ['templates/cm.yaml']);
    assert.deepEqual(c.problems, [
      '.helmignore: "[]a]": syntax error in pattern (Helm refuses to load the chart; the rule is left out here)',
      '.helmignore: "docs/**": double-star (**) syntax is not supported (Helm refuses to load the chart; the rule is left out here)',
    ]);
  });

  it('reads a values.yaml with a duplicate key as Helm does: the later value wins, no problem', () => {
    // Helm reads values with sigs.k8s.io/yaml's non-strict Unmarshal (go-yaml v2: a repeated key is
    // set again); mattermost-helm's vendored grafana subchart repeats `existingClaim`.
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: dup\nversion: 1.0.0\n'],
        ['values.yaml', 'persistence:\n  existingClaim: first\n  size: 1Gi\n  existingClaim: second\ningress:\n  enabled: false\n'],
        ['templates/cm.yaml', 'kind: ConfigMap\nclaim: {{ .Values.persistence.existingClaim }}\ningress: {{ .Values.ingress.enabled }}\n'],
      ]),
    );
    assert.ok(c !== undefined);
    const r = renderChart(c);
    assert.deepEqual(r.problems, []);
    assert.equal(manifestText(r), '---\n# Source: dup/templates/cm.yaml\nkind: ConfigMap\nclaim: second\ningress: false\n');
  });

  it('reads a values.yaml of several documents as Helm 4 does: merged in order; a separator with text after it stops the chart', () => {
    // pkg/chart/v2/loader/load.go LoadValues (Helm v4.0.0+): apimachinery's YAMLReader cuts the text at
    // lines starting with `---` (white space or a comment after it), each document a map, MergeMaps.
    const chart = (values: string): Chart | undefined =>
      loadChart(
        new Map([
          ['Chart.yaml', 'apiVersion: v2\nname: multi\nversion: 1.0.0\n'],
          ['values.yaml', values],
          ['templates/cm.yaml', 'kind: ConfigMap\nmode: {{ .Values.mode }}\nport: {{ .Values.svc.port }}\ntype: {{ .Values.svc.type }}\n'],
        ]),
      );
    const merged = chart('svc:\n  type: ClusterIP\n  port: 80\nmode: 0644\n---   # prod\n---\nsvc:\n  port: 81\n');
    assert.ok(merged !== undefined);
    const r = renderChart(merged);
    assert.deepEqual(r.problems, []);
    assert.equal(manifestText(r), '---\n# Source: multi/templates/cm.yaml\nkind: ConfigMap\nmode: 420\nport: 81\ntype: ClusterIP\n');
    // `--- |` and `----` are not separators Helm accepts: `cannot load values.yaml: error reading yaml document: …`.
    for (const [text, rest] of [
      ['svc:\n  port: 80\n--- |\n  x\n', '|'],
      ['svc:\n  port: 80\n-----BEGIN KEY-----\n', '--BEGIN KEY-----'],
    ] as const) {
      const bad = chart(text);
      assert.ok(bad !== undefined);
      assert.deepEqual(bad.problems, [`values.yaml: error reading yaml document: invalid Yaml document separator: ${rest}`]);
      assert.deepEqual(bad.values, new Map());
    }
  });

  it("prints Helm v4.2's white space: documents keep their trailing line breaks, the release manifest is trimmed, hooks follow as written", () => {
    // pkg/release/v1/util/manifest.go SplitManifests (v4.2.0+): `(?m)^---[ \t]*`, TrimLeftFunc only;
    // pkg/cmd/template.go prints TrimSpace(rel.Manifest) and a line break, then each hook.
    const chart = (templates: ReadonlyArray<[string, string]>): Chart | undefined =>
      loadChart(new Map([['Chart.yaml', 'apiVersion: v2\nname: ws\nversion: 1.0.0\n'], ...templates]));
    const c = chart([
      [
        'templates/a.yaml',
        'kind: ConfigMap\nmetadata: {name: a}\ndata:\n  keep: |+\n    x\n\n---   \n\nkind: ConfigMap\nmetadata: {name: b}\n\n\n',
      ],
      ['templates/c.yaml', 'kind: ConfigMap\nmetadata: {name: c}'],
      ['templates/hook.yaml', 'kind: Job\nmetadata:\n  name: h\n  annotations: {helm.sh/hook: pre-install}\n'],
    ]);
    assert.ok(c !== undefined);
    assert.equal(
      manifestText(renderChart(c)),
      [
        '---\n# Source: ws/templates/a.yaml\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  keep: |+\n    x\n\n\n',
        '---\n# Source: ws/templates/a.yaml\nkind: ConfigMap\nmetadata: {name: b}\n\n\n\n',
        '---\n# Source: ws/templates/c.yaml\nkind: ConfigMap\nmetadata: {name: c}\n',
        '---\n# Source: ws/templates/hook.yaml\nkind: Job\nmetadata:\n  name: h\n  annotations: {helm.sh/hook: pre-install}\n\n',
      ].join(''),
    );
    // Only hooks: the empty release manifest still prints its line break.
    const hooks = chart([['templates/hook.yaml', 'kind: Job\nmetadata:\n  name: h\n  annotations: {helm.sh/hook: test}\n']]);
    assert.ok(hooks !== undefined);
    assert.equal(
      manifestText(renderChart(hooks)),
      '\n---\n# Source: ws/templates/hook.yaml\nkind: Job\nmetadata:\n  name: h\n  annotations: {helm.sh/hook: test}\n\n',
    );
  });

  it('reads values.yaml\'s plain scalars as Helm does (go-yaml v2, YAML 1.1): 0754 is 492, yes is true, on: is the key "true"', () => {
    // camunda-platform-helm's `optimize.configMap.defaultMode: 0754` renders as 492 in its golden files.
    const c = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: y11\nversion: 1.0.0\n'],
        ['values.yaml', 'mode: 0754\nquoted: "0754"\nflag: yes\nbad: 089\nbig: 1_000\nbin: 0b101\non: off\nplain: 1e3\n'],
        [
          'templates/cm.yaml',
          'kind: ConfigMap\nv: {{ .Values.mode }} {{ .Values.quoted }} {{ .Values.flag }} {{ .Values.bad }} {{ .Values.big }} {{ .Values.bin }} {{ index .Values "true" }} {{ .Values.plain }}\n',
        ],
      ]),
    );
    assert.ok(c !== undefined);
    const r = renderChart(c);
    assert.deepEqual(r.problems, []);
    assert.equal(manifestText(r), '---\n# Source: y11/templates/cm.yaml\nkind: ConfigMap\nv: 492 0754 true 89 1000 5 false 1000\n');
    // The index hands the render its own reading of values.yaml only when YAML 1.1 reads it as 1.2 does.
    const host = new AnalysisHost();
    host.setFile('file:///ws/y11/Chart.yaml', 'apiVersion: v2\nname: y11\nversion: 1.0.0\n');
    host.setFile('file:///ws/y11/values.yaml', 'port: 0100\n');
    host.setFile(
      'file:///ws/y11/templates/svc.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: {{ .Values.port }}\n',
    );
    const port = host.snapshot().index.renderedTemplate('file:///ws/y11/templates/svc.yaml')?.objects[0]?.service?.ports[0]?.port;
    assert.deepEqual(port?.known === true ? port.value : port, 64);
  });

  it('parses --set as Helm does', () => {
    const v = sets('a.b=1,c=true', 'list[1].name=x', 'esc=a\\,b', 's=010', 'n=null', 'arr={x,y}');
    assert.deepEqual(toJs(v), { a: { b: 1 }, c: true, list: [null, { name: 'x' }], esc: 'a,b', s: '010', n: null, arr: ['x', 'y'] });
    assert.match(parseSet('novalue', new Map()) ?? '', /key=value/);
  });

  it('renders a chart the same after a render changed its values (remembered values.yaml and template parses are never changed)', () => {
    const files = new Map([
      ['Chart.yaml', 'apiVersion: v2\nname: c\nversion: 1.0.0\n'],
      ['values.yaml', 'a:\n  b: one\nlist: [x]\n'],
      // Sorted after b.yaml in Helm's order (reverse lexical), so a.yaml sees what b.yaml set.
      ['templates/a.yaml', 'seen: {{ .Values.injected | default "none" }}\nb: {{ .Values.a.b }}\nlist: {{ .Values.list | join "," }}\n'],
      [
        'templates/b.yaml',
        '{{- $_ := set .Values "injected" "yes" }}{{- $_ := set .Values.a "b" "two" }}{{- $_ := append .Values.list "y" }}\n',
      ],
    ]);
    const out = (): string => {
      const c = loadChart(files);
      assert.ok(c !== undefined);
      return manifestText(renderChart(c));
    };
    const first = out();
    assert.match(first, /seen: yes\nb: two\nlist: x\n/);
    assert.equal(out(), first);
    // Without the mutating template, the defaults are as values.yaml says.
    files.delete('templates/b.yaml');
    assert.match(out(), /seen: none\nb: one\nlist: x\n/);
  });

  it('renders the same whether or not the documents are split and ordered (RenderOptions.manifests)', () => {
    const full = render();
    const bare = render({ manifests: false });
    assert.deepEqual(bare.manifests, []);
    assert.deepEqual(
      bare.templates.map((t) => [t.name, t.text]),
      full.templates.map((t) => [t.name, t.text]),
    );
  });
});

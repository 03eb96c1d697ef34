/**
 * `helmCharts` in a kustomization (analysis/render/kustomize/helm.ts) against what kustomize's
 * HelmChartInflationGenerator does with a local chart: each case names the behaviour of kustomize
 * it checks (its documented fields, and the cases its own tests build with `helm template`). The
 * charts, values and expected outputs are written here for these cases.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildKustomization, KUSTOMIZATION_FILES } from '../../analysis/render/kustomize/index.js';
import type { SubBuildCache } from '../../analysis/render/kustomize/index.js';
import { parseFile } from '../../analysis/syntax/parse.js';
import { build, builtObjects, expectedObjects, virtualFiles } from '../support/kustomize.js';

interface Case {
  readonly name: string;
  /** The kustomize behaviour the case checks. */
  readonly behaviour: string;
  readonly files: string;
  readonly dir: string;
  readonly expected: string;
  readonly complete?: boolean;
  /** A note the build must carry (why it is incomplete). */
  readonly note?: RegExp;
}

/** A chart whose one template shows where it was put and which release namespace it saw. */
const NS_CHART = (at: string): string => `#- ${at}/Chart.yaml
apiVersion: v2
name: gateway
version: 0.3.0
#- ${at}/values.yaml
#- ${at}/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-gw
  namespace: {{ .Release.Namespace }}
  annotations:
    seen-namespace: {{ .Release.Namespace }}
spec:
  selector: {app: gw}
  ports: [{port: 80}]
`;

/** A chart with a test hook, a helper choosing the apiVersion by capability, and nested values. */
const PROBE_CHART = (at: string): string => `#- ${at}/Chart.yaml
apiVersion: v2
name: probe
version: 2.1.0
#- ${at}/values.yaml
place: {namespace: default}
image: {repo: probe, tag: "2.1", pull: Always}
#- ${at}/templates/_helpers.tpl
{{- define "probe.api" -}}
{{- if .Capabilities.APIVersions.Has "example.dev/v9" -}}
example.dev/v9
{{- else -}}
apps/v1
{{- end -}}
{{- end -}}
#- ${at}/templates/deploy.yaml
apiVersion: {{ include "probe.api" . }}
kind: Deployment
metadata:
  name: probe
  namespace: {{ .Values.place.namespace }}
  labels: {chart: "{{ .Chart.Name }}-{{ .Chart.Version }}"}
spec:
  selector: {matchLabels: {app: probe}}
  template:
    metadata: {labels: {app: probe}}
    spec:
      containers:
        - {name: probe, image: "{{ .Values.image.repo }}:{{ .Values.image.tag }}", imagePullPolicy: {{ .Values.image.pull }}}
#- ${at}/templates/tests/check.yaml
apiVersion: {{ include "probe.api" . }}
kind: Pod
metadata:
  name: {{ .Release.Name }}-check
  annotations: {"helm.sh/hook": test}
spec:
  containers: [{name: check, image: busybox}]
`;

/** A chart printing its values (kustomize's valuesMerge cases). */
const VALUES_CHART = (at: string): string => `#- ${at}/Chart.yaml
apiVersion: v2
name: show
version: 1.0.0
#- ${at}/values.yaml
a: 1
b: 2
items: [p, q]
nested: {a: 10, b: 20}
#- ${at}/templates/show.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: show
data:
  a: "{{ .Values.a }}"
  b: "{{ .Values.b }}"
  c: "{{ .Values.c }}"
  items: "{{ join "," .Values.items }}"
  nested: "{{ .Values.nested.a }},{{ .Values.nested.b }},{{ .Values.nested.c }}"
`;

const PROBE_DEPLOYMENT = (api: string, ns: string, image: string, pull: string): string => `apiVersion: ${api}
kind: Deployment
metadata: {name: probe, namespace: ${ns}, labels: {chart: probe-2.1.0}}
spec:
  selector: {matchLabels: {app: probe}}
  template:
    metadata: {labels: {app: probe}}
    spec:
      containers: [{name: probe, image: '${image}', imagePullPolicy: ${pull}}]
`;

const PROBE_POD = (api: string, name: string): string => `apiVersion: ${api}
kind: Pod
metadata:
  name: ${name}
  annotations: {helm.sh/hook: test}
spec:
  containers: [{name: check, image: busybox}]
`;

const cases: Case[] = [
  {
    name: "the kustomization's namespace is the release namespace of a chart that names none",
    behaviour: 'kustomize ≥ 5.8 (#5566; its test TestHelmChartNamespacePropagation)',
    dir: 'app',
    files: `#- app/kustomization.yaml
helmGlobals: {chartHome: ./charts}
namespace: edge
helmCharts:
  - name: gateway
    releaseName: front
${NS_CHART('app/charts/gateway')}`,
    expected: `apiVersion: v1
kind: Service
metadata: {name: front-gw, namespace: edge, annotations: {seen-namespace: edge}}
spec: {selector: {app: gw}, ports: [{port: 80}]}
`,
  },
  {
    name: "an overlay's namespace reaches the chart of a base that sets none, through a middle layer with a prefix",
    behaviour:
      'kustomize ≥ 5.8 helmRootNamespace (tests TestHelmChartNamespacePropagationViaResources, TestHelmChartNamespacePropagationViaResourcesThreeLevels)',
    dir: 'overlay',
    files: `#- base/kustomization.yaml
helmCharts:
  - name: gateway
    releaseName: front
${NS_CHART('base/charts/gateway')}#- mid/kustomization.yaml
namePrefix: mid-
resources: [../base]
#- overlay/kustomization.yaml
namespace: live
resources: [../mid]
`,
    expected: `apiVersion: v1
kind: Service
metadata: {name: mid-front-gw, namespace: live, annotations: {seen-namespace: live}}
spec: {selector: {app: gw}, ports: [{port: 80}]}
`,
  },
  {
    name: "the entry's own namespace wins over the kustomization's, and the chart's object stays there",
    behaviour: 'kustomize ≥ 5.8 (tests TestHelmChartDifferentNamespaces, TestHelmChartSameNamespace)',
    dir: 'app',
    files: `#- app/kustomization.yaml
namespace: outer
helmCharts:
  - name: gateway
    releaseName: front
    namespace: inner
${NS_CHART('app/charts/gateway')}`,
    expected: `apiVersion: v1
kind: Service
metadata: {name: front-gw, namespace: inner, annotations: {seen-namespace: inner}}
spec: {selector: {app: gw}, ports: [{port: 80}]}
`,
  },
  {
    name: "a chart object Helm left without a namespace gets the kustomization's metadata.namespace (RoleBinding subjects untouched)",
    behaviour: 'kustomize ≤ 5.7 namespace transformer on chart output; kustomize#6058 (5.8.0/5.8.1 leave it out, accepted as a bug)',
    dir: 'app',
    files: `#- app/kustomization.yaml
namespace: tools
helmCharts:
  - name: plain
    releaseName: plain
#- app/charts/plain/Chart.yaml
apiVersion: v2
name: plain
version: 1.0.0
#- app/charts/plain/templates/rbac.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: plain}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: plain}
subjects: [{kind: ServiceAccount, name: default}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: fixed, namespace: kube-system}
`,
    expected: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: plain, namespace: tools}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: plain}
subjects: [{kind: ServiceAccount, name: default}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: fixed, namespace: kube-system}
`,
  },
  {
    name: 'additionalValuesFiles merge in order over the chart values; a test hook is rendered',
    behaviour: 'kustomize test TestHelmChartInflationGeneratorMultipleValuesFiles',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: probe
    releaseName: probe
    additionalValuesFiles: [extra/one.yaml, extra/two.yaml]
#- extra/one.yaml
image: {repo: probe-one, tag: one, pull: Never}
#- extra/two.yaml
place: {namespace: second}
${PROBE_CHART('charts/probe')}`,
    expected: `${PROBE_DEPLOYMENT('apps/v1', 'second', 'probe-one:one', 'Never')}---
${PROBE_POD('apps/v1', 'probe-check')}`,
  },
  {
    name: 'apiVersions add to what .Capabilities.APIVersions has',
    behaviour: 'kustomize test TestHelmChartInflationGeneratorApiVersions',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: probe
    releaseName: probe
    apiVersions: [example.dev/v9]
${PROBE_CHART('charts/probe')}`,
    expected: `${PROBE_DEPLOYMENT('example.dev/v9', 'default', 'probe:2.1', 'Always')}---
${PROBE_POD('example.dev/v9', 'probe-check')}`,
  },
  {
    name: "skipTests leaves out the chart's test hooks",
    behaviour: 'kustomize test TestHelmChartInflationGeneratorSkipTests (helm template --skip-tests)',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: probe
    releaseName: probe
    skipTests: true
${PROBE_CHART('charts/probe')}`,
    expected: PROBE_DEPLOYMENT('apps/v1', 'default', 'probe:2.1', 'Always'),
  },
  {
    name: 'nameTemplate without template actions is the release name',
    behaviour: 'kustomize test TestHelmChartInflationGeneratorNameTemplate (helm template --name-template)',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: probe
    nameTemplate: named-by-template
${PROBE_CHART('charts/probe')}`,
    expected: `${PROBE_DEPLOYMENT('apps/v1', 'default', 'probe:2.1', 'Always')}---
${PROBE_POD('apps/v1', 'named-by-template-check')}`,
  },
  {
    name: 'a version without a repo reads charts/<name>',
    behaviour: "kustomize's absChartHome (test TestHelmChartInflationGeneratorUsingVersionWithoutRepo)",
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: probe
    version: 2.1.0
    releaseName: probe
    skipTests: true
${PROBE_CHART('charts/probe')}`,
    expected: PROBE_DEPLOYMENT('apps/v1', 'default', 'probe:2.1', 'Always'),
  },
  {
    name: 'a version with a repo reads charts/<name>-<version>/<name>, not charts/<name>',
    behaviour: "kustomize's absChartHome (test TestHelmChartInflationGeneratorWithSameChartMultipleVersions)",
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: probe
    version: 2.1.0
    repo: https://charts.example.dev
    releaseName: probe
    skipTests: true
  - name: gateway
    version: 0.3.0
    repo: https://charts.example.dev
    releaseName: front
${PROBE_CHART('charts/probe-2.1.0/probe')}${NS_CHART('charts/gateway')}`,
    expected: PROBE_DEPLOYMENT('apps/v1', 'default', 'probe:2.1', 'Always'),
    complete: false,
    note: /kustomize build --enable-helm pulls chart "gateway" 0\.3\.0 from https:\/\/charts\.example\.dev into charts\/gateway-0\.3\.0 and renders it/,
  },
  {
    name: "valuesMerge override: inline values over the chart's",
    behaviour: 'kustomize test TestHelmChartInflationGeneratorValuesOverride',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: show
    releaseName: show
    valuesMerge: override
    valuesInline:
      a: 5
      c: 3
      items: [r]
      nested: {a: 70, c: 60}
${VALUES_CHART('charts/show')}`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: show}
data: {a: '5', b: '2', c: '3', items: r, nested: '70,20,60'}
`,
  },
  {
    name: "valuesMerge merge: the chart's values over the inline ones (no valuesFile: the chart's values.yaml)",
    behaviour: 'kustomize test TestHelmChartInflationGeneratorValuesMerge',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: show
    releaseName: show
    valuesMerge: merge
    valuesInline:
      a: 5
      c: 3
      items: [r]
      nested: {a: 70, c: 60}
${VALUES_CHART('charts/show')}`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: show}
data: {a: '1', b: '2', c: '3', items: 'p,q', nested: '10,20,60'}
`,
  },
  {
    name: 'valuesMerge replace: inline values alone (the valuesFile is not read; Helm still has the chart defaults)',
    behaviour: 'kustomize test TestHelmChartInflationGeneratorValuesReplace',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: show
    releaseName: show
    valuesMerge: replace
    valuesFile: mine.yaml
    valuesInline:
      a: 7
      nested: {b: 8}
#- mine.yaml
a: 9
b: 9
c: 9
${VALUES_CHART('charts/show')}`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: show}
data: {a: '7', b: '2', c: '', items: 'p,q', nested: '10,8,'}
`,
  },
  {
    name: 'an empty valuesInline is none: the valuesFile is read, whatever valuesMerge says',
    behaviour: "kustomize's Generate (valuesInline merged only when it has entries)",
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: show
    releaseName: show
    valuesMerge: replace
    valuesFile: mine.yaml
    valuesInline: {}
#- mine.yaml
a: 9
${VALUES_CHART('charts/show')}`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: show}
data: {a: '9', b: '2', c: '', items: 'p,q', nested: '10,20,'}
`,
  },
  {
    name: 'a valuesFile that gives a key twice is read as Helm reads it: the later value wins',
    behaviour: 'helm template --values (sigs.k8s.io/yaml, go-yaml v2 not strict), as kustomize runs it without valuesInline',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: show
    releaseName: show
    valuesFile: mine.yaml
#- mine.yaml
a: 1
b: 3
a: 9
${VALUES_CHART('charts/show')}`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: show}
data: {a: '9', b: '3', c: '', items: 'p,q', nested: '10,20,'}
`,
  },
  {
    name: 'valuesInline null over a map removes the key, so Helm keeps the chart default; over a scalar it deletes it',
    behaviour: "kyaml merge2 (kustomize's replaceValuesInline) then Helm's coalescing",
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: show
    releaseName: show
    valuesInline:
      nested: null
      a: null
${VALUES_CHART('charts/show')}`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: show}
data: {a: '', b: '2', c: '', items: 'p,q', nested: '10,20,'}
`,
  },
  {
    name: 'a values map set inline over a chart value that is null is printed as YAML',
    behaviour: 'kustomize test TestHelmChartInflationGeneratorIssue4905',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: conf
    releaseName: conf
    valuesInline:
      settings: {first: 1, second: 2}
#- charts/conf/Chart.yaml
apiVersion: v2
name: conf
version: 0.1.0
#- charts/conf/values.yaml
settings: # null
#- charts/conf/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  settings.yaml: |-
    {{- .Values.settings | toYaml | nindent 4 }}
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data: {settings.yaml: "first: 1\\nsecond: 2"}
`,
  },
  {
    name: 'includeCRDs adds the crds/ files of the chart and its subcharts, never templates under templates/crds/',
    behaviour: 'helm template --include-crds (kustomize test TestHelmChartInflationGeneratorWithIncludeCRDs)',
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: op
    releaseName: op
    includeCRDs: true
#- charts/op/Chart.yaml
apiVersion: v2
name: op
version: 1.0.0
#- charts/op/values.yaml
crds: {install: false}
#- charts/op/crds/widgets.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.dev}
#- charts/op/charts/sub/Chart.yaml
apiVersion: v2
name: sub
version: 1.0.0
#- charts/op/charts/sub/crds/nested/gadgets.json
{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "gadgets.example.dev"}}
#- charts/op/templates/crds/things.yaml
{{- if .Values.crds.install }}
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: things.example.dev}
{{- end }}
`,
    expected: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.dev}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.dev}
`,
  },
  {
    name: 'releaseName and nameTemplate together: helm stops, so the build is incomplete',
    behaviour: "helm's NameAndChart (cannot set --name-template and also specify a name)",
    dir: '',
    files: `#- kustomization.yaml
helmCharts:
  - name: show
    releaseName: show
    nameTemplate: other
${VALUES_CHART('charts/show')}`,
    expected: '',
    complete: false,
    note: /sets both releaseName and nameTemplate/,
  },
];

describe('Kustomize builder: helmCharts as kustomize inflates a local chart', () => {
  for (const c of cases) {
    it(`${c.name} (${c.behaviour})`, () => {
      const { result } = build(c.files, c.dir);
      assert.deepEqual(builtObjects(result), expectedObjects(c.expected));
      assert.equal(result.complete, c.complete ?? true, `complete: ${JSON.stringify(result.notes)}`);
      if (c.note !== undefined) assert.match(result.notes.map((n) => n.message).join('\n'), c.note);
    });
  }

  it('a base whose chart takes the namespace of the overlay is built again for an overlay with another namespace (shared sub-builds)', () => {
    const files = virtualFiles(`#- base/kustomization.yaml
helmCharts:
  - name: gateway
    releaseName: front
${NS_CHART('base/charts/gateway')}#- one/kustomization.yaml
namespace: one
resources: [../base]
#- two/kustomization.yaml
namespace: two
resources: [../base]
#- plain/kustomization.yaml
resources: [../base]
`);
    const subBuilds: SubBuildCache = new Map();
    const host = (cache?: SubBuildCache): Parameters<typeof buildKustomization>[1] => ({
      text: (uri) => files.get(uri),
      parse: (uri) => {
        const t = files.get(uri);
        return t === undefined ? undefined : parseFile(t);
      },
      kustomizationOf: (d) => KUSTOMIZATION_FILES.map((f) => `${d}/${f}`).find((u) => files.has(u)),
      filesUnder: (d) => [...files.keys()].filter((u) => u.startsWith(`${d}/`)).sort(),
      ...(cache !== undefined ? { subBuilds: cache } : {}),
    });
    const seen = (dir: string, cache?: SubBuildCache): string[] =>
      builtObjects(buildKustomization(`file:///k/${dir}`, host(cache))).map((o) => {
        const m = (o as { metadata: { namespace?: string; annotations: Record<string, string> } }).metadata;
        return `${m.namespace ?? '-'}/${m.annotations['seen-namespace'] ?? '-'}`;
      });
    for (const dir of ['one', 'two', 'plain', 'one']) assert.deepEqual(seen(dir, subBuilds), seen(dir), dir);
    assert.deepEqual(seen('two', subBuilds), ['two/two']);
    assert.deepEqual(seen('plain', subBuilds), ['default/default']);
  });
});

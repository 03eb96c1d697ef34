/**
 * In-process measure of edits in a test folder: a workspace of N kuttl tests and N chainsaw tests
 * (each a folder of step files, an assertion file and updates of an earlier step's object), beside
 * apps built by Kustomize (every tenth Service with a targetPort no container declares). Edits of a kuttl step, of a file a chainsaw
 * Test applies before its update, and of a chainsaw Test itself read again what the test tools
 * decide (units/structure.ts `restructure`), not the workspace. So do a file added to, or removed from,
 * a plain docs folder beside the Kustomize apps (units/layoutChange.ts); files that come and go where a
 * build or a render reads them (a resource a base lists, an unlisted file of an overlay, a kustomization
 * in a docs folder, a file of one of five Flux Kustomizations' paths, a template of one of five charts:
 * the roots and charts they concern are built again); edits in place of what decides the layout (a base's
 * kustomization, a Chart.yaml, a Flux Kustomization's path, an Argo CD Application's path, a Fleet GitRepo's
 * paths, five of each) and an Argo CD Application's folder emptied and filled (its root goes and comes);
 * and an edit that makes two docs versions of one app stop or start being alternatives
 * (workspace/derivation.ts `viewChanges`); Chart.yaml files that come and go, an app-of-apps chart's template and
 * values, the kustomize-controller Deployment: 942 files at N = 67.
 * Prints per kind of edit the median
 * and p95 ms of the snapshot after it, the median of the process's CPU time for it (comparable on a loaded
 * machine: another process's work is not counted), the files whose checks ran and whose objects were placed again,
 * the layout's passes over every file (file visits, units/layoutScan.ts `LayoutWork`, the layout's `work`) and how many edits searched
 * for the GitOps roots again, and a digest of the findings
 * (the same before and after a change that only makes edits cheaper).
 * `node --import tsx scripts/bench/testFolderBench.ts [N] [samples]`. A developer tool: never a test.
 */

import { createHash } from 'node:crypto';
import { AnalysisHost } from '../../analysis/index.js';
import { median, p95 } from './stats.js';
import { applyEdit, layoutWorkOf } from '../../test/support/gitops.js';

const n = Number(process.argv[2] ?? 67);
const samples = Number(process.argv[3] ?? 20);
/** Flux Kustomizations and charts (files come and go in the first `FEW` of each). */
const FEW = 5;

function deployment(name: string, replicas: number, image: string): string {
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n` +
    `  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n` +
    `    spec:\n      containers: [{name: main, image: ${image}, ports: [{containerPort: 8080}]}]\n`
  );
}

function service(name: string, targetPort = 8080): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: ${targetPort}}]\n`;
}

/** An update of an earlier step's Deployment: only the fields it changes (incomplete as a manifest). */
function update(name: string, replicas: number): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n`;
}

function argoApplication(i: number, path: string): string {
  return (
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app${i}\n  namespace: argocd\nspec:\n  project: default\n` +
    `  source:\n    repoURL: https://github.com/example/bench.git\n    path: ${path}\n` +
    `  destination:\n    server: https://kubernetes.default.svc\n    namespace: argo${i}\n`
  );
}

/** A Fleet GitRepo reading the first `count` bundles. */
function gitRepo(count: number): string {
  const paths = Array.from({ length: count }, (_, i) => `fleet/app${i}`).join(', ');
  return `apiVersion: fleet.cattle.io/v1alpha1\nkind: GitRepo\nmetadata: {name: apps, namespace: fleet-local}\nspec:\n  repo: https://example.com/org/bench\n  paths: [${paths}]\n`;
}

/** An app-of-apps template: an Application per entry of the chart's values. */
const ARGO_TEMPLATE = `{{- range .Values.apps }}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{ .name }}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/bench.git
    path: {{ .path }}
  destination:
    server: https://kubernetes.default.svc
    namespace: {{ .namespace }}
{{- end }}
`;

/** A Flux Kustomization substituting a variable its postBuild sets (strict substitution decides nothing here, but its key is read). */
const SUBSTITUTING =
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: substituted\n  namespace: flux-system\nspec:\n` +
  `  interval: 1h\n  path: ./flux/substituted\n  targetNamespace: substituted\n  sourceRef: {kind: GitRepository, name: flux-system}\n` +
  `  postBuild:\n    substitute: {TAG: '1.0'}\n`;

/** The kustomize-controller Deployment of a Flux install at `version` (v1.9.0 and later substitute strictly). */
function controller(version: string): string {
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kustomize-controller\n  namespace: flux-system\nspec:\n` +
    `  selector:\n    matchLabels: {app: kustomize-controller}\n  template:\n    metadata:\n      labels: {app: kustomize-controller}\n` +
    `    spec:\n      containers: [{name: manager, image: 'ghcr.io/fluxcd/kustomize-controller:${version}'}]\n`
  );
}

function workspace(): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const k = `file:///ws/tests/kuttl/t${i}`;
    files.set(`${k}/00-install.yaml`, `${deployment(`web${i}`, 1, 'nginx:1.27')}---\n${service(`web${i}`)}`);
    files.set(`${k}/00-assert.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web${i}\nstatus:\n  readyReplicas: 1\n`);
    files.set(`${k}/01-scale.yaml`, update(`web${i}`, 3));
    files.set(`${k}/01-assert.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web${i}\nstatus:\n  readyReplicas: 3\n`);
    const c = `file:///ws/tests/chainsaw/t${i}`;
    files.set(
      `${c}/chainsaw-test.yaml`,
      `apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t${i}\nspec:\n  steps:\n` +
        `    - try:\n        - apply:\n            file: deployment.yaml\n        - assert:\n            file: deployment-assert.yaml\n` +
        `    - try:\n        - apply:\n            file: update.yaml\n`,
    );
    files.set(`${c}/deployment.yaml`, deployment(`api${i}`, 1, 'api:1.0'));
    files.set(
      `${c}/deployment-assert.yaml`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api${i}\nstatus:\n  readyReplicas: 1\n`,
    );
    files.set(`${c}/update.yaml`, update(`api${i}`, 2));
    // An app of the repository the tests belong to: a base and an overlay.
    const a = `file:///ws/apps/app${i}`;
    files.set(`${a}/base/kustomization.yaml`, 'resources: [deployment.yaml, service.yaml]\n');
    files.set(`${a}/base/deployment.yaml`, deployment(`app${i}`, 2, `app${i}:1.0`));
    files.set(`${a}/base/service.yaml`, service(`app${i}`, i % 10 === 0 ? 9090 : 8080));
    files.set(`${a}/prod/kustomization.yaml`, `namespace: app${i}\nresources: [../base]\n`);
    // A plain docs folder per app (no build reads it): files come and go there.
    files.set(`file:///ws/docs/app${i}/app.yaml`, `${deployment(`doc${i}`, 1, 'doc:1.0')}---\n${service(`doc${i}`)}`);
  }
  // Five Flux Kustomizations applying a folder of plain files, and five charts: files come and go there too.
  for (let i = 0; i < FEW; i++) {
    files.set(
      `file:///ws/clusters/flux${i}.yaml`,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux${i}\n  namespace: flux-system\nspec:\n` +
        `  interval: 1h\n  path: ./flux/app${i}\n  targetNamespace: flux${i}\n  sourceRef: {kind: GitRepository, name: flux-system}\n`,
    );
    files.set(`file:///ws/flux/app${i}/deployment.yaml`, deployment(`flux${i}`, 1, 'flux:1.0'));
    const c = `file:///ws/charts/chart${i}`;
    files.set(`${c}/Chart.yaml`, `apiVersion: v2\nname: chart${i}\nversion: 1.0.0\n`);
    files.set(`${c}/values.yaml`, 'port: 8080\n');
    files.set(`${c}/templates/app.yaml`, deployment('{{ .Release.Name }}', 1, 'chart:{{ .Values.port }}'));
  }
  // Five Argo CD Applications applying a folder each, and a Fleet GitRepo reading five bundles (their paths and sources are edited).
  for (let i = 0; i < FEW; i++) {
    files.set(`file:///ws/argocd/app${i}.yaml`, argoApplication(i, `argo/app${i}`));
    files.set(`file:///ws/argo/app${i}/deployment.yaml`, deployment(`argo${i}`, 1, 'argo:1.0'));
    files.set(`file:///ws/fleet/app${i}/fleet.yaml`, `defaultNamespace: fleet${i}\n`);
    files.set(`file:///ws/fleet/app${i}/deployment.yaml`, deployment(`fleet${i}`, 1, 'fleet:1.0'));
  }
  files.set('file:///ws/gitrepos/fleet.yaml', gitRepo(FEW - 1));
  // Chart folders without a Chart.yaml (one comes and goes), an app-of-apps chart whose template writes Argo CD Applications
  // (its template and values are edited), and the kustomize-controller Deployment deciding whether a substituting Flux root is strict.
  for (let i = 0; i < FEW; i++) {
    const c = `file:///ws/pending/chart${i}`;
    files.set(`${c}/values.yaml`, 'port: 8080\n');
    files.set(`${c}/templates/app.yaml`, deployment('{{ .Release.Name }}', 1, 'pending:{{ .Values.port }}'));
    files.set(`file:///ws/argoapps/app${i}/deployment.yaml`, deployment(`boot${i}`, 1, 'boot:1.0'));
  }
  files.set('file:///ws/bootstrap/root/Chart.yaml', 'apiVersion: v2\nname: root\nversion: 1.0.0\n');
  files.set(
    'file:///ws/bootstrap/root/values.yaml',
    `apps:\n${Array.from({ length: FEW }, (_, i) => `  - {name: boot${i}, namespace: boot${i}, path: argoapps/app${i}}\n`).join('')}`,
  );
  files.set('file:///ws/bootstrap/root/templates/apps.yaml', ARGO_TEMPLATE);
  files.set('file:///ws/clusters/substitute.yaml', SUBSTITUTING);
  files.set('file:///ws/flux/substituted/service.yaml', `${service('subst')}---\n${deployment('subst', 1, 'subst:${TAG}')}`);
  files.set('file:///ws/clusters/flux-system/gotk-components.yaml', controller('v1.9.0'));
  // Two docs versions of one app (alternatives until an edit renames one), and two install flavours (alternatives throughout).
  for (const v of ['v1', 'v2']) files.set(`file:///ws/versions/${v}/web.yaml`, `${deployment('web', 1, `web:${v}`)}---\n${service('web')}`);
  for (const f of ['aws', 'gcp'])
    files.set(`file:///ws/flavours/${f}/api.yaml`, `${deployment('api', 1, `api:${f}`)}---\n${service('api')}`);
  return files;
}

const files = workspace();
const host = new AnalysisHost();
for (const [uri, text] of files) host.setFile(uri, text);
let t = performance.now();
host.snapshot().diagnostics();
const cold = performance.now() - t;

/** Each kind of edit: the file and a change that toggles between two texts, or a file's text and no file (undefined). */
const originals = new Map(files);
const kinds: Array<{ name: string; file: (i: number) => string; edit: (text: string | undefined, uri: string) => string | undefined }> = [
  {
    name: 'kuttl step (update of an earlier step)',
    file: (i) => `file:///ws/tests/kuttl/t${i}/01-scale.yaml`,
    edit: (text = '') =>
      text.includes('replicas: 3') ? text.replace('replicas: 3', 'replicas: 4') : text.replace('replicas: 4', 'replicas: 3'),
  },
  {
    name: 'kuttl step (install)',
    file: (i) => `file:///ws/tests/kuttl/t${i}/00-install.yaml`,
    edit: (text = '') =>
      text.includes('nginx:1.27') ? text.replace('nginx:1.27', 'nginx:1.28') : text.replace('nginx:1.28', 'nginx:1.27'),
  },
  {
    name: 'file a chainsaw Test applies',
    file: (i) => `file:///ws/tests/chainsaw/t${i}/deployment.yaml`,
    edit: (text = '') => (text.includes('api:1.0') ? text.replace('api:1.0', 'api:1.1') : text.replace('api:1.1', 'api:1.0')),
  },
  {
    name: 'chainsaw Test',
    file: (i) => `file:///ws/tests/chainsaw/t${i}/chainsaw-test.yaml`,
    edit: (text = '') => (text.includes('-b\nspec') ? text.replace('-b\nspec', '\nspec') : text.replace('\nspec', '-b\nspec')),
  },
  // A file that comes, then goes, in a folder no build reads, beside the Kustomize apps.
  { name: 'a file added (plain folder)', file: (i) => `file:///ws/docs/app${i}/extra.yaml`, edit: () => service('extra', 9999) },
  { name: 'a file removed (plain folder)', file: (i) => `file:///ws/docs/app${i}/extra.yaml`, edit: () => undefined },
  // Files that come and go where a build or a render reads them (units/layoutChange.ts): the roots and charts they concern are built again.
  { name: 'a listed resource removed (Kustomize)', file: (i) => `file:///ws/apps/app${i}/base/service.yaml`, edit: () => undefined },
  {
    name: 'a listed resource restored (Kustomize)',
    file: (i) => `file:///ws/apps/app${i}/base/service.yaml`,
    edit: (_, uri) => originals.get(uri),
  },
  { name: 'a file added (Kustomize tree, unlisted)', file: (i) => `file:///ws/apps/app${i}/prod/extra.yaml`, edit: () => service('extra') },
  { name: 'a file removed (Kustomize tree, unlisted)', file: (i) => `file:///ws/apps/app${i}/prod/extra.yaml`, edit: () => undefined },
  {
    name: 'a kustomization added (plain folder)',
    file: (i) => `file:///ws/docs/app${i}/kustomization.yaml`,
    edit: () => 'namespace: docs\nresources: [app.yaml]\n',
  },
  { name: 'a kustomization removed', file: (i) => `file:///ws/docs/app${i}/kustomization.yaml`, edit: () => undefined },
  {
    name: 'a file added (Flux path)',
    file: (i) => `file:///ws/flux/app${i % FEW}/service-${i}.yaml`,
    edit: () => service('flux-extra', 9090),
  },
  { name: 'a file removed (Flux path)', file: (i) => `file:///ws/flux/app${i % FEW}/service-${i}.yaml`, edit: () => undefined },
  {
    name: 'a template added (chart)',
    file: (i) => `file:///ws/charts/chart${i % FEW}/templates/svc-${i}.yaml`,
    edit: () => service('{{ .Release.Name }}-extra', 9090),
  },
  { name: 'a template removed (chart)', file: (i) => `file:///ws/charts/chart${i % FEW}/templates/svc-${i}.yaml`, edit: () => undefined },
  // Edits in place of what decides the layout (units/layoutChange.ts): the roots and charts they touch are built again.
  {
    name: 'a kustomization edited (resources)',
    file: (i) => `file:///ws/apps/app${i % FEW}/base/kustomization.yaml`,
    edit: (text = '') =>
      text.includes('service.yaml') ? 'resources: [deployment.yaml]\n' : 'resources: [deployment.yaml, service.yaml]\n',
  },
  {
    name: 'a Chart.yaml edited (version)',
    file: (i) => `file:///ws/charts/chart${i % FEW}/Chart.yaml`,
    edit: (text = '') => (text.includes('1.0.0') ? text.replace('1.0.0', '1.0.1') : text.replace('1.0.1', '1.0.0')),
  },
  {
    name: 'a Flux Kustomization path edited',
    file: (i) => `file:///ws/clusters/flux${i % FEW}.yaml`,
    edit: (text = '') => (text.includes('-moved') ? text.replace(/(path: \S+)-moved/, '$1') : text.replace(/(path: \S+)/, '$1-moved')),
  },
  {
    name: 'an Argo CD Application path edited',
    file: (i) => `file:///ws/argocd/app${i % FEW}.yaml`,
    edit: (text = '', uri) => {
      const i = Number(/app(\d+)\.yaml$/.exec(uri)?.[1]);
      return text.includes(`path: argo/app${i}\n`) ? argoApplication(i, `argo/app${(i + 1) % FEW}`) : argoApplication(i, `argo/app${i}`);
    },
  },
  {
    name: 'a Fleet GitRepo paths edited',
    file: () => 'file:///ws/gitrepos/fleet.yaml',
    edit: (text = '') => (text.includes(`fleet/app${FEW - 1}`) ? gitRepo(FEW - 1) : gitRepo(FEW)),
  },
  // A change of GitOps roots: an Argo CD Application's only file removed (its folder empty: no root), or restored.
  {
    name: 'GitOps roots: an Argo folder emptied/filled',
    file: (i) => `file:///ws/argo/app${i % FEW}/deployment.yaml`,
    edit: (text, uri) => (text === undefined ? originals.get(uri) : undefined),
  },
  // Edits that read the whole workspace again before session 21 (units/structure.ts): now the charts and roots they concern.
  {
    name: 'a Chart.yaml added or removed',
    file: (i) => `file:///ws/pending/chart${i % FEW}/Chart.yaml`,
    edit: (text, uri) => (text === undefined ? chartYaml(uri) : undefined),
  },
  {
    name: 'an Argo-writing template edited',
    file: () => 'file:///ws/bootstrap/root/templates/apps.yaml',
    edit: (text = '') =>
      text.includes('x-{{') ? text.replace('x-{{', '{{') : text.replace('namespace: {{ .namespace', 'namespace: x-{{ .namespace'),
  },
  {
    name: "an Argo-writing chart's values edited",
    file: () => 'file:///ws/bootstrap/root/values.yaml',
    edit: (text = '') =>
      text.includes('boot0b') ? text.replace('boot0b', 'boot0') : text.replace('namespace: boot0', 'namespace: boot0b'),
  },
  {
    name: 'the kustomize-controller edited (version)',
    file: () => 'file:///ws/clusters/flux-system/gotk-components.yaml',
    edit: (text = '') => controller(text.includes('v1.9.0') ? 'v1.8.3' : 'v1.9.0'),
  },
  {
    name: 'an edit that changes the alternatives',
    file: () => 'file:///ws/versions/v2/web.yaml',
    edit: (text = '') =>
      text.includes('name: web2\n') ? text.replace(/name: web2\n/g, 'name: web\n') : text.replace(/name: web\n/g, 'name: web2\n'),
  },
];

function chartYaml(uri: string): string {
  return `apiVersion: v2\nname: ${/chart\d+/.exec(uri)?.[0] ?? 'chart'}\nversion: 1.0.0\n`;
}

const digest = createHash('sha256');
const rows: string[] = [];
for (const kind of kinds) {
  const times: number[] = [];
  const cpus: number[] = [];
  const rechecked: number[] = [];
  const placed: number[] = [];
  const visited: number[] = [];
  const searches: number[] = [];
  for (let k = 0; k < samples; k++) {
    const uri = kind.file(k % n);
    const text = kind.edit(files.get(uri), uri);
    if (text === files.get(uri)) throw new Error(`${kind.name}: the edit changed nothing in ${uri}`);
    // Read before the edit: the snapshot it takes is the previous one, already computed.
    const work = layoutWorkOf(host);
    applyEdit(files, host, uri, text);
    t = performance.now();
    const cpu = process.cpuUsage();
    host.snapshot().diagnostics();
    times.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    rechecked.push(host.stats.rechecked);
    placed.push(host.stats.placed);
    const after = layoutWorkOf(host);
    visited.push(after.filesVisited - work.filesVisited);
    searches.push(after.searches - work.searches);
  }
  rows.push(
    `${kind.name.padEnd(40)} median ${median(times).toFixed(1)} ms, p95 ${p95(times).toFixed(1)} ms, CPU median ${median(cpus).toFixed(1)} ms, files checked again: median ${median(rechecked)}, placed again: median ${median(placed)}, layout's passes over files: median ${median(visited)} file visits, GitOps searches ${searches.reduce((a, b) => a + b, 0)}/${samples}`,
  );
}
for (const [uri, list] of host.snapshot().diagnostics())
  for (const d of list) digest.update(`${uri}|${d.span.start}|${d.code}|${d.message}\n`);
console.log(
  `${files.size} files (${n} kuttl tests, ${n} chainsaw tests, ${n} Kustomize apps, ${n} docs folders); cold pass ${cold.toFixed(0)} ms`,
);
for (const r of rows) console.log(r);
console.log(`findings digest ${digest.digest('hex').slice(0, 16)}`);

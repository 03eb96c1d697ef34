/**
 * What Fleet's agent or its bundle reader refuses or leaves out of a bundle's deployment
 * (units/fleet.ts makes the deployments): files beside a chart or kustomization it never deploys,
 * cluster-scoped objects a `namespace` forbids, `helmCharts` without `--enable-helm`, a fleet.yaml
 * `dependsOn` its validation refuses. Reported by `kustomize-build-problem`. Design notes: docs/dev/fleet.md.
 */

import type { YMap } from '../syntax/tree.js';
import type { Span } from '../types.js';
import { dirname } from '../workspace/paths.js';
import { bundleIgnore, chartOf, get, isFleetFile, known, kustomizeDirOf } from './fleet.js';
import type { FleetRoot } from './fleet.js';
import { chartNotFetched } from '../text/notFetched.js';

/** A file that holds Kubernetes objects as Fleet reads them (an `apiVersion` and a `kind` at the top level). */
function holdsObjects(text: string | undefined): boolean {
  return text !== undefined && /^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text);
}

/**
 * A note on fleet.yaml when the bundle deploys a chart or a kustomization's build and files beside
 * it hold Kubernetes objects the render never reads: Fleet deploys none of them (rancher/fleet
 * `render/helm.go` `toChart` keeps the chart's files only; a kustomize build deploys its output only).
 */
export function undeployedNote(
  root: FleetRoot,
  read: { readonly inputs: ReadonlySet<string> },
  filesUnder: (dir: string) => readonly string[],
  text: (uri: string) => string | undefined,
): { uri: string; span: Span; message: string; note: true } | undefined {
  const kustomizationOf = (dir: string): string | undefined => filesUnder(dir).find((u) => u === `${dir}/kustomization.yaml`);
  const kust = kustomizeDirOf(root, { kustomizationOf });
  const chart = chartOf(root, { filesUnder });
  // A raw YAML bundle deploys every file (its overlays are read per deployment).
  if (kust === undefined && chart.dir === undefined && chart.remote === undefined) return undefined;
  const key = root.doc.pairs.find((p) => p.key === (kust !== undefined ? 'kustomize' : 'helm'));
  const values = new Set(root.valueFiles);
  const skipped = new Set<string>();
  const all = filesUnder(root.dir);
  for (const uri of all) if (dirname(uri) !== root.dir && isFleetFile(uri)) skipped.add(`${dirname(uri)}/`);
  // A file the bundle's `.fleetignore` leaves out is left out on purpose.
  const ignore = bundleIgnore(root, { filesUnder, text });
  const unread = all.filter((uri) => {
    const rel = uri.slice(root.dir.length + 1);
    if (ignore.ignored(uri)) return false;
    if (!/\.(ya?ml|json)$/.test(rel) || isFleetFile(uri) || values.has(uri) || rel.startsWith('overlays/') || read.inputs.has(uri))
      return false;
    return ![...skipped].some((p) => uri.startsWith(p)) && holdsObjects(text(uri));
  });
  if (unread.length === 0) return undefined;
  const names = unread.slice(0, 3).map((u) => u.slice(root.dir.length + 1));
  const more = unread.length > 3 ? ` and ${unread.length - 3} more` : '';
  return {
    uri: root.uri,
    span: key?.keySpan ?? root.doc.span,
    message: `Fleet deploys only what this bundle's ${kust !== undefined ? 'kustomize build' : 'chart'} renders: ${names.join(', ')}${more} beside it ${unread.length === 1 ? 'holds objects that are' : 'hold objects that are'} never deployed`,
    note: true,
  };
}

/** Built-in (and cert-manager's) kinds the API serves cluster-scoped, by `group/kind`: what Fleet's RESTMapper reports as root-scoped. */
const CLUSTER_SCOPED = new Set(
  [
    '/Namespace /Node /PersistentVolume rbac.authorization.k8s.io/ClusterRole rbac.authorization.k8s.io/ClusterRoleBinding',
    'apiextensions.k8s.io/CustomResourceDefinition storage.k8s.io/StorageClass storage.k8s.io/CSIDriver scheduling.k8s.io/PriorityClass',
    'networking.k8s.io/IngressClass node.k8s.io/RuntimeClass admissionregistration.k8s.io/ValidatingWebhookConfiguration',
    'admissionregistration.k8s.io/MutatingWebhookConfiguration apiregistration.k8s.io/APIService',
    'gateway.networking.k8s.io/GatewayClass cert-manager.io/ClusterIssuer',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Fleet's post-render refuses a deployment whose options set `namespace` (TargetNamespace) when its
 * render holds a cluster-scoped object (`postrender.go`): the error, in Fleet's words, on the
 * `namespace` that forbids them, naming the first such object as Fleet does. A chart's `crds/` are
 * installed by Helm before the post-render and are not counted.
 */
export function clusterScopedRefused(
  root: FleetRoot,
  objects: ReadonlyArray<{ readonly uri: string; readonly root: YMap }>,
  filesUnder: (dir: string) => readonly string[],
): { uri: string; span: Span; message: string; applyFails: true } | undefined {
  const ns = root.options.namespace;
  if (ns === undefined) return undefined;
  // Helm installs a chart's `crds/` itself: they never reach the post-render.
  const chart = chartOf(root, { filesUnder }).dir;
  const found: string[] = [];
  for (const o of objects) {
    if (chart !== undefined && o.uri.startsWith(`${chart}/crds/`)) continue;
    const apiVersion = known(get(o.root, 'apiVersion')) ?? '';
    const kind = known(get(o.root, 'kind')) ?? '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const name = known(get(get(o.root, 'metadata'), 'name'));
    if (CLUSTER_SCOPED.has(`${group}/${kind}`) && name !== undefined) found.push(`[name=${name} kind=${kind} apiVersion=${apiVersion}]`);
  }
  if (found.length === 0) return undefined;
  const more = found.length > 1 ? ` (and ${found.length - 1} more cluster-scoped object${found.length > 2 ? 's' : ''})` : '';
  return {
    uri: ns.span.uri ?? root.uri,
    span: ns.span,
    message: `Fleet refuses this deployment: invalid cluster scoped object ${found[0] ?? ''} found. Your config uses targetNamespace or namespace and thus forbids cluster-scoped resources. If you do not intend to disallow cluster scoped resources, you could switch to defaultNamespace${more}`,
    applyFails: true,
  };
}

/**
 * Fleet builds a bundle's kustomization without kustomize's `--enable-helm` (its krusty options take
 * `types.DisabledPluginConfig()`; rancher/fleet#1084), so a kustomization of the build that lists
 * `helmCharts` stops it: "trouble configuring builtin HelmChartInflationGenerator with config: …:
 * must specify --enable-helm". An error on that `helmCharts` key, once per file.
 */
export function helmChartsRefused(
  read: { readonly kustomizations: ReadonlySet<string> },
  text: (uri: string) => string | undefined,
  own: string,
): Array<{ uri: string; span: Span; message: string; applyFails: true }> {
  const out: Array<{ uri: string; span: Span; message: string; applyFails: true }> = [];
  for (const uri of read.kustomizations) {
    if (uri === own) continue;
    const m = /^helmCharts:/m.exec(text(uri) ?? '');
    if (m === null) continue;
    out.push({
      uri,
      span: { start: m.index, end: m.index + 'helmCharts'.length },
      message:
        'Fleet builds this kustomization without --enable-helm, so kustomize stops here ("trouble configuring builtin HelmChartInflationGenerator with config: …: must specify --enable-helm"): render the chart with the bundle\'s helm options instead',
      applyFails: true,
    });
  }
  return out;
}

/**
 * A bundle whose `helm.chart` names a packed chart of the repository (`./chart.tgz`): Fleet's reader
 * unpacks it (go-getter, `bundlereader/charturl.go`), the analysis (pure, no gzip) does not, so
 * the chart's objects are not known here (the build is incomplete, units/fleet.ts): one note on the
 * value, so that the silence has a reason.
 */
export function packedChartNote(root: FleetRoot): { uri: string; span: Span; message: string; note: true } | undefined {
  const chart = root.options.chart;
  const rel = known(chart);
  if (chart === undefined || rel === undefined || root.options.repo !== undefined) return undefined;
  if (!/\.(?:tgz|tar\.gz)$/i.test(rel) || /^[a-z][a-z0-9+.-]*:/i.test(rel) || rel.includes('::')) return undefined;
  return {
    uri: root.uri,
    span: chart.span,
    message: `Fleet unpacks the packed chart ${rel} and deploys what it renders; Kube Reach does not unpack charts a fleet.yaml names, so the objects of this deployment are not known here and absence checks about them stay silent (unpack it into a folder to have it checked)`,
    note: true,
  };
}

/**
 * A bundle whose `helm.chart` Fleet downloads (a `helm.repo`, a URL, an OCI or go-getter reference:
 * `chartOf`'s remote charts that are no missing local folder): one `remote-source-not-fetched` note on
 * the value that names it (text/notFetched.ts), as for kustomize's, Argo CD's and Flux's charts.
 */
export function remoteChartNote(
  root: FleetRoot,
): { uri: string; span: Span; message: string; remote: string; fetchedBy: string } | undefined {
  const { chart, repo } = root.options;
  const name = known(chart);
  const from = known(repo);
  const pulled = from !== undefined || (name !== undefined && (/^[a-z][a-z0-9+.-]*:/i.test(name) || name.includes('::')));
  if (!pulled) return undefined;
  const at = chart ?? repo;
  if (at === undefined) return undefined;
  const version = known(get(get(root.doc, 'helm'), 'version'));
  return {
    uri: at.span.uri ?? root.uri,
    span: at.span,
    message: chartNotFetched(
      'Fleet',
      {
        ...(name !== undefined ? { chart: name } : {}),
        ...(version !== undefined ? { version } : {}),
        ...(from !== undefined ? { repo: from } : {}),
      },
      undefined,
    ),
    remote: from ?? name ?? '',
    fetchedBy: 'Fleet',
  };
}

/** Fleet's bundle states (`StateRank`), in its order: what `dependsOn[].acceptedStates` may hold. */
const STATES = ['Ready', 'NotReady', 'Pending', 'OutOfSync', 'Modified', 'WaitApplied', 'ErrApplied'];

/**
 * fleet.yaml's `dependsOn` as Fleet's bundle reader validates it (`validateFleetYAML`): an entry
 * needs a `name` or a `selector`, and its `acceptedStates` are bundle states. Fleet refuses the
 * whole bundle ("validating fleet.yaml: …"): an error on the entry, in Fleet's words (the first one).
 */
export function dependsOnRefused(root: FleetRoot): { uri: string; span: Span; message: string; applyFails: true } | undefined {
  const deps = get(root.doc, 'dependsOn');
  if (deps === undefined || deps.kind !== 'seq') return undefined;
  for (const [i, dep] of deps.items.entries()) {
    const named = known(get(dep, 'name')) !== undefined;
    const selector = get(dep, 'selector');
    let message: string | undefined;
    if (!named && (selector === undefined || (selector.kind === 'scalar' && selector.value === null)))
      message = `dependsOn[${i}]: must specify either 'name' or 'selector'`;
    const states = get(dep, 'acceptedStates');
    for (const [j, s] of (states?.kind === 'seq' ? states.items : []).entries()) {
      const state = known(s);
      if (message === undefined && state !== undefined && !STATES.includes(state))
        message = `dependsOn[${i}].acceptedStates[${j}]: invalid state "${state}", valid values are: [${STATES.join(' ')}]`;
    }
    if (message !== undefined)
      return { uri: root.uri, span: dep.span, message: `Fleet refuses this bundle: validating fleet.yaml: ${message}`, applyFails: true };
  }
  return undefined;
}

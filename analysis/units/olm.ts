/**
 * OLM bundle roots. An operator-sdk project's `config/manifests` kustomization (one per flavour:
 * `config/manifests/community`, `config/manifests/openshift`) is what `operator-sdk generate
 * bundle` reads: its build becomes a bundle, and OLM installs every namespaced object of a bundle
 * into the namespace the operator is installed in (its OperatorGroup's), whatever
 * `metadata.namespace` the build wrote. So in such a root the namespaced objects land in one
 * namespace together, decided at install time: they are floating (docs/dev/units.md), as a
 * namespace-less folder's are. A kustomization is a bundle root when its folder holds a
 * ClusterServiceVersion under `bases/` (where `operator-sdk generate kustomize manifests` writes
 * it), its build reads (or names) a `*.clusterserviceversion.yaml` file, or outputs one. `kubectl apply -k` of the overlay the bundle root includes is
 * still judged as kubectl applies it, where that overlay is a root of its own.
 * Design notes: docs/dev/kustomize.md §3.
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { isMap, isScalar } from '../syntax/tree.js';

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function str(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' ? n.value : undefined;
}

/** Kinds the API serves cluster-scoped (the built-in ones and the usual `Cluster*` custom kinds): a namespace means nothing on them. */
export const CLUSTER_KINDS =
  /^(Namespace|Node|PersistentVolume|StorageClass|PriorityClass|IngressClass|RuntimeClass|CSIDriver|CSINode|VolumeAttachment|APIService|CustomResourceDefinition|CertificateSigningRequest|Cluster.*|.*WebhookConfiguration|ValidatingAdmissionPolicy(Binding)?|GatewayClass)$/;

const isCsv = (root: YMap): boolean =>
  str(get(root, 'kind')) === 'ClusterServiceVersion' && (str(get(root, 'apiVersion')) ?? '').startsWith('operators.coreos.com/');

const CSV_FILE = /\.clusterserviceversion\.(ya?ml|json)$/;

/**
 * Whether the kustomization in `dir` builds an OLM bundle: its `bases/` holds a
 * ClusterServiceVersion, its build reads a `*.clusterserviceversion.yaml` file (there or not: the
 * scaffold lists `bases/<project>.clusterserviceversion.yaml`, which `operator-sdk generate
 * kustomize manifests` writes and some projects leave out of the repository), or it outputs one.
 */
export function isBundleRoot(
  dir: string,
  result: { readonly objects: ReadonlyArray<{ readonly root: YMap }>; readonly inputs: ReadonlySet<string> },
  filesUnder: (dir: string) => readonly string[],
): boolean {
  if (filesUnder(`${dir}/bases`).some((u) => CSV_FILE.test(u))) return true;
  for (const u of result.inputs) if (CSV_FILE.test(u)) return true;
  return result.objects.some((o) => isCsv(o.root));
}

/** OLM installs a bundle's namespaced objects into the install namespace: their written namespace is dropped (they float together). */
export function installNamespace(objects: ReadonlyArray<{ readonly root: YMap }>): void {
  for (const o of objects) {
    if (CLUSTER_KINDS.test(str(get(o.root, 'kind')) ?? '')) continue;
    const i = o.root.pairs.findIndex((p) => p.key === 'metadata');
    const meta = o.root.pairs[i];
    if (meta === undefined || !isMap(meta.value) || !meta.value.pairs.some((p) => p.key === 'namespace')) continue;
    o.root.pairs[i] = { ...meta, value: { ...meta.value, pairs: meta.value.pairs.filter((p) => p.key !== 'namespace') } };
  }
}

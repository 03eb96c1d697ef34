/**
 * Where an Argo CD Application applies its objects (units/argocd.ts): the destination cluster, as a
 * key of the alternatives relation (objects of different clusters never meet), and the destination
 * namespace objects without one land in. Design notes: docs/dev/argocd.md.
 */

import type { ArgoRoot } from './argocd.js';
import { remembered } from './factsMemo.js';
import type { FileFacts, KObject } from '../model/types.js';
import type { ParsedFile } from '../syntax/parse.js';
import { base64Decode } from '../render/helm/funcs/digest.js';
import { utf8Decode } from '../render/helm/template/utf8.js';
import type { YMap, YNode } from '../syntax/tree.js';
import { isMap, isScalar } from '../syntax/tree.js';
import { placeNamespace } from './placeNamespace.js';

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null ? String(n.value) : undefined;
}

/** The server URL of the cluster Argo CD runs in, which it registers as `in-cluster`. */
const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * The cluster an Application's `spec.destination` names, as a key of the alternatives relation
 * (units/alternatives.ts): `server:<url>` for a `server`, `name:<name>` for a `name`; `in-cluster`,
 * the name Argo CD registers its own cluster under, is `server:https://kubernetes.default.svc`.
 * Undefined when not known here: none given (Argo CD refuses it), both given (Argo CD refuses it:
 * "application destination can't have both name and server defined"), or a templated one.
 */
export function destinationCluster(spec: YMap, names: ReadonlyMap<string, string> = NO_NAMES): string | undefined {
  const d = get(spec, 'destination');
  const name = get(d, 'name');
  const server = get(d, 'server');
  const given = (n: YNode | undefined): boolean => n !== undefined && !(isScalar(n) && (n.value === null || n.value === ''));
  if (given(name) === given(server)) return undefined;
  const value = known(given(name) ? name : server);
  if (value === undefined || value.includes('{{')) return undefined;
  if (given(server)) return `server:${value}`;
  const registered = names.get(value);
  if (registered !== undefined) return `server:${registered}`;
  return value === 'in-cluster' ? `server:${IN_CLUSTER}` : `name:${value}`;
}

const NO_NAMES: ReadonlyMap<string, string> = new Map();

/** A Secret Argo CD reads as a cluster (`argocd.argoproj.io/secret-type: cluster`). */
export function isClusterSecret(o: KObject): boolean {
  const type = o.labels?.entries.find((e) => e.key === 'argocd.argoproj.io/secret-type')?.value;
  return o.kind === 'Secret' && o.group === '' && type?.known === true && type.value === 'cluster';
}

/**
 * The clusters the workspace registers with Argo CD, name → server: its cluster Secrets' `name` and
 * `server` (`stringData`, or `data` base64-encoded, as Argo CD's cluster Secrets hold them). A name
 * two Secrets give different servers, or one whose values are not known here (SOPS, a template), is left out.
 */
const clusterSecretFacts = new WeakMap<FileFacts, boolean>();

export function clusterNames(files: ReadonlyMap<string, FileFacts>, parse: (uri: string) => ParsedFile | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const clash = new Set<string>();
  for (const f of files.values()) {
    if (f.template || !remembered(clusterSecretFacts, f, (x) => x.objects.some(isClusterSecret))) continue;
    const parsed = parse(f.uri);
    for (const o of f.objects) {
      if (!isClusterSecret(o)) continue;
      const root = parsed?.documents[o.docIndex]?.root;
      const field = (key: string): string | undefined => {
        const plain = known(get(get(root, 'stringData'), key));
        if (plain !== undefined) return plain;
        const encoded = known(get(get(root, 'data'), key));
        const bytes = encoded === undefined ? undefined : base64Decode(encoded);
        return bytes === undefined || typeof bytes === 'string' ? undefined : utf8Decode(bytes);
      };
      const name = field('name');
      const server = field('server');
      if (name === undefined || server === undefined || name.startsWith('ENC[') || server.startsWith('ENC[')) continue;
      if (out.has(name) && out.get(name) !== server) clash.add(name);
      out.set(name, server);
    }
  }
  for (const n of clash) out.delete(n);
  return out;
}

/**
 * Where Argo CD applies an Application's objects without a namespace: `destination.namespace`
 * (kubectl's `apply -n`). Cluster-scoped kinds are left as they are; without a destination
 * namespace the objects stay floating.
 */
export function placeInDestination(root: ArgoRoot, objects: ReadonlyArray<{ readonly root: YMap }>): void {
  if (root.namespace !== undefined) placeNamespace(objects, root.namespace, false);
}

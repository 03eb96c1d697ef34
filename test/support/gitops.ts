/**
 * The GitOps units' test helper (test/analysis/fluxUnits.test.ts, argoUnits.test.ts): a host over
 * `#- path` virtual files, its diagnostics and placements as sorted lines, and a run of edits after
 * each of which the incremental host must equal a fresh one (and, for the edits marked scoped, have
 * judged again fewer than half the files: test/analysis/incrementalScope.test.ts); and the fixture texts the GitOps and
 * Kustomize unit tests share (a Service selecting its own `app` label, a Deployment of one
 * container, a Flux Kustomization applying a folder), written once.
 */

import assert from 'node:assert/strict';
import { AnalysisHost } from '../../analysis/index.js';
import type { Diagnostic } from '../../analysis/index.js';

export function hostOf(files: ReadonlyMap<string, string>): AnalysisHost {
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  return host;
}

/**
 * What the host's layouts have cost so far (units/layoutScan.ts `LayoutWork`, carried from layout to layout): a copy, so
 * that the counts before and after an edit can be compared.
 */
export function layoutWorkOf(host: AnalysisHost): { filesVisited: number; searches: number } {
  const work = host.snapshot().index.kustomizeLayout().work;
  return { filesVisited: work?.filesVisited ?? 0, searches: work?.searches ?? 0 };
}

/** Every diagnostic of the host's snapshot, with its severity, one line each, sorted (a pass compared with another). */
export function diagnosticLines(host: AnalysisHost): string[] {
  const out: string[] = [];
  for (const [uri, list] of host.snapshot().diagnostics())
    for (const d of list) out.push(`${uri}|${d.span.start}|${d.code}|${d.severity}|${d.message}`);
  return out.sort();
}

export function render(all: ReadonlyMap<string, readonly Diagnostic[]>): string[] {
  return [...all].flatMap(([uri, list]) => list.map((d) => `${uri}:${d.span.start}-${d.span.end} ${d.code} ${d.message}`)).sort();
}

/** `Kind/name@namespaces` of the objects of the given kinds, sorted. */
export function placements(host: AnalysisHost, kinds: readonly string[]): string[] {
  return host
    .snapshot()
    .index.objects.filter((p) => kinds.includes(p.obj.kind))
    .map(
      (p) =>
        `${p.obj.kind}/${p.obj.name?.known === true ? p.obj.name.value : '?'}@${p.placements.map((pl) => pl.namespace ?? '').join(',')}`,
    )
    .sort();
}

/** A file and its edit (undefined: the file is removed); `scoped`: the edit must judge again fewer than half the files. */
export type Edit = readonly [uri: string, edit: (text: string | undefined) => string | undefined, scoped?: boolean];

/** Writes one edit to the files and the host: a text, or undefined for a file removed. */
export function applyEdit(files: Map<string, string>, host: AnalysisHost, uri: string, text: string | undefined): void {
  if (text === undefined) {
    files.delete(uri);
    host.removeFile(uri);
  } else {
    files.set(uri, text);
    host.setFile(uri, text);
  }
}

/**
 * Applies the edits one by one (undefined: the file is removed); after each, the host's diagnostics equal a fresh
 * host's, and so do its Kustomize roots and the placements of the objects of `kinds` when given; an edit marked
 * scoped judges again fewer than half the files.
 */
export function editsEqualFresh(
  files: Map<string, string>,
  host: AnalysisHost,
  edits: readonly Edit[],
  kinds: readonly string[] | undefined,
): void {
  for (const [i, [uri, edit, scoped]] of edits.entries()) {
    const text = edit(files.get(uri));
    applyEdit(files, host, uri, text);
    const snap = host.snapshot();
    const fresh = hostOf(files);
    const label = `edit ${i}: ${uri}`;
    assert.deepEqual(render(snap.diagnostics()), render(fresh.snapshot().diagnostics()), label);
    if (kinds !== undefined) {
      assert.deepEqual(snap.index.kustomizeLayout().roots, fresh.snapshot().index.kustomizeLayout().roots, `roots after ${label}`);
      assert.deepEqual(placements(host, kinds), placements(fresh, kinds), `placements after ${label}`);
    }
    if (scoped === true)
      assert.ok(host.stats.rechecked * 2 < files.size, `${label}: ${host.stats.rechecked} of ${files.size} files checked again`);
  }
}

/** A Service `name` selecting the pods labelled `app: <name>`, with `ports` (default port 80); no trailing newline. */
export function serviceYaml(name: string, ports = '{port: 80}'): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports: [${ports}]`;
}

/** A Deployment `name` (in `namespace` when given) of one container `name` (image `name`) labelled `app: <name>`, with `ports`; no trailing newline. */
export function deploymentYaml(name: string, ports: string, namespace?: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${namespace === undefined ? '' : `\n  namespace: ${namespace}`}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers: [{name: ${name}, image: ${name}, ports: [${ports}]}]`;
}

/**
 * A Flux Kustomization (`kustomize.toolkit.fluxcd.io/v1`) `name` (in `namespace` when given) applying
 * `path` of the repository's own GitRepository every hour; more `spec` fields may follow it (two-space
 * indented lines); no trailing newline.
 */
export function fluxKustomizationYaml(name: string, path: string, namespace?: string): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}${namespace === undefined ? '' : `\n  namespace: ${namespace}`}
spec:
  interval: 1h
  path: ${path}
  sourceRef: {kind: GitRepository, name: flux-system}`;
}

/** `name` (a Deployment and a Service selecting it) in `namespace`; the Service's targetPort is `target`. */
export function appYaml(name: string, namespace: string, target = 8080): string {
  const ns = (t: string): string => t.replace(`name: ${name}\n`, `name: ${name}\n  namespace: ${namespace}\n`);
  return `${deploymentYaml(name, '{containerPort: 8080}', namespace)}\n---\n${ns(serviceYaml(name, `{port: 80, targetPort: ${target}}`))}\n`;
}

/** Twenty plain apps under `root`/apps/, every fifth Service with a targetPort its pods do not declare. */
export function plainApps(files: Map<string, string>, root: string): void {
  for (let i = 0; i < 20; i++) files.set(`${root}/apps/app${i}/app.yaml`, appYaml(`app${i}`, `ns${i}`, i % 5 === 0 ? 9090 : 8080));
}

/**
 * The plain apps under `root` with `extra` files, a host over them with its diagnostics read, then
 * `edits`, every one scoped: each pass equals a fresh host's (placements of `kinds`).
 */
export function scopedEditsEqualFresh(
  root: string,
  extra: ReadonlyMap<string, string>,
  edits: ReadonlyArray<readonly [string, (t: string | undefined) => string | undefined]>,
  kinds: readonly string[],
): void {
  const files = new Map<string, string>();
  plainApps(files, root);
  for (const [uri, text] of extra) files.set(uri, text);
  const host = hostOf(files);
  host.snapshot().diagnostics();
  editsEqualFresh(
    files,
    host,
    edits.map(([uri, edit]): Edit => [uri, edit, true]),
    kinds,
  );
}

/**
 * An Argo CD app-of-apps chart (`bootstrap/root`, a virtual-files text): its template writes one
 * Application per `apps` entry of its values, for the apps `web` (namespace media) and `api`
 * (backend) under `appsDir`.
 */
export function appOfAppsChart(appsDir: string): string {
  return `#- bootstrap/root/Chart.yaml
apiVersion: v2
name: root
version: 0.0.0
#- bootstrap/root/values.yaml
repo: https://github.com/example/homelab
apps:
  - {name: web, namespace: media, path: ${appsDir}/web}
  - {name: api, namespace: backend, path: ${appsDir}/api}
#- bootstrap/root/templates/apps.yaml
{{- range .Values.apps }}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{ .name }}
  namespace: {{ $.Release.Namespace }}
spec:
  source:
    repoURL: {{ $.Values.repo }}
    path: {{ .path }}
  destination:
    namespace: {{ .namespace }}
{{- end }}
`;
}

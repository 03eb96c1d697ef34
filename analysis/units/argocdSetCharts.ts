/**
 * The releases an ApplicationSet's Applications install from charts of a Helm repository (docs/dev/argocd.md
 * "Charts of a Helm repository"). Lowering reads an ApplicationSet's template alone (model/argoChart.ts):
 * its `{{key}}` values are filled only from `list` generators whose elements all agree. The Applications
 * its generators make (units/argocdSets.ts: `git` directories and files, `matrix`, `merge`, `list`,
 * `clusters`) are known in the layout, each with its destination namespace and release name: an
 * ApplicationSet of a plain file gets them (units/placement.ts), so each release's install namespace is
 * treated as a plain Application's (workspace/lists.ts, model/operators.ts `makerNames`) and the note on
 * its `chart:` names them (checks/remoteSourceNotFetched.ts). Pure.
 */

import type { GeneratedRelease, KObject } from '../model/types.js';
import { lowerArgoChart } from '../model/argoChart.js';
import type { YMap, YNode } from '../syntax/tree.js';
import { isScalar } from '../syntax/tree.js';
import { mapOf, pairOf } from './treeBuild.js';

/** An Application an Argo CD document makes: the document it comes from, and its spec. */
interface Made {
  readonly uri: string;
  readonly doc: YMap;
  readonly app: { readonly name: string; readonly spec: YMap };
}

const ARGO_GROUP = 'argoproj.io';

/** The releases each ApplicationSet makes, by `setKey`, for the roots `findArgoRoots` returned. */
const bySet = new WeakMap<ReadonlyMap<string, unknown>, ReadonlyMap<string, readonly GeneratedRelease[]>>();

/** How an ApplicationSet document is found again from its object: its file and where its document starts. */
export function setKey(uri: string, start: number): string {
  return `${uri}@${start}`;
}

function kindOf(doc: YMap): string | undefined {
  const k = doc.pairs.find((p) => p.key === 'kind')?.value;
  return isScalar(k) && typeof k.value === 'string' ? k.value : undefined;
}

/**
 * Records, for `roots`, the chart releases of the Applications that ApplicationSets of plain files make
 * (`rendered`: documents a chart's render wrote, left out: their objects are the Helm units').
 */
export function recordSetReleases(roots: ReadonlyMap<string, unknown>, made: Iterable<Made>, rendered: ReadonlySet<YNode>): void {
  const out = new Map<string, GeneratedRelease[]>();
  for (const m of made) {
    if (rendered.has(m.doc) || kindOf(m.doc) !== 'ApplicationSet') continue;
    const facts = lowerArgoChart(
      ARGO_GROUP,
      'Application',
      m.app.name,
      mapOf([pairOf('spec', m.app.spec, m.app.spec.span)], m.app.spec.span),
    );
    if (facts?.remoteCharts === undefined) continue;
    const key = setKey(m.uri, m.doc.span.start);
    const list = out.get(key) ?? [];
    out.set(key, list);
    list.push({
      application: m.app.name,
      ...(facts.targetNamespace !== undefined ? { namespace: facts.targetNamespace } : {}),
      ...(facts.releaseName !== undefined ? { releaseName: facts.releaseName } : {}),
    });
  }
  bySet.set(roots, out);
}

/** The releases the ApplicationSets of the layout's Argo CD roots make, by `setKey` (none when not recorded). */
export function setReleases(roots: ReadonlyMap<string, unknown> | undefined): ReadonlyMap<string, readonly GeneratedRelease[]> {
  return (roots === undefined ? undefined : bySet.get(roots)) ?? new Map();
}

/** An ApplicationSet object with the releases its Applications install (`HelmReleaseFacts.generated`), when the layout knows them. */
export function withGeneratedReleases(o: KObject, roots: ReadonlyMap<string, unknown> | undefined): KObject {
  if (o.kind !== 'ApplicationSet' || o.helmRelease?.remoteCharts === undefined) return o;
  const generated = setReleases(roots).get(setKey(o.uri, o.span.start));
  return generated === undefined ? o : { ...o, helmRelease: { ...o.helmRelease, generated } };
}

/** The files whose ApplicationSets make other releases in `b` than in `a` (their objects are placed again). */
export function setReleasesTouched(a: ReadonlyMap<string, unknown> | undefined, b: ReadonlyMap<string, unknown> | undefined): string[] {
  const x = setReleases(a);
  const y = setReleases(b);
  const out = new Set<string>();
  const text = (l: readonly GeneratedRelease[] | undefined): string => JSON.stringify(l ?? []);
  for (const k of new Set([...x.keys(), ...y.keys()])) if (text(x.get(k)) !== text(y.get(k))) out.add(k.slice(0, k.lastIndexOf('@')));
  return [...out];
}

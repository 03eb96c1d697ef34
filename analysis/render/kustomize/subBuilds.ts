/**
 * Sub-builds shared by the roots that include them. kustomize builds a directory listed as a
 * resource on its own first (its transformers see only its own resources), so what it outputs
 * depends on nothing the including kustomization says: a base built by ten overlays is built once,
 * and each overlay takes a private copy of its output. A sub-build is kept with what it depends on
 * (the texts of the files it read, the kustomizations it looked up, the folders it listed) and the
 * build options (the Kubernetes version charts render for, whether folders can be listed), and is
 * taken again only while all of those are the same; one whose build met a cycle is never kept (a
 * cycle depends on the directories being built around it). The host owns the cache
 * (`KustomizeHost.subBuilds`): `units/kustomize.ts` carries it from one layout to the next, so an
 * edit in an overlay rebuilds that overlay, not its bases.
 */

import type { Configuration, ConfiguredReference } from './configurations.js';
import type { BuildProblem, KustomizeHost } from './build.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import type { Res } from './resource.js';
import type { Var } from './vars.js';
import type { CustomSchemas } from './openapi.js';

/** A build in progress (`build.ts`): what it read and met so far. */
export interface BuildState {
  readonly host: KustomizeHost;
  readonly inputs: Set<string>;
  readonly kustomizations: Set<string>;
  readonly resourceFiles: Set<string>;
  readonly patchFiles: Set<string>;
  readonly problems: BuildProblem[];
  readonly notes: BuildProblem[];
  complete: boolean;
  /** Something the build depends on cannot be known here (a remote or missing part, a template, a plugin). */
  unknown: boolean;
  /** A kustomization of it copies `${VAR}` text into the objects (envsubst.ts `kustomizationReading`). */
  copiesVariables: boolean;
  /** Some file of it was read with `${VAR}`s as text (envsubst.ts `literalVariables`). */
  literalVariables: boolean;
  /** Resource and patch files whose `yes`/`on`/… kustomize reads as strings (reading.ts `kyamlReading`). */
  readonly kyamlFiles: Set<string>;
  /** Directories being built (a cycle is a problem, not a loop). */
  readonly stack: string[];
  /** The folders whose kustomization it looked up, and what it found. */
  readonly probes: Map<string, string | undefined>;
  /** The kind of each kustomization it read, by folder (`Kustomization` or `Component`; ids.ts checks how it was listed). */
  readonly kinds: Map<string, string | undefined>;
  /** Template text its kustomizations copy into the objects (`namespace: "{{ .Release.Namespace }}"`): unknown once built (build.ts). */
  readonly templateTexts: Set<string>;
  /** The folders it listed (a `helmCharts` chart), and what they held. */
  readonly listings: Map<string, string>;
  /** It met a cycle (what it built then depends on the directories around it). */
  cycle: boolean;
  /** Name references its kustomizations' `configurations` teach (configurations.ts). */
  readonly references: ConfiguredReference[];
  /** Field specs its kustomizations' `configurations` teach, by section. */
  readonly fieldSpecs: Configuration['fieldSpecs'];
  /** The `vars` its kustomizations declare (resolved at the end of the top build). */
  readonly vars: Var[];
  /**
   * The namespace a `helmCharts` entry without its own renders into when its kustomization sets
   * none: the nearest including kustomization's `namespace` (kustomize's `helmRootNamespace`).
   */
  helmNamespace: string | undefined;
  /** A chart of the build rendered into `helmNamespace`, whatever it is (none included): the build depends on it. */
  usedHelmNamespace: boolean;
  /**
   * The build's OpenAPI schema (openapi.ts), one for the whole build and shared by its sub-builds'
   * states, as kustomize keeps it in one global: set by the top kustomization's `openapi`, or else by
   * the first kustomization loaded that has one, for everything after.
   */
  readonly schema: SchemaSlot;
}

/** The schema a build has: none yet, a built-in version (`custom` undefined), or custom types' schemas. */
export interface SchemaSlot {
  set: boolean;
  custom?: CustomSchemas;
}

/** A build state that has met nothing yet: a top build's (empty stack) or a sub-build's (its parent's stack). */
export function freshState(host: KustomizeHost, stack: string[], helmNamespace?: string, schema?: SchemaSlot): BuildState {
  return {
    schema: schema ?? { set: false },
    helmNamespace,
    usedHelmNamespace: false,
    host,
    inputs: new Set(),
    kustomizations: new Set(),
    resourceFiles: new Set(),
    patchFiles: new Set(),
    problems: [],
    notes: [],
    complete: true,
    unknown: false,
    copiesVariables: false,
    literalVariables: false,
    kyamlFiles: new Set(),
    stack,
    probes: new Map(),
    kinds: new Map(),
    templateTexts: new Set(),
    listings: new Map(),
    cycle: false,
    references: [],
    fieldSpecs: [],
    vars: [],
  };
}

/** The kustomization file in `dir`, as the host says, remembered as a lookup of the build. */
export function kustomizationIn(st: BuildState, dir: string): string | undefined {
  const uri = st.host.kustomizationOf(dir);
  st.probes.set(dir, uri);
  return uri;
}

export interface SubBuild {
  /** Its output as built (never handed out: each use takes a copy). */
  readonly res: readonly Res[];
  readonly inputs: ReadonlySet<string>;
  readonly kustomizations: ReadonlySet<string>;
  readonly resourceFiles: ReadonlySet<string>;
  readonly patchFiles: ReadonlySet<string>;
  readonly problems: readonly BuildProblem[];
  readonly notes: readonly BuildProblem[];
  readonly complete: boolean;
  readonly unknown: boolean;
  readonly copiesVariables: boolean;
  readonly literalVariables: boolean;
  readonly kyamlFiles: ReadonlySet<string>;
  /** The text of every input when it was built (undefined: absent). */
  readonly texts: ReadonlyMap<string, string | undefined>;
  /** The folders whose kustomization it looked up, and what it found. */
  readonly probes: ReadonlyMap<string, string | undefined>;
  /** The folders it listed, and what they held. */
  readonly listings: ReadonlyMap<string, string>;
  readonly kinds: ReadonlyMap<string, string | undefined>;
  readonly templateTexts: ReadonlySet<string>;
  readonly references: readonly ConfiguredReference[];
  readonly fieldSpecs: Configuration['fieldSpecs'];
  readonly vars: readonly Var[];
  /** A chart of it rendered into the namespace handed down, this one (absent: none did, it does not depend on it). */
  readonly helmNamespace?: { readonly value: string | undefined };
  /** It set the build's schema (a kustomization of it was the first with `openapi`): a build taking it sets it too. */
  readonly setsSchema?: { readonly custom: CustomSchemas | undefined };
}

/** Sub-builds by directory and build options. */
export type SubBuildCache = Map<string, SubBuild>;

export function subBuildKey(dir: string, kubernetesVersion: string | undefined, lists: boolean): string {
  return `${dir}\u0000${kubernetesVersion ?? ''}\u0000${lists ? 'l' : ''}`;
}

/**
 * Private copies of resources being built (their trees and the ids they have had). A node the
 * builder shares between places (a JSON patch `copy`) stays shared among the copies, so a later
 * transformer changes them as it would have changed the originals.
 */
export function copyResources(list: readonly Res[]): Res[] {
  const memo = new Map<YNode, YNode>();
  const copy = (n: YNode): YNode => {
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    let out: YNode;
    if (n.kind === 'scalar') out = { ...n };
    else if (n.kind === 'seq') {
      const items: YNode[] = [];
      out = { ...n, items };
      memo.set(n, out);
      for (const it of n.items) items.push(copy(it));
    } else {
      const pairs: YMap['pairs'] = [];
      out = { ...n, pairs };
      memo.set(n, out);
      for (const p of n.pairs) pairs.push({ ...p, value: p.value === undefined ? undefined : copy(p.value) });
    }
    memo.set(n, out);
    return out;
  };
  return list.map((r) => ({
    ...r,
    node: copy(r.node) as YMap,
    names: [...r.names],
    namespaces: [...r.namespaces],
    ...(r.previous !== undefined ? { previous: [...r.previous] } : {}),
    ...(r.prefixes !== undefined ? { prefixes: [...r.prefixes] } : {}),
    ...(r.suffixes !== undefined ? { suffixes: [...r.suffixes] } : {}),
  }));
}

/** What a still-valid sub-build needs to hold: the same texts, kustomizations and listings. */
export interface SubBuildReader {
  text(uri: string): string | undefined;
  kustomizationOf(dir: string): string | undefined;
  listing(dir: string): string | undefined;
}

export function stillValid(b: SubBuild, read: SubBuildReader): boolean {
  for (const [uri, t] of b.texts) if (read.text(uri) !== t) return false;
  for (const [dir, k] of b.probes) if (read.kustomizationOf(dir) !== k) return false;
  for (const [dir, list] of b.listings) if (read.listing(dir) !== list) return false;
  return true;
}

function join(st: BuildState, b: Omit<SubBuild, 'res' | 'texts' | 'helmNamespace'>): void {
  for (const u of b.inputs) st.inputs.add(u);
  for (const u of b.kustomizations) st.kustomizations.add(u);
  for (const u of b.resourceFiles) st.resourceFiles.add(u);
  for (const u of b.patchFiles) st.patchFiles.add(u);
  for (const p of b.problems) st.problems.push(p);
  for (const p of b.notes) st.notes.push(p);
  if (!b.complete) st.complete = false;
  if (b.unknown) st.unknown = true;
  if (b.copiesVariables) st.copiesVariables = true;
  if (b.literalVariables) st.literalVariables = true;
  for (const u of b.kyamlFiles) st.kyamlFiles.add(u);
  for (const [d, k] of b.probes) st.probes.set(d, k);
  for (const [d, l] of b.listings) st.listings.set(d, l);
  for (const [d, k] of b.kinds) st.kinds.set(d, k);
  for (const t of b.templateTexts) st.templateTexts.add(t);
  for (const r of b.references) st.references.push(r);
  for (const f of b.fieldSpecs) st.fieldSpecs.push(f);
  for (const v of b.vars) st.vars.push(v);
}

/**
 * The output of the kustomization in `dir` built on its own (a resource of the kustomization being
 * built): from the host's cache while everything it depends on is the same, else built by
 * `accumulate` and kept. Either way the build records what the sub-build read, looked up and met.
 */
export function sharedSubBuild(st: BuildState, dir: string, accumulate: (st: BuildState, dir: string, ra: Res[]) => void): Res[] {
  // Only a build that starts without a schema is shared (the cache is for builds that depend on none).
  const cache = !st.schema.set ? st.host.subBuilds : undefined;
  const filesUnder = st.host.filesUnder;
  const key = subBuildKey(dir, st.host.kubernetesVersion, filesUnder !== undefined);
  const hit = cache?.get(key);
  if (
    hit !== undefined &&
    // A chart of it rendered into the namespace the including kustomizations hand down.
    (hit.helmNamespace === undefined || hit.helmNamespace.value === st.helmNamespace) &&
    // A directory being built around it would make a cycle through it now.
    ![...hit.probes.keys()].some((d) => st.stack.includes(d)) &&
    stillValid(hit, {
      text: (uri) => st.host.text(uri),
      kustomizationOf: (d) => kustomizationIn(st, d),
      listing: (d) => filesUnder?.call(st.host, d).join('\n'),
    })
  ) {
    join(st, hit);
    if (hit.helmNamespace !== undefined) st.usedHelmNamespace = true;
    if (hit.setsSchema !== undefined) {
      st.schema.set = true;
      if (hit.setsSchema.custom !== undefined) st.schema.custom = hit.setsSchema.custom;
    }
    return copyResources(hit.res);
  }
  const child = freshState(st.host, st.stack, st.helmNamespace, st.schema);
  const sub: Res[] = [];
  accumulate(child, dir, sub);
  join(st, child);
  if (child.usedHelmNamespace) st.usedHelmNamespace = true;
  if (child.cycle) st.cycle = true;
  else if (cache !== undefined) {
    const texts = new Map<string, string | undefined>();
    for (const u of child.inputs) texts.set(u, st.host.text(u));
    // Only what it depends on and met: not the host or the stack (an old workspace's).
    cache.set(key, {
      res: copyResources(sub),
      inputs: child.inputs,
      kustomizations: child.kustomizations,
      resourceFiles: child.resourceFiles,
      patchFiles: child.patchFiles,
      problems: child.problems,
      notes: child.notes,
      complete: child.complete,
      unknown: child.unknown,
      copiesVariables: child.copiesVariables,
      literalVariables: child.literalVariables,
      kyamlFiles: child.kyamlFiles,
      texts,
      probes: child.probes,
      listings: child.listings,
      kinds: child.kinds,
      templateTexts: child.templateTexts,
      references: child.references,
      fieldSpecs: child.fieldSpecs,
      vars: child.vars,
      ...(child.usedHelmNamespace ? { helmNamespace: { value: child.helmNamespace } } : {}),
      ...(st.schema.set ? { setsSchema: { custom: st.schema.custom } } : {}),
    });
  }
  return sub;
}

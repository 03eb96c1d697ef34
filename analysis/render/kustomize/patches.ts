/**
 * Patches of a kustomization (`patches`, `patchesStrategicMerge`, `patchesJson6902`): their
 * documents, from a file or inline, with spans in their file, and how one applies to the resources
 * it targets (strategic merge with merge keys, or JSON 6902). Design notes: docs/dev/kustomize.md.
 */

import type { Span } from '../../types.js';
import type { YNode } from '../../syntax/tree.js';
import { isMap } from '../../syntax/tree.js';
import { parseFile } from '../../syntax/parse.js';
import { isUnder, joinPath } from '../../workspace/paths.js';
import { applyOps, readOps } from './jsonPatch.js';
import { dedupeMergeLists, forTarget, isBuiltin, isDeletePatch, keepId, mergeNode, patchNode, smp } from './merge.js';
import { blockOffsets, cloneNode, getKey, plain, text } from './nodes.js';
import type { Res } from './resource.js';
import { groupOf, kindOf, matchesId, nameOf, namespaceOf, rememberId } from './resource.js';
import { customSchema } from './openapi.js';
import { targetMatches } from './targets.js';
import type { Target } from './targets.js';
import { isRemote, kyamlReading, outsideRoot, problem, read, remotePart, unknownPart } from './reading.js';
import { literalVariables } from './envsubst.js';
import type { BuildState as State } from './subBuilds.js';
/** The documents of a patch: from a file (`path`) or inline (`patch`), with spans in their file. */
export function patchDocuments(
  st: State,
  dir: string,
  kustUri: string,
  pathNode: YNode | undefined,
  inline: YNode | undefined,
  /** Applied through kustomize's resWrangler.ApplySmPatch (a targeted or legacy patch): `stringMetadata`. */
  viaResMap = false,
): Array<{ node: YNode; uri: string }> {
  const rel = text(pathNode);
  if (rel !== undefined && isRemote(rel)) {
    // A remote patch, like a remote resource, is a part of the build not known here.
    const at = pathNode?.span ?? { start: 0, end: 0 };
    remotePart(st, at.uri ?? kustUri, at, 'patch', rel);
    return [];
  }
  if (rel !== undefined) {
    const uri = joinPath(dir, rel);
    // A patch a Flux root merged in (its own file) is built without the restriction.
    if (!isUnder(uri, dir) && pathNode !== undefined && pathNode.span.uri === undefined && st.host.text(uri) !== undefined)
      outsideRoot(st, kustUri, pathNode.span, rel);
    const read0 = read(st, uri, true);
    const parsed = read0 === undefined ? undefined : kyamlReading(read0);
    if (read0 !== undefined && parsed !== read0) st.kyamlFiles.add(uri);
    if (parsed === undefined) {
      problem(st, kustUri, pathNode?.span ?? { start: 0, end: 0 }, `patch file "${rel}" is not in the workspace`, uri);
      return [];
    }
    st.patchFiles.add(uri);
    const fileText = st.host.text(uri);
    return parsed.documents
      .filter((d) => d.root !== undefined)
      .map((d) => ({
        node: patchNode(d.root as YNode, cloneNode(d.root as YNode, uri, undefined, smp(d.root, fileText)), fileText, viaResMap),
        uri,
      }));
  }
  const body = text(inline);
  if (body === undefined || inline === undefined) return [];
  const literal = literalVariables(body);
  if (literal !== undefined) st.literalVariables = true;
  const parsed = kyamlReading(literal ?? parseFile(body, { placeholdersAsText: 'env' }));
  const map = blockOffsets(st.host.text(kustUri), inline, body);
  return parsed.documents
    .filter((d) => d.root !== undefined)
    .map((d) => ({
      node: patchNode(d.root as YNode, cloneNode(d.root as YNode, kustUri, map, smp(d.root, body)), body, viaResMap),
      uri: kustUri,
    }));
}

/** Applies one patch document (strategic merge or JSON 6902) to the resources it targets. */
export function applyPatch(
  st: State,
  ra: Res[],
  doc: { node: YNode; uri: string },
  target: Target | undefined,
  kustUri: string,
  at: Span,
  options?: YNode,
): void {
  const ops = readOps(doc.node);
  if (ops !== undefined) {
    if (target === undefined) {
      problem(st, kustUri, at, 'a JSON patch needs a target');
      return;
    }
    const hits = ra.filter((r) => targetMatches(target, r));
    for (const r of hits) {
      rememberId(r);
      const err = applyOps(r.node, ops, doc.uri);
      if (err !== undefined) problem(st, doc.uri, doc.node.span, `JSON patch: ${err}`);
      const name = nameOf(r);
      if (name !== undefined && name !== r.names[r.names.length - 1]) r.names.push(name);
    }
    return;
  }
  if (!isMap(doc.node)) return;
  let hits: Res[];
  if (target !== undefined) hits = ra.filter((r) => targetMatches(target, r));
  else {
    const kind = text(getKey(doc.node, 'kind'));
    const name = text(getKey(getKey(doc.node, 'metadata'), 'name'));
    if (kind === undefined || name === undefined) {
      // A kind or name that is there but not known here (a placeholder kustomize reads as text, masked): what it targets is not known.
      const unknown = getKey(doc.node, 'kind') !== undefined && getKey(getKey(doc.node, 'metadata'), 'name') !== undefined;
      if (unknown) unknownPart(st);
      else problem(st, doc.uri, doc.node.span, 'a strategic merge patch needs kind and metadata.name (or a target)');
      return;
    }
    const apiVersion = text(getKey(doc.node, 'apiVersion'));
    const group = apiVersion === undefined ? undefined : apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const ns = text(getKey(getKey(doc.node, 'metadata'), 'namespace'));
    hits = ra.filter((r) => matchesId(r, kind, group, name, ns));
    // An object of that kind whose name is not known here (a templated file) may be the target.
    if (hits.length === 0 && ra.some((r) => kindOf(r) === kind && nameOf(r) === undefined)) {
      unknownPart(st);
      return;
    }
    if (hits.length === 0) {
      problem(
        st,
        doc.uri,
        getKey(getKey(doc.node, 'metadata'), 'name')?.span ?? doc.node.span,
        `patch target ${kind} "${name}" is not in the build`,
        undefined,
        true,
      );
      return;
    }
  }
  for (const r of hits) {
    if (isDeletePatch(doc.node)) {
      ra.splice(ra.indexOf(r), 1);
      continue;
    }
    const allowKindChange = plain(getKey(options, 'allowKindChange')) === true;
    const allowNameChange = plain(getKey(options, 'allowNameChange')) === true;
    // With a target, kustomize patches each selected object with a copy whose apiVersion is the
    // object's (resWrangler.ApplySmPatch) and whose name it keeps only when a rename is allowed.
    const patch = target !== undefined ? forTarget(doc.node, allowNameChange) : doc.node;
    const schema = isBuiltin(groupOf(r)) || customSchema(st, r);
    const before = nameOf(r);
    const oldMeta = getKey(r.node, 'metadata');
    const oldKind = getKey(r.node, 'kind');
    const merged = mergeNode(r.node, patch, doc.uri, schema);
    if (isMap(merged)) {
      r.node = merged;
      if (schema === true) dedupeMergeLists(r.node);
      // kustomize's ApplySmPatch: the patch keeps the object's kind and name (unless its options
      // allow changing them) and always its namespace.
      keepId(r.node, oldKind, oldMeta, allowKindChange, allowNameChange);
    }
    const name = nameOf(r);
    const ns = namespaceOf(r);
    const renamed = name !== undefined && name !== r.names[r.names.length - 1];
    const moved = ns !== r.namespaces[r.namespaces.length - 1];
    if ((renamed || moved) && before !== undefined) (r.previous ??= []).push(before);
    if (renamed) r.names.push(name);
    if (moved) r.namespaces.push(ns);
  }
}

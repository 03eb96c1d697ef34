/**
 * kustomize's `images` transformer (api/filters/imagetag): its legacy filter sets the image of
 * every item of every field named `containers` or `initContainers`, anywhere in any object but a
 * CustomResourceDefinition (so a custom resource's `spec.containers` too), whose image matches the
 * entry's `name` followed by an optional tag and digest; and the image fields the `images` field
 * specs of `configurations` name.
 */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';
import { getKey, mapNode, scalarNode, setKey, text } from './nodes.js';
import type { FieldSpec } from './configurations.js';
import { specPlaces, specSelects } from './configurations.js';
import type { Res } from './resource.js';
import { kindOf } from './resource.js';

/** Nodes visited per object at most. */
const WALK_BUDGET = 100_000;

/** The container lists the images transformer reaches. */
const IMAGE_LISTS: ReadonlySet<string> = new Set(['containers', 'initContainers']);

/** Every item of every list field named one of `lists`, anywhere in `root` (a custom resource's `spec.containers` too). */
export function eachContainer(root: YNode, lists: ReadonlySet<string>, visit: (container: YMap) => void): void {
  let budget = WALK_BUDGET;
  const walk = (n: YNode | undefined): void => {
    if (n === undefined || --budget < 0) return;
    if (isSeq(n)) {
      for (const it of n.items) walk(it);
      return;
    }
    if (!isMap(n)) return;
    for (const p of n.pairs) {
      walk(p.value);
      if (lists.has(p.key) && isSeq(p.value)) for (const c of p.value.items) if (isMap(c)) visit(c);
    }
  };
  walk(root);
}

/**
 * `images`: new name, tag or digest of the containers whose image has `name`, and of the image
 * fields the `images` field specs of `configurations` name (a custom resource's `spec/image`).
 */
export function setImages(resources: readonly Res[], entry: YNode, span: Span, configured: readonly FieldSpec[] = []): void {
  const name = text(getKey(entry, 'name'));
  if (name === undefined) return;
  const matches = imageMatcher(name);
  if (matches === undefined) return;
  const newName = text(getKey(entry, 'newName'));
  const newTag = text(getKey(entry, 'newTag'));
  const digest = text(getKey(entry, 'digest'));
  const tagSuffix = text(getKey(entry, 'tagSuffix'));
  for (const r of resources) {
    if (kindOf(r) === 'CustomResourceDefinition') continue;
    const update = (parent: YMap, key: string): void => {
      const image = text(getKey(parent, key));
      if (image === undefined || !matches(image)) return;
      let [base, tag, dig] = splitImage(image);
      if (newName !== undefined && newName !== '') base = newName;
      if (newTag !== undefined && newTag !== '' && digest !== undefined && digest !== '') [tag, dig] = [newTag, digest];
      else if (newTag !== undefined && newTag !== '') [tag, dig] = [newTag, ''];
      else if (digest !== undefined && digest !== '') [tag, dig] = ['', digest];
      else if (tagSuffix !== undefined && tagSuffix !== '') [tag, dig] = [tag + tagSuffix, ''];
      setKey(parent, key, scalarNode(`${base}${tag !== '' ? `:${tag}` : ''}${dig !== '' ? `@${dig}` : ''}`, span));
    };
    eachContainer(r.node, IMAGE_LISTS, (c) => update(c, 'image'));
    for (const f of configured) {
      if (!specSelects(f, text(getKey(r.node, 'apiVersion')) ?? '', kindOf(r))) continue;
      for (const at of specPlaces(r.node, f, () => mapNode(span))) update(at.parent, at.key);
    }
  }
}

/**
 * kustomize's `IsImageMatched`: the image is `name` (a regular expression, as kustomize builds
 * it), then an optional `:tag`, then an optional `@algorithm:digest`. A name that is no valid
 * expression matches nothing.
 */
function imageMatcher(name: string): ((image: string) => boolean) | undefined {
  let re: RegExp;
  try {
    re = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    return undefined;
  }
  return (image) => re.test(image);
}

/** kustomize's `image.Split`: name, tag and digest; a registry's `host:port/` is part of the name. */
export function splitImage(image: string): [string, string, string] {
  const slash = image.indexOf('/');
  const from = slash > 0 ? slash : 0;
  const search = image.slice(from);
  const at = search.indexOf('@');
  const colon = search.indexOf(':');
  if (colon < 0 && at < 0) return [image, '', ''];
  if (at >= 0 && (at < colon || colon < 0)) return [image.slice(0, from + at), '', image.slice(from + at + 1)];
  if (at >= 0 && colon >= 0) return [image.slice(0, from + colon), image.slice(from + colon + 1, from + at), image.slice(from + at + 1)];
  return [image.slice(0, from + colon), image.slice(from + colon + 1), ''];
}

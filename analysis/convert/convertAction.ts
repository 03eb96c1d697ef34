/**
 * The "Convert to Gateway API" code action on an Ingress (docs/dev/gateway-api.md §8): the
 * conversion of `ingressToGateway.ts` written by the one edit writer, in the file's language.
 * YAML: appended to the file, or as a new file beside it, with what was not converted as
 * comments. JSON: items of the file's List, or a new file; JSON has no comments, so the notes go
 * in the `kube-reach.io/not-converted` annotation of the first HTTPRoute.
 */

import type { CheckContext } from '../checks/support/check.js';
import type { EditValue } from '../edits/writer.js';
import { EditWriter } from '../edits/writer.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { Refactor } from '../types.js';
import type { Conversion } from './ingressFacts.js';
import { convertIngress } from './ingressToGateway.js';

const NOT_CONVERTED_ANNOTATION = 'kube-reach.io/not-converted';

type Obj = { [key: string]: EditValue };

/** The comment lines above the converted objects (YAML), as `kube-reach convert` prints them too. */
export function conversionComments(placed: Placed, c: Conversion): string[] {
  const pl = placed.placements[0];
  const name = placed.obj.name?.known === true ? placed.obj.name.value : '';
  const ns = pl !== undefined && !pl.floating && pl.namespace !== undefined ? `${pl.namespace}/` : '';
  const lines = [`Converted from Ingress ${ns}${name} by Kube Reach.`];
  if (c.notes.length > 0) {
    lines.push('Not converted (no Gateway API equivalent; see your implementation):');
    for (const n of c.notes) lines.push(`  ${n}`);
  }
  return lines;
}

/** The objects with the notes carried in the first route's annotation (for JSON, which has no comments). */
export function withNotesAnnotation(c: Conversion): Obj[] {
  if (c.notes.length === 0) return [...c.objects];
  let done = false;
  return c.objects.map((o) => {
    if (done || o['kind'] === 'Gateway') return o;
    done = true;
    const meta = (o['metadata'] ?? {}) as Obj;
    const annotations = { ...((meta['annotations'] ?? {}) as Obj), [NOT_CONVERTED_ANNOTATION]: c.notes.join('; ') };
    return { ...o, metadata: { ...meta, annotations } };
  });
}

function summary(c: Conversion): string {
  const kind = c.objects.find((o) => o['kind'] !== 'Gateway')?.['kind'];
  const policies = c.objects.filter((o) => o['kind'] === 'BackendTLSPolicy').length;
  const routes = `${c.routes} ${typeof kind === 'string' ? kind : 'HTTPRoute'}${c.routes === 1 ? '' : 's'}${policies > 0 ? ` with ${policies} ${policies === 1 ? 'BackendTLSPolicy' : 'BackendTLSPolicies'}` : ''}`;
  return c.gatewayWritten ? `Gateway ${c.gateway} and ${routes}` : `${routes} on Gateway ${c.gateway}`;
}

/** The conversion actions for the Ingresses of `uri` that `span` touches. */
export function convertActions(
  ctx: CheckContext,
  objects: readonly Placed[],
  uri: string,
  span: { readonly start: number; readonly end: number },
  template: boolean,
): Refactor[] {
  // A chart template's text is not what is applied: a conversion written there would be wrong.
  if (template) return [];
  const out: Refactor[] = [];
  for (const placed of objects) {
    const o = placed.obj;
    if (o.ingress === undefined || o.madeBy !== undefined || o.uri !== uri) continue;
    if (!(o.span.start <= span.end && span.start <= o.span.end)) continue;
    const c = convertIngress(ctx, placed);
    if (c === undefined) continue;
    const writer = new EditWriter(uri, ctx.text(uri), (u) => ctx.text(u) !== undefined);
    const name = o.name?.known === true ? o.name.value : 'ingress';
    const stem = `${name}-gateway`;
    const comments = conversionComments(placed, c);
    if (writer.language === 'yaml') {
      out.push({
        title: `Convert to Gateway API: ${summary(c)} (append to this file)`,
        kind: 'refactor.rewrite',
        edits: writer.addObjects(c.objects, stem, comments),
      });
      out.push({
        title: `Convert to Gateway API: ${summary(c)} (new file ${stem}.yaml)`,
        kind: 'refactor.rewrite',
        edits: writer.addObjects(c.objects, stem, comments, true),
      });
    } else {
      const edits = writer.addObjects(withNotesAnnotation(c), stem);
      const where = edits.some((e) => e.create === true) ? `new file ${stem}.json` : 'items of this List';
      out.push({ title: `Convert to Gateway API: ${summary(c)} (${where})`, kind: 'refactor.rewrite', edits });
    }
  }
  return out;
}

/** Every Ingress of the snapshot that converts (or the one named `ns/name` or `name`), for `kube-reach convert`. */
export function convertAll(
  ctx: CheckContext,
  objects: readonly Placed[],
  wanted: string | undefined,
): Array<{ readonly label: string; readonly conversion: Conversion; readonly comments: string[] }> {
  const out: Array<{ label: string; conversion: Conversion; comments: string[] }> = [];
  for (const placed of objects) {
    const o = placed.obj;
    if (o.ingress === undefined || o.madeBy !== undefined || o.name?.known !== true) continue;
    const pl = placed.placements[0];
    const ns = pl !== undefined && !pl.floating ? pl.namespace : undefined;
    const label = ns === undefined ? o.name.value : `${ns}/${o.name.value}`;
    if (wanted !== undefined && wanted !== label && wanted !== o.name.value) continue;
    const conversion = convertIngress(ctx, placed);
    if (conversion !== undefined) out.push({ label, conversion, comments: conversionComments(placed, conversion) });
  }
  return out;
}

/** The text `kube-reach convert` prints: YAML documents with their comments, or one JSON List. */
export function conversionText(
  list: ReadonlyArray<{ readonly conversion: Conversion; readonly comments: readonly string[] }>,
  format: 'yaml' | 'json',
): string {
  if (format === 'json') {
    const items = list.flatMap((c) => withNotesAnnotation(c.conversion));
    return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`;
  }
  const writer = new EditWriter('file:///convert.yaml', '');
  return list.map((c) => writer.addObjects(c.conversion.objects, 'convert', c.comments)[0]?.newText ?? '').join('');
}

/**
 * Where a check's finding is reported (analysis/checkRunner.ts): a finding whose span lies in
 * another file than the object it is about (a field a Kustomize patch set) moves there.
 */

import type { Finding } from './checks/support/check.js';
import type { RelatedInformation, Span, TextEdit } from './types.js';

function bare(span: Span): Span {
  return span.uri === undefined ? span : { start: span.start, end: span.end };
}

/**
 * A finding on a built object lands where its span lies: a field a Kustomize patch set is reported
 * on the patch, with the object in related information. Quick-fixes whose edits lie in another
 * file than they name are dropped (their text was computed for the wrong file).
 */
export function relocate(f: Finding): Finding {
  const target = f.span.uri;
  const related: RelatedInformation[] = (f.related ?? []).map((r) =>
    r.span.uri === undefined ? r : { ...r, uri: r.span.uri, span: bare(r.span) },
  );
  const o = f.object;
  if (target !== undefined && target !== f.uri && o !== undefined) {
    const name = o.name?.known === true ? o.name.value : '?';
    related.unshift({
      uri: o.uri,
      span: bare(o.anchor),
      message: `${o.kind} "${name}"${o.build !== undefined ? ` as built in ${o.build.root.slice(o.build.root.lastIndexOf('/') + 1)}` : ''}`,
    });
  }
  const fixes = f.fixes
    ?.filter((x) => x.edits.every((e) => e.span.uri === undefined || e.span.uri === e.uri))
    .map((x) => ({ ...x, edits: x.edits.map((e): TextEdit => (e.span.uri === undefined ? e : { ...e, span: bare(e.span) })) }));
  if (target === undefined && f.related === undefined && fixes === f.fixes) return f;
  return {
    ...f,
    uri: target ?? f.uri,
    span: bare(f.span),
    ...(related.length > 0 ? { related } : {}),
    ...(fixes !== undefined ? { fixes } : {}),
  };
}

/**
 * A finding with what lies inside packed subcharts' archives (`packed`: their templates, whose objects
 * the parent release's checks look up) taken out: related information and quick-fix edits there are
 * dropped (no file to open or edit; the message names the object and its template's path); a finding
 * on such a file is not reported (undefined).
 */
export function insideArchives(f: Finding, packed: (uri: string) => boolean): Finding | undefined {
  if (packed(f.uri)) return undefined;
  const related = f.related?.filter((r) => !packed(r.uri));
  const fixes = f.fixes?.filter((x) => x.edits.every((e) => !packed(e.uri)));
  if (related?.length === f.related?.length && fixes?.length === f.fixes?.length) return f;
  const { related: _r, fixes: _f, ...rest } = f;
  return { ...rest, ...(related !== undefined && related.length > 0 ? { related } : {}), ...(fixes !== undefined ? { fixes } : {}) };
}

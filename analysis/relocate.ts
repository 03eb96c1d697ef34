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

/** Where a link to a packed subchart's file lands, and the words that name the file (units/helmPacked.ts). */
export interface ArchivePlace {
  readonly place: { readonly uri: string; readonly span: Span } | undefined;
  /** The file's path inside its archive. */
  readonly inner: string;
  /** The archive and that path as seen from the place (`charts/queue-1.0.0.tgz: queue/templates/service.yaml`). */
  readonly label: string;
}

/**
 * A finding with what lies inside packed subcharts' archives (`packed`: their templates, whose objects
 * the parent release's checks look up) moved out: related information there lands on the archive's
 * dependency entry in Chart.yaml (a file that opens), its message naming the archive and the path
 * inside it; quick-fix edits there are dropped (no file to edit); a finding on such a file is not
 * reported (undefined: a packed subchart is a third-party chart, not judged).
 */
export function insideArchives(f: Finding, packed: (uri: string) => ArchivePlace | undefined): Finding | undefined {
  if (packed(f.uri) !== undefined) return undefined;
  let moved = false;
  const related = f.related?.flatMap((r): RelatedInformation[] => {
    const p = packed(r.uri);
    if (p === undefined) return [r];
    moved = true;
    if (p.place === undefined) return [];
    return [{ uri: p.place.uri, span: p.place.span, message: r.message.includes(p.inner) ? r.message : `${r.message} (${p.label})` }];
  });
  const fixes = f.fixes?.filter((x) => x.edits.every((e) => packed(e.uri) === undefined));
  if (!moved && fixes?.length === f.fixes?.length) return f;
  const { related: _r, fixes: _f, ...rest } = f;
  return { ...rest, ...(related !== undefined && related.length > 0 ? { related } : {}), ...(fixes !== undefined ? { fixes } : {}) };
}

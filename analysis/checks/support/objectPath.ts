/**
 * A file's path in messages and hovers: `shortPath`, and for a packed subchart's template (whose
 * unpacked path is no file of the workspace) the archive and the path inside it
 * (`../charts/queue-1.0.0.tgz: queue/templates/service.yaml`, units/helmPacked.ts).
 */

import type { WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import { packedOf } from '../../workspace/packed.js';
import type { PackedFile } from '../../units/helmPacked.js';
import { shortPath } from '../../workspace/paths.js';
import type { ArchivePlace } from '../../relocate.js';
import type { Location } from '../../types.js';

/** The packed file's words: the archive seen from `from`, then the path inside it. */
function packedLabel(p: PackedFile, from: string): string {
  return `${shortPath(p.archive, from)}: ${p.inner}`;
}

/** `uri` as seen from `from` (for messages): `shortPath`, or a packed subchart file's `packedLabel`. */
export function objectPath(index: WorkspaceIndex, uri: string, from: string): string {
  const p = packedOf(index, uri);
  return p === undefined ? shortPath(uri, from) : packedLabel(p, from);
}

/** Where links to packed subcharts' files land (relocate.ts `insideArchives`): undefined for any other file. */
export function archivePlace(index: WorkspaceIndex, uri: string): ArchivePlace | undefined {
  const p = packedOf(index, uri);
  return p === undefined ? undefined : { place: p.place, inner: p.inner, label: packedLabel(p, p.place?.uri ?? uri) };
}

/**
 * Locations (definition, references, code lenses) with those inside packed subcharts' archives moved
 * to the archive's dependency entry in Chart.yaml, once each (dropped when there is none): the
 * unpacked path is no file the editor can open.
 */
export function openable<L extends Location>(index: WorkspaceIndex, locations: readonly L[]): L[] {
  const out: L[] = [];
  const seen = new Set<string>();
  for (const l of locations) {
    const p = packedOf(index, l.uri);
    if (p === undefined) {
      out.push(l);
      continue;
    }
    if (p.place === undefined || seen.has(`${p.place.uri}|${p.place.span.start}`)) continue;
    seen.add(`${p.place.uri}|${p.place.span.start}`);
    out.push({ ...l, uri: p.place.uri, span: p.place.span });
  }
  return out;
}

/** One location, moved out of a packed subchart's archive as `openable` moves it (kept when the archive has no dependency entry to land on). */
export function openLocation(index: WorkspaceIndex, location: Location): Location {
  const p = packedOf(index, location.uri);
  return p?.place === undefined ? location : { uri: p.place.uri, span: p.place.span };
}

/**
 * Which files of the workspace are files of a packed subchart (`charts/*.tgz`, support files the
 * host does not analyse), for messages, notes and locations (checks/support/objectPath.ts,
 * reachability notes): units/helmPacked.ts over the index's Helm layout.
 */

import type { WorkspaceIndex } from './workspaceIndex.js';
import { packedFile } from '../units/helmPacked.js';
import type { PackedFile } from '../units/helmPacked.js';

/** The packed subchart file `uri` is (a file a chart's render read, a template or its values, that the host does not analyse), or undefined. */
export function packedOf(index: WorkspaceIndex, uri: string): PackedFile | undefined {
  if (index.files.has(uri)) return undefined;
  const layout = index.helmLayout();
  const root = index.renderedTemplate(uri)?.chart ?? layout.readers.get(uri)?.[0];
  if (root === undefined) return undefined;
  const texts = layout.renders.get(root)?.texts;
  return packedFile(
    root,
    uri,
    (u) => texts?.get(u),
    (u) => index.files.has(u),
  );
}

/** `uri` for a note (units of text the host turns into paths): a packed file as its archive's URI and the path inside it. */
export function noteUri(index: WorkspaceIndex, uri: string): string {
  const p = packedOf(index, uri);
  return p === undefined ? uri : `${p.archive}: ${p.inner}`;
}

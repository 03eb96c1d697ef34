/**
 * Whether a producer in another namespace is near enough to an object to be evidence that the
 * object was meant for it (the "match in another namespace" of `selectorEvidence`,
 * docs/dev/checks-spec.md §1.6). Objects of one unit always are. Objects of two units are when the
 * folder holding both is at most `NEAR_LEVELS` levels above each unit's folder (an app folder and
 * the policies folder beside it, `deploy/app/` and `deploy/policies/netpol/`). A repository of
 * independent demos and test data opened whole (kubernetes-sigs/network-policy-api: test policies
 * for the namespaces its harness creates, four levels below the folder they share with a demo's
 * Deployment in another namespace) is not one deployment: a workload of an unrelated folder says
 * nothing about where a policy was meant to go.
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import { dirname, isUnder } from '../../workspace/paths.js';

export const NEAR_LEVELS = 2;

/** The folder a placement's unit stands for: the unit when it is a folder holding the file, else the file's folder. */
function folderOf(uri: string, unit: string): string {
  return unit !== uri && isUnder(uri, unit) ? unit : dirname(uri);
}

function segments(folder: string): string[] {
  return folder.split('/').filter((s) => s !== '');
}

/** Whether `other` (a candidate producer) is near the object at `uri` placed at `placement`. */
export function nearEnough(uri: string, placement: Placement, other: Placed): boolean {
  if (other.placements.some((p) => p.unit === placement.unit)) return true;
  const mine = segments(folderOf(uri, placement.unit));
  return other.placements.some((p) => {
    const theirs = segments(folderOf(other.obj.uri, p.unit));
    let common = 0;
    while (common < mine.length && common < theirs.length && mine[common] === theirs[common]) common++;
    return mine.length - common <= NEAR_LEVELS && theirs.length - common <= NEAR_LEVELS;
  });
}

/**
 * Incremental passes against full ones: edits of one file applied in turn, and after each the
 * findings of the edited host compared with a fresh host's (the host and the finding lines of
 * test/support/gitops.ts).
 */

import assert from 'node:assert/strict';
import type { AnalysisHost } from '../../analysis/index.js';
import { hostOf, render } from './gitops.js';

/**
 * Applies each edit to `uri` of `files` (updated in place) on `host`, asserts after each that the
 * incremental findings equal a fresh host's, and returns them per edit.
 */
export function editPasses(
  host: AnalysisHost,
  files: Map<string, string>,
  uri: string,
  edits: ReadonlyArray<(t: string) => string>,
): string[][] {
  const seen: string[][] = [];
  for (const edit of edits) {
    const text = edit(files.get(uri) ?? '');
    files.set(uri, text);
    host.setFile(uri, text);
    const incremental = render(host.snapshot().diagnostics());
    assert.deepEqual(incremental, render(hostOf(files).snapshot().diagnostics()));
    seen.push(incremental);
  }
  return seen;
}

/**
 * `kubeReach/diff` (docs/protocol.md): the connections the changes since git HEAD open, close or
 * change, unsaved edits included (server/headDiff.ts computes; this file answers).
 */

import type { Connection } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/index.js';
import type { DiffResult } from '../../protocol/changes.js';
import { DIFF_METHOD } from '../../protocol/changes.js';
import type { HeadDiff } from '../headDiff.js';
import { diffResult } from '../headDiff.js';
import { answer } from './answer.js';
import { isRecord } from '../../protocol/narrow.js';

/** The unit `kubeReach/diff` is asked for (`{unit?: string}`); anything else: none. */
function diffUnit(params: unknown): string | undefined {
  const u = isRecord(params) ? params['unit'] : undefined;
  return typeof u === 'string' && u !== '' ? u : undefined;
}

/** Registers `kubeReach/diff` on `connection`; `roots`, the workspace folders (paths) the notes' files are written relative to. */
export function registerChangesHandler(
  connection: Connection,
  headDiff: HeadDiff,
  getAnalysis: () => Analysis,
  roots: () => readonly string[],
): void {
  connection.onRequest(DIFF_METHOD, (params: unknown, token) => {
    const unit = diffUnit(params);
    return answer<DiffResult>(DIFF_METHOD, token, getAnalysis, async (analysis) =>
      diffResult(analysis, await headDiff.compare(analysis, unit), roots()),
    );
  });
}

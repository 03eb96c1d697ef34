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

/** Registers `kubeReach/diff` on `connection`; `roots`, the workspace folders (paths) the notes' files are written relative to. */
export function registerChangesHandler(
  connection: Connection,
  headDiff: HeadDiff,
  getAnalysis: () => Analysis,
  roots: () => readonly string[],
): void {
  connection.onRequest(DIFF_METHOD, (_params: unknown, token) =>
    answer<DiffResult>(DIFF_METHOD, token, getAnalysis, async (analysis) =>
      diffResult(analysis, await headDiff.compare(analysis), roots()),
    ),
  );
}

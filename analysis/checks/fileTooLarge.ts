/**
 * `file-too-large`: an open document past `kubeReach.maxFileSizeMB` is not analysed; this says so
 * once, on its first line, instead of leaving the file silently without diagnostics. (Files on
 * disk past the limit are skipped before they reach the analysis, with a note in the log.)
 */

import type { Check } from './support/check.js';

/** A size given in MB, readably: `12 MB`, `5.2 MB`, `0.3 KB`. */
function size(mb: number): string {
  if (mb >= 10) return `${Math.round(mb)} MB`;
  if (mb >= 1) return `${Math.round(mb * 10) / 10} MB`;
  const kb = mb * 1024;
  return `${kb >= 10 ? Math.round(kb) : Math.round(kb * 10) / 10} KB`;
}

export const fileTooLarge: Check = {
  code: 'file-too-large',
  defaultSeverity: 'information',
  summary: 'The file is larger than kubeReach.maxFileSizeMB and is not analysed.',
  doc: [
    'Files larger than `kubeReach.maxFileSizeMB` (default 5 MB) are not analysed: a file that large is usually',
    'generated output or data, and parsing it on every keystroke would slow the editor. Files on disk are',
    'skipped with a note in the output; an open document gets this one information diagnostic, so its lack of',
    'findings is not mistaken for a clean bill. Nothing in the file counts for the rest of the workspace either.',
    '',
    '**Fix:** raise `kubeReach.maxFileSizeMB` (or `maxFileSizeMB` in `.kube-reach.yaml`) if the file should be',
    'checked, or split it.',
  ].join('\n'),
  run(ctx) {
    for (const f of ctx.files) {
      if (f.tooLarge === undefined) continue;
      ctx.report({
        uri: f.uri,
        span: { start: 0, end: 0 },
        message: `Not analysed: this file is ${size(f.tooLarge.sizeMB)}, larger than kubeReach.maxFileSizeMB (${size(f.tooLarge.limitMB)}). Raise the setting to check it.`,
        confidence: 'definite',
        severity: 'information',
      });
    }
  },
};

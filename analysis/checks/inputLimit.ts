/**
 * `input-limit`: the file passed one of the input limits of `analysis/syntax/limits.ts` (nesting
 * depth, documents, objects, keys per map, aliases) and is not analysed. The rest of the workspace
 * is; absence checks in the file's unit fall silent, as after a syntax error.
 */

import type { Check } from './support/check.js';
import { LIMITS, formatCount } from '../syntax/limits.js';

export const inputLimit: Check = {
  code: 'input-limit',
  defaultSeverity: 'warning',
  summary: 'The file is past an input limit (nesting, documents, objects, keys, aliases) and is not analysed.',
  doc: [
    'Kube Reach reads files up to fixed limits, far above real manifests, so that a hostile or broken file',
    '(a YAML alias bomb, collections nested a thousand levels deep) cannot crash or stall the editor or CI.',
    'A file past one of them is not analysed: it gets this one finding, which names the limit, and every other',
    'file is analysed as usual. Checks that claim something is missing stay silent for the unit of this file.',
    '',
    '| Limit | Value |',
    '| --- | --- |',
    `| Nesting of collections in one document | ${formatCount(LIMITS.depth)} levels |`,
    `| YAML documents in one file | ${formatCount(LIMITS.documents)} |`,
    `| Objects in one file (List items count, also when reached through aliases) | ${formatCount(LIMITS.objectsPerFile)} |`,
    `| Objects in the workspace (files past it are not analysed) | ${formatCount(LIMITS.objectsPerWorkspace)} |`,
    `| Keys of one map | ${formatCount(LIMITS.keysPerMap)} |`,
    `| Aliases (\`*name\`) in one file | ${formatCount(LIMITS.aliases)} |`,
    '',
    'Files larger than `kubeReach.maxFileSizeMB` (5 MB by default) are skipped before these limits, with a note.',
    'A file that Kube Reach itself fails on (a defect) is dropped the same way, with this finding and a line in',
    'the server log, so that one file can never stop the analysis of the others.',
    '',
    '**Fix:** split the file, or expand the aliases; a file that Kubernetes accepts is far below every limit.',
  ].join('\n'),
  run(ctx) {
    for (const f of ctx.files) {
      if (f.inputLimit === undefined) continue;
      ctx.report({ uri: f.uri, span: f.inputLimit.span, message: f.inputLimit.message, confidence: 'definite', severity: 'warning' });
    }
  },
};

/**
 * `yaml-syntax`: a YAML syntax error. The rest of the file still counts, but absence checks in the
 * same unit fall silent (a document that failed to parse may hold the missing object).
 */

import type { Check } from './check.js';

export const yamlSyntax: Check = {
  code: 'yaml-syntax',
  defaultSeverity: 'error',
  summary: 'The file is not valid YAML at this point.',
  doc: [
    'The YAML parser stopped at this position. Kubernetes (and `kubectl apply`) will reject the whole file.',
    '',
    'Kube Reach still reads the documents it can, but checks that claim something is missing stay silent for',
    'the unit of this file, because the broken document may hold what they look for.',
    '',
    "**Fix:** correct the syntax; the message is the parser's.",
  ].join('\n'),
  run(ctx) {
    for (const f of ctx.files) {
      for (const e of f.syntaxErrors) {
        ctx.report({ uri: f.uri, span: e.span, message: e.message, confidence: 'definite', severity: 'error' });
      }
    }
  },
};

/**
 * `kube-reach rules [--format text|json]`: every check with its code, default severity and
 * summary, from the registry (the same list as docs/rules.md).
 */

import { CHECKS } from '../analysis/index.js';
import { ruleHelpUri } from '../protocol/product.js';
import { oneOf } from './args.js';
import type { CommandSpec } from './command.js';
import { UsageError } from './io.js';

export const rulesCommand: CommandSpec = {
  name: 'rules',
  summary: 'List every check: code, default severity, summary.',
  synopsis: '[--format text|json]',
  flags: [{ name: '--format', value: 'text|json', help: 'output format (default text)' }],
  details: 'Opt-in checks (default "off") run only when a severity is set for them (--severity, .kube-reach.yaml).',
  run: async (args, io) => {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ''}"`);
    const format = oneOf('--format', args.values.get('--format')?.[0], ['text', 'json'] as const, 'text');
    const rows = CHECKS.map((c) => ({
      code: c.code,
      defaultSeverity: c.enabledByDefault === false ? 'off' : c.defaultSeverity,
      severityWhenEnabled: c.defaultSeverity,
      summary: c.summary,
      ...(c.aliases !== undefined && c.aliases.length > 0 ? { aliases: [...c.aliases] } : {}),
      helpUri: ruleHelpUri(c.code),
    }));
    if (format === 'json') {
      io.stdout(JSON.stringify({ rules: rows }, null, 2) + '\n');
      return 0;
    }
    const w = rows.reduce((m, r) => Math.max(m, r.code.length), 0) + 2;
    const sevW = rows.reduce((m, r) => Math.max(m, r.defaultSeverity.length), 0) + 2;
    io.stdout(rows.map((r) => `${r.code.padEnd(w)}${r.defaultSeverity.padEnd(sevW)}${r.summary}\n`).join(''));
    return 0;
  },
};

/**
 * `kube-reach convert [paths…] [--ingress NS/NAME] [--format yaml|json]`: the Ingresses of the
 * workspace as Gateway API objects, as the editor's "Convert to Gateway API" writes them
 * (docs/dev/gateway-api.md §8), on standard output. Nothing is written to the files.
 */

import { conversionText, convertAll, lookupContext } from '../analysis/index.js';
import type { ParsedArgs } from './args.js';
import { oneOf } from './args.js';
import type { CommandSpec } from './command.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import { loadWorkspace, WORKSPACE_FLAGS } from './workspace.js';

async function runConvert(parsed: ParsedArgs, io: CliIO): Promise<number> {
  const format = oneOf('--format', parsed.values.get('--format')?.at(-1), ['yaml', 'json'] as const, 'yaml');
  const wanted = parsed.values.get('--ingress')?.at(-1);
  const ws = await loadWorkspace(parsed.positionals, parsed, io);
  const analysis = ws.host.snapshot({ deferChecks: true });
  const list = convertAll(lookupContext(analysis), analysis.index.objects, wanted);
  if (list.length === 0)
    throw new UsageError(
      wanted === undefined
        ? 'no Ingress to convert (a templated or canary Ingress is not converted)'
        : `no Ingress ${wanted} to convert (give it as ns/name; a templated or canary Ingress is not converted)`,
    );
  io.stdout(conversionText(list, format));
  for (const c of list)
    io.stderr(
      `kube-reach: converted Ingress ${c.label}: ${c.conversion.objects.length} objects, ${c.conversion.notes.length} not converted\n`,
    );
  return 0;
}

export const convertCommand: CommandSpec = {
  name: 'convert',
  summary: 'Print Ingresses as Gateway API objects (Gateway, HTTPRoutes).',
  synopsis: '[paths…] [options]',
  flags: [
    { name: '--ingress', value: 'NS/NAME', help: 'only this Ingress (default: every Ingress that converts)' },
    { name: '--format', value: 'yaml|json', help: 'yaml (default, with comments) or json (a List)' },
    ...WORKSPACE_FLAGS,
  ],
  details:
    'Paths as for check. What cannot be converted is listed as comments (json: the kube-reach.io/not-converted annotation). Exit codes: 0 ok, 2 bad usage, no manifest read or no Ingress to convert.',
  run: runConvert,
};

/**
 * `kube-reach reach [paths…] [--format text|json|csv|dot|mermaid] [--namespace NS] [--unit PATH] [--exposure]`
 * (docs/dev/design.md §6): direct pod-to-pod and controller → backend connections.
 */

import { ReachEngine, isPickableUnit, optionsFromSettings, reachNotes } from '../analysis/index.js';
import { computeReach } from '../analysis/index.js';
import type { PortSpace } from '../analysis/index.js';
import type { ReachResult } from '../analysis/index.js';
import { reachCsvRows, reachGraph, reachJson, renderJson, renderText } from '../analysis/index.js';
import { computeExposure } from '../analysis/index.js';
import { exposureJson, renderExposureText } from '../analysis/index.js';
import { csvField, dotText, mermaidText } from '../protocol/graphText.js';
import type { ParsedArgs } from './args.js';
import { readableNotes } from '../server/notes.js';
import { oneOf } from './args.js';
import type { CommandSpec } from './command.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import { loadWorkspace, unitArgument, WORKSPACE_FLAGS } from './workspace.js';

const FORMATS = ['text', 'json', 'csv', 'dot', 'mermaid'] as const;
type ReachFormat = (typeof FORMATS)[number];

/** `reach` output in one of the five formats (CSV, DOT and Mermaid as the panel exports them). */
export function renderReach(format: ReachFormat, space: PortSpace, r: ReachResult, filterNamespace?: string): string {
  switch (format) {
    case 'text':
      return renderText(space, r);
    case 'json':
      return renderJson(space, r, filterNamespace);
    case 'csv':
      return reachCsvRows(space, r)
        .map((row) => row.map(csvField).join(',') + '\n')
        .join('');
    case 'dot': {
      const g = reachGraph(space, r, filterNamespace);
      return dotText(g.nodes, g.edges);
    }
    case 'mermaid': {
      const g = reachGraph(space, r, filterNamespace);
      return mermaidText(g.nodes, g.edges);
    }
  }
}

export async function runReach(parsed: ParsedArgs, io: CliIO): Promise<number> {
  const format = oneOf('--format', parsed.values.get('--format')?.[0], FORMATS, 'text');
  const namespace = parsed.values.get('--namespace')?.[0];
  const unitArg = parsed.values.get('--unit')?.[0];
  const ws = await loadWorkspace(parsed.positionals, parsed, io);
  const analysis = ws.host.snapshot();
  let unit: string | undefined;
  if (unitArg !== undefined) {
    const wanted = unitArgument(unitArg, ws.uriOf);
    if (!isPickableUnit(analysis.index, wanted)) {
      throw new UsageError(
        `--unit: ${unitArg} is not a unit of the manifests (a Kustomize build, a Helm chart, a folder of manifests, or a file of a folder that has alternatives)`,
      );
    }
    unit = wanted;
  }
  const exposure = parsed.booleans.has('--exposure');
  if (exposure && format !== 'text' && format !== 'json')
    throw new UsageError(`--exposure: the ${format} format does not show exposure; use --format text or json`);
  const options = { ...optionsFromSettings(ws.settings), unit };
  const engine = new ReachEngine(analysis, options);
  // What the engine left out, a Kustomize base outside the paths given (else its objects are missing without a word), policies not evaluated.
  for (const n of readableNotes(reachNotes(analysis, engine), [io.cwd])) io.stderr(`kube-reach: note: ${n}\n`);
  const result = computeReach(engine, namespace);
  if (!exposure) {
    io.stdout(renderReach(format, engine.space, result, namespace));
    return 0;
  }
  const exp = computeExposure(analysis, options, engine, namespace);
  if (format === 'json') {
    const json = reachJson(engine.space, result, namespace) as Record<string, unknown>;
    io.stdout(JSON.stringify({ ...json, exposure: exposureJson(exp.engine.space, exp) }, null, 2) + '\n');
    return 0;
  }
  const list = renderText(engine.space, result);
  io.stdout((list === '' ? '' : list + '\n') + renderExposureText(exp.engine.space, exp));
  return 0;
}

export const reachCommand: CommandSpec = {
  name: 'reach',
  summary: 'List who can connect to whom.',
  synopsis: '[paths…] [options]',
  flags: [
    { name: '--format', value: FORMATS.join('|'), help: "output format (default text, netpol-analyzer's)" },
    { name: '--namespace', value: 'NS', help: 'only connections into or out of NS' },
    {
      name: '--unit',
      value: 'PATH',
      help: 'pick one unit (a Kustomize build, a Helm chart, a folder, a file of a folder that has alternatives; a GitOps root as file#name: apps.yaml#Application:web): its alternatives left out, every other unit kept',
    },
    {
      name: '--exposure',
      help: 'also what each workload allows to any namespace, to pods the manifests do not have and to the internet (text and json)',
    },
    ...WORKSPACE_FLAGS,
  ],
  details: 'Paths as for check (folders, files, - for standard input). Exit codes: 0 ok, 2 bad usage or no manifest read.',
  run: runReach,
};

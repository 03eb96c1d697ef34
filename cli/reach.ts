/**
 * `kube-reach reach [paths…] [--format text|json|csv|dot|mermaid] [--namespace NS] [--unit PATH]`
 * (design §6): direct pod-to-pod and controller → backend connections.
 */

import { ReachEngine, optionsFromSettings } from '../analysis/reachability/engine.js';
import { computeReach } from '../analysis/reachability/reach.js';
import type { ReachFormat } from '../analysis/reachability/render.js';
import { renderReach } from '../analysis/reachability/render.js';
import { oneOf, parseArgs } from './args.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import { loadWorkspace } from './workspace.js';

const FORMATS: readonly ReachFormat[] = ['text', 'json', 'csv', 'dot', 'mermaid'];

export async function runReach(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, {
    values: ['--format', '--namespace', '--unit', '--config', '--exclude', '--severity'],
    repeatable: ['--exclude', '--severity', '--config'],
  });
  const format = oneOf('--format', parsed.values.get('--format')?.[0], FORMATS, 'text');
  const namespace = parsed.values.get('--namespace')?.[0];
  const unitArg = parsed.values.get('--unit')?.[0];
  const ws = loadWorkspace(parsed.positionals, parsed, io);
  const analysis = ws.host.snapshot();
  let unit: string | undefined;
  if (unitArg !== undefined) {
    const wanted = ws.uriOf(unitArg).replace(/\/+$/, '');
    if (!analysis.index.objects.some((p) => p.placements.some((pl) => pl.unit === wanted))) {
      throw new UsageError(`--unit: ${unitArg} is not a unit of the manifests (a Kustomize build, a Helm chart or a folder of manifests)`);
    }
    unit = wanted;
  }
  const engine = new ReachEngine(analysis, { ...optionsFromSettings(ws.settings), unit });
  for (const n of engine.notes) io.stderr(`kube-reach: note: ${n}\n`);
  const result = computeReach(engine, namespace);
  io.stdout(renderReach(format, engine.space, result, namespace));
  return 0;
}

/**
 * `kube-reach render <chart> [--values FILE]… [--set k=v]… [--release NAME] [--namespace NS]`:
 * prints the chart's manifests as `helm template` prints them (analysis/render/helm/), offline and
 * without the helm binary. Templates that cannot be rendered are named on stderr with the reason
 * (the function that is not supported, a `fail` or `required` message, a missing dependency); values
 * a values.schema.json refuses stop it with Helm's error.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadChart, readValuesDocuments } from '../analysis/index.js';
import { manifestText, renderChart, renderNotes } from '../analysis/index.js';
import { mergeValues, parseSet } from '../analysis/index.js';
import type { Values } from '../analysis/index.js';
import { readChartFiles } from '../server/chartFiles.js';
import type { Flag, ParsedArgs } from './args.js';
import type { CommandSpec } from './command.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import { loadSettings } from './workspace.js';

export { renderNotes };

/** The flags that choose a chart's values and release (render and check). */
export const HELM_FLAGS: readonly Flag[] = [
  { name: '--values', value: 'FILE', repeatable: true, help: "a values file over the chart's values.yaml (later files win)" },
  { name: '--set', value: 'K=V', repeatable: true, help: 'a value on the command line (a.b=c,list[0]=x; over --values)' },
  { name: '--set-string', value: 'K=V', repeatable: true, help: 'like --set, the value always a string' },
  { name: '--release', value: 'NAME', help: 'the release name (default release-name)' },
  { name: '--namespace', value: 'NS', help: 'the release namespace (default default)' },
];

/** The user's values: --values files in order, then --set and --set-string. */
export function userValues(parsed: ParsedArgs, io: CliIO): Values {
  const values: Values = new Map();
  for (const f of parsed.values.get('--values') ?? []) {
    const abs = resolve(io.cwd, f);
    if (!existsSync(abs)) throw new UsageError(`--values: no such file: ${f}`);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new UsageError(`--values: cannot read ${f}: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`);
    }
    // As `helm -f` reads it (Helm 4's loader.LoadValues): every `---` document merged in order, a repeated
    // key's later value wins, YAML 1.1 scalars (`0644` is 420).
    const problems: string[] = [];
    const v = readValuesDocuments(text, f, problems);
    if (problems.length > 0) throw new UsageError(`--values: cannot read ${(problems[0] ?? '').split('\n')[0] ?? ''}`);
    mergeValues(values, v);
  }
  for (const s of parsed.values.get('--set') ?? []) {
    const problem = parseSet(s, values);
    if (problem !== undefined) throw new UsageError(problem);
  }
  for (const s of parsed.values.get('--set-string') ?? []) {
    const problem = parseSet(s, values, true);
    if (problem !== undefined) throw new UsageError(problem.replace('--set', '--set-string'));
  }
  return values;
}

async function runRender(parsed: ParsedArgs, io: CliIO): Promise<number> {
  const [chartArg, ...extra] = parsed.positionals;
  if (chartArg === undefined) throw new UsageError('name the chart folder to render');
  if (extra.length > 0) throw new UsageError(`one chart at a time (got also ${extra.join(', ')})`);
  const dir = resolve(io.cwd, chartArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no such chart folder: ${chartArg}`);
  const settings = loadSettings(parsed, io);
  const read = readChartFiles(dir);
  for (const n of read.notes) io.stderr(`kube-reach: note: ${n}\n`);
  const chart = loadChart(read.files);
  if (chart === undefined) throw new UsageError(`${chartArg} holds no readable Chart.yaml with a name`);
  const release = parsed.values.get('--release')?.[0];
  const namespace = parsed.values.get('--namespace')?.[0];
  const r = renderChart(chart, {
    values: userValues(parsed, io),
    kubernetesVersion: settings.kubernetesVersion,
    // As helm template, without a cluster: group/versions only, plus --api-versions.
    capabilities: 'template',
    apiVersions: parsed.values.get('--api-versions') ?? [],
    ...(release !== undefined ? { releaseName: release } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  });
  // Values a values.schema.json refuses: Helm prints its error and nothing else (valuesSchema.ts).
  if (r.schema.message !== undefined) {
    // Helm ends the line (a metaschema error's text has no line break of its own).
    io.stderr(`Error: ${r.schema.message}${r.schema.message.endsWith('\n') ? '' : '\n'}`);
    for (const n of r.problems) io.stderr(`kube-reach: note: ${n}\n`);
    return 1;
  }
  io.stdout(manifestText(r));
  const notes = renderNotes(r);
  for (const n of notes) io.stderr(`kube-reach: note: ${n}\n`);
  return r.parseErrors.length > 0 || r.templates.some((t) => t.error !== undefined) ? 1 : 0;
}

export const renderCommand: CommandSpec = {
  name: 'render',
  summary: "Print a Helm chart's manifests as helm template does.",
  synopsis: '<chart> [options]',
  flags: [
    ...HELM_FLAGS,
    {
      name: '--api-versions',
      value: 'V',
      repeatable: true,
      help: 'a group/version (or group/version/kind) for .Capabilities.APIVersions, as helm template takes it',
    },
    { name: '--config', value: 'FILE', repeatable: true, help: 'settings file (kubernetesVersion decides .Capabilities)' },
  ],
  details: [
    'Renders offline, without the helm binary: .Capabilities.KubeVersion is kubeReach.kubernetesVersion,',
    ".Capabilities.APIVersions Helm's default set (as helm template has it without a cluster: every",
    'group/version client-go knows, no kinds) plus --api-versions, lookup returns an empty map. Templates that cannot',
    'be rendered are named on stderr. Values that a values.schema.json of the chart or of an enabled',
    "subchart refuses stop the render with Helm's error on stderr, as helm template does.",
    'Exit codes: 0 ok, 1 a template could not be rendered or the values break a schema, 2 bad usage.',
  ].join('\n'),
  run: runRender,
};

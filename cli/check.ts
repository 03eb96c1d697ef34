/**
 * `kube-reach check [paths…]` (docs/dev/design.md §6, docs/cli.md): findings in one or more formats, a
 * summary on stderr, and the exit code from `--fail-on`. Machine output goes to stdout (or the
 * files named by `--output` and `--format FMT=FILE`); notes go to stderr.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { uriToPath } from '../server/uris.js';
import type { Severity, Values } from '../analysis/index.js';
import type { Flag, ParsedArgs } from './args.js';
import { oneOf } from './args.js';
import type { CommandSpec } from './command.js';
import type { CliIO } from './io.js';
import { escapeControl, UsageError } from './io.js';
import { pathToUri } from '../server/uris.js';
import { REPORT_FORMATS, renderReport, summaryLine } from './report.js';
import type { JsonDiagnostic, ReportFormat } from './report.js';
import { loadWorkspace, WORKSPACE_FLAGS } from './workspace.js';
import { HELM_FLAGS, userValues } from './render.js';
import type { LoadedWorkspace } from './workspace.js';

export type { JsonDiagnostic } from './report.js';

const HELM_VALUE_FLAGS = ['--values', '--set', '--set-string'];

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const FAIL_ON = ['error', 'warning', 'information', 'none'] as const;

/** The flags of `check`; a feature that adds one adds it here and reads it in `runCheck`. */
export const CHECK_FLAGS: Flag[] = [
  {
    name: '--format',
    value: 'FMT[=FILE]',
    repeatable: true,
    help: `${REPORT_FORMATS.join('|')}; =FILE writes that format to FILE (repeatable)`,
  },
  { name: '--output', value: 'FILE', help: 'write the format without =FILE to FILE instead of stdout' },
  { name: '--fail-on', value: 'LEVEL', help: 'exit 1 on findings at or above error (default)|warning|information|none' },
  ...WORKSPACE_FLAGS,
  ...HELM_FLAGS,
];

/** Diagnostics of a loaded workspace in the JSON shape of docs/dev/design.md §6, sorted by file, start, code. */
export function collectDiagnostics(ws: LoadedWorkspace, io?: CliIO): JsonDiagnostic[] {
  const analysis = ws.host.snapshot();
  const range = (uri: string, d: { start: number; end: number }): JsonDiagnostic['range'] => ({
    start: analysis.positionAt(uri, d.start),
    end: analysis.positionAt(uri, d.end),
  });
  const show = (uri: string): string => ws.displayPath.get(uri) ?? ws.supportPath?.get(uri) ?? uri;
  const out: JsonDiagnostic[] = [];
  for (const [uri, list] of analysis.diagnostics()) {
    for (const d of list) {
      const item: JsonDiagnostic = {
        file: show(uri),
        range: range(uri, d.span),
        severity: d.severity,
        code: d.code,
        message: d.message,
        source: 'kube-reach',
      };
      if (d.related !== undefined)
        item.relatedInformation = d.related.map((r) => ({ file: show(r.uri), range: range(r.uri, r.span), message: r.message }));
      if (d.data !== undefined) item.data = { ...d.data };
      out.push(item);
    }
  }
  // A check that threw lost its findings on that file: say so rather than pass silently.
  for (const f of analysis.checkFailures())
    io?.stderr(
      `kube-reach: internal error: check ${f.code} failed on ${escapeControl(show(f.uri))}, its findings there are left out: ${escapeControl(f.message.split('\n')[0] ?? '')}\n`,
    );
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  out.sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      cmp(a.code, b.code),
  );
  return out;
}

interface Destination {
  readonly format: ReportFormat;
  /** Undefined: stdout. */
  readonly file: string | undefined;
}

/** `--format FMT[=FILE]` (repeatable) and `--output FILE` → where each format goes. */
export function destinations(args: ParsedArgs): Destination[] {
  const specs = args.values.get('--format') ?? ['text'];
  const output = args.values.get('--output')?.[0];
  const out: Destination[] = specs.map((s) => {
    const eq = s.indexOf('=');
    const format = oneOf('--format', eq === -1 ? s : s.slice(0, eq), REPORT_FORMATS, 'text');
    const file = eq === -1 ? undefined : s.slice(eq + 1);
    if (file === '') throw new UsageError(`--format ${s}: a file name must follow =`);
    return { format, file };
  });
  const toStdout = out.filter((d) => d.file === undefined);
  if (toStdout.length > 1)
    throw new UsageError(
      `only one --format may go to standard output (got ${toStdout.map((d) => d.format).join(', ')}); give the others a file: --format sarif=out.sarif`,
    );
  if (output !== undefined) {
    if (toStdout.length === 0) throw new UsageError('--output names the file of the --format without =FILE, and every --format has a file');
    return out.map((d) => (d.file === undefined ? { format: d.format, file: output } : d));
  }
  const files = out.flatMap((d) => (d.file === undefined ? [] : [d.file]));
  if (new Set(files).size !== files.length) throw new UsageError('two --format options write the same file');
  return out;
}

/** The Helm values of `--values`/`--set` as text, for the cache's key of what checks read (Maps as entries, big integers in decimal). */
function valuesKey(values: Values | undefined): string {
  return JSON.stringify(values ?? null, (_k, v: unknown) =>
    v instanceof Map ? [...(v as Map<unknown, unknown>)] : typeof v === 'bigint' ? `${v.toString()}n` : v,
  );
}

export async function runCheck(args: ParsedArgs, io: CliIO): Promise<number> {
  const dests = destinations(args);
  const failOn = oneOf('--fail-on', args.values.get('--fail-on')?.[0], FAIL_ON, 'error');
  const ws = await loadWorkspace(args.positionals, args, io, { checkResults: true });
  // --values/--set/--set-string render every chart with these values (--release/--namespace: loadSettings).
  let values: Values | undefined;
  if (HELM_VALUE_FLAGS.some((f) => (args.values.get(f) ?? []).length > 0)) {
    values = userValues(args, io);
    ws.host.setHelmValues(values, JSON.stringify(HELM_VALUE_FLAGS.map((f) => args.values.get(f) ?? [])));
  }
  // --cache: the check results of an earlier run over exactly these inputs, instead of checking again.
  ws.cache?.useChecks(valuesKey(values));
  const list = collectDiagnostics(ws, io);
  ws.cache?.save();
  // Charts that could not render (or only in part): one note each, files and reasons.
  for (const n of ws.host.snapshot().helmNotes()) {
    const path = uriToPath(n.chart);
    io.stderr(
      `kube-reach: note: ${escapeControl(path === undefined ? n.chart : relative(io.cwd, path) || '.')}: ${escapeControl(n.message)}\n`,
    );
  }
  for (const d of dests) {
    const text = renderReport(d.format, list, {
      cwdUri: pathToUri(io.cwd),
      color: d.file === undefined && io.color?.stdout === true,
    });
    if (d.file === undefined) {
      io.stdout(text);
      continue;
    }
    const abs = resolve(io.cwd, d.file);
    try {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new UsageError(`cannot write ${d.file}${typeof code === 'string' ? ` (${code})` : ''}`);
    }
  }
  io.stderr(summaryLine(ws.displayPath.size, list, io.color?.stderr === true));
  if (failOn === 'none') return 0;
  const threshold = RANK[failOn];
  return list.some((d) => d.severity !== 'hint' && RANK[d.severity] <= threshold) ? 1 : 0;
}

export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'Report Service, Ingress and NetworkPolicy mistakes.',
  synopsis: '[paths…] [options]',
  flags: CHECK_FLAGS,
  details: `Paths are folders (searched for *.yaml, *.yml, *.json), files (read whatever their
extension: /dev/stdin, a FIFO, rendered output) or - for standard input; default: the current
folder. Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 bad usage, an unreadable
path or no manifest read.

Examples:
  kube-reach check deploy/ --fail-on warning
  helm template my-chart | kube-reach check -
  kube-reach check k8s/ --format text --format sarif=kube-reach.sarif
  kube-reach check charts/shop --values prod.yaml --set replicaCount=3 --release shop --namespace shop

Charts (a Chart.yaml with templates/) are rendered as helm template renders them, with their
values.yaml, the kubeReach.helm.valueFiles of the settings, then --values files and --set values
(applied to every chart checked), and the checks run on the rendered objects, reported on template
lines. Templates that cannot be rendered are read as templates and named in a note on stderr.`,
  run: runCheck,
};

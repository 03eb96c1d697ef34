/**
 * `kube-reach check [paths…] [--format text|json|sarif] [--fail-on error|warning|information|none]`
 * (design §6). Machine output on stdout only; notes on stderr.
 */

import { CHECKS } from '../analysis/index.js';
import type { Severity } from '../analysis/index.js';
import { oneOf, parseArgs } from './args.js';
import type { CliIO } from './io.js';
import { loadWorkspace, WORKSPACE_FLAGS } from './workspace.js';
import type { LoadedWorkspace } from './workspace.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

interface JsonRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface JsonDiagnostic {
  file: string;
  range: JsonRange;
  severity: Severity;
  code: string;
  message: string;
  source: string;
  relatedInformation?: Array<{ file: string; range: JsonRange; message: string }>;
  data?: Record<string, unknown>;
}

/** Diagnostics of a loaded workspace in the JSON shape of design §6, sorted by file, start, code. */
export function collectDiagnostics(ws: LoadedWorkspace): JsonDiagnostic[] {
  const analysis = ws.host.snapshot();
  const range = (uri: string, d: { start: number; end: number }): JsonRange => ({ start: analysis.positionAt(uri, d.start), end: analysis.positionAt(uri, d.end) });
  const show = (uri: string): string => ws.displayPath.get(uri) ?? uri;
  const out: JsonDiagnostic[] = [];
  for (const [uri, list] of analysis.diagnostics()) {
    for (const d of list) {
      const item: JsonDiagnostic = { file: show(uri), range: range(uri, d.span), severity: d.severity, code: d.code, message: d.message, source: 'kube-reach' };
      if (d.related !== undefined) item.relatedInformation = d.related.map((r) => ({ file: show(r.uri), range: range(r.uri, r.span), message: r.message }));
      if (d.data !== undefined) item.data = { ...d.data };
      out.push(item);
    }
  }
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

function renderText(list: readonly JsonDiagnostic[]): string {
  return list.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message.split('\n')[0] ?? ''}\n`).join('');
}

function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function renderSarif(list: readonly JsonDiagnostic[], cwdUri: string): string {
  const rules = CHECKS.map((c) => ({
    id: c.code,
    name: c.code,
    shortDescription: { text: c.summary },
    fullDescription: { text: c.doc.split('\n\n')[0] ?? c.summary },
    helpUri: `https://github.com/kube-reach/kube-reach/blob/main/docs/rules.md#${c.code}`,
    defaultConfiguration: { level: sarifLevel(c.defaultSeverity) },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = list.map((d) => ({
    ruleId: d.code,
    ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
    level: sarifLevel(d.severity),
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(d.file), uriBaseId: 'SRCROOT' },
          region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
        },
      },
    ],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kube-reach', informationUri: 'https://github.com/kube-reach/kube-reach', rules } },
        originalUriBaseIds: { SRCROOT: { uri: cwdUri.endsWith('/') ? cwdUri : cwdUri + '/' } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

export async function runCheck(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, { values: ['--format', '--fail-on', ...WORKSPACE_FLAGS], repeatable: ['--exclude', '--severity', '--config'] });
  const format = oneOf('--format', parsed.values.get('--format')?.[0], ['text', 'json', 'sarif'] as const, 'text');
  const failOn = oneOf('--fail-on', parsed.values.get('--fail-on')?.[0], ['error', 'warning', 'information', 'none'] as const, 'error');
  const ws = loadWorkspace(parsed.positionals, parsed, io);
  const list = collectDiagnostics(ws);
  if (format === 'json') io.stdout(JSON.stringify({ diagnostics: list }, null, 2) + '\n');
  else if (format === 'sarif') io.stdout(renderSarif(list, 'file://' + io.cwd.split('\\').join('/')));
  else io.stdout(renderText(list));
  if (failOn === 'none') return 0;
  const threshold = RANK[failOn];
  return list.some((d) => d.severity !== 'hint' && RANK[d.severity] <= threshold) ? 1 : 0;
}

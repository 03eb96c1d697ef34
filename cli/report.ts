/**
 * The report formats of `kube-reach check`: text, json, sarif and github (workflow commands), and
 * the summary line on stderr. Each takes the sorted JSON diagnostics (docs/dev/design.md §6, docs/cli.md).
 */

import { CHECKS, encodeSegment } from '../analysis/index.js';
import type { Severity } from '../analysis/index.js';
import { escapeControl } from './io.js';
import { HOMEPAGE, PRODUCT_NAME, PRODUCT_VERSION, ruleHelpUri } from '../protocol/product.js';

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

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportContext {
  /** `file://` URI of the current folder: SARIF's SRCROOT. */
  readonly cwdUri: string;
  /** ANSI colour in text output. */
  readonly color: boolean;
}

const SGR: Record<Severity, string> = { error: '31;1', warning: '33;1', information: '36', hint: '2' };

function paint(on: boolean, sgr: string, text: string): string {
  return on ? `\u001b[${sgr}m${text}\u001b[0m` : text;
}

function renderText(list: readonly JsonDiagnostic[], color: boolean): string {
  return (
    list
      // Control characters in a file name or message are escaped: one finding, one line, no terminal codes.
      .map(
        (d) =>
          `${paint(color, '1', `${escapeControl(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}:`)} ${paint(color, SGR[d.severity], d.severity)} ${paint(color, '2', d.code + ':')} ${escapeControl(d.message.split('\n')[0] ?? '')}\n`,
      )
      .join('')
  );
}

/** GitHub workflow command escaping (toolkit's `escapeData` / `escapeProperty`). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…::message` per finding: annotations on the pull request's diff. */
function renderGithub(list: readonly JsonDiagnostic[]): string {
  return list
    .map((d) => {
      const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        ...(d.file.startsWith('<') ? [] : [`file=${escapeProperty(d.file)}`]),
        `line=${d.range.start.line + 1}`,
        `col=${d.range.start.character + 1}`,
        `endLine=${d.range.end.line + 1}`,
        `endColumn=${d.range.end.character + 1}`,
        `title=${escapeProperty(`kube-reach ${d.code}`)}`,
      ];
      return `::${level} ${props.join(',')}::${escapeData(d.message)}\n`;
    })
    .join('');
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
    helpUri: ruleHelpUri(c.code),
    help: { text: `${c.summary} See ${ruleHelpUri(c.code)}`, markdown: c.doc },
    defaultConfiguration: { level: sarifLevel(c.defaultSeverity), enabled: c.enabledByDefault !== false },
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
          artifactLocation: { uri: d.file.split('/').map(encodeSegment).join('/'), uriBaseId: 'SRCROOT' },
          region: {
            startLine: d.range.start.line + 1,
            startColumn: d.range.start.character + 1,
            endLine: d.range.end.line + 1,
            endColumn: d.range.end.character + 1,
          },
        },
      },
    ],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: PRODUCT_NAME, version: PRODUCT_VERSION, semanticVersion: PRODUCT_VERSION, informationUri: HOMEPAGE, rules },
        },
        originalUriBaseIds: { SRCROOT: { uri: cwdUri.endsWith('/') ? cwdUri : cwdUri + '/' } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

export function renderReport(format: ReportFormat, list: readonly JsonDiagnostic[], ctx: ReportContext): string {
  switch (format) {
    case 'text':
      return renderText(list, ctx.color);
    case 'json':
      return JSON.stringify({ diagnostics: list }, null, 2) + '\n';
    case 'sarif':
      return renderSarif(list, ctx.cwdUri);
    case 'github':
      return renderGithub(list);
  }
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `kube-reach: 12 files, 3 findings: 1 error, 2 warnings` (stderr, after the report). */
export function summaryLine(files: number, list: readonly JsonDiagnostic[], color: boolean): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of list) counts[d.severity]++;
  const parts = [
    counts.error > 0 ? paint(color, SGR.error, plural(counts.error, 'error')) : '',
    counts.warning > 0 ? paint(color, SGR.warning, plural(counts.warning, 'warning')) : '',
    counts.information > 0 ? paint(color, SGR.information, `${counts.information} information`) : '',
    counts.hint > 0 ? paint(color, SGR.hint, plural(counts.hint, 'hint')) : '',
  ].filter((p) => p !== '');
  const head = `${plural(files, 'file')}, ${list.length === 0 ? 'no findings' : plural(list.length, 'finding')}`;
  return `kube-reach: ${head}${parts.length > 0 ? ': ' + parts.join(', ') : ''}\n`;
}

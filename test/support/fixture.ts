/**
 * Annotated YAML fixtures (docs/dev/design.md §8): `#- path` starts a virtual file,
 * `# ^^^ severity[code]: message` marks a diagnostic on the nearest preceding code line (carets
 * under its columns; `# <--- …` for spans starting at columns 0–1, one dash per character), and
 * `#! key: value` lines at the top set analysis settings. `checkDiagnostics` strips annotations,
 * analyses the files, renders the actual diagnostics back and compares whole texts. A file under a
 * chart's `charts/<archive>.tgz/` is in that packed subchart: handed to the host unpacked, at
 * `charts/<its path in the archive>`, as a support file (as the CLI and the server unpack it).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import type { Analysis, Diagnostic } from '../../analysis/index.js';

const ANNOTATION = /^\s*#\s*(\^+|<-+)\s+(error|warning|information|hint)\[/;
const CONTINUATION = /^\s*#\s+\|/;
const FILE_HEADER = /^#- (\S+)\s*$/;
const SETTINGS = /^#! (.*)$/;
const PACKED = /\/charts\/[^/]+\.tgz\//;

export interface VirtualFile {
  readonly path: string;
  readonly uri: string;
  /** The file's text without annotation lines. */
  readonly text: string;
}

export interface Fixture {
  readonly settingsLines: string[];
  readonly files: VirtualFile[];
  /** Whether the fixture used `#- path` headers. */
  readonly multi: boolean;
}

export function isAnnotation(line: string): boolean {
  return ANNOTATION.test(line) || CONTINUATION.test(line);
}

export function parseFixture(name: string, source: string): Fixture {
  const lines = source.split('\n');
  const settingsLines: string[] = [];
  let i = 0;
  while (i < lines.length && SETTINGS.test(lines[i] ?? '')) settingsLines.push(lines[i++] ?? '');
  const rest = lines.slice(i);
  const multi = rest.some((l) => FILE_HEADER.test(l));
  const files: VirtualFile[] = [];
  let current: { path: string; lines: string[] } | undefined = multi ? undefined : { path: `${name}.yaml`, lines: [] };
  const flush = (): void => {
    if (current === undefined) return;
    const text = current.lines.filter((l) => !isAnnotation(l)).join('\n');
    const unpacked = current.path.replace(PACKED, '/charts/');
    files.push({ path: current.path, uri: `file:///fixtures/${name}/${unpacked}`, text });
  };
  for (const l of rest) {
    const m = FILE_HEADER.exec(l);
    if (m !== null) {
      flush();
      current = { path: m[1] ?? 'file.yaml', lines: [] };
    } else if (current !== undefined) {
      current.lines.push(l);
    }
  }
  flush();
  return { settingsLines, files, multi };
}

export function analyseFixture(fx: Fixture): { host: AnalysisHost; analysis: Analysis } {
  const raw: unknown = fx.settingsLines.length === 0 ? undefined : parseYaml(fx.settingsLines.map((l) => l.slice(3)).join('\n'));
  const { settings, problems } = readSettings(raw);
  if (problems.length > 0) throw new Error(`fixture settings: ${problems.join('; ')}`);
  const host = new AnalysisHost(settings);
  // A `.gitignore`, a `.fleetignore`, a Makefile, a `go.mod`, a shell script and a packed subchart's files are support files, as the CLI and the server hand them over (read, never analysed).
  for (const f of fx.files) {
    if (
      f.path.endsWith('.gitignore') ||
      f.path.endsWith('.fleetignore') ||
      /(?:^|\/)(?:GNUm|M)akefile$/.test(f.path) ||
      /(?:^|\/)go\.mod$/.test(f.path) ||
      f.path.endsWith('.sh') ||
      PACKED.test(f.path)
    )
      host.setSupportFile(f.uri, f.text);
    else host.setFile(f.uri, f.text);
  }
  const analysis = host.snapshot();
  // A check that threw fails the test, whatever the fixture expects (its findings were dropped).
  const failed = analysis.checkFailures();
  if (failed.length > 0) throw new Error(`checks threw: ${failed.map((f) => `${f.code} on ${f.uri}: ${f.message}`).join('\n')}`);
  return { host, analysis };
}

function renderAnnotation(lineText: string, startCol: number, endCol: number, d: Diagnostic): string {
  const len = Math.max(1, Math.min(endCol, lineText.length) - startCol);
  const label = ` ${d.severity}[${d.code}]: ${d.message}`;
  if (startCol < 2) return `# <${'-'.repeat(len)}${label}`;
  return `#${' '.repeat(startCol - 1)}${'^'.repeat(len)}${label}`;
}

/** Renders a file's text with annotations for `diagnostics` after the lines they start on. */
export function renderAnnotated(text: string, diagnostics: readonly Diagnostic[], analysis: Analysis, uri: string): string {
  const lines = text.split('\n');
  const byLine = new Map<number, string[]>();
  for (const d of diagnostics) {
    const start = analysis.positionAt(uri, d.span.start);
    const end = analysis.positionAt(uri, d.span.end);
    const lineText = (lines[start.line] ?? '').replace(/\r$/, '');
    const endCol = end.line === start.line ? end.character : lineText.length;
    const list = byLine.get(start.line) ?? [];
    list.push(renderAnnotation(lineText, start.character, endCol, d));
    byLine.set(start.line, list);
  }
  const out: string[] = [];
  lines.forEach((l, i) => {
    out.push(l);
    for (const a of byLine.get(i) ?? []) out.push(a);
  });
  return out.join('\n');
}

/** The fixture's text as it should read given the actual diagnostics. */
export function renderFixture(fx: Fixture, analysis: Analysis): string {
  const parts: string[] = [...fx.settingsLines];
  for (const f of fx.files) {
    if (fx.multi) parts.push(`#- ${f.path}`);
    parts.push(renderAnnotated(f.text, analysis.diagnosticsFor(f.uri), analysis, f.uri));
  }
  return parts.join('\n');
}

export const UPDATE = process.env['UPDATE_EXPECT'] === '1';

/** Compares a fixture file with its rendering; rewrites it when UPDATE_EXPECT=1. Returns [actual, expected]. */
export function checkDiagnostics(path: string, name: string): { actual: string; expected: string } {
  const source = readFileSync(path, 'utf8');
  const fx = parseFixture(name, source);
  const { analysis } = analyseFixture(fx);
  const actual = renderFixture(fx, analysis);
  if (UPDATE && actual !== source) writeFileSync(path, actual);
  return { actual, expected: UPDATE ? actual : source };
}

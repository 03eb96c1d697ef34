/**
 * Every code action of every fixture (test/fixtures/checks, test/fixtures/fixes), applied to the
 * fixture as written, with CRLF line breaks, with a byte order mark, and as JSON (each manifest
 * converted at test time: one object per file, several as a `List`). After each action the files
 * it edits or creates must parse in their own language, the diagnostic it targets must be gone,
 * no other diagnostic may appear, and the line breaks and BOM stay as they were.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Fix, TextEdit } from '../../analysis/index.js';
import { analyseFixture, parseFixture } from '../support/fixture.js';
import type { Fixture, VirtualFile } from '../support/fixture.js';

type Variant = 'yaml' | 'crlf' | 'bom' | 'json';

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start))
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const isJsonText = (uri: string, text: string): boolean => uri.endsWith('.json') || /^[\s\uFEFF]*(\{(?!\{)|\[)/.test(text);

/** Parse errors of a file in its own language (none for a file that is fine). */
function parseErrors(uri: string, text: string): string[] {
  if (isJsonText(uri, text)) {
    try {
      JSON.parse(text.replace(/^\uFEFF/, ''));
      return [];
    } catch (e) {
      return [String(e)];
    }
  }
  return parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors.map((x) => x.message) : []));
}

/** A fixture's file as JSON, or undefined when it is not a plain manifest (templates, tool configs, syntax errors). */
function toJson(f: VirtualFile): string | undefined {
  if (f.text.includes('{{') || /(^|\/)(kustomization|Chart|values)[^/]*\.ya?ml$/i.test(f.path)) return undefined;
  const docs = parseAllDocuments(f.text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0 || d.warnings.length > 0)) return undefined;
  let values: unknown[];
  try {
    // Aliases are expanded up to yaml's default budget: an alias bomb (the input-limit fixtures)
    // throws here and stays YAML instead of expanding exponentially.
    values = docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown).filter((v) => v !== null && v !== undefined);
  } catch {
    return undefined; // an alias to another document's anchor, or an alias bomb
  }
  if (values.length === 0 || values.some((v) => typeof v !== 'object' || Array.isArray(v))) return undefined;
  const root = values.length === 1 ? values[0] : { apiVersion: 'v1', kind: 'List', items: values };
  return `${JSON.stringify(root, null, 2)}\n`;
}

function variantOf(fx: Fixture, v: Variant): Fixture {
  if (v === 'yaml') return fx;
  if (v === 'crlf') return { ...fx, files: fx.files.map((f) => ({ ...f, text: f.text.replace(/\r?\n/g, '\r\n') })) };
  if (v === 'bom') return { ...fx, files: fx.files.map((f) => ({ ...f, text: `\uFEFF${f.text}` })) };
  const files = fx.files.map((f) => {
    const json = toJson(f);
    if (json === undefined) return f;
    const base = f.path.replace(/^.*\//, '');
    // A file another one names (a kustomization's resources) keeps its name.
    const named = fx.files.some((o) => o !== f && o.text.includes(base));
    const path = named ? f.path : f.path.replace(/\.ya?ml$/, '.json');
    return { path, uri: f.uri.replace(f.path, path), text: json };
  });
  return { ...fx, files };
}

interface Case {
  readonly name: string;
  readonly fx: Fixture;
}

function cases(): Case[] {
  const out: Case[] = [];
  const fixtures = join(__dirname, '..', 'fixtures');
  const folders = [
    ...readdirSync(join(fixtures, 'checks'))
      .sort()
      .map((c) => `checks/${c}`),
    'fixes',
  ];
  for (const folder of folders) {
    const dir = join(fixtures, folder);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
      .sort()) {
      const name = `${folder}/${file.replace(/\.yaml$/, '')}`;
      out.push({ name, fx: parseFixture(name, readFileSync(join(dir, file), 'utf8')) });
    }
  }
  return out;
}

function keys(fx: Fixture, analysis: ReturnType<typeof analyseFixture>['analysis']): string[] {
  return fx.files.flatMap((f) => analysis.diagnosticsFor(f.uri).map((d) => `${f.uri}|${d.code}`));
}

function count(list: readonly string[], key: string): number {
  return list.filter((k) => k === key).length;
}

/** Applies `fix` to the fixture (edits in place, new files added). */
function applied(fx: Fixture, fix: Fix): Fixture {
  const files = fx.files.map((f) => ({
    ...f,
    text: applyEdits(
      f.text,
      fix.edits.filter((e) => e.uri === f.uri && e.create !== true),
    ),
  }));
  for (const e of fix.edits.filter((x) => x.create === true)) {
    assert.ok(!fx.files.some((f) => f.uri === e.uri), `"${fix.title}" creates ${e.uri}, which exists`);
    files.push({ path: e.uri.replace(/^.*\//, ''), uri: e.uri, text: e.newText });
  }
  return { ...fx, files };
}

const VARIANTS: readonly Variant[] = ['yaml', 'crlf', 'bom', 'json'];

/**
 * Diagnostics a fix may bring by what it means, in every language alike: joining an OR-ed
 * namespaceSelector and podSelector into one peer, without evidence that the pods run in the
 * selected namespaces, can leave a peer that matches no pod, which netpol-peer-no-match reports.
 */
const CONSEQUENCES: Readonly<Record<string, readonly string[]>> = {
  'netpol-peer-and-or': ['netpol-peer-no-match'],
};

describe('every code action, in YAML, CRLF, BOM and JSON files', () => {
  let jsonActions = 0;
  let jsonCreates = 0;
  for (const c of cases()) {
    for (const v of VARIANTS) {
      it(`${c.name} (${v})`, () => {
        const fx = variantOf(c.fx, v);
        const { analysis } = analyseFixture(fx);
        const before = keys(fx, analysis);
        const brokenBefore = new Set(fx.files.filter((f) => parseErrors(f.uri, f.text).length > 0).map((f) => f.uri));
        for (const f of fx.files) {
          for (const d of analysis.diagnosticsFor(f.uri)) {
            for (const fix of analysis
              .fixes(f.uri, d.span)
              .filter((x) => x.code === d.code && x.diagnosticSpan.start === d.span.start && x.diagnosticSpan.end === d.span.end)) {
              const label = `${f.path}: "${fix.title}" for ${d.code}`;
              const after = applied(fx, fix);
              for (const e of fix.edits) {
                const file = after.files.find((x) => x.uri === e.uri);
                assert.ok(file !== undefined, `${label}: edits an unknown file ${e.uri}`);
                if (!brokenBefore.has(file.uri))
                  assert.deepEqual(parseErrors(file.uri, file.text), [], `${label}: ${file.uri} no longer parses:\n${file.text}`);
                const old = fx.files.find((x) => x.uri === e.uri)?.text;
                if (isJsonText(file.uri, file.text)) {
                  assert.ok(!/^---/m.test(file.text) && !/^\s*#/m.test(file.text), `${label}: YAML written into JSON`);
                  if (v === 'json') jsonActions++;
                  if (e.create === true) jsonCreates++;
                }
                // A file without a line break (a one-line template) has no line-break style to keep.
                if (v === 'crlf' && old !== undefined && old.includes('\n'))
                  assert.ok(!/[^\r]\n/.test(file.text), `${label}: a bare LF in a CRLF file`);
                if (v === 'bom' && old !== undefined)
                  assert.ok(file.text.startsWith('\uFEFF') && file.text.indexOf('\uFEFF', 1) === -1, `${label}: the BOM moved`);
              }
              const now = keys(after, analyseFixture(after).analysis);
              const target = `${f.uri}|${d.code}`;
              assert.ok(count(now, target) < count(before, target), `${label}: the diagnostic is still there`);
              for (const k of new Set(now)) {
                const allowed = k === target || (CONSEQUENCES[d.code] ?? []).includes(k.slice(k.lastIndexOf('|') + 1));
                assert.ok(count(now, k) <= count(before, k) || allowed, `${label}: introduced ${k}`);
              }
            }
          }
        }
      });
    }
  }
  it('the JSON variants exercised JSON edits, new files among them', () => {
    process.stdout.write(`# JSON edits applied: ${jsonActions}, files created: ${jsonCreates}\n`);
    assert.ok(jsonActions > 50, `only ${jsonActions} JSON edits`);
    assert.ok(jsonCreates > 0, 'no JSON action created a file');
  });
});

/**
 * Every code action of every fixture (test/fixtures/checks, test/fixtures/fixes), applied to the
 * fixture as written, with CRLF line breaks, with a byte order mark, and as JSON (each manifest
 * converted at test time: one object per file, several as a `List`). After each action the files
 * it edits or creates must parse in their own language, the diagnostic it targets must be gone,
 * no other diagnostic may appear, and the line breaks and BOM stay as they were. The same for each
 * file's "Fix all" (source.fixAll.kube-reach, run on save) and, but for the diagnostics, for the
 * refactorings offered on it ("Convert to Gateway API").
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { fixAll } from '../../analysis/index.js';
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
function applied(fx: Fixture, fix: Pick<Fix, 'title' | 'edits'>): Fixture {
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
 * selected namespaces, can leave a peer that matches no pod, which netpol-peer-no-match reports;
 * quoting a YAML 1.1 key changes the label kubectl sends.
 */
const CONSEQUENCES: Readonly<Record<string, readonly string[]>> = {
  'netpol-peer-and-or': ['netpol-peer-no-match'],
  // Quoting a key that kubectl reads as YAML 1.1 (`on:` is the key "true") takes YAML 1.2's reading,
  // which changes what kubectl sends: a selector that matched the label "true" matches it no more.
  // (In a boolean field, such as a Job's `suspend: yes`, the hint offers no quoting: `"yes"` is a string the API server refuses.)
  'yaml-1-1-value': ['service-selector-no-match'],
  // Setting a parentRef's namespace to where the Gateway is makes the route attach there; a listener
  // that admits routes of its own namespace only then refuses it, which gateway-route-not-allowed
  // reports as the next step (the argocd-chart-apps fixtures: a Gateway in "edge", the route in "web").
  'gateway-parent-missing': ['gateway-route-not-allowed'],
};

/** What a fix-all may apply (analysis/ide/fixAll.ts): a preferred fix of the file itself, not a suppression, creating nothing. */
function fixAllApplies(fix: Fix, uri: string): boolean {
  return fix.isPreferred === true && !fix.title.startsWith('Suppress ') && fix.edits.every((e) => e.uri === uri && e.create !== true);
}

describe('every code action, in YAML, CRLF, BOM and JSON files', () => {
  let jsonActions = 0;
  let jsonCreates = 0;
  let fixAlls = 0;
  let refactors = 0;
  for (const c of cases()) {
    for (const v of VARIANTS) {
      it(`${c.name} (${v})`, () => {
        const fx = variantOf(c.fx, v);
        const { analysis } = analyseFixture(fx);
        const before = keys(fx, analysis);
        const brokenBefore = new Set(fx.files.filter((f) => parseErrors(f.uri, f.text).length > 0).map((f) => f.uri));
        /** The files an action edits or creates parse in their own language and keep their line breaks and BOM. */
        const assertFilesSound = (label: string, after: Fixture, edits: readonly TextEdit[]): void => {
          for (const e of edits) {
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
        };
        /** No diagnostic appears that was not there, but for the targets and what fixing `codes` may bring. */
        const assertNothingIntroduced = (
          label: string,
          now: readonly string[],
          targets: readonly string[],
          codes: readonly string[],
        ): void => {
          for (const k of new Set(now)) {
            const allowed = targets.includes(k) || codes.some((c) => (CONSEQUENCES[c] ?? []).includes(k.slice(k.lastIndexOf('|') + 1)));
            assert.ok(count(now, k) <= count(before, k) || allowed, `${label}: introduced ${k}`);
          }
        };
        for (const f of fx.files) {
          for (const d of analysis.diagnosticsFor(f.uri)) {
            for (const fix of analysis
              .fixes(f.uri, d.span)
              .filter((x) => x.code === d.code && x.diagnosticSpan.start === d.span.start && x.diagnosticSpan.end === d.span.end)) {
              const label = `${f.path}: "${fix.title}" for ${d.code}`;
              const after = applied(fx, fix);
              assertFilesSound(label, after, fix.edits);
              const now = keys(after, analyseFixture(after).analysis);
              const target = `${f.uri}|${d.code}`;
              assert.ok(count(now, target) < count(before, target), `${label}: the diagnostic is still there`);
              assertNothingIntroduced(label, now, [target], [d.code]);
            }
          }
          // "Fix all" (source.fixAll.kube-reach, on save): the first fix it may apply is never
          // left out, so its diagnostic goes; every diagnostic it fixes may go; nothing else appears.
          const all = fixAll(analysis, f.uri);
          const eligible = analysis.fixes(f.uri, { start: 0, end: f.text.length }).filter((x) => fixAllApplies(x, f.uri));
          const first = eligible[0];
          assert.equal(all === undefined, first === undefined, `${f.path}: fix all offered ${all === undefined ? 'nothing' : 'a fix'}`);
          if (all !== undefined && first !== undefined) {
            const label = `${f.path}: "${all.title}"`;
            const after = applied(fx, all);
            assertFilesSound(label, after, all.edits);
            const now = keys(after, analyseFixture(after).analysis);
            const target = `${f.uri}|${first.code}`;
            assert.ok(count(now, target) < count(before, target), `${label}: ${first.code} is still there`);
            const codes = eligible.map((x) => x.code);
            assertNothingIntroduced(
              label,
              now,
              codes.map((c) => `${f.uri}|${c}`),
              codes,
            );
            fixAlls++;
          }
          // Refactorings ("Convert to Gateway API") over the whole file: the files they write parse.
          for (const r of analysis.refactors(f.uri, { start: 0, end: f.text.length })) {
            assertFilesSound(`${f.path}: "${r.title}"`, applied(fx, r), r.edits);
            refactors++;
          }
        }
      });
    }
  }
  it('the JSON variants exercised JSON edits, new files among them, fix-all and refactorings', () => {
    process.stdout.write(
      `# JSON edits applied: ${jsonActions}, files created: ${jsonCreates}, fix-all: ${fixAlls}, refactorings: ${refactors}\n`,
    );
    assert.ok(jsonActions > 50, `only ${jsonActions} JSON edits`);
    assert.ok(jsonCreates > 0, 'no JSON action created a file');
    assert.ok(fixAlls > 50, `only ${fixAlls} fix-all actions`);
    assert.ok(refactors > 0, 'no refactoring applied');
  });
});

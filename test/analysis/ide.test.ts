/**
 * Hover and completion fixtures: `$0` marks the cursor in one virtual file; the expected output is
 * the file beside the fixture (`.expected.md` for hover, `.expected.txt` for completion),
 * regenerated with UPDATE_EXPECT=1.
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyseFixture, parseFixture, UPDATE } from '../support/fixture.js';
import type { Fixture } from '../support/fixture.js';

function withCursor(fx: Fixture): { fx: Fixture; uri: string; offset: number } {
  for (const f of fx.files) {
    const at = f.text.indexOf('$0');
    if (at !== -1) {
      const files = fx.files.map((g) => (g === f ? { ...g, text: g.text.replace('$0', '') } : g));
      return { fx: { ...fx, files }, uri: f.uri, offset: at };
    }
  }
  throw new Error('fixture has no $0 cursor');
}

function expectFile(path: string, actual: string): void {
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) assert.fail(`missing ${path}; run with UPDATE_EXPECT=1`);
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'));
}

function fixtures(kind: string): string[] {
  const dir = join(__dirname, '..', 'fixtures', kind);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => join(dir, f))
    : [];
}

describe('hover fixtures', () => {
  for (const path of fixtures('hover')) {
    it(path.slice(path.lastIndexOf('/') + 1), () => {
      const name = path.slice(path.lastIndexOf('/') + 1, -5);
      const { fx, uri, offset } = withCursor(parseFixture(`hover/${name}`, readFileSync(path, 'utf8')));
      const { analysis } = analyseFixture(fx);
      const h = analysis.hover(uri, offset);
      expectFile(path.replace(/\.yaml$/, '.expected.md'), h === undefined ? '(no hover)\n' : h.contents + '\n');
    });
  }
});

describe('completion fixtures', () => {
  for (const path of fixtures('completion')) {
    it(path.slice(path.lastIndexOf('/') + 1), () => {
      const name = path.slice(path.lastIndexOf('/') + 1, -5);
      const { fx, uri, offset } = withCursor(parseFixture(`completion/${name}`, readFileSync(path, 'utf8')));
      const { analysis } = analyseFixture(fx);
      const items = [...analysis.completion(uri, offset)].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
      const text = items.map((i) => `${i.label} | insert ${JSON.stringify(i.insertText)} | ${i.detail ?? ''}`).join('\n');
      expectFile(path.replace(/\.yaml$/, '.expected.txt'), (text === '' ? '(no items)' : text) + '\n');
    });
  }
});

/** `path:line:col text` for each location, sorted: readable, and stable across edits elsewhere. */
function renderLocations(
  fx: Fixture,
  analysis: ReturnType<typeof analyseFixture>['analysis'],
  locs: ReadonlyArray<{ uri: string; span: { start: number; end: number } }>,
): string {
  const lines = locs.map((l) => {
    const f = fx.files.find((g) => g.uri === l.uri);
    const pos = analysis.positionAt(l.uri, l.span.start);
    const text = (f?.text.slice(l.span.start, l.span.end) ?? '').split('\n')[0] ?? '';
    return `${f?.path ?? l.uri}:${pos.line + 1}:${pos.character + 1} ${text}`;
  });
  return lines.sort().join('\n');
}

for (const kind of ['definition', 'references'] as const) {
  describe(`${kind} fixtures`, () => {
    for (const path of fixtures(kind)) {
      it(path.slice(path.lastIndexOf('/') + 1), () => {
        const name = path.slice(path.lastIndexOf('/') + 1, -5);
        const { fx, uri, offset } = withCursor(parseFixture(`${kind}/${name}`, readFileSync(path, 'utf8')));
        const { analysis } = analyseFixture(fx);
        const locs = kind === 'definition' ? analysis.definition(uri, offset) : analysis.references(uri, offset);
        const text = renderLocations(fx, analysis, locs);
        expectFile(path.replace(/\.yaml$/, '.expected.txt'), (text === '' ? '(none)' : text) + '\n');
      });
    }
  });
}

describe('code lens and symbol fixtures', () => {
  for (const path of fixtures('lenses')) {
    it(path.slice(path.lastIndexOf('/') + 1), () => {
      const name = path.slice(path.lastIndexOf('/') + 1, -5);
      const fx = parseFixture(`lenses/${name}`, readFileSync(path, 'utf8'));
      const { analysis } = analyseFixture(fx);
      const out: string[] = [];
      for (const f of fx.files) {
        for (const s of analysis.symbols(f.uri))
          out.push(`symbol ${f.path}:${analysis.positionAt(f.uri, s.selection.start).line + 1} ${s.name} (${s.detail})`);
        for (const l of analysis.codeLenses(f.uri)) {
          out.push(
            `lens ${f.path}:${analysis.positionAt(f.uri, l.span.start).line + 1} "${l.title}" → ${l.action}${l.policy !== undefined ? ` ${l.policy}` : ''}${l.unit !== undefined ? ` (unit ${fx.files.find((x) => x.uri === l.unit || x.uri.startsWith(`${l.unit}/`))?.path.replace(/\/[^/]*$/, '') ?? l.unit})` : ''}`,
          );
          const locs = renderLocations(fx, analysis, l.locations);
          if (locs !== '') out.push(...locs.split('\n').map((x) => `    ${x}`));
        }
      }
      expectFile(path.replace(/\.yaml$/, '.expected.txt'), out.join('\n') + '\n');
    });
  }
});

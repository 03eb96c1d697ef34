/**
 * Quick-fixes that rename a route's parentRef (`gateway-parent-missing`'s Gateway name,
 * `gateway-listener-missing`'s sectionName) never make two parentRefs of the route name the same
 * Gateway and listener, which the API server rejects: a fix that would repeat another parentRef is
 * not offered, and "Fix all" applies one of two fixes that would make the same parentRef
 * (`Fix.exclusive`, analysis/ide/fixAll.ts).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { fixAll } from '../../analysis/index.js';
import type { TextEdit } from '../../analysis/index.js';
import { analyseFixture, parseFixture } from '../support/fixture.js';

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start))
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

for (const code of ['gateway-parent-missing', 'gateway-listener-missing']) {
  test(`${code}: no quick-fix repeats a parentRef of the route, and "Fix all" makes no duplicate`, () => {
    const name = `checks/${code}/two-typos`;
    const fx = parseFixture(name, readFileSync(join(__dirname, '..', 'fixtures', `${name}.yaml`), 'utf8'));
    const { analysis } = analyseFixture(fx);
    const file = fx.files[0];
    assert.ok(file !== undefined);
    const diagnostics = analysis.diagnosticsFor(file.uri).filter((d) => d.code === code);
    const offered = diagnostics.map(
      (d) => analysis.fixes(file.uri, d.span).filter((f) => f.code === code && f.title.startsWith('Attach to')).length,
    );
    // Route "twice": both typos get their fix; route "already": its fix would repeat the other parentRef.
    assert.deepEqual(offered, [1, 1, 0]);
    const all = fixAll(analysis, file.uri);
    assert.ok(all !== undefined);
    const fixed = applyEdits(file.text, all.edits);
    for (const doc of fixed.split(/^---$/m)) {
      const o = parseYaml(doc) as { kind?: string; spec?: { parentRefs?: Array<Record<string, unknown>> } } | null;
      if (o?.kind !== 'HTTPRoute') continue;
      const refs = (o.spec?.parentRefs ?? []).map((r) => `${String(r['name'])}/${String(r['sectionName'])}`);
      assert.equal(new Set(refs).size, refs.length, `duplicate parentRefs after Fix all: ${refs.join(', ')}`);
    }
    // The first of the two fixes of route "twice" is applied.
    assert.notEqual(fixed, file.text);
  });
}

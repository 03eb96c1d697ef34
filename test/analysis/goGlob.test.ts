/**
 * Go's filepath.Match and filepath.Glob patterns (analysis/text/goGlob.ts), on the cases of Go's own
 * table and more read off Go's match.go (test/fixtures/go-glob/match.yaml): a malformed pattern is
 * refused whatever the name, never thrown.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { goGlobPattern, goMatchPattern } from '../../analysis/text/goGlob.js';

type Case = readonly [pattern: string, name: string, result: boolean | 'bad'];

const table = parse(readFileSync(join(__dirname, '..', 'fixtures', 'go-glob', 'match.yaml'), 'utf8')) as Record<
  'go' | 'more' | 'glob',
  Case[]
>;

function check(cases: readonly Case[], compile: (p: string) => RegExp | undefined): void {
  for (const [pattern, name, result] of cases) {
    const re = compile(pattern);
    if (result === 'bad') assert.equal(re, undefined, `${pattern} is malformed`);
    else assert.equal(re?.test(name), result, `${pattern} against ${name}`);
  }
}

describe("Go's filepath.Match patterns", () => {
  it("Go's own match_test.go table", () => check(table.go, goMatchPattern));
  it('reversed ranges, empty classes, trailing escapes, plain characters', () => check(table.more, goMatchPattern));
  it('filepath.Glob matches one path segment at a time', () => check(table.glob, goGlobPattern));
});

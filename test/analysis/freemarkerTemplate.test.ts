/**
 * FreeMarker templates read at parse depth (analysis/syntax/freemarkerTemplate.ts, parse.ts's
 * guessed-template path): directive lines and comments masked, `${…}` interpolations unknown, every
 * offset kept.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskFreemarkerDirectives } from '../../analysis/syntax/freemarkerTemplate.js';
import { parseManifest } from '../../analysis/syntax/parse.js';
import { isMap, isScalar } from '../../analysis/syntax/tree.js';
import type { YNode } from '../../analysis/syntax/tree.js';

const TEMPLATE = [
  '<#assign ns = config.namePrefix + "apps">',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: settings',
  '  namespace: ${ns}',
  'data:',
  '<#if config.mail.active>',
  '  port: "${config.mail.port?c}"',
  '  stage: ${r"${STAGE}"}',
  '  owner: ${config.owner!"nobody"}',
  '</#if>',
  '  <#-- a comment that',
  '       spans lines -->',
  '  plain: text',
  '',
].join('\r\n');

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

describe('FreeMarker templates', () => {
  it('mask directive lines and comments as comments of the same length, interpolations as placeholders of the same length', () => {
    const masked = maskFreemarkerDirectives(TEMPLATE);
    assert.ok(masked !== undefined);
    assert.equal(masked.length, TEMPLATE.length);
    const lines = masked.split('\r\n');
    assert.deepEqual(
      lines.map((l, i) => l.length === TEMPLATE.split('\r\n')[i]?.length),
      lines.map(() => true),
    );
    assert.match(lines[0] ?? '', /^# +$/);
    assert.match(lines[12] ?? '', /^ {2}# +$/);
    assert.match(lines[13] ?? '', /^ {7}# +$/);
    assert.equal(lines[9], '  stage: ${___________}');
    assert.equal(lines[14], '  plain: text');
    assert.equal(maskFreemarkerDirectives('a: ${b}\n'), undefined);
  });

  it('a template that is not YAML as it stands is read with its values unknown and the rest known (a note, no errors)', () => {
    const parsed = parseManifest(TEMPLATE);
    assert.equal(parsed.errors.length, 0);
    assert.equal(parsed.guessedTemplate?.freemarker, true);
    const root = parsed.documents[0]?.root;
    const ns = get(get(root, 'metadata'), 'namespace');
    const data = get(root, 'data');
    assert.ok(isScalar(ns) && ns.unknown);
    for (const key of ['port', 'stage', 'owner']) assert.equal(get(data, key)?.unknown, true, key);
    const plain = get(data, 'plain');
    assert.ok(isScalar(plain) && !plain.unknown && plain.value === 'text');
    assert.equal(get(get(root, 'metadata'), 'name')?.unknown, false);
  });
});

/**
 * `*name:` as a mapping key, read as go-yaml reads it (analysis/syntax/aliasColon.ts): the alias
 * `name`, then `:`. The checks' side is the fixture yaml-syntax/alias-colon-key.yaml.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifest } from '../../analysis/syntax/parse.js';
import { splitAliasColons } from '../../analysis/syntax/aliasColon.js';
import { get, isMap, isScalar } from '../../analysis/syntax/tree.js';

const TEXT = `metadata:
  name: &app ipmi-exporter
values:
  controllers:
    *app:
      strategy: RollingUpdate
  service:
    controller: *app
url: "https://example.com/?a=1&app=2"
`;

describe('alias followed by a colon', () => {
  it('reads as the text with the space YAML 1.2 needs, the other aliases resolve as before, every offset kept', () => {
    const parsed = parseManifest(TEXT);
    assert.deepEqual(parsed.errors, []);
    const root = parsed.documents[0]?.root;
    // The same reading as the text with the space YAML 1.2 needs (`*app :`): keys and values alike.
    const spaced = parseManifest(TEXT.replace('*app:', '*app :'));
    assert.deepEqual(spaced.errors, []);
    const keys = (r: typeof root): string[] => {
      const c = get(get(r, 'values'), 'controllers');
      return isMap(c) ? c.pairs.map((p) => p.key) : [];
    };
    assert.deepEqual(keys(root), keys(spaced.documents[0]?.root));
    // The alias key is the scalar its anchor set, as go-yaml (kubectl, kustomize, Flux) reads it: the map is known.
    assert.deepEqual(keys(root), ['ipmi-exporter']);
    const controllers = get(get(root, 'values'), 'controllers');
    assert.ok(isMap(controllers) && !controllers.unknown && controllers.pairs[0]?.keyUnknown === false);
    const strategy = (r: typeof root): unknown => {
      const c = get(get(r, 'values'), 'controllers');
      const v = isMap(c) ? get(c.pairs[0]?.value, 'strategy') : undefined;
      return isScalar(v) ? v.value : undefined;
    };
    assert.equal(strategy(root), 'RollingUpdate');
    assert.equal(strategy(root), strategy(spaced.documents[0]?.root));
    const controller = get(get(get(root, 'values'), 'service'), 'controller');
    assert.ok(isScalar(controller));
    assert.equal(controller.value, 'ipmi-exporter');
    const url = get(root, 'url');
    assert.ok(isScalar(url));
    assert.equal(url.value, 'https://example.com/?a=1&app=2');
    assert.equal(splitAliasColons(TEXT)?.length, TEXT.length);
  });

  it('leaves a text alone when the shorter name is taken or no anchor of the name exists', () => {
    assert.equal(splitAliasColons('a: &ap 1\nb: &app 2\nc:\n  *app: 3\n'), undefined);
    assert.equal(splitAliasColons('c:\n  *nope: 3\n'), undefined);
  });
});

/**
 * model/configListens.ts: the listen directives of a ConfigMap's data values (nginx, Apache,
 * HAProxy) are the ports a server configured by it listens on; other lines are not.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifest } from '../../analysis/syntax/parse.js';
import { configMapListens, mountedConfigMaps } from '../../analysis/model/configListens.js';
import { get } from '../../analysis/syntax/tree.js';

const CASES: ReadonlyArray<readonly [string, readonly number[] | undefined]> = [
  ['server {\n  listen 443 ssl;\n  listen [::]:443 ssl;\n}', [443]],
  ['server {\n  listen 0.0.0.0:8080;\n  listen 127.0.0.1:9090 default_server;\n}', [8080, 9090]],
  ['Listen 8081\nServerName example', [8081]],
  ['frontend web\n  bind *:8443 ssl crt /certs\n  bind :8080', [8080, 8443]],
  // Not listen directives: PostgreSQL's listen_addresses, Redis's bind address, a comment, a word inside a line.
  ["listen_addresses = '*'\nport = 5432", undefined],
  ['bind 127.0.0.1 -::1\nport 6379', undefined],
  ['# listen 80;\nproxy_pass http://listen:80;', undefined],
  ['  listen 99999;', undefined],
];

const configMap = (conf: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  app.conf: |\n${conf
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;

describe('configMapListens', () => {
  for (const [conf, want] of CASES) {
    it(JSON.stringify(conf), () => {
      const root = parseManifest(configMap(conf)).documents[0]?.root;
      assert.deepEqual(configMapListens(root ?? { kind: 'map', span: { start: 0, end: 0 }, pairs: [], unknown: false, flow: false }), want);
    });
  }
});

describe('mountedConfigMaps', () => {
  it('reads configMap volumes and projected sources', () => {
    const spec = parseManifest(
      'volumes:\n- {name: a, configMap: {name: one}}\n- {name: b, secret: {secretName: s}}\n- name: c\n  projected:\n    sources: [{configMap: {name: two}}, {secret: {name: s}}]\n',
    ).documents[0]?.root;
    assert.deepEqual(mountedConfigMaps(spec), ['one', 'two']);
    assert.equal(mountedConfigMaps(get(spec, 'absent')), undefined);
  });
});

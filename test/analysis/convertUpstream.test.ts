/**
 * The upstream annotations "Convert to Gateway API" turns into Gateway API objects
 * (analysis/convert/nginxUpstream.ts; docs/dev/gateway-api.md §8): timeouts as ingress2gateway's
 * emitter writes them (ten times the largest, a Go duration), what is not a whole number of seconds
 * above 0 as a note, and the strict rules before a BackendTLSPolicy is written.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendTlsPolicies, ruleTimeouts } from '../../analysis/convert/nginxUpstream.js';

const reader =
  (ann: Record<string, string>) =>
  (name: string): string | undefined =>
    ann[name];

test('timeouts: ten times the largest of connect, send and read, as a Go duration; bad values are notes', () => {
  const cases: Array<[Record<string, string>, string | undefined, number]> = [
    [{}, undefined, 0],
    [{ 'proxy-read-timeout': '2' }, '20s', 0],
    [{ 'proxy-connect-timeout': '1', 'proxy-send-timeout': '2', 'proxy-read-timeout': '3' }, '30s', 0],
    [{ 'proxy-read-timeout': '10' }, '1m40s', 0],
    [{ 'proxy-read-timeout': '3600' }, '10h0m0s', 0],
    [{ 'proxy-read-timeout': '1s' }, undefined, 1],
    [{ 'proxy-read-timeout': '0' }, undefined, 1],
    [{ 'proxy-read-timeout': '-5', 'proxy-send-timeout': '4' }, '40s', 1],
    [{ 'proxy-read-timeout': '1e3' }, undefined, 1],
    [{ 'proxy-read-timeout': '36000000' }, undefined, 1],
  ];
  for (const [ann, request, noteCount] of cases) {
    const notes: string[] = [];
    const converted = new Set<string>();
    const t = ruleTimeouts(reader(ann), converted, notes);
    assert.equal(t?.['request'], request, JSON.stringify(ann));
    assert.equal(notes.length, noteCount, JSON.stringify(notes));
    // Every timeout annotation is accounted for: used, or told in a note.
    assert.equal(converted.size, Object.keys(ann).length, JSON.stringify(ann));
  }
});

test('backend TLS: a policy per Service only with all four proxy-ssl annotations and a Secret of the namespace', () => {
  const full = {
    'backend-protocol': 'GRPCS',
    'proxy-ssl-verify': 'on',
    'proxy-ssl-secret': 'shop/ca',
    'proxy-ssl-name': 'rpc.internal',
    'proxy-ssl-server-name': 'on',
  };
  const run = (ann: Record<string, string>, ns: string | undefined, services = ['a', 'b']) => {
    const notes: string[] = [];
    const converted = new Set<string>();
    const policies = backendTlsPolicies(reader(ann), ns, services, (name) => ({ name }), converted, notes);
    return { policies, notes, converted };
  };
  const ok = run(full, 'shop');
  assert.deepEqual(
    ok.policies.map((p) => p['metadata']),
    [{ name: 'a-backend-tls' }, { name: 'b-backend-tls' }],
  );
  assert.deepEqual(ok.policies[0]?.['spec'], {
    targetRefs: [{ group: '', kind: 'Service', name: 'a' }],
    validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }], hostname: 'rpc.internal' },
  });
  assert.equal(ok.converted.size, 4);
  // Plain HTTP to the backend: nothing to say.
  assert.deepEqual(run({ ...full, 'backend-protocol': 'HTTP' }, 'shop'), { policies: [], notes: [], converted: new Set() });
  // The Secret of another namespace, or named with a namespace where the Ingress has none.
  for (const [ann, ns] of [
    [{ ...full, 'proxy-ssl-secret': 'infra/ca' }, 'shop'],
    [full, undefined],
    [{ ...full, 'proxy-ssl-server-name': 'off' }, 'shop'],
    [{ ...full, 'proxy-ssl-verify': 'true' }, 'shop'],
  ] as const) {
    const r = run(ann, ns);
    assert.equal(r.policies.length, 0, JSON.stringify(ann));
    assert.match(r.notes[0] ?? '', /no BackendTLSPolicy written/);
    assert.equal(r.converted.size, 0);
  }
  assert.equal(run(full, 'shop', []).policies.length, 0);
});

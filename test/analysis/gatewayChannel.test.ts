/**
 * GW51 follows the Gateway API channel (docs/dev/api-rules.md §A.10a): a CRD file added, edited or
 * removed, or `kubeReach.gatewayApi.channel` changed, changes the severity of an experimental-only
 * field in another file, and each step reads as a fresh host does.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost, DEFAULT_SETTINGS } from '../../analysis/index.js';
import type { AnalysisSettings } from '../../analysis/index.js';
import { headerValueMatches } from '../../analysis/model/api/gatewayChannels.js';

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
    - backendRefs: [{name: web, port: 80}]
      retry: {attempts: 3}
`;

const crd = (channel: string, bundle = 'v1.5.1'): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: httproutes.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/channel: ${channel}, gateway.networking.k8s.io/bundle-version: ${bundle}}
spec:
  group: gateway.networking.k8s.io
  names: {kind: HTTPRoute, listKind: HTTPRouteList, plural: httproutes, singular: httproute}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
`;

/** The route file's api-ignored-field findings: severity and the message up to its first colon. */
function findings(host: AnalysisHost): string[] {
  const list = host.snapshot().diagnostics().get('file:///ws/route.yaml') ?? [];
  return list.filter((d) => d.code === 'api-ignored-field').map((d) => `${d.severity} ${d.message.split(':')[0] ?? ''}`);
}

function fresh(files: ReadonlyMap<string, string>, settings: AnalysisSettings): string[] {
  const host = new AnalysisHost();
  host.updateSettings(settings);
  for (const [uri, text] of files) host.setFile(uri, text);
  return findings(host);
}

it('an experimental-only field follows the CRDs of the workspace and kubeReach.gatewayApi.channel', () => {
  const host = new AnalysisHost();
  const files = new Map<string, string>([['file:///ws/route.yaml', ROUTE]]);
  let settings = DEFAULT_SETTINGS;
  host.setFile('file:///ws/route.yaml', ROUTE);
  const info = ['information spec.rules[0].retry'];
  const error = ['error HTTPRoute in version "v1" cannot be handled as a HTTPRoute'];
  const steps: Array<[string, () => void, string[]]> = [
    ['no CRD', () => undefined, info],
    ['standard CRD added', () => files.set('file:///ws/crds.yaml', crd('standard')), error],
    ['edited to experimental', () => files.set('file:///ws/crds.yaml', crd('experimental')), []],
    ['a later standard bundle', () => files.set('file:///ws/crds.yaml', crd('standard', 'v1.6.0')), info],
    ['a development build', () => files.set('file:///ws/crds.yaml', crd('standard', 'v0.0.0-dev')), info],
    ['a release candidate', () => files.set('file:///ws/crds.yaml', crd('standard', 'v1.5.0-rc.1')), info],
    ['back to v1.5.1', () => files.set('file:///ws/crds.yaml', crd('standard')), error],
    ['setting: experimental', () => (settings = { ...settings, gatewayApi: { channel: 'experimental' } }), []],
    [
      'CRD removed, setting: standard',
      () => {
        files.delete('file:///ws/crds.yaml');
        settings = { ...settings, gatewayApi: { channel: 'standard' } };
      },
      error,
    ],
    ['setting: auto', () => (settings = { ...settings, gatewayApi: { channel: 'auto' } }), info],
  ];
  for (const [what, step, want] of steps) {
    const before = new Set(files.keys());
    step();
    for (const uri of before) if (!files.has(uri)) host.removeFile(uri);
    for (const [uri, text] of files) if (host.textOf(uri) !== text) host.setFile(uri, text);
    if (host.getSettings() !== settings) host.updateSettings(settings);
    assert.deepEqual(findings(host), want, what);
    assert.deepEqual(findings(host), fresh(files, settings), `${what}: as a fresh host`);
  }
});

it("the experimental header-value pattern is tested as the CRD's regular expression answers (every string of up to 4 characters over a mixed alphabet)", () => {
  const crdPattern = /^[!-~]+([\t ]?[!-~]+)*$/;
  const alphabet = ['a', '!', '~', ' ', '\t', '\u007f', '\u00e9', '\n'];
  let strings = [''];
  let compared = 0;
  for (let len = 1; len <= 4; len++) {
    strings = strings.flatMap((s) => alphabet.map((c) => s + c));
    for (const s of strings) {
      assert.equal(headerValueMatches(s), crdPattern.test(s), JSON.stringify(s));
      compared++;
    }
  }
  assert.equal(compared, 8 + 64 + 512 + 4096);
  assert.equal(headerValueMatches(''), false);
});

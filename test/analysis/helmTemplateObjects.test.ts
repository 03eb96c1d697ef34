/**
 * Helm's built-in objects are Go structs with fields and methods (GoStruct): field chains read
 * fields, a method is called with the arguments that follow it (`.Capabilities.APIVersions.Has
 * "x"`, `.Files.Get "f"`), and Go's errors name the struct type.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GoStruct, TemplateSet, fromYamlValue } from '../../analysis/render/helm/template/index.js';
import type { GoValue } from '../../analysis/render/helm/template/index.js';

function data(): GoValue {
  const versions = new GoStruct(
    'chartutil.VersionSet',
    new Map(),
    new Map([['Has', (v: GoValue): GoValue => v === 'apps/v1' || v === 'networking.k8s.io/v1/Ingress']]),
  );
  const kube = new GoStruct(
    '*chartutil.KubeVersion',
    new Map<string, GoValue>([
      ['Version', 'v1.35.0'],
      ['Major', '1'],
      ['Minor', '35'],
    ]),
    new Map([['String', (): GoValue => 'v1.35.0']]),
  );
  const caps = new GoStruct(
    '*chartutil.Capabilities',
    new Map<string, GoValue>([
      ['APIVersions', versions],
      ['KubeVersion', kube],
    ]),
  );
  const files = new GoStruct(
    'engine.files',
    new Map(),
    new Map([['Get', (name: GoValue): GoValue => (name === 'conf/a.txt' ? 'alpha\nbeta' : '')]]),
  );
  const m = fromYamlValue({ Values: { x: 1 }, Release: { Name: 'rel' } });
  if (m instanceof Map) {
    m.set('Capabilities', caps);
    m.set('Files', files);
  }
  return m;
}

function render(text: string): { text: string; error?: string } {
  const set = new TemplateSet();
  const errors = set.parse([{ name: 't', text }]);
  if (errors[0] !== undefined) return { text: '', error: errors[0].message };
  const r = set.execute('t', data());
  return r.error === undefined ? { text: r.text } : { text: r.text, error: r.error.message };
}

describe('helm template: built-in objects (GoStruct)', () => {
  it('calls methods with arguments and reads fields', () => {
    assert.deepEqual(
      render(
        '{{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "x/v1" }} {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion }}',
      ),
      { text: 'true false v1.35.0 v1.35.0' },
    );
    assert.deepEqual(render('{{ if .Capabilities.APIVersions.Has "networking.k8s.io/v1/Ingress" }}ingress{{ end }}'), { text: 'ingress' });
    assert.deepEqual(render('{{ .Files.Get "conf/a.txt" | nindent 2 }}'), { text: '\n  alpha\n  beta' });
    assert.deepEqual(render('{{ $f := .Files }}{{ $f.Get "conf/a.txt" | upper }}'), { text: 'ALPHA\nBETA' });
  });

  it('a missing field names the struct type; a field with arguments is an error', () => {
    assert.match(render('{{ .Capabilities.Nope }}').error ?? '', /can't evaluate field Nope in type \*chartutil\.Capabilities/);
    assert.match(render('{{ .Capabilities.KubeVersion.Major 1 }}').error ?? '', /Major has arguments but cannot be invoked as function/);
  });

  it('structs are true, and kindOf/typeOf see them', () => {
    assert.deepEqual(render('{{ if .Files }}y{{ end }} {{ typeOf .Capabilities }} {{ kindOf .Capabilities }}'), {
      text: 'y *chartutil.Capabilities ptr',
    });
  });
});

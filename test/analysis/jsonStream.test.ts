/**
 * A file of JSON objects one after another (syntax/jsonStream.ts): kubectl reads a file whose first
 * character that is not space is `{` as a stream of JSON values, so each object is a document of
 * the file, checked at its own lines, and the file has no syntax error. A stream with a broken value
 * keeps its syntax errors.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';

const service = (name: string, port: string): string =>
  `{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "${name}", "namespace": "shop"},\n  "spec": {"selector": {"app": "${name}"}, "ports": [{"port": ${port}, "targetPort": "web"}]}\n}`;
const deployment = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "a", "namespace": "shop"},
  "spec": {
    "selector": {"matchLabels": {"app": "a"}},
    "template": {
      "metadata": {"labels": {"app": "a"}},
      "spec": {"containers": [{"name": "a", "image": "a", "ports": [{"name": "web", "containerPort": 8080}]}]}
    }
  }
}`;

function diagnostics(text: string): Array<{ code: string; line: number }> {
  const host = new AnalysisHost();
  host.setFile('file:///ws/stream.json', text);
  const a = host.snapshot();
  const lines = text.split('\n');
  const lineOf = (offset: number): number => {
    let n = 0;
    let at = 0;
    for (const l of lines) {
      if (at + l.length >= offset) return n;
      at += l.length + 1;
      n++;
    }
    return n;
  };
  return a.diagnosticsFor('file:///ws/stream.json').map((d) => ({ code: d.code, line: lineOf(d.span.start) }));
}

test('a JSON stream is read as one document per object, as kubectl reads it', () => {
  const text = `${deployment}\n${service('a', '80')}\n\n${service('b', '80')}\n`;
  const found = diagnostics(text);
  assert.deepEqual(
    found.filter((d) => d.code === 'yaml-syntax'),
    [],
  );
  // Service "b" selects nothing: reported on its own selector line (the third object), not on the first object's.
  const bLine = text.split('\n').findIndex((l) => l.includes('"app": "b"'));
  assert.deepEqual(
    found.filter((d) => d.code === 'service-selector-no-match').map((d) => d.line),
    [bLine],
  );
});

test('a JSON stream with a broken value keeps its syntax errors', () => {
  const found = diagnostics(`${service('a', '80')}\n${service('b', '80,,')}\n`);
  assert.ok(found.some((d) => d.code === 'yaml-syntax'));
});

test('template actions and YAML flow maps one after another are no JSON stream', () => {
  // `{{ … }}` lines (a Go template) and `{a: 1}` flow maps keep their own reading.
  const found = diagnostics('{{ include "a" . }}\n{{ include "b" . }}\n');
  assert.ok(!found.some((d) => d.code === 'service-selector-no-match'));
  const yaml = diagnostics('{a: 1}\n{b: 2}\n');
  assert.ok(yaml.some((d) => d.code === 'yaml-syntax'));
});

/**
 * "Convert to Gateway API" golden cases (docs/dev/gateway-api.md §8): each
 * test/fixtures/convert/<name>.yaml holds an Ingress (and what it refers to); the first Ingress
 * with a conversion is converted with "append to this file", and the fixture must then read as
 * <name>.converted.yaml (UPDATE_EXPECT=1 rewrites it), with no diagnostic the input did not have:
 * the written Gateway and routes are a correct set. The expected files were written from
 * ingress2gateway's documented conversion and ingress-nginx's annotation semantics. The same
 * conversion of a JSON List must stay JSON and hold the same objects.
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Analysis, Refactor, TextEdit } from '../../analysis/index.js';
import { analyseFixture, parseFixture, renderFixture, UPDATE } from '../support/fixture.js';
import type { Fixture, VirtualFile } from '../support/fixture.js';

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start))
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

function firstConversion(analysis: Analysis, files: readonly VirtualFile[]): { file: VirtualFile; actions: Refactor[] } | undefined {
  for (const file of files) {
    const actions = analysis.refactors(file.uri, { start: 0, end: file.text.length });
    if (actions.length > 0) return { file, actions };
  }
  return undefined;
}

const dir = join(__dirname, '..', 'fixtures', 'convert');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.converted.yaml'))
  .sort();

describe('Convert to Gateway API', () => {
  for (const file of cases) {
    const name = file.replace(/\.yaml$/, '');
    it(name, () => {
      const fx = parseFixture(`convert/${name}`, readFileSync(join(dir, file), 'utf8'));
      const { analysis } = analyseFixture(fx);
      const found = firstConversion(analysis, fx.files);
      assert.ok(found !== undefined, 'no Ingress of the fixture converts');
      const append = found.actions.find((a) => a.title.endsWith('(append to this file)'));
      const newFile = found.actions.find((a) => a.title.includes('(new file '));
      assert.ok(append !== undefined && newFile !== undefined, found.actions.map((a) => a.title).join('\n'));
      assert.ok(newFile.edits.every((e) => e.create === true && e.uri.endsWith('-gateway.yaml')));
      const converted: Fixture = {
        ...fx,
        files: fx.files.map((f) => (f === found.file ? { ...f, text: applyEdits(f.text, append.edits) } : f)),
      };
      const after = analyseFixture(converted).analysis;
      const before = fx.files.flatMap((f) => analysis.diagnosticsFor(f.uri).map((d) => `${f.path}|${d.code}`));
      for (const f of converted.files)
        for (const d of after.diagnosticsFor(f.uri))
          assert.ok(before.includes(`${f.path}|${d.code}`), `the conversion introduced ${d.code}: ${d.message}`);
      // The new file holds the same text as the appended documents.
      const appended = (append.edits[0]?.newText ?? '').replace(/^\n/, '');
      assert.equal(`---\n${newFile.edits[0]?.newText ?? ''}`, appended);
      const rendered = `# convert: ${append.title}\n${renderFixture(converted, after)}`;
      const expectedPath = join(dir, `${name}.converted.yaml`);
      if (UPDATE) writeFileSync(expectedPath, rendered);
      assert.ok(existsSync(expectedPath), `missing ${expectedPath}; run with UPDATE_EXPECT=1`);
      assert.equal(rendered, readFileSync(expectedPath, 'utf8'));

      // The same Ingress in a JSON List: items appended, valid JSON, the same objects.
      const docs = parseAllDocuments(found.file.text).map((d) => d.toJS() as unknown);
      const jsonText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }, null, 2);
      const jsonFile: VirtualFile = { path: 'list.json', uri: found.file.uri.replace(/\.yaml$/, '.json'), text: jsonText };
      const jfx: Fixture = { ...fx, files: fx.files.map((f) => (f === found.file ? jsonFile : f)) };
      const ja = analyseFixture(jfx).analysis;
      const jactions = ja.refactors(jsonFile.uri, { start: 0, end: jsonText.length });
      const jaction = jactions[0];
      assert.ok(
        jaction !== undefined && jactions.length === 1 && jaction.title.endsWith('(items of this List)'),
        jactions.map((a) => a.title).join('\n'),
      );
      const jout = JSON.parse(applyEdits(jsonText, jaction.edits)) as { items: unknown[] };
      const yamlObjects = parseAllDocuments(appended).map((d) => d.toJS() as Record<string, unknown>);
      const jsonObjects = jout.items.slice(docs.length) as Array<Record<string, unknown>>;
      assert.equal(jsonObjects.length, yamlObjects.length);
      // JSON has no comments: the notes ride on the first HTTPRoute's annotation.
      const strip = (o: Record<string, unknown>): unknown => {
        const meta = { ...(o['metadata'] as Record<string, unknown>) };
        const ann = { ...((meta['annotations'] as Record<string, unknown> | undefined) ?? {}) };
        delete ann['kube-reach.io/not-converted'];
        if (Object.keys(ann).length === 0) delete meta['annotations'];
        else meta['annotations'] = ann;
        return { ...o, metadata: meta };
      };
      assert.deepEqual(jsonObjects.map(strip), yamlObjects);
      const noted = jsonObjects.some((o) => JSON.stringify(o).includes('kube-reach.io/not-converted'));
      assert.equal(noted, appended.includes('# Not converted'));
    });
  }

  it('offers nothing on a canary Ingress, a templated Ingress, or a chart template', () => {
    const fx = parseFixture('convert/none', readFileSync(join(dir, 'canary.yaml'), 'utf8'));
    const { analysis } = analyseFixture(fx);
    const f = fx.files[0];
    assert.ok(f !== undefined);
    const canaryAt = f.text.indexOf('name: shop-canary');
    assert.deepEqual(analysis.refactors(f.uri, { start: canaryAt, end: canaryAt }), []);
    const templated = parseFixture(
      'convert/templated',
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: Ingress',
        'metadata:',
        '  name: t',
        'spec:',
        '  rules:',
        '    - host: ${HOST}',
        '      http:',
        '        paths:',
        '          - path: /',
        '            pathType: Prefix',
        '            backend:',
        '              service:',
        '                name: web',
        '                port:',
        '                  number: 80',
        '',
      ].join('\n'),
    );
    const t = analyseFixture(templated);
    const tf = templated.files[0];
    assert.ok(tf !== undefined);
    assert.deepEqual(t.analysis.refactors(tf.uri, { start: 0, end: tf.text.length }), []);
  });
});

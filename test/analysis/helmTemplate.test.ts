/**
 * The Helm template engine's renderer suite: every case of test/fixtures/helm-template/*.txt
 * (one file per construct or function family, rewritten from the Go text/template and Sprig
 * documentation's examples) renders to its expected output or error; every output's source map
 * covers each character once, maps literal text one to one and actions to `{{ … }}` spans.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_FUNCS, TemplateSet, fromYamlValue } from '../../analysis/render/helm/template/index.js';
import { parseTemplate } from '../../analysis/render/helm/template/parse.js';
import type { Arg, Node, Pipe } from '../../analysis/render/helm/template/ast.js';
import type { ExecResult, Segment } from '../../analysis/render/helm/template/index.js';
import { fixtureFiles, readCases } from '../support/helmTemplateFixture.js';
import type { TemplateCase } from '../support/helmTemplateFixture.js';

function run(c: TemplateCase): { result?: ExecResult; parseError?: { kind: string; message: string } } {
  const set = new TemplateSet({
    funcs: { kubeVersion: c.env?.kubeVersion ?? 'v1.35.0', apiVersions: c.env?.apiVersions ?? [] },
    ...(c.limits === undefined ? {} : { limits: c.limits }),
  });
  const errors = set.parse(c.templates);
  const first = errors[0];
  if (first !== undefined) return { parseError: { kind: first.kind, message: first.message } };
  return { result: set.execute(c.templates[0]?.name ?? 't', fromYamlValue(c.data)) };
}

function checkSourceMap(c: TemplateCase, r: ExecResult): void {
  const texts = new Map(c.templates.map((t) => [t.name, t.text]));
  let at = 0;
  for (const s of r.segments) {
    assert.equal(s.outStart, at, `segments are contiguous at ${at}`);
    assert.ok(s.outEnd > s.outStart, 'segments are not empty');
    const src = texts.get(s.source);
    if (src === undefined) {
      // tpl text comes from values: it maps to the calling action, never to a file of its own.
      assert.fail(`segment source ${s.source} is not one of the case's templates`);
    }
    assert.ok(s.srcStart >= 0 && s.srcEnd <= src.length && s.srcStart < s.srcEnd, `segment source span within ${s.source}`);
    if (s.literal) assert.equal(r.text.slice(s.outStart, s.outEnd), src.slice(s.srcStart, s.srcEnd), 'literal text maps one to one');
    else
      assert.ok(
        src.startsWith('{{', s.srcStart) && src.slice(0, s.srcEnd).endsWith('}}'),
        `an action's output maps to a {{ }} span: ${src.slice(s.srcStart, s.srcEnd)}`,
      );
    at = s.outEnd;
  }
  assert.equal(at, r.text.length, 'every output character is mapped');
}

for (const file of fixtureFiles()) {
  describe(`helm template: ${file}`, () => {
    for (const c of readCases(file)) {
      it(c.name, () => {
        const { result, parseError } = run(c);
        const error = parseError ?? (result?.error === undefined ? undefined : { kind: result.error.kind, message: result.error.message });
        if (c.error !== undefined) {
          assert.ok(error !== undefined, `expected a ${c.error.kind} error, got output ${JSON.stringify(result?.text)}`);
          assert.equal(error.kind, c.error.kind, error.message);
          assert.ok(
            error.message.includes(c.error.message),
            `message ${JSON.stringify(error.message)} should contain ${JSON.stringify(c.error.message)}`,
          );
        } else {
          assert.equal(error, undefined, error?.message);
        }
        if (c.output !== undefined) assert.equal(result?.text, c.output);
        if (result !== undefined && error === undefined) checkSourceMap(c, result);
      });
    }
  });
}

/** The functions a template calls (identifiers in its commands), from its parse tree. */
function calledFunctions(text: string, into: Set<string>): void {
  const arg = (a: Arg): void => {
    if (a.type === 'identifier') into.add(a.name);
    else if (a.type === 'pipe') pipe(a.pipe);
    else if (a.type === 'chain') arg(a.node);
  };
  const pipe = (p: Pipe | undefined): void => {
    for (const c of p?.cmds ?? []) for (const a of c.args) arg(a);
  };
  const nodes = (list: readonly Node[] | undefined): void => {
    for (const n of list ?? []) {
      if (n.type === 'action' || n.type === 'template') pipe(n.pipe);
      else if (n.type === 'if' || n.type === 'with' || n.type === 'range') {
        pipe(n.pipe);
        nodes(n.list);
        nodes(n.elseList);
      }
    }
  };
  for (const t of parseTemplate('t', text, () => true).trees) nodes(t.root);
}

describe('helm template: the renderer suite covers the engine', () => {
  it('every function the engine knows is called by a case of the suite', () => {
    const called = new Set<string>();
    for (const file of fixtureFiles()) for (const c of readCases(file)) for (const t of c.templates) calledFunctions(t.text, called);
    const missing = [...ALL_FUNCS.keys()].filter((f) => !called.has(f)).sort();
    assert.deepEqual(missing, [], `functions without a case in test/fixtures/helm-template/: ${missing.join(', ')}`);
  });
});

describe('helm template: source map and determinism', () => {
  it("an included template's literal text keeps its own file's mapping after nindent", () => {
    const helpers = '{{- define "labels" -}}\napp: web\ntier: front\n{{- end -}}';
    const main = 'metadata:\n  labels:\n    {{- include "labels" . | nindent 4 }}\n';
    const set = new TemplateSet();
    assert.deepEqual(
      set.parse([
        { name: 'chart/templates/_helpers.tpl', text: helpers },
        { name: 'chart/templates/cm.yaml', text: main },
      ]),
      [],
    );
    const r = set.execute('chart/templates/cm.yaml', fromYamlValue({}));
    assert.equal(r.text, 'metadata:\n  labels:\n    app: web\n    tier: front\n');
    for (const piece of ['app: web', 'tier: front']) {
      const at: number = r.text.indexOf(piece);
      const seg: Segment | undefined = r.segments.find((s) => s.outStart <= at && at < s.outEnd);
      assert.ok(seg !== undefined);
      assert.equal(seg.source, 'chart/templates/_helpers.tpl');
      assert.equal(seg.literal, true);
      assert.equal(helpers.slice(seg.srcStart + (at - seg.outStart), seg.srcStart + (at - seg.outStart) + piece.length), piece);
    }
    // The indentation nindent added maps to the action in cm.yaml.
    const indentSeg = r.segments.find((s) => s.outStart <= r.text.indexOf('    app') && r.text.indexOf('    app') < s.outEnd);
    assert.equal(indentSeg?.source, 'chart/templates/cm.yaml');
    assert.equal(indentSeg?.literal, false);
  });

  it('"random" and clock functions render the same text every time', () => {
    const text = '{{ randAlphaNum 16 }} {{ uuidv4 }} {{ now }} {{ genCA "x" 1 | toString | sha256sum }}';
    const outputs = [0, 1].map(() => {
      const set = new TemplateSet();
      set.parse([{ name: 't', text }]);
      return set.execute('t', null).text;
    });
    assert.equal(outputs[0], outputs[1]);
    assert.match(outputs[0] ?? '', /^[A-Za-z0-9]{16} [0-9a-f-]{36} 2024-01-01 00:00:00 \+0000 UTC [0-9a-f]{64}$/);
  });
});

/**
 * Grammar tests for syntaxes/kube-reach.injection.tmLanguage.json: tokenized with vscode-textmate
 * and Oniguruma (the engine VS Code uses) on top of a real YAML grammar, through the injection
 * mechanism VS Code uses (`injectTo: ["source.yaml"]` in package.json).
 */

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const INJECTION = 'kube-reach.injection';

interface GrammarContribution {
  readonly scopeName: string;
  readonly path: string;
  readonly injectTo?: readonly string[];
}

function contributedGrammar(): GrammarContribution {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes?: { grammars?: GrammarContribution[] } };
  const g = pkg.contributes?.grammars?.find((x) => x.scopeName === INJECTION);
  assert.ok(g, 'package.json contributes the injection grammar');
  return g;
}

let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const contribution = contributedGrammar();
  const files: Record<string, string> = {
    'source.yaml': require.resolve('tm-grammars/grammars/yaml.json'),
    [INJECTION]: join(root, contribution.path),
  };
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const file = files[scopeName];
      if (file === undefined) return null;
      return textmate.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName: string) => ((contribution.injectTo ?? []).includes(scopeName) ? [INJECTION] : undefined),
  });
  const g = await registry.loadGrammar('source.yaml');
  assert.ok(g, 'the YAML grammar loads');
  grammar = g;
});

/** Tokenizes `lines` and returns the scopes of the first token that covers `needle` on `line`. */
function scopesAt(lines: readonly string[], line: number, needle: string): string[] {
  let state = textmate.INITIAL;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const r = grammar.tokenizeLine(text, state);
    state = r.ruleStack;
    if (i !== line) continue;
    const at = text.indexOf(needle);
    assert.ok(at >= 0, `"${needle}" is on line ${line}`);
    const token = r.tokens.find((t) => t.startIndex <= at && at < t.endIndex);
    assert.ok(token, `a token covers "${needle}"`);
    return token.scopes;
  }
  throw new Error(`no line ${line}`);
}

function hasScope(scopes: readonly string[], prefix: string): boolean {
  return scopes.some((s) => s === prefix || s.startsWith(`${prefix}.`));
}

describe('grammar: {{ … }} template expressions', () => {
  const doc = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: {{ include "shop.fullname" . }}',
    '  namespace: {{- .Release.Namespace | quote -}}',
    '{{- if .Values.enabled }}',
    'spec:',
    '  type: "{{ .Values.type }}"',
    '{{- end }}',
  ];

  it('marks an unquoted value expression as embedded template', () => {
    const s = scopesAt(doc, 3, '{{');
    assert.ok(hasScope(s, 'punctuation.section.embedded.begin.template.kube-reach'), s.join(' '));
    assert.ok(hasScope(scopesAt(doc, 3, 'include'), 'keyword.control.template.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 3, '"shop.fullname"'), 'string.quoted.double.template.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 3, '}}'), 'punctuation.section.embedded.end.template.kube-reach'));
  });

  it('handles trim markers, pipelines and properties', () => {
    assert.ok(hasScope(scopesAt(doc, 4, '{{-'), 'punctuation.section.embedded.begin.template.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 4, '.Release'), 'variable.other.property.template.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 4, '|'), 'keyword.operator.pipe.template.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 4, '-}}'), 'punctuation.section.embedded.end.template.kube-reach'));
  });

  it('highlights control-flow lines and expressions inside quoted strings', () => {
    assert.ok(hasScope(scopesAt(doc, 5, 'if'), 'keyword.control.template.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 7, '.Values'), 'variable.other.property.template.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 8, 'end'), 'keyword.control.template.kube-reach'));
  });

  it('leaves YAML after the expression to the YAML grammar', () => {
    const s = scopesAt(doc, 6, 'spec');
    assert.ok(!s.some((x) => x.endsWith('.kube-reach')), s.join(' '));
    assert.ok(
      s.some((x) => x.includes('yaml')),
      s.join(' '),
    );
  });
});

describe('grammar: ${VAR} placeholders', () => {
  const doc = [
    'kind: Ingress',
    'spec:',
    '  rules:',
    '    - host: ${APP_HOST}',
    '      http:',
    '        paths:',
    '          - path: /${PREFIX:-api}',
    '            image: "registry/${IMAGE}:$(TAG)"',
  ];

  it('marks ${VAR} in plain scalars', () => {
    assert.ok(hasScope(scopesAt(doc, 3, '${'), 'punctuation.definition.placeholder.begin.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 3, 'APP_HOST'), 'variable.other.readwrite.placeholder.kube-reach'));
  });

  it('marks defaults, quoted strings and $(VAR)', () => {
    assert.ok(hasScope(scopesAt(doc, 6, 'PREFIX'), 'variable.other.readwrite.placeholder.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 6, ':-'), 'keyword.operator.placeholder.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 7, 'IMAGE'), 'variable.other.readwrite.placeholder.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 7, 'TAG'), 'variable.other.readwrite.placeholder.kube-reach'));
  });

  it('does not mark a lone dollar sign', () => {
    const s = scopesAt(['cost: $5 or ${'], 0, '$5');
    assert.ok(!hasScope(s, 'variable.other.placeholder.kube-reach'), s.join(' '));
  });
});

describe('grammar: # kube-reach-disable comments', () => {
  const doc = [
    '# kube-reach-disable-next-line service-selector-no-match, service-target-port-unknown',
    'kind: Service',
    'metadata:',
    '  name: web # kube-reach-disable netpol-selects-nothing',
    '# an ordinary comment',
  ];

  it('marks the directive and each code on its own line', () => {
    assert.ok(hasScope(scopesAt(doc, 0, 'kube-reach-disable-next-line'), 'keyword.other.directive.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 0, 'service-selector-no-match'), 'constant.other.diagnostic-code.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 0, 'service-target-port-unknown'), 'constant.other.diagnostic-code.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 0, 'service-selector-no-match'), 'comment.line'));
  });

  it('marks a trailing directive comment', () => {
    assert.ok(hasScope(scopesAt(doc, 3, 'kube-reach-disable'), 'keyword.other.directive.kube-reach'));
    assert.ok(hasScope(scopesAt(doc, 3, 'netpol-selects-nothing'), 'constant.other.diagnostic-code.kube-reach'));
  });

  it('leaves ordinary comments alone', () => {
    const s = scopesAt(doc, 4, 'ordinary');
    assert.ok(hasScope(s, 'comment.line'), s.join(' '));
    assert.ok(!s.some((x) => x.endsWith('.kube-reach')), s.join(' '));
  });
});

/**
 * The bad-input corpus (docs/dev/design.md §2): hostile or broken files never crash anything. Each file goes
 * through the CLI (`check --format json`) and the analysis host the language server uses
 * (diagnostics, hover and completion at several offsets). Times are printed, not asserted.
 */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { runCli } from '../support/cli.js';
import { decodeManifest } from '../../server/files.js';

function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'bcdefghi'.split('');
  let prev = 'a';
  for (const n of names) {
    lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = n;
  }
  lines.push(`kind: Service\napiVersion: v1\nmetadata:\n  name: bomb\nspec:\n  selector: *${prev}`);
  return lines.join('\n') + '\n';
}

function deep(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${' '.repeat(i * 2)}k${i}:\n`;
  return s + `${' '.repeat(n * 2)}leaf: 1\n`;
}

const service =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n';

const corpus: Array<[string, Uint8Array | string]> = [
  ['binary.yaml', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a, 0xff, 0x00])],
  ['ten-megabytes.yaml', `# big\n${'k: v\n'.repeat(2_200_000)}`],
  ['alias-bomb.yaml', aliasBomb()],
  ['deep-200.yaml', deep(200)],
  [
    'invalid-utf8.yaml',
    new Uint8Array([
      ...Buffer.from('apiVersion: v1\nkind: Service\nmetadata:\n  name: caf'),
      0xc3,
      0x28,
      0xff,
      ...Buffer.from('\nspec: {}\n'),
    ]),
  ],
  ['bom-crlf.yaml', '\ufeff' + service.replace(/\n/g, '\r\n')],
  ['empty.yaml', ''],
  ['lone-separator.yaml', '---\n'],
  ['one-megabyte-scalar.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "${'x'.repeat(1_048_576)}"\n`],
  // A chart's template (`{{ }}` is template syntax only where templates live).
  ['chart/Chart.yaml', 'apiVersion: v2\nname: x\nversion: 0.1.0\n'],
  [
    'chart/templates/helm.yaml',
    '{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "x.fullname" . }}\n  labels:\n    {{- include "x.labels" . | nindent 4 }}\nspec:\n  selector:\n    {{- include "x.selectorLabels" . | nindent 4 }}\n  ports:\n    {{- range .Values.ports }}\n    - port: {{ .port }}\n    {{- end }}\n{{- end }}\n',
  ],
  [
    'json-list.json',
    '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"selector":{"app":"a"}}}]}',
  ],
  ['not-kubernetes.yaml', '- just\n- a\n- list\n'],
  ['tabs-and-garbage.yaml', 'a:\n\tb: c\n: : :\n"unterminated\n'],
];

describe('bad-input corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-bad-'));
  for (const [name, content] of corpus) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }

  for (const [name, content] of corpus) {
    it(`${name}: the analysis host never throws`, () => {
      const text = typeof content === 'string' ? content : decodeManifest(content);
      const host = new AnalysisHost();
      const t0 = process.hrtime.bigint();
      host.setFile(`file:///bad/${name}`, text);
      if (name.startsWith('chart/templates/')) host.addChartDir('file:///bad/chart');
      const analysis = host.snapshot();
      const diags = analysis.diagnosticsFor(`file:///bad/${name}`);
      for (const offset of [0, Math.floor(text.length / 2), text.length]) {
        analysis.hover(`file:///bad/${name}`, offset);
        analysis.completion(`file:///bad/${name}`, offset);
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      console.log(`  ${name}: ${diags.length} diagnostic(s), ${ms.toFixed(0)} ms`);
      for (const d of diags) assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end);
    });
  }

  it('the CLI reads the whole corpus: skips binary and oversize files with a note, reports the rest', async () => {
    const { code, out, err } = await runCli(['check', dir, '--format', 'json'], dir);
    assert.ok(code === 0 || code === 1, `exit ${code}`);
    assert.match(err, /skipped .*binary\.yaml: binary file/);
    assert.match(err, /skipped .*ten-megabytes\.yaml: larger than 5 MB/);
    const parsed = JSON.parse(out) as { diagnostics: Array<{ file: string; code: string }> };
    assert.ok(parsed.diagnostics.some((d) => d.file.endsWith('tabs-and-garbage.yaml') && d.code === 'yaml-syntax'));
    assert.ok(!parsed.diagnostics.some((d) => d.file.endsWith('helm.yaml')), 'templated values never produce findings');
  });
});

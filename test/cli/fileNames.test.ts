/**
 * File names and settings files in `kube-reach check`: a control character in a file name is
 * escaped, so every diagnostic stays one `path:line:col` line; `.kube-reach.yaml` and a settings
 * file given with `--config` are never analysed as manifests.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli as run } from '../support/cli.js';

const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n';

test('a newline or an escape character in a file name is escaped in text output', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-names-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a\nb.yaml'), BROKEN);
  writeFileSync(join(dir, 'c\u001b[31m.yaml'), BROKEN);
  const { out } = await run(['check', '.', '--format', 'text'], dir);
  const lines = out.split('\n').filter((l) => l !== '');
  assert.ok(lines.length >= 2, out);
  for (const l of lines) {
    assert.ok(!l.includes('\u001b'), l);
    assert.match(l, /^.+:\d+:\d+: error yaml-syntax: /);
  }
  assert.ok(
    lines.some((l) => l.startsWith('a\\nb.yaml:')),
    out,
  );
  assert.ok(
    lines.some((l) => l.startsWith('c\\x1b[31m.yaml:')),
    out,
  );
});

test('.kube-reach.yaml and a --config file are not analysed as manifests', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Read as manifests, both would count among the files read.
  writeFileSync(join(dir, '.kube-reach.yaml'), 'exclude: [nothing/**]\n');
  writeFileSync(join(dir, 'settings.yaml'), 'exclude: [nothing/**]\n');
  writeFileSync(join(dir, 'svc.yaml'), BROKEN);
  const { out, err } = await run(['check', '.', '--config', 'settings.yaml', '--format', 'json'], dir);
  const files = (JSON.parse(out) as { diagnostics: Array<{ file: string }> }).diagnostics.map((d) => d.file);
  assert.deepEqual([...new Set(files)], ['svc.yaml']);
  assert.match(err, /\b1 file\b/);
});

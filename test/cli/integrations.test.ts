/**
 * The CI integrations shipped in the repository (README "CI"): the GitHub Action, the pre-commit
 * hook and the Dockerfile agree with the CLI and the package version, and docs/cli.md documents
 * every command and flag.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { parse } from 'yaml';
import { COMMON_FLAGS } from '../../cli/command.js';
import { COMMANDS } from '../../cli/main.js';
import { REPORT_FORMATS } from '../../cli/report.js';

const root = join(__dirname, '..', '..');
const read = (f: string): string => readFileSync(join(root, f), 'utf8');
const version = (JSON.parse(read('package.json')) as { version: string }).version;

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
}

it('action.yml: a composite action pinned to the package version, with paths, fail-on and format, that uploads SARIF before failing', () => {
  const action = parse(read('action.yml')) as { inputs: Record<string, { default?: string }>; runs: { using: string; steps: Step[] } };
  assert.equal(action.runs.using, 'composite');
  for (const input of ['paths', 'fail-on', 'format']) assert.ok(action.inputs[input] !== undefined, input);
  assert.equal(action.inputs['version']?.default, version);
  assert.ok(REPORT_FORMATS.includes(action.inputs['format']?.default as (typeof REPORT_FORMATS)[number]));
  const steps = action.runs.steps;
  const check = steps.findIndex((s) => s.id === 'check');
  const upload = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@') === true);
  const fail = steps.findIndex((s, i) => i > upload && s.run?.includes('exit "${KR_CODE') === true);
  assert.ok(check >= 0 && upload > check && fail > upload, 'check, then upload, then fail');
  assert.match(steps[upload]?.if ?? '', /always\(\)/);
  assert.match(steps[check]?.run ?? '', /exit 0\s*$/, 'the check step itself never fails the job');
  assert.match(steps[check]?.run ?? '', /kube-reach@\$KR_VERSION/);
  for (const s of steps) if (s.uses !== undefined) assert.match(s.uses, /@v\d+$/, `${s.uses} is pinned to a major version`);
});

it('action.yml: with diff-base, the md table of kube-reach diff --base goes to the summary and diff-file, and never fails the job', () => {
  const action = parse(read('action.yml')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, { value?: string }>;
    runs: { steps: Step[] };
  };
  assert.equal(action.inputs['diff-base']?.default, '');
  assert.ok(action.inputs['diff-file'] !== undefined);
  assert.match(action.outputs['diff-changed']?.value ?? '', /steps\.diff\.outputs\.changed/);
  const diff = action.runs.steps.find((s) => s.id === 'diff');
  assert.ok(diff !== undefined);
  assert.match(diff.if ?? '', /inputs\.diff-base != ''/);
  assert.match(diff.run ?? '', /diff --base "\$KR_BASE" "\$\{paths\[@\]\}" --format md --fail-on-change/);
  assert.match(diff.run ?? '', /GITHUB_STEP_SUMMARY/);
  assert.match(diff.run ?? '', /exit 0\s*$/, 'the diff step never fails the job');
  const readme = read('README.md');
  assert.ok(
    readme.includes('diff-base: origin/${{ github.base_ref }}') && readme.includes('gh pr comment'),
    'the README shows the pull-request comment workflow',
  );
});

it('.pre-commit-hooks.yaml runs kube-reach check over the tree', () => {
  const hooks = parse(read('.pre-commit-hooks.yaml')) as Array<{ id: string; entry: string; language: string; pass_filenames: boolean }>;
  const hook = hooks.find((h) => h.id === 'kube-reach');
  assert.ok(hook !== undefined);
  assert.match(hook.entry, /^kube-reach check\b/);
  assert.equal(hook.language, 'node');
  assert.equal(hook.pass_filenames, false);
});

it('the Dockerfile runs the CLI', () => {
  const docker = read('Dockerfile');
  assert.match(docker, /^ENTRYPOINT \["kube-reach"\]$/m);
});

it('README CI snippets use the package version', () => {
  const readme = read('README.md');
  const pins = [...readme.matchAll(/kube-reach@v?(\d+\.\d+\.\d+)/g), ...readme.matchAll(/rev: v(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
  assert.ok(pins.length >= 4);
  for (const p of pins) assert.equal(p, version);
  assert.ok(readme.includes('upload-sarif@'), 'the plain-steps snippet uploads SARIF');
  assert.ok(readme.includes('security-events: write'));
});

it('docs/cli.md documents every command and every flag', () => {
  const doc = read('docs/cli.md');
  for (const c of COMMANDS) {
    assert.ok(doc.includes(`kube-reach ${c.name}`), c.name);
    for (const f of [...c.flags, ...COMMON_FLAGS]) if (f.name !== '--help') assert.ok(doc.includes(f.name), `${c.name} ${f.name}`);
  }
  for (const f of REPORT_FORMATS) assert.ok(doc.includes(`| \`${f}\` |`), f);
});

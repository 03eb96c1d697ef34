/**
 * The CLI contract beyond `check`'s findings (docs/cli.md): standard input and explicitly named
 * files, a run that reads nothing, the summary line, --version, per-command help, `rules`,
 * unknown codes and settings, colour, several formats in one run, `--format github`, and `lsp`
 * usage errors. In process where possible; as a child process for /dev/stdin, FIFOs and exit codes.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CHECKS } from '../../analysis/index.js';
import { COMMANDS, main } from '../../cli/main.js';

const root = join(__dirname, '..', '..');
/** tsx's loader by URL, so a child process in a temporary folder finds it. */
const TSX = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], opts: { cwd?: string; stdin?: string; color?: boolean } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const stdin = opts.stdin;
  const code = await main(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    cwd: opts.cwd ?? root,
    ...(stdin === undefined ? {} : { readStdin: async () => Buffer.from(stdin) }),
    ...(opts.color === true ? { color: { stdout: true, stderr: true } } : {}),
  });
  return { code, out, err };
}

/** The CLI as a child process (tsx, no build needed). */
function spawn(args: string[], opts: { input?: string; cwd?: string; shell?: string } = {}): Run {
  const r =
    opts.shell !== undefined
      ? spawnSync('/bin/sh', ['-c', opts.shell], { cwd: opts.cwd ?? root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
      : spawnSync(process.execPath, ['--import', TSX, join(root, 'cli/main.ts'), ...args], {
          cwd: opts.cwd ?? root,
          input: opts.input ?? '',
          encoding: 'utf8',
          env: { ...process.env, NODE_OPTIONS: '' },
        });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const CLI = `"${process.execPath}" --import ${TSX} "${join(root, 'cli/main.ts')}"`;

const ESC = String.fromCharCode(27);

function codes(out: string): string[] {
  return (JSON.parse(out) as { diagnostics: Array<{ code: string }> }).diagnostics.map((d) => d.code);
}

/** examples/shop as one multi-document stream, as `helm template` or `kustomize build` print it. */
function shopStream(): string {
  const dir = join(root, 'examples/shop');
  return ['api.yaml', 'catalog.yaml', 'frontend.yaml', 'ingress.yaml', 'policies.yaml', 'worker.yaml']
    .map((f) => '---\n' + readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kube-reach-contract-'));
}

describe('CLI input', () => {
  it('- reads standard input: a YAML error exits 1', async () => {
    const r = await run(['check', '-', '--format', 'json'], { stdin: 'kind: ConfigMap\na: [\n' });
    assert.equal(r.code, 1);
    assert.deepEqual(codes(r.out), ['yaml-syntax']);
    assert.equal((JSON.parse(r.out) as { diagnostics: Array<{ file: string }> }).diagnostics[0]?.file, '<stdin>');
  });

  it('- runs the cross-object checks on a piped multi-document stream (same findings as the folder)', async () => {
    const piped = await run(['check', '-', '--format', 'json'], { stdin: shopStream() });
    const folder = await run(['check', 'examples/shop', '--format', 'json']);
    assert.deepEqual(codes(piped.out).sort(), codes(folder.out).sort());
    assert.ok(codes(piped.out).includes('service-selector-no-match'));
  });

  it('a child process reads -, /dev/stdin and a FIFO, and exits 1 on a YAML error', () => {
    assert.equal(spawn(['check', '-'], { input: 'kind: ConfigMap\na: [\n' }).code, 1);
    const devStdin = spawn(['check', '/dev/stdin', '--format', 'json'], { input: shopStream() });
    assert.equal(devStdin.code, 0, devStdin.err);
    assert.ok(codes(devStdin.out).includes('service-selector-no-match'));
    const dir = tmp();
    writeFileSync(join(dir, 'bad.yaml'), 'kind: ConfigMap\na: [\n');
    const pipe = spawn([], { cwd: dir, shell: `cat bad.yaml | ${CLI} check /dev/stdin --format json` });
    assert.equal(pipe.code, 1, pipe.err);
    assert.deepEqual(codes(pipe.out), ['yaml-syntax']);
    const fifo = join(dir, 'rendered');
    const r = spawn([], {
      cwd: dir,
      shell: `mkfifo rendered && (printf 'kind: ConfigMap\\na: [\\n' > rendered &) && ${CLI} check rendered --format json`,
    });
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(codes(r.out), ['yaml-syntax']);
    assert.ok(fifo.endsWith('rendered'));
  });

  it('an explicitly named file is read whatever its extension', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'rendered.txt'), 'kind: ConfigMap\na: [\n');
    const r = await run(['check', 'rendered.txt', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.deepEqual(codes(r.out), ['yaml-syntax']);
  });

  it('a settings file is never a manifest, even when named explicitly', async () => {
    const dir = tmp();
    writeFileSync(join(dir, '.kube-reach.yaml'), 'severity:\n  service-exposed: off\n');
    writeFileSync(join(dir, 'other.yaml'), 'severity:\n  service-exposed: off\n');
    writeFileSync(join(dir, 'bad.yaml'), 'kind: ConfigMap\na: [\n');
    const alone = await run(['check', '.kube-reach.yaml'], { cwd: dir });
    assert.equal(alone.code, 2, alone.out);
    assert.match(alone.err, /skipped \.kube-reach\.yaml: a Kube Reach settings file, not a manifest/);
    const both = await run(['check', '.kube-reach.yaml', 'other.yaml', 'bad.yaml', '--config', 'other.yaml', '--format', 'json'], {
      cwd: dir,
    });
    assert.equal(both.code, 1, both.err);
    assert.deepEqual(codes(both.out), ['yaml-syntax']);
    assert.match(both.err, /skipped other\.yaml: a Kube Reach settings file/);
  });

  it('a run that reads no manifest exits 2 with a message', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    const r = await run(['check', 'empty'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /no manifest read from empty/);
    assert.equal((await run(['check'], { cwd: join(dir, 'empty') })).code, 2);
    assert.equal((await run(['reach', 'empty'], { cwd: dir })).code, 2);
    assert.equal(spawn(['check', 'empty'], { cwd: dir }).code, 2);
  });

  it('a summary line goes to stderr', async () => {
    const r = await run(['check', 'examples']);
    assert.match(r.err, /^kube-reach: 9 files, 6 findings: 1 error, 5 warnings\n$/m);
    const clean = await run(['check', 'examples/data']);
    assert.match(clean.err, /kube-reach: 1 file, no findings\n/);
  });
});

describe('CLI commands and help', () => {
  it('--version and version print the package.json version', async () => {
    for (const args of [['--version'], ['version'], ['-v']]) {
      const r = await run(args);
      assert.equal(r.code, 0);
      assert.equal(r.out, `kube-reach ${pkg.version}\n`);
    }
  });

  it('each command has its own --help listing its own flags', async () => {
    for (const c of COMMANDS) {
      const r = await run([c.name, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.out, new RegExp(`^Usage: kube-reach ${c.name}\\b`));
      for (const f of c.flags) assert.ok(r.out.includes(f.name), `${c.name} --help lists ${f.name}`);
    }
    const check = (await run(['check', '-h'])).out;
    assert.ok(check.includes('--fail-on') && !check.includes('--probes'));
    assert.equal((await run(['help', 'reach'])).out, (await run(['reach', '--help'])).out);
  });

  it('rules lists every check in text and JSON', async () => {
    const text = await run(['rules']);
    const lines = text.out.trimEnd().split('\n');
    assert.equal(lines.length, CHECKS.length);
    for (const c of CHECKS)
      assert.ok(
        lines.some((l) => l.startsWith(c.code + ' ') && l.includes(c.summary)),
        c.code,
      );
    const json = JSON.parse((await run(['rules', '--format', 'json'])).out) as {
      rules: Array<{ code: string; defaultSeverity: string; summary: string }>;
    };
    assert.deepEqual(
      json.rules.map((r) => r.code),
      CHECKS.map((c) => c.code),
    );
    for (const c of CHECKS)
      assert.equal(json.rules.find((r) => r.code === c.code)?.defaultSeverity, c.enabledByDefault === false ? 'off' : c.defaultSeverity);
  });

  it('lsp exits 2 on bad usage (no --stdio, an unknown option), as a process too', async () => {
    assert.equal((await run(['lsp'])).code, 2);
    assert.equal((await run(['lsp', '--stdio', '--nope'])).code, 2);
    const r = spawn(['lsp', '--nope']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown option --nope/);
    assert.equal(spawn(['lsp']).code, 2);
  });
});

describe('CLI settings validation', () => {
  it('an unknown code in --severity is an error that suggests the right one', async () => {
    const r = await run(['check', 'examples', '--severity', 'service-selector-no-matc=off']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown check code "service-selector-no-matc" \(did you mean "service-selector-no-match"\?\)/);
  });

  it('an unknown code or key in .kube-reach.yaml is an error naming its line', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), 'kind: ConfigMap\na: [\n');
    writeFileSync(join(dir, '.kube-reach.yaml'), '# settings\nexclude: []\nseverity:\n  yaml-syntax: warning\n  no-such-check: "off"\n');
    const code = await run(['check', 'a.yaml'], { cwd: dir });
    assert.equal(code.code, 2);
    assert.match(code.err, /\.kube-reach\.yaml:5: unknown check code "no-such-check"/);
    writeFileSync(join(dir, '.kube-reach.yaml'), 'diagnostics:\n  severity:\n    yaml-syntax: warning\nexlude:\n  - x/**\n');
    const key = await run(['check', 'a.yaml'], { cwd: dir });
    assert.equal(key.code, 2);
    assert.match(key.err, /\.kube-reach\.yaml:4: unknown setting "exlude" \(did you mean "exclude"\?\)/);
    writeFileSync(join(dir, '.kube-reach.yaml'), 'exclude: []\n');
    writeFileSync(join(dir, 'bad.yaml'), 'kubernetesVersion: "2.0"\n');
    const value = await run(['check', 'a.yaml', '--config', 'bad.yaml'], { cwd: dir });
    assert.equal(value.code, 2);
    assert.match(value.err, /bad\.yaml:1: kubernetesVersion: expected a Kubernetes version/);
  });

  it('valid settings files in every accepted shape still work', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), 'kind: ConfigMap\na: [\n');
    for (const cfg of [
      'diagnostics:\n  severity:\n    yaml-syntax: warning\n',
      'severity:\n  yaml-syntax: warning\n',
      'kubeReach.diagnostics.severity:\n  yaml-syntax: warning\n',
      'kubeReach:\n  diagnostics:\n    severity:\n      yaml-syntax: warning\n',
    ]) {
      writeFileSync(join(dir, '.kube-reach.yaml'), cfg);
      const r = await run(['check', 'a.yaml', '--format', 'json'], { cwd: dir });
      assert.equal(r.code, 0, `${cfg}: ${r.err}`);
      assert.equal((JSON.parse(r.out) as { diagnostics: Array<{ severity: string }> }).diagnostics[0]?.severity, 'warning');
    }
  });
});

describe('CLI output', () => {
  it('colour only when asked for (a terminal without NO_COLOR), never with --no-color', async () => {
    assert.ok(!(await run(['check', 'examples'])).out.includes(ESC));
    assert.ok((await run(['check', 'examples'], { color: true })).out.includes(`${ESC}[31;1merror${ESC}[0m`));
    assert.ok(!(await run(['check', 'examples', '--no-color'], { color: true })).out.includes(ESC));
    // A child process's stdout is a pipe: no colour even with FORCE-like environments.
    assert.ok(!spawn(['check', 'examples']).out.includes(ESC));
  });

  it('several formats in one run: one to stdout, the others to files; --output names the stdout one', async () => {
    const dir = tmp();
    const r = await run([
      'check',
      join(root, 'examples'),
      '--format',
      'text',
      '--format',
      `sarif=${join(dir, 'out/k.sarif')}`,
      '--format',
      `json=${join(dir, 'k.json')}`,
    ]);
    assert.equal(r.code, 1);
    const json = JSON.parse(readFileSync(join(dir, 'k.json'), 'utf8')) as { diagnostics: unknown[] };
    const sarif = JSON.parse(readFileSync(join(dir, 'out/k.sarif'), 'utf8')) as { runs: Array<{ results: unknown[] }> };
    assert.equal(json.diagnostics.length, 6);
    assert.equal(sarif.runs[0]?.results.length, 6);
    assert.equal(r.out.trimEnd().split('\n').length, 6);
    const viaOutput = await run(['check', 'examples', '--format', 'json', '--output', join(dir, 'o.json')]);
    assert.equal(viaOutput.out, '');
    assert.equal((JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8')) as { diagnostics: unknown[] }).diagnostics.length, 6);
    assert.equal((await run(['check', 'examples', '--format', 'json', '--format', 'sarif'])).code, 2);
  });

  it('--format github prints one workflow command per finding, escaped', async () => {
    const json = (
      JSON.parse((await run(['check', 'examples', '--format', 'json'])).out) as {
        diagnostics: Array<{ file: string; severity: string; code: string; range: { start: { line: number } } }>;
      }
    ).diagnostics;
    const lines = (await run(['check', 'examples', '--format', 'github'])).out.trimEnd().split('\n');
    assert.equal(lines.length, json.length);
    lines.forEach((l, i) => {
      const d = json[i];
      assert.ok(d !== undefined);
      const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      assert.ok(l.startsWith(`::${level} file=${d.file},line=${d.range.start.line + 1},`), l);
      assert.ok(l.includes(`title=kube-reach ${d.code}::`), l);
    });
    const stdin = await run(['check', '-', '--format', 'github'], { stdin: 'kind: ConfigMap\na: [\n' });
    assert.match(stdin.out, /^::error line=3,col=1,.*title=kube-reach yaml-syntax::/);
    assert.doesNotMatch(stdin.out, /\n./);
  });

  it("SARIF names the tool version, its home page and each rule's help", async () => {
    const sarif = JSON.parse((await run(['check', 'examples', '--format', 'sarif'])).out) as {
      runs: Array<{
        tool: {
          driver: {
            version: string;
            informationUri: string;
            rules: Array<{ id: string; helpUri: string; help: { text: string; markdown: string } }>;
          };
        };
      }>;
    };
    const driver = sarif.runs[0]?.tool.driver;
    assert.ok(driver !== undefined);
    assert.equal(driver.version, pkg.version);
    assert.match(driver.informationUri, /^https:\/\//);
    assert.equal(driver.rules.length, CHECKS.length);
    for (const r of driver.rules) {
      assert.ok(r.helpUri.endsWith(`docs/rules.md#${r.id}`), r.helpUri);
      assert.ok(r.help.text.length > 0 && r.help.markdown.length > 0, r.id);
    }
  });
});

/**
 * The panel shows every note `kube-reach reach` prints (analysis/reachability/notes.ts): the
 * engine's own (an object defined twice in one folder, alternatives of units left out, with or
 * without a unit picked), a Kustomize part it does not fetch, and Calico's policies it does not
 * evaluate, in the same words, the files written relative to the workspace folder as `reach` run in
 * that folder writes them. The same for `explain`. Drawn above the views by webview/notes.ts:
 * one or two as they are, more folded into a disclosure that counts them.
 */

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../cli/main.js';
import { DEFAULT_SETTINGS, ReachEngine, ReachabilityMemory, optionsFromSettings, reachNotes } from '../../analysis/index.js';
import { buildContext } from '../../server/handlers/reachability.js';
import { pathToUri } from '../../server/uris.js';
import { linkedNote, notesView } from '../../webview/notes.js';
import type { VElement, VNode } from '../../webview/vnode.js';
import { ROOT, hostOfFolder, modelOfFolder } from './stubHost.js';

const FOLDER = join(ROOT, 'test/fixtures/panel-notes');

/** The notes a CLI command run in `cwd` prints on standard error (`kube-reach: note: …`). */
async function cliNotes(args: readonly string[], cwd: string): Promise<string[]> {
  let err = '';
  const code = await main(args, { stdout: () => undefined, stderr: (s) => (err += s), cwd });
  assert.equal(code, 0, err);
  return err
    .split('\n')
    .filter((l) => l.startsWith('kube-reach: note: '))
    .map((l) => l.slice('kube-reach: note: '.length));
}

function texts(v: VNode): string {
  return typeof v === 'string' ? v : v.children.map(texts).join('');
}

function elements(v: VNode): VElement[] {
  return typeof v === 'string' ? [] : [v, ...v.children.flatMap(elements)];
}

describe('the panel shows the notes reach prints', () => {
  it('test/fixtures/panel-notes: defined twice, alternatives left out, a remote base, Calico; as reach and explain print them in the folder', async () => {
    const cli = await cliNotes(['reach', '.'], FOLDER);
    assert.deepEqual(cli, [
      'some objects are defined twice in one folder or build; as kubectl apply of the whole folder, the last file in lexical order was used: NetworkPolicy db-ingress (shop/step2-policy.yaml over shop/step1-policy.yaml)',
      'alternatives of units taken earlier in path order were left out: cache/prod (pick one with --unit)',
      'the Kustomize build of remote fetches https://github.com/example/redis//base?ref=v1.2.0, which Kube Reach does not (it reads no network): its objects are left out',
      '1 Calico NetworkPolicy is not evaluated (only Kubernetes NetworkPolicies and cluster network policies are): a connection it denies shows as allowed, and a workload only it isolates as open',
    ]);
    // The panel names its own control where the CLI names its flag; every other word is the CLI's.
    const model = await modelOfFolder(FOLDER);
    assert.deepEqual(
      model.notes,
      cli.map((n) => n.replace('(pick one with --unit)', '(pick one in the Unit list)')),
    );
    assert.ok(model.units.includes(pathToUri(join(FOLDER, 'cache/prod'))), model.units.join('\n'));
    assert.deepEqual(
      await cliNotes(['explain', '.', '--from', 'shop/web[Deployment]', '--to', 'shop/db[Deployment]', '--port', '5432'], FOLDER),
      cli,
    );
  });

  it('a reader with no way to pick a unit (no Unit list) gets the note without the hint; the CLI keeps --unit', () => {
    const a = hostOfFolder(FOLDER).snapshot();
    const engine = new ReachEngine(a, optionsFromSettings(DEFAULT_SETTINGS));
    const left = (notes: readonly string[]): string[] => notes.filter((n) => n.startsWith('alternatives of units'));
    assert.deepEqual(left(reachNotes(a, engine)), [
      'alternatives of units taken earlier in path order were left out: ' +
        pathToUri(join(FOLDER, 'cache/prod')) +
        ' (pick one with --unit)',
    ]);
    assert.deepEqual(left(reachNotes(a, engine, null)), [
      'alternatives of units taken earlier in path order were left out: ' + pathToUri(join(FOLDER, 'cache/prod')),
    ]);
  });

  it('the files the notes name are listed with their uris (the panel links them); folders (a Kustomize root, a unit) are not', () => {
    const a = hostOfFolder(FOLDER).snapshot();
    const c = buildContext(a, {}, new ReachabilityMemory(), [FOLDER]);
    assert.deepEqual(c.noteFiles, [
      { text: 'shop/step2-policy.yaml', uri: pathToUri(join(FOLDER, 'shop/step2-policy.yaml')) },
      { text: 'shop/step1-policy.yaml', uri: pathToUri(join(FOLDER, 'shop/step1-policy.yaml')) },
    ]);
    // A workspace whose notes name no file: none.
    assert.equal(buildContext(hostOfFolder(join(ROOT, 'test/fixtures/panel-calico')).snapshot()).noteFiles, undefined);
  });

  it("a note's files are links where the note names them whole: the longer of two overlapping names, never inside a longer path", () => {
    const link = (text: string, uri: string): VNode => ({ tag: 'a', attrs: { href: uri }, children: [text] });
    const files = [
      { text: 'a.yaml', uri: 'u:a' },
      { text: 'b/a.yaml', uri: 'u:ba' },
    ];
    assert.deepEqual(linkedNote('x (b/a.yaml over a.yaml), c/a.yaml, a.yaml#Application:w', files, link), [
      'x (',
      link('b/a.yaml', 'u:ba'),
      ' over ',
      link('a.yaml', 'u:a'),
      '), c/a.yaml, ',
      link('a.yaml', 'u:a'),
      '#Application:w',
    ]);
    assert.deepEqual(linkedNote('no file <b>', files, link), ['no file <b>']);
  });

  it('with a unit picked (the panel Unit, reach --unit): the notes of that engine', async () => {
    const cli = await cliNotes(['reach', '.', '--unit', 'cache/prod'], FOLDER);
    assert.ok(
      cli.includes('alternatives of the unit picked, or of units taken earlier in path order, were left out: cache/dev'),
      cli.join('\n'),
    );
    const a = hostOfFolder(FOLDER).snapshot();
    const unit = pathToUri(join(FOLDER, 'cache/prod'));
    assert.deepEqual(buildContext(a, { unit }, new ReachabilityMemory(), [FOLDER]).notes, cli);
  });

  it('files outside every workspace folder stay relative to the first; with several folders, to the one that holds them', () => {
    const a = hostOfFolder(FOLDER).snapshot();
    const notes = buildContext(a, {}, new ReachabilityMemory(), [join(FOLDER, 'cache'), join(FOLDER, 'shop')]).notes;
    assert.ok(
      notes.some((n) => n.endsWith('(step2-policy.yaml over step1-policy.yaml)')),
      notes.join('\n'),
    );
    assert.ok(
      notes.some((n) => n.startsWith('the Kustomize build of ../remote fetches')),
      notes.join('\n'),
    );
  });

  it('one or two notes are shown as they are; more are a disclosure that counts them, open only when the person opened it', () => {
    assert.equal(notesView([], false), undefined);
    const two = notesView(['a <b>', 'c'], false);
    assert.ok(two !== undefined);
    assert.deepEqual(
      elements(two)
        .filter((e) => e.attrs['class'] === 'note panel-note')
        .map((e) => [e.tag, e.attrs['role'], texts(e)]),
      [
        ['p', 'note', 'a <b>'],
        ['p', 'note', 'c'],
      ],
    );
    const four = notesView(['1', '2', '3', '4'], false);
    assert.ok(four !== undefined);
    assert.equal(four.tag, 'details');
    assert.equal(four.attrs['open'], undefined);
    assert.equal(texts(elements(four).find((e) => e.tag === 'summary') ?? ''), '4 notes on what these answers leave out');
    assert.deepEqual(
      elements(four)
        .filter((e) => e.tag === 'li')
        .map(texts),
      ['1', '2', '3', '4'],
    );
    assert.equal(notesView(['1', '2', '3'], true)?.attrs['open'], '');
  });
});

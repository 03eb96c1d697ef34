/**
 * Reading chart folders for renders (server/chartFiles.ts): `readChartFolders` reads a vendored
 * subchart's folder from its parent's read and takes manifests' texts from the caller, and gives
 * exactly what `readChartFiles` of each folder gives from disk (nested folder subcharts, `.tgz`
 * archives at every level, `file://` dependencies that write nothing, a file of another chart).
 */

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readChartFiles, readChartFolders } from '../../server/chartFiles.js';
import { tar } from '../support/tar.js';

const chart = (name: string, deps = ''): string => `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n${deps}`;

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), body);
  }
}

test('readChartFolders gives each chart folder what readChartFiles reads from disk, nested subcharts from their parent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-chartfiles-'));
  try {
    const archive = (name: string): Buffer =>
      gzipSync(tar({ [`${name}/Chart.yaml`]: chart(name), [`${name}/templates/cm.yaml`]: 'kind: ConfigMap\n' }));
    write(dir, {
      'app/Chart.yaml': chart('app', 'dependencies:\n  - name: lib\n    repository: file://../lib\n'),
      'app/values.yaml': 'a: 1\n',
      'app/templates/_helpers.tpl': '{{- define "x" }}x{{ end }}\n',
      'app/templates/svc.yaml': 'kind: Service\n',
      'app/charts/top-1.0.0.tgz': archive('top'),
      // A folder subchart with its own archive and its own file:// library, two levels down another folder subchart.
      'app/charts/sub/Chart.yaml': chart('sub', 'dependencies:\n  - name: sublib\n    repository: file://../../../sublib\n'),
      'app/charts/sub/values.yaml': 'b: 2\n',
      'app/charts/sub/files/data.txt': 'data\n',
      'app/charts/sub/charts/deep-1.0.0.tgz': archive('deep'),
      'app/charts/sub/charts/leaf/Chart.yaml': chart('leaf'),
      'app/charts/sub/charts/leaf/templates/svc.yaml': 'kind: Service\n',
      'app/charts/sub/charts/broken-1.0.0.tgz': 'not gzip',
      'lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n',
      'lib/templates/_lib.tpl': '{{- define "lib" }}lib{{ end }}\n',
      'sublib/Chart.yaml': 'apiVersion: v2\nname: sublib\nversion: 1.0.0\ntype: library\n',
      'sublib/templates/_sublib.tpl': '{{- define "sublib" }}s{{ end }}\n',
      'other/Chart.yaml': chart('other'),
      'other/templates/svc.yaml': 'kind: Service\n',
    });
    const dirs = ['app/charts/sub/charts/leaf', 'other', 'app', 'app/charts/sub', 'lib'].map((d) => join(dir, d));
    const folders = readChartFolders(dirs);
    assert.deepEqual([...folders.keys()], dirs, 'in the order asked');
    for (const d of dirs) {
      const disk = readChartFiles(d);
      const read = folders.get(d);
      assert.ok(read !== undefined, d);
      assert.deepEqual([...read.files], [...disk.files], d);
      assert.deepEqual(read.notes, disk.notes, d);
    }
    // What the nested reads must hold, so that the equality above says something.
    const sub = folders.get(join(dir, 'app/charts/sub'));
    assert.equal(sub?.files.get('charts/deep/templates/cm.yaml'), 'kind: ConfigMap\n');
    assert.equal(sub?.files.get('charts/sublib/templates/_sublib.tpl'), '{{- define "sublib" }}s{{ end }}\n');
    assert.equal(sub?.files.get('charts/leaf/Chart.yaml'), chart('leaf'));
    assert.equal(sub?.notes.length, 1);
    assert.match(sub?.notes[0] ?? '', /^charts\/broken-1\.0\.0\.tgz: /);
    assert.equal(folders.get(join(dir, 'app'))?.files.get('charts/top/Chart.yaml'), chart('top'));
    assert.equal(folders.get(join(dir, 'app'))?.files.get('charts/lib/templates/_lib.tpl'), '{{- define "lib" }}lib{{ end }}\n');

    // Texts the caller holds are taken instead of the disk's, in the nested reads too.
    const held = new Map([
      [join(dir, 'app/charts/sub/values.yaml'), 'b: 3\n'],
      [join(dir, 'app/charts/sub/charts/leaf/Chart.yaml'), chart('leaf').replace('1.0.0', '1.0.1')],
    ]);
    const known = (path: string): string | undefined => held.get(path);
    const withKnown = readChartFolders(dirs, known);
    for (const d of dirs) assert.deepEqual([...(withKnown.get(d)?.files ?? [])], [...readChartFiles(d, known).files], d);
    assert.equal(withKnown.get(join(dir, 'app'))?.files.get('charts/sub/values.yaml'), 'b: 3\n');
    assert.equal(withKnown.get(join(dir, 'app/charts/sub'))?.files.get('values.yaml'), 'b: 3\n');
    assert.match(withKnown.get(join(dir, 'app/charts/sub/charts/leaf'))?.files.get('Chart.yaml') ?? '', /1\.0\.1/);
    assert.equal(readFileSync(join(dir, 'app/charts/sub/values.yaml'), 'utf8'), 'b: 2\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

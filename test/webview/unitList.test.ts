/**
 * The panel's Unit list offers every alternative a note names as left out (analysis/units/alternatives.ts):
 * a workload of another kind under one name in another unit, and a file of a folder whose files are
 * alternatives of one another, not only the units that place one object id twice. Each picked gives
 * the answer `kube-reach reach --unit` gives for it, which takes such a file too.
 */

import { strict as assert } from 'node:assert';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../cli/main.js';
import { ReachabilityMemory } from '../../analysis/index.js';
import { buildContext, buildReachability } from '../../server/handlers/reachability.js';
import { pathToUri, uriToPath } from '../../server/uris.js';
import { ROOT, hostOfFolder } from './stubHost.js';

const FOLDER = join(ROOT, 'test/fixtures/panel-alternatives');

/** The workloads `kube-reach reach` run in FOLDER lists (with `--unit` when given). */
async function cliWorkloads(unit?: string): Promise<string[]> {
  let out = '';
  let err = '';
  const args = ['reach', '.', '--format', 'json', ...(unit === undefined ? [] : ['--unit', unit])];
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: FOLDER });
  assert.equal(code, 0, err);
  const nodes = (JSON.parse(out) as { nodes: Array<{ id: string; kind: string }> }).nodes;
  return nodes
    .filter((n) => n.kind !== 'External')
    .map((n) => n.id)
    .sort();
}

describe('the Unit list holds every alternative a note names', () => {
  it('test/fixtures/panel-alternatives: a StatefulSet for a Deployment in kinds/prod and quick-start.yaml beside quick-start-ha.yaml', async () => {
    const a = hostOfFolder(FOLDER).snapshot();
    const memory = new ReachabilityMemory();
    const c = buildContext(a, {}, memory, [FOLDER]);
    const left = c.notes.find((n) => n.startsWith('alternatives of units taken earlier'));
    assert.equal(
      left,
      'alternatives of units taken earlier in path order were left out: kinds/prod, quick/quick-start.yaml (pick one in the Unit list)',
    );
    const named = /left out: (.*) \(pick one in the Unit list\)$/.exec(left)?.[1]?.split(', ') ?? [];
    for (const path of named) assert.ok(c.units.includes(pathToUri(join(FOLDER, path))), `${path}: ${c.units.join(', ')}`);
    // Each unit of the list picked: the workloads reach --unit lists for it.
    const picked = new Map<string, string[]>();
    for (const unit of c.units) {
      const path = uriToPath(unit);
      assert.ok(path !== undefined, unit);
      const rel = relative(FOLDER, path).split(sep).join('/');
      const panel = buildReachability(a, { unit }, memory)
        .nodes.filter((n) => n.kind !== 'External')
        .map((n) => n.id)
        .sort();
      assert.deepEqual(panel, await cliWorkloads(rel), rel);
      picked.set(rel, panel);
    }
    assert.deepEqual(picked.get('kinds/prod'), ['q/api[Deployment]', 'q/ha-proxy[Deployment]', 'shop/web[StatefulSet]']);
    // The plain flavour picked: the HA file (and its proxy) left out, and the note says so.
    assert.deepEqual(picked.get('quick/quick-start.yaml'), ['q/api[Deployment]', 'shop/web[Deployment]']);
    const unit = pathToUri(join(FOLDER, 'quick/quick-start.yaml'));
    assert.ok(
      buildContext(a, { unit }, memory, [FOLDER]).notes.includes(
        'alternatives of the unit picked, or of units taken earlier in path order, were left out: kinds/prod, quick/quick-start-ha.yaml',
      ),
    );
    // Without a pick: the first in path order (quick-start-ha.yaml sorts first).
    assert.deepEqual(await cliWorkloads(), ['q/api[Deployment]', 'q/ha-proxy[Deployment]', 'shop/web[Deployment]']);
  });

  it('a file that has no alternatives is not a unit --unit takes', async () => {
    let err = '';
    const code = await main(['reach', '.', '--unit', 'kinds/dev/web.yaml'], {
      stdout: () => undefined,
      stderr: (s) => (err += s),
      cwd: FOLDER,
    });
    assert.equal(code, 2);
    assert.match(err, /--unit: kinds\/dev\/web\.yaml is not a unit of the manifests/);
  });
});

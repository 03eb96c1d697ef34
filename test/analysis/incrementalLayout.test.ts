/**
 * Seeded adds, removes and edits where the layout decides placement (docs/dev/units.md §2), on the known-good
 * corpus and examples/ (Kustomize bases, overlays and components, a Flux Kustomization's path, Argo CD
 * Applications, charts). Every draw makes a file come or go, or edits one that decides the layout: a
 * file a build or a render reads (or one beside them in a Kustomize tree, a Flux path or a chart folder)
 * removed or restored, a kustomization, Chart.yaml or GitOps object edited in place (a path, a version,
 * a name suffix) or restored, a new file copied into such a folder, or a kustomization that comes to a
 * plain folder (listing its files) or goes. After every draw the host's diagnostics equal a fresh host's, and most passes judge again
 * fewer files than the workspace holds (units/layoutChange.ts builds again only the roots and charts
 * the file concerns).
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { dirname } from '../../analysis/workspace/paths.js';
import { corpusFiles } from '../support/corpus.js';
import { applyEdit, hostOf, render } from '../support/gitops.js';
import { rng } from '../../scripts/bench/generate.js';
import { join } from 'node:path';

/** 42, 3, 12 and 16 are the incremental test's seeds (test/analysis/incremental.test.ts); 7 and 21 new. */
const SEEDS = [42, 3, 12, 16, 7, 21];
const DRAWS = 24;
/** The percentage of passes that must judge again fewer files than the workspace holds. */
const BOUND = 75;

function workspace(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [rel, text] of corpusFiles()) files.set(`file:///ws/corpus/${rel}`, text);
  for (const [rel, text] of corpusFiles(join(__dirname, '..', '..', 'examples'))) files.set(`file:///ws/examples/${rel}`, text);
  return files;
}

/** The folders whose files a Kustomize build, a GitOps root or a chart's render reads, and the other folders. */
function folders(host: AnalysisHost, files: ReadonlyMap<string, string>): { layout: string[]; plain: string[] } {
  const index = host.snapshot().index;
  const kust = index.kustomizeLayout();
  const helm = index.helmLayout();
  const layout = new Set<string>([...kust.dirs, ...helm.roots.map((d) => `${d}/templates`)]);
  for (const uri of [...kust.readers.keys(), ...kust.claimed, ...helm.readers.keys()]) layout.add(dirname(uri));
  const plain = new Set([...files.keys()].map(dirname).filter((d) => !layout.has(d) && ![...layout].some((l) => d.startsWith(`${l}/`))));
  return { layout: [...layout].filter((d) => d.startsWith('file:///ws/')).sort(), plain: [...plain].sort() };
}

/** An edit in place of a file that decides the layout: a GitOps object's path moved, a chart's version, a kustomization's name suffix. */
function inPlace(uri: string, text: string): string {
  if (uri.endsWith('Chart.yaml')) return text.replace(/^version: .*$/m, 'version: 9.9.9');
  const moved = text.replace(/^(\s+path: )(\S+)$/m, '$1$2-moved');
  return moved !== text ? moved : `${text.trimEnd()}\nnameSuffix: -seeded\n`;
}

function seeded(seed: number): void {
  const files = workspace();
  const host = hostOf(files);
  host.snapshot().diagnostics();
  const { layout, plain } = folders(host, files);
  assert.ok(layout.length > 10 && plain.length > 3, `${layout.length} layout folders, ${plain.length} plain`);
  const originals = new Map(files);
  const inLayout = [...files.keys()].filter((u) => layout.includes(dirname(u)));
  const manifests = [...files].filter(([u, t]) => !/kustomization|Chart\.yaml|values/.test(u) && /^kind: (Service|Deployment)/m.test(t));
  // What decides the layout, edited in place: kustomizations, Chart.yaml files, Flux Kustomizations, Argo CD Applications, Fleet GitRepos.
  const deciding = [...files]
    .filter(
      ([u, t]) => /\/(kustomization\.ya?ml|Chart\.yaml)$/.test(u) || /^kind: (Kustomization|Application|ApplicationSet|GitRepo)$/m.test(t),
    )
    .map(([u]) => u);
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let passes = 0;
  let partial = 0;
  for (let draw = 0; draw < DRAWS; draw++) {
    const roll = random();
    let uri: string;
    let text: string | undefined;
    if (roll < 0.4) {
      // A file of a layout folder removed, or restored.
      uri = pick(inLayout);
      text = files.has(uri) ? undefined : originals.get(uri);
    } else if (roll < 0.55) {
      // A file that decides the layout edited in place (a path, a name suffix, a version), or restored.
      uri = pick(deciding);
      const was = originals.get(uri) ?? '';
      text = files.get(uri) !== was ? was : inPlace(uri, was);
    } else if (roll < 0.8) {
      // A new file in a layout folder (a manifest of the workspace), or that file removed.
      uri = `${pick(layout)}/added-${draw % 3}.yaml`;
      text = files.has(uri) ? undefined : pick(manifests)[1];
    } else {
      // A kustomization that comes to a plain folder, listing its manifests (into a namespace of its own), or goes.
      const dir = pick(plain);
      uri = `${dir}/kustomization.yaml`;
      const listed = [...files.keys()].filter((u) => dirname(u) === dir && u !== uri).map((u) => u.slice(dir.length + 1));
      text = files.has(uri) ? undefined : `namespace: seeded\nresources: [${listed.join(', ')}]\n`;
    }
    applyEdit(files, host, uri, text);
    const runs = host.stats.checkRuns;
    const incremental = render(host.snapshot().diagnostics());
    if (host.stats.checkRuns > runs) passes++;
    if (host.stats.checkRuns > runs && host.stats.rechecked < files.size) partial++;
    assert.deepEqual(incremental, render(hostOf(files).snapshot().diagnostics()), `seed ${seed}, draw ${draw}: ${uri}`);
  }
  assert.ok(partial * 100 > passes * BOUND, `seed ${seed}: only ${partial} of ${passes} passes judged again fewer files than all`);
}

it('files that come and go in Kustomize trees, GitOps paths and chart folders give what a full analysis gives, judging again only what they concern', () => {
  for (const seed of SEEDS) seeded(seed);
});

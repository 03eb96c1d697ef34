/**
 * Objects a test harness asserts: a kuttl step's `NN-assert.yaml`, a chainsaw `assert:` file, the
 * files a kuttl TestStep lists under `assert` (units/placement.ts `testAssertion`, units/structure.ts
 * `isTestPartial`). The test passes only when the cluster holds such objects, so they are evidence
 * that something the workspace does not show (an operator, a `helm install` in a step's script)
 * makes them. The firewall (docs/dev/checks-spec.md §1) takes them as evidence of presence only,
 * within the test's folder: an absence claim made there about pods with the labels an assertion
 * gives (a Pod's, a workload's pod template's) or about a Service of a name it asserts is not made.
 * The test's folder is the assertion's own, a chainsaw Test's of another folder that asserts it, or
 * any test folder of its kuttl suite (units/structure.ts `assertedIn`). They are never objects of any
 * unit: nothing else reads them.
 */

import type { KObject, Selector } from '../../model/types.js';
import type { PodLabels } from '../../model/labels.js';
import { matchSelector, podLabelsOf } from '../../model/labels.js';
import { isDeferred } from '../../model/deferredFacts.js';
import { testAssertion } from '../../units/placement.js';
import { dirname } from '../../workspace/paths.js';
import type { CheckContext } from './check.js';

interface Asserted {
  readonly pods: readonly PodLabels[];
  readonly services: ReadonlySet<string>;
}

const NONE: Asserted = { pods: [], services: new Set() };

/** What the assertion files of each folder assert: one pass over the files, once per index. */
function assertedByFolder(ctx: CheckContext): ReadonlyMap<string, Asserted> {
  return ctx.index.cached('asserted-by-folder', () => {
    const out = new Map<string, { pods: PodLabels[]; services: Set<string> }>();
    for (const [uri, f] of ctx.index.files) {
      if (isDeferred(f) || f.objects.length === 0 || !(testAssertion(uri) || ctx.index.testPartial(uri))) continue;
      for (const dir of ctx.index.assertedIn(uri)) {
        let at = out.get(dir);
        for (const o of f.objects) {
          const service = o.kind === 'Service' && o.group === '' && o.name?.known === true ? o.name.value : undefined;
          if (o.pod === undefined && service === undefined) continue;
          if (at === undefined) out.set(dir, (at = { pods: [], services: new Set() }));
          if (o.pod !== undefined) at.pods.push(podLabelsOf(o.pod));
          if (service !== undefined) at.services.add(service);
        }
      }
    }
    return out;
  });
}

function assertedAt(ctx: CheckContext, obj: KObject): Asserted {
  return assertedByFolder(ctx).get(dirname(obj.uri)) ?? NONE;
}

/** A test assertion in `obj`'s folder asserts pods `sel` selects: evidence they exist. */
export function assertedSelects(ctx: CheckContext, obj: KObject, sel: Selector): boolean {
  if (sel.unknown) return false;
  return assertedAt(ctx, obj).pods.some((labels) => matchSelector(sel, labels) === 'yes');
}

/** A test assertion in `obj`'s folder asserts a Service named `name`: evidence it exists. */
export function assertedService(ctx: CheckContext, obj: KObject, name: string): boolean {
  return assertedAt(ctx, obj).services.has(name);
}

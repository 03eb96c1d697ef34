/**
 * What a test tool's own objects say about other files: a kyverno/chainsaw `Test` or `StepTemplate`
 * names, in its steps' operations, files that are partial objects, never applied as they stand: a
 * `patch` file is merged into a live object (a Deployment without `spec.selector`), `assert` and
 * `error` files are compared with the cluster, `delete` files name what to delete. Their paths, as
 * written (relative to the test's file), are kept on the object (`KObject.testPartialFiles`); the
 * units read them (units/structure.ts `testPartials`). `apply`, `create` and `update` files are
 * complete objects and stay manifests.
 */

import type { YNode } from '../syntax/tree.js';
import { get, isMap, isSeq } from '../syntax/tree.js';
import { plainString } from './values.js';

export const CHAINSAW_GROUP = 'chainsaw.kyverno.io';

/** The operations whose `file` holds partial objects. */
const PARTIAL_OPERATIONS: readonly string[] = ['patch', 'assert', 'error', 'delete'];

/** The blocks of a step (and of a StepTemplate's spec) that list operations. */
const BLOCKS: readonly string[] = ['try', 'catch', 'finally', 'cleanup'];

/** A literal relative path: no URL, no glob, no template expression. */
function literalPath(p: string): boolean {
  return p !== '' && !p.includes('://') && !/[*?[\]{}()$]/.test(p) && !p.startsWith('/');
}

function operationsFiles(block: YNode | undefined, out: string[]): void {
  if (!isSeq(block)) return;
  for (const op of block.items) {
    for (const name of PARTIAL_OPERATIONS) {
      const file = plainString(get(get(op, name), 'file'));
      if (file !== undefined && literalPath(file)) out.push(file);
    }
  }
}

/** The files a chainsaw `Test` (spec.steps[].try/catch/finally/cleanup) or `StepTemplate` (spec.try/…) reads as partial objects. */
export function chainsawPartialFiles(kind: string, spec: YNode | undefined): readonly string[] {
  if (!isMap(spec)) return [];
  const out: string[] = [];
  const steps = kind === 'Test' ? get(spec, 'steps') : undefined;
  const holders = kind === 'Test' ? (isSeq(steps) ? steps.items : []) : [spec];
  for (const step of holders) for (const b of BLOCKS) operationsFiles(get(step, b), out);
  return [...new Set(out)];
}

/**
 * The pairs of a connection list with a scope (`connectionList.ts`: the panel's namespace, the
 * namespaces a policy edit changed): of pod nodes of one class each, the ordered pairs with an end
 * in the scope that `ReachMatrix.mayConnect` lets through, found from each in-scope node's group's
 * peer sets (`egressPeers`, `ingressPeers`) instead of by testing every node against every other.
 * The same pairs as that test gives, in another order (the list is sorted).
 */

import type { Bits } from './bitset.js';
import { hasBit } from './bitset.js';
import type { NodeInfo } from './classModel.js';
import type { ReachMatrix } from './matrix.js';

/**
 * Calls `visit(a, b)` (indices into `nodes`) once for every ordered pair a ≠ b of nodes of one
 * class each with `inScope(a)` or `inScope(b)` for which `mayConnect` holds between their classes.
 */
export function scopedOpenPairs(
  matrix: ReachMatrix,
  nodes: readonly NodeInfo[],
  inScope: (i: number) => boolean,
  visit: (a: number, b: number) => void,
): void {
  const { groupOf, reps } = matrix;
  const n = groupOf.length;
  const groupOfNode = new Int32Array(nodes.length).fill(-1);
  const members: number[][] = reps.map(() => []);
  const single: number[] = [];
  nodes.forEach((node, i) => {
    const c = node.classes.length === 1 ? node.classes[0] : undefined;
    if (c === undefined) return;
    const g = groupOf[c] ?? 0;
    groupOfNode[i] = g;
    members[g]?.push(i);
    single.push(i);
  });
  // Groups whose cells are undecided whatever the policies: `mayConnect` is true with any end there.
  const undecided = reps.map((_, g) => g).filter((g) => matrix.undecidedGroup(g) && (members[g]?.length ?? 0) > 0);
  // The representatives of the other groups with nodes here: the bits of a peer set `mayConnect` reads.
  const words = (n + 31) >>> 5;
  const repBits = new Uint32Array(words);
  reps.forEach((c, g) => {
    if ((members[g]?.length ?? 0) > 0 && !matrix.undecidedGroup(g)) repBits[c >>> 5] = (repBits[c >>> 5] ?? 0) | (1 << (c & 31));
  });
  const eachGroup = (peers: Bits, f: (g: number) => void): void => {
    const end = Math.min(peers.length, words);
    for (let w = 0; w < end; w++) {
      let x = (peers[w] ?? 0) & (repBits[w] ?? 0);
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        f(groupOf[(w << 5) + 31 - Math.clz32(low)] ?? 0);
      }
    }
  };
  // In-scope nodes of one class by group: each group's open groups are found once.
  const scoped = new Map<number, number[]>();
  for (const i of single) {
    if (!inScope(i)) continue;
    const g = groupOfNode[i] ?? 0;
    const list = scoped.get(g);
    if (list === undefined) scoped.set(g, [i]);
    else list.push(i);
  }
  for (const [g, inside] of scoped) {
    if (matrix.undecidedGroup(g)) {
      // Every pair with an end here: to every node, and from every node outside the scope.
      for (const a of inside) for (const b of single) if (b !== a) visit(a, b);
      for (const b of inside) for (const a of single) if (!inScope(a)) visit(a, b);
      continue;
    }
    // The group's representative: the bit `mayConnect` tests in the other side's peers, either way.
    const rep = reps[g] ?? -1;
    // Sources in the scope, to every node: the undecided groups' nodes and the groups `mayConnect` opens.
    const targets: number[] = [...undecided];
    eachGroup(matrix.egressPeers(g), (gb) => {
      if (hasBit(matrix.ingressPeers(gb), rep)) targets.push(gb);
    });
    for (const a of inside) for (const gb of targets) for (const b of members[gb] ?? []) if (b !== a) visit(a, b);
    // Sources outside the scope, to nodes here.
    const sources: number[] = [...undecided];
    eachGroup(matrix.ingressPeers(g), (ga) => {
      if (hasBit(matrix.egressPeers(ga), rep)) sources.push(ga);
    });
    for (const b of inside) for (const ga of sources) for (const a of members[ga] ?? []) if (!inScope(a)) visit(a, b);
  }
}

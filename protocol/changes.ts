/**
 * `kubeReach/diff` (docs/protocol.md): the connections the workspace's changes since git HEAD open,
 * close or change, unsaved edits included, as `kube-reach diff --base HEAD --format json` lists
 * them, plus the NetworkPolicies whose edit touches them (the code lens's "+2 / −1 since HEAD").
 * Read by the reachability panel's Changes view. Plain types plus the method name.
 */

import type { WireLocation } from './lsp.js';
import type { PanelNoteFile } from './reachability.js';

/** Client → server request. */
export const DIFF_METHOD = 'kubeReach/diff';

/** Its parameters: the unit picked on both sides (the panel's Unit list, as `kube-reach diff --unit`); absent: the workspace's first in path order. */
export interface DiffParams {
  readonly unit?: string;
}

export type DiffType = 'changed' | 'added' | 'removed';

/** One connection that differs, as in `kube-reach diff --format json`'s `changes`. */
export interface DiffChange {
  readonly diffType: DiffType;
  /** Node ids as in `kubeReach/reachability`. */
  readonly source: string;
  readonly destination: string;
  /** The connection at the base and now: netpol-analyzer's strings (`All Connections`, `TCP 8080`, `No Connections`). */
  readonly ref1: string;
  readonly ref2: string;
  /** `workload ns/name[Kind] added` (or `removed`) when an end exists on one side only. */
  readonly workloadsDiffInfo?: string;
}

/** A NetworkPolicy whose text differs from the base, with the changed connections its selected workloads take part in on the sides it isolates. */
export interface DiffPolicyChange {
  /** `ns/name`. */
  readonly policy: string;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  /** The policy is not in the base. */
  readonly isNew: boolean;
  /** Where it is now; absent for a policy that exists only in the base (deleted). */
  readonly location?: WireLocation;
  /** The code lens's words: `+2 / −1 since HEAD`. */
  readonly title: string;
}

/**
 * A note `kube-reach reach` prints (objects left out, variants, objects defined twice, Kustomize
 * parts not read, Calico/Cilium policies), for the side(s) of the comparison it is about, as
 * `kube-reach diff` prints it (`note (HEAD and worktree): …`): `both` when HEAD's and the current
 * workspace's answers both carry it.
 */
export interface DiffNote {
  readonly sides: 'both' | 'base' | 'current';
  /** The note's text, files relative to the workspace folder. */
  readonly note: string;
}

export interface DiffResult {
  /** False outside a git repository (or without git): `reason` says why, the lists are empty. */
  readonly available: boolean;
  readonly reason?: string;
  /** The base's name: `HEAD`. */
  readonly base: string;
  readonly changes: readonly DiffChange[];
  readonly policies: readonly DiffPolicyChange[];
  /** Each side's notes, HEAD's first (a note both sides carry once); empty when not available. */
  readonly notes: readonly DiffNote[];
  /** The files the notes name that exist now, as they write them, with their URIs (the panel links them). Omitted: none. */
  readonly noteFiles?: readonly PanelNoteFile[];
}

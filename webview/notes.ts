/**
 * The notes on what the reachability answers leave out (objects named at install time, variants
 * and alternatives of units, objects defined twice, policies or rules the engine cannot read,
 * Kustomize parts not read, Calico and Cilium policies not evaluated), above every view, in the
 * words `kube-reach reach` prints them (analysis/reachability/notes.ts, the files relative to the
 * workspace folder). One or two are shown as they are; more are a disclosure, closed unless the
 * person opened it, whose summary counts them, so a long list never pushes the views down.
 * Text only: a note is manifest-derived (names, paths) and mounted with textContent.
 */

import { h, type VElement } from './vnode.js';

/** More notes than this are folded into a disclosure. */
const SHOWN = 2;

/** The notes' block; undefined when there are none. `open`: the disclosure as the person left it. */
export function notesView(notes: readonly string[], open: boolean): VElement | undefined {
  if (notes.length === 0) return undefined;
  if (notes.length <= SHOWN)
    return h(
      'div',
      { class: 'panel-notes' },
      notes.map((n) => h('p', { class: 'note panel-note', role: 'note' }, n)),
    );
  return h(
    'details',
    { class: 'panel-notes', id: 'panel-notes', ...(open ? { open: '' } : {}) },
    h('summary', { class: 'note' }, `${notes.length} notes on what these answers leave out`),
    h(
      'ul',
      {},
      notes.map((n) => h('li', { class: 'note panel-note' }, n)),
    ),
  );
}

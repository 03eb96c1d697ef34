/**
 * The notes on what the reachability answers leave out (objects named at install time, variants
 * and alternatives of units, objects defined twice, policies or rules the engine cannot read,
 * Kustomize parts not read, Calico and Cilium policies not evaluated), above every view, in the
 * words `kube-reach reach` prints them (analysis/reachability/notes.ts, the files relative to the
 * workspace folder), each file a note names a link that opens it. One or two notes are shown as
 * they are; more are a disclosure, closed unless the person opened it, whose summary counts them,
 * so a long list never pushes the views down. Text only: a note is manifest-derived (names, paths)
 * and mounted with textContent.
 */

import type { PanelNoteFile } from '../protocol/reachability.js';
import { h, type VElement, type VNode } from './vnode.js';

/** More notes than this are folded into a disclosure. */
const SHOWN = 2;

/** Where a file's name may start (after) and end (before) in a note: not inside a longer path. */
const BEFORE = new Set([undefined, ' ', '(']);
const AFTER = new Set([undefined, ' ', ')', ',', '#', ':']);

/**
 * The note's text with each file it names (`files`, as the notes write them) made a link by
 * `link`: where two names overlap, the longer one.
 */
export function linkedNote(note: string, files: readonly PanelNoteFile[], link: (text: string, uri: string) => VNode): VNode[] {
  const hits: Array<{ readonly at: number; readonly end: number; readonly uri: string }> = [];
  for (const f of [...files].sort((a, b) => b.text.length - a.text.length)) {
    if (f.text === '') continue;
    for (let at = note.indexOf(f.text); at >= 0; at = note.indexOf(f.text, at + 1)) {
      const end = at + f.text.length;
      if (!BEFORE.has(note[at - 1]) || !AFTER.has(note[end])) continue;
      if (hits.some((x) => at < x.end && x.at < end)) continue;
      hits.push({ at, end, uri: f.uri });
    }
  }
  hits.sort((a, b) => a.at - b.at);
  const out: VNode[] = [];
  let i = 0;
  for (const x of hits) {
    if (x.at > i) out.push(note.slice(i, x.at));
    out.push(link(note.slice(x.at, x.end), x.uri));
    i = x.end;
  }
  if (i < note.length) out.push(note.slice(i));
  return out;
}

/** A note with the side(s) of a comparison it is about (the Changes view's `HEAD and now`), said before it. */
export interface SidedNote {
  readonly side: string;
  readonly note: string;
}

/** A note's content: its side first when it has one, then its text with the files it names made links. */
function noteContent(n: string | SidedNote, files: readonly PanelNoteFile[], link: (text: string, uri: string) => VNode): VNode[] {
  if (typeof n === 'string') return linkedNote(n, files, link);
  return [h('span', { class: 'note-side' }, `${n.side}:`), ' ', ...linkedNote(n.note, files, link)];
}

/**
 * The notes' block; undefined when there are none. `open`: the disclosure as the person left it;
 * `files` and `link`: the files the notes name, made links; `id`: the disclosure's (the toolbar's
 * `panel-notes`, the Changes view's `changes-notes`).
 */
export function notesView(
  notes: readonly (string | SidedNote)[],
  open: boolean,
  files: readonly PanelNoteFile[] = [],
  link: (text: string, uri: string) => VNode = (text) => text,
  id = 'panel-notes',
): VElement | undefined {
  if (notes.length === 0) return undefined;
  if (notes.length <= SHOWN)
    return h(
      'div',
      { class: 'panel-notes' },
      notes.map((n) => h('p', { class: 'note panel-note', role: 'note' }, noteContent(n, files, link))),
    );
  return h(
    'details',
    { class: 'panel-notes', id, ...(open ? { open: '' } : {}) },
    h('summary', { class: 'note' }, `${notes.length} notes on what these answers leave out`),
    h(
      'ul',
      {},
      notes.map((n) => h('li', { class: 'note panel-note' }, noteContent(n, files, link))),
    ),
  );
}

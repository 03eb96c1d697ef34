/**
 * Facts of a template file whose tolerant (masked) reading is made only when something reads it.
 * A chart's render decides a rendered template's objects, syntax errors and API findings
 * (`units/structure.ts` `checkedFacts`), so the masked parse of such a template would be thrown
 * away: it is deferred until a reader needs it (a template that did not render, a chart a
 * kustomization inflates, the editor's outline of the file), and then made once.
 *
 * What every reader needs without a parse is computed at once: the uri, version, serial, length,
 * line starts and suppression comments. Only templates whose masked reading cannot pass a limit
 * the parsed tree shows are deferred (`canDefer`), so `inputLimit` of deferred facts is known
 * without the parse (none), as is `toolConfig` (none: the file's name and text rule out every
 * tool config).
 */

import type { FileFacts } from './types.js';
import { LIMITS } from '../syntax/limits.js';
import { computeLineStarts } from '../text/lineIndex.js';
import { readSuppressions } from './suppressions.js';
import { nextFactsSerial } from './serials.js';

/** Facts made by `deferredTemplateFacts` whose masked reading has not been made yet. */
const pending = new WeakSet<FileFacts>();

/** Whether `facts` are deferred facts whose masked reading has not been made (reading them would make it). */
export function isDeferred(facts: FileFacts): boolean {
  return pending.has(facts);
}

/**
 * Whether a template's masked reading can be deferred: its name is no tool config's
 * (kustomization, Chart.yaml, values files) and its text names no Kustomization; it has no anchor
 * (so no alias can multiply its objects); and it is too short to hold more objects than
 * `LIMITS.objectsPerFile` (each takes at least `{},` in a List) or a map of more keys than
 * `LIMITS.keysPerMap` (at least `a,` each). The text limits (`scanLimits`) are the caller's.
 */
export function canDefer(uri: string, text: string): boolean {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  if (/^(kustomization\.ya?ml|Kustomization|Chart\.ya?ml|values(\..+)?\.ya?ml)$/.test(name)) return false;
  if (text.length >= 3 * LIMITS.objectsPerFile || text.length >= 2 * LIMITS.keysPerMap) return false;
  return !text.includes('&') && !text.includes('kustomize.config.k8s.io');
}

/**
 * Template facts whose masked reading (`read`, which must return the facts `lowerFile` gives for
 * the text) is made when one of its fields is first read. `read` is called at most once.
 */
export function deferredTemplateFacts(uri: string, text: string, version: number | undefined, read: () => FileFacts): FileFacts {
  let full: FileFacts | undefined;
  const facts = {} as FileFacts;
  const force = (): FileFacts => {
    if (full === undefined) {
      full = read();
      pending.delete(facts);
    }
    return full;
  };
  const eager: Partial<Record<keyof FileFacts, unknown>> = {
    uri,
    version,
    serial: nextFactsSerial(),
    toolConfig: undefined,
    template: true,
    // Set only when a plain reading failed (`parseManifest`); a known template is never guessed.
    guessedTemplate: undefined,
    inputLimit: undefined,
    suppressions: readSuppressions(text),
    lineStarts: computeLineStarts(text),
    length: text.length,
  };
  for (const [k, v] of Object.entries(eager)) Object.defineProperty(facts, k, { value: v, enumerable: true });
  for (const k of ['objects', 'syntaxErrors', 'templated', 'apiFindings', 'documents', 'yaml11'] as const) {
    Object.defineProperty(facts, k, { get: () => force()[k], enumerable: true });
  }
  pending.add(facts);
  return facts;
}

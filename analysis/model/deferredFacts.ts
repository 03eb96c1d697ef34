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

/** A line with a `kind:` key that mentions `List` (a List, or a templated kind that may be one). */
const LIST_KIND = /(?:^|[^\w-])["']?kind["']?[ \t]*:[^\n]*List/m;

/**
 * Whether a template's masked reading can be deferred: its name is no tool config's
 * (kustomization, Chart.yaml, values files) and its text names no Kustomization; it cannot hold more
 * objects than `LIMITS.objectsPerFile` (without a List kind its objects are its documents' roots,
 * which `scanLimits` bounds by `LIMITS.documents`; with one, it has no anchor, so no alias can
 * multiply List items, and is too short to hold that many items, each at least `{},`); and no map
 * of more keys than `LIMITS.keysPerMap` (each pair of a map starts a line of its own or follows a
 * comma). The text limits (`scanLimits`) are the caller's. Long CRD templates (a chart's
 * `templates/crds/`) are deferred too: their render decides their objects.
 */
export function canDefer(uri: string, text: string): boolean {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  if (/^(kustomization\.ya?ml|Kustomization|Chart\.ya?ml|values(\..+)?\.ya?ml)$/.test(name)) return false;
  if (text.includes('kustomize.config.k8s.io')) return false;
  if (LIST_KIND.test(text) && (text.includes('&') || text.length >= 3 * LIMITS.objectsPerFile)) return false;
  if (text.length < 2 * LIMITS.keysPerMap) return true;
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 10 || c === 44) && ++pairs >= LIMITS.keysPerMap) return false;
  }
  return true;
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

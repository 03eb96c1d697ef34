/**
 * The workspace as another commit has it, derived from a snapshot's index as an edit is: the
 * files that differ are read (parsed and lowered, templates deferred to their chart's render as
 * the host defers them), every other file's facts and the rest of the index are shared, and the
 * workspace engine starts from the host's last one. Used for the comparison with git HEAD
 * (server/headDiff.ts), where a second index over every file cost the workspace's size for a
 * change of a few files. No checks run on it (its findings are empty): only its objects and
 * connections are read. Undefined when the derivation cannot be made: a Chart.yaml comes or goes
 * (the host reads its folder's templates again, as templates or not), or the alternatives relation
 * changes.
 */

import type { FileFacts } from './model/types.js';
import { limitedFacts, lowerFile } from './model/lower.js';
import { canDefer, deferredTemplateFacts } from './model/deferredFacts.js';
import type { ReachEngine } from './reachability/engine.js';
import type { AnalysisSettings } from './settings.js';
import { Analysis } from './snapshot.js';
import { parseManifest } from './syntax/parse.js';
import { normalizeBreaks, scanLimits } from './syntax/limits.js';
import type { ForkMap } from './workspace/forkMap.js';
import type { WorkspaceIndex } from './workspace/workspaceIndex.js';

export interface VariantSource {
  readonly index: WorkspaceIndex;
  /** Forks of the snapshot's facts and texts (written here, never the host's). */
  readonly facts: ForkMap<string, FileFacts>;
  readonly texts: ForkMap<string, string>;
  readonly support: ReadonlyMap<string, string>;
  readonly settings: AnalysisSettings;
  readonly isTemplate: (uri: string) => boolean;
  /** The host's last workspace engine per unit: the variant's start from them (and are not kept). */
  readonly engines: ReadonlyMap<string, ReachEngine>;
}

/** A file's facts for `text`, read apart from the host (no object count, no cache). */
function readFacts(s: VariantSource, uri: string, raw: string, before: FileFacts | undefined, beforeText: string | undefined): FileFacts {
  const tooLarge = raw.length > s.settings.maxFileSizeMB * 1024 * 1024;
  const text = tooLarge ? '' : normalizeBreaks(raw);
  const template = s.isTemplate(uri);
  const reuse =
    before !== undefined && beforeText !== undefined && before.template === template ? { text: beforeText, facts: before } : undefined;
  const read = (): FileFacts => {
    try {
      return lowerFile(uri, text, parseManifest(text, { helm: template }), undefined, tooLarge ? undefined : reuse);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return limitedFacts(uri, text, undefined, undefined, {
        span: { start: 0, end: 0 },
        message: `not analysed: Kube Reach failed on this file (${message.split('\n')[0] ?? ''}); please report it`,
      });
    }
  };
  const facts =
    template && !tooLarge && canDefer(uri, text) && scanLimits(text) === undefined
      ? deferredTemplateFacts(uri, text, undefined, read)
      : read();
  return tooLarge ? { ...facts, tooLarge: { sizeMB: raw.length / 1024 / 1024, limitMB: s.settings.maxFileSizeMB } } : facts;
}

/** The snapshot of `s` with `files` set (a text) or removed (undefined); undefined when the layout changes. */
export function deriveVariant(s: VariantSource, files: ReadonlyMap<string, string | undefined>): Analysis | undefined {
  const edited = new Set<string>();
  for (const [uri, text] of files) {
    const was = s.texts.get(uri);
    if (was === text) continue;
    // A Chart.yaml that comes or goes makes its folder's templates read another way (the host reads them again): not derived here.
    if (/\/Chart\.ya?ml$/.test(uri) && (was === undefined) !== (text === undefined)) return undefined;
    edited.add(uri);
    if (text === undefined) {
      s.texts.delete(uri);
      s.facts.delete(uri);
      continue;
    }
    const before = s.facts.get(uri);
    s.texts.set(uri, text);
    s.facts.set(uri, readFacts(s, uri, text, before, was));
  }
  const text = (uri: string): string | undefined => s.texts.get(uri) ?? s.support.get(uri);
  const derived = s.index.derive(s.facts, edited, s.settings.defaultNamespace, text);
  // A change of the alternatives relation: the last workspace engines were gathered under the old one.
  if (derived === undefined || derived.relation) return undefined;
  return new Analysis(derived.index, s.settings, s.texts, [], new WeakMap(), {
    previous: (key) => s.engines.get(key),
    built: () => undefined,
  });
}

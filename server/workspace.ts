/**
 * The files the server analyses: manifests under the workspace roots, read from disk by the
 * server itself (so clients without file watchers or configuration still work), overridden by the
 * text of open documents. Closing a document re-reads the disk; watched-file events (when the
 * client sends them) keep closed files current.
 */

import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { FileChangeType } from 'vscode-languageserver';
import type { FileEvent } from 'vscode-languageserver';
import type { AnalysisHost, AnalysisSettings } from '../analysis/index.js';
import { DEFAULT_SETTINGS } from '../analysis/index.js';
import { readChartFolders } from './chartFiles.js';
import type { DiagnosticsPublisher, OpenDocuments, PassProgress } from './diagnostics.js';
import type { FactsCache } from './factsCache.js';
import { compileExcludes, inGoVendor, isManifestPath, isSettingsFile } from './files.js';
import type { ServerRuntime } from './runtime.js';
import { CONFIG_FILE_NAME, configFilePath, fileSetChanged, parseConfigFile, resolveSettings } from './settings.js';
import type { EditorSettings } from './settings.js';
import { canonicalUri, pathToUri, uriToPath } from './uris.js';

/** Language ids whose documents are analysed whatever their name (`helm` is a YAML dialect). */
function isManifestLanguage(languageId: string): boolean {
  return /^(yaml|json|jsonc|helm|ansible)\b/i.test(languageId) || languageId.startsWith('yaml');
}

/** Files read per event-loop turn during a scan. */
const READ_CHUNK = 500;

export class Workspace implements OpenDocuments {
  private roots: string[] = [];
  /** Keys whose text came from disk. */
  private readonly fromDisk = new Set<string>();
  /** Chart files that are not manifests (partials, `.Files`, `.tgz` subcharts) handed to the host for renders. */
  private supportFiles = new Set<string>();
  /** Open documents: key → the client's URI and version. */
  private readonly open = new Map<string, { readonly uri: string; version: number }>();
  private settings: AnalysisSettings = DEFAULT_SETTINGS;
  private excluded: (relPath: string) => boolean = compileExcludes([]);
  private editorSettings: EditorSettings | undefined;
  private publisher: DiagnosticsPublisher | undefined;
  /** The warm-start cache (server/factsCache.ts), when the client gave a storage folder and it is on. */
  private cache: FactsCache | undefined;
  private cacheLoaded = false;

  constructor(
    private readonly host: AnalysisHost,
    private readonly runtime: ServerRuntime,
    private readonly log: (message: string) => void,
  ) {}

  /** Connects the publisher (created after the workspace, because it asks us about documents). */
  attach(publisher: DiagnosticsPublisher): void {
    this.publisher = publisher;
  }

  /** Facts read from disk are looked up in, and written to, `cache` (docs/dev/warm-start.md). */
  useCache(cache: FactsCache | undefined): void {
    this.cache = cache;
    this.cacheLoaded = false;
  }

  /** Writes the warm-start cache when files were read since it was loaded or last written; true when it wrote. */
  saveCache(): boolean {
    const cache = this.cache;
    if (cache === undefined || !this.cacheLoaded || !cache.isDirty()) return false;
    const started = this.runtime.now();
    // Open documents' facts are their editor text's, not the disk's.
    const state = this.host.checksForCache();
    const checks = state === undefined ? undefined : { inputs: this.inputsKey(cache), state };
    const problem = cache.save((key) => (this.open.has(key) ? undefined : this.host.factsForCache(key)), checks);
    if (problem !== undefined) this.log(problem);
    else this.log(`Warm-start cache written in ${(this.runtime.now() - started).toFixed(0)} ms: ${cache.file}`);
    return true;
  }

  /** The key of what checks read now (`FactsCache.inputsKey`): the settings, every file's text, the support files. */
  private inputsKey(cache: FactsCache): string {
    const texts = new Map<string, string>(this.host.supportFiles());
    for (const key of this.open.keys()) {
      const text = this.host.textOf(key);
      if (text !== undefined) texts.set(key, text);
    }
    return cache.inputsKey(this.settings, texts);
  }

  readonly clientUri = (key: string): string => this.open.get(key)?.uri ?? key;

  version(key: string): number | undefined {
    return this.open.get(key)?.version;
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  /** The settings in force (the roots' `.kube-reach.yaml` and the editor's). */
  currentSettings(): AnalysisSettings {
    return this.settings;
  }

  getRoots(): readonly string[] {
    return this.roots;
  }

  /** Root folders as absolute paths (non-`file:` folders are ignored: the server reads the disk). */
  setRoots(uris: readonly string[]): void {
    const paths: string[] = [];
    for (const u of uris) {
      const p = uriToPath(u);
      if (p !== undefined && !paths.includes(p)) paths.push(p);
    }
    this.roots = paths;
  }

  /** Workspace folders were added or removed (URIs). */
  changeRoots(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(removed.map((u) => uriToPath(u)));
    this.setRoots([...this.roots.filter((p) => !gone.has(p)).map(pathToUri), ...added]);
  }

  /** Settings from the roots' `.kube-reach.yaml` and the editor; true when the file set changed. */
  reloadSettings(editor?: EditorSettings): boolean {
    if (editor !== undefined) this.editorSettings = editor;
    const files: { source: string; raw: unknown }[] = [];
    const problems: string[] = [];
    for (const root of this.roots) {
      const path = configFilePath(root);
      const text = this.runtime.readTextFile(path);
      if (text === undefined) continue;
      const parsed = parseConfigFile(text, path);
      for (const p of parsed.problems) problems.push(p);
      files.push({ source: path, raw: parsed.raw });
    }
    const resolved = resolveSettings(files, this.editorSettings);
    for (const p of [...problems, ...resolved.problems]) this.log(`Settings: ${p}`);
    const previous = this.settings;
    this.settings = resolved.settings;
    this.excluded = compileExcludes(resolved.settings.exclude);
    this.host.updateSettings(resolved.settings);
    if (this.cacheLoaded) this.cache?.settingsChanged(resolved.settings);
    return fileSetChanged(previous, resolved.settings);
  }

  /** Reads every manifest under the roots (in chunks, letting messages in), then asks for a pass. */
  async scan(progress?: PassProgress): Promise<void> {
    const found = new Map<string, string>();
    for (const root of this.roots) {
      for (const path of this.runtime.listManifests(root, this.settings.exclude, (m) => this.log(m))) found.set(pathToUri(path), path);
    }
    progress?.report(0, `Reading ${found.size} files`);
    for (const key of [...this.fromDisk]) {
      if (found.has(key)) continue;
      this.fromDisk.delete(key);
      this.cache?.forget(key);
      if (!this.open.has(key)) this.host.removeFile(key);
    }
    if (this.cache !== undefined && !this.cacheLoaded) {
      this.cacheLoaded = true;
      const problem = this.cache.load(this.settings);
      if (problem !== undefined) this.log(problem);
    }
    const hits = this.cache?.counts.hits ?? 0;
    const stale = this.cache?.counts.stale ?? 0;
    let n = 0;
    for (const [key, path] of found) {
      // Invariant: an open document's text wins over the disk.
      if (!this.open.has(key)) this.loadFromDisk(key, path);
      if (++n % READ_CHUNK === 0) await this.runtime.yieldToEventLoop();
    }
    if (this.cache !== undefined)
      this.log(
        `Warm-start cache: ${this.cache.counts.hits - hits} of ${found.size} files' facts read from ${this.cache.file}${this.cache.counts.stale > stale ? ` (${this.cache.counts.stale - stale} changed since)` : ''}`,
      );
    this.loadChartSupport(found);
    // The checks' results too, when they were found in exactly these files and settings.
    if (this.cache !== undefined) {
      const checks = this.cache.checksFor(this.inputsKey(this.cache));
      if (checks !== undefined) {
        this.host.useCachedChecks(checks);
        this.log(`Warm-start cache: the workspace is as it was; check results read from ${this.cache.file}`);
      }
    }
    this.publisher?.requestPass(progress);
  }

  /**
   * Charts render with their files that are not manifests (`_helpers.tpl` and other partials,
   * `.Files`, `.tgz` subcharts), as the CLI does (cli/workspace.ts): handed to the host as support
   * files, never analysed themselves; and the `.gitignore` and `.fleetignore` files above the manifests
   * (analysis/workspace/gitignore.ts, analysis/units/fleetIgnore.ts). Read again on every scan.
   */
  private loadChartSupport(found: ReadonlyMap<string, string>): void {
    const next = new Set<string>();
    const dirs: string[] = [];
    for (const path of found.values()) if (/(^|[\\/])Chart\.ya?ml$/.test(path)) dirs.push(dirname(path));
    // The manifests were just read from disk into the host: their texts are taken from it (open
    // documents' from the disk, as before), and a vendored subchart's folder from its parent's read.
    const known = (path: string): string | undefined => {
      const key = pathToUri(path);
      return this.fromDisk.has(key) && !this.open.has(key) ? this.host.textOf(key) : undefined;
    };
    for (const [dir, read] of readChartFolders(dirs, known)) {
      for (const n of read.notes) this.log(`Helm: chart ${dir}: ${n}`);
      for (const [rel, text] of read.files) {
        const key = pathToUri(join(dir, rel));
        if (found.has(key)) continue;
        next.add(key);
        this.host.setSupportFile(key, text);
      }
    }
    // The `.gitignore` files above the manifests (a kustomization naming a file one lists names a generated file) and the `.fleetignore` files (what a Fleet bundle leaves out).
    for (const [path, text] of this.runtime.readIgnoreFiles?.(found.values()) ?? []) {
      const key = pathToUri(path);
      if (found.has(key)) continue;
      next.add(key);
      this.host.setSupportFile(key, text);
    }
    for (const key of this.supportFiles) if (!next.has(key)) this.host.setSupportFile(key, undefined);
    this.supportFiles = next;
  }

  /**
   * An open document's text changed (or it was opened). Documents that are neither in a YAML or
   * JSON language nor named like a manifest (a README a generic client syncs) are not analysed.
   */
  documentChanged(uri: string, languageId: string, text: string, version: number): void {
    const key = canonicalUri(uri);
    if ((!isManifestLanguage(languageId) && !isManifestPath(key)) || isSettingsFile(key)) return;
    if (!this.open.has(key)) this.publisher?.forgetVersion(key);
    this.open.set(key, { uri, version });
    this.host.setFile(key, text, version);
    this.publisher?.changed(key);
  }

  /** A document was closed: the disk's version (if it is in the workspace) replaces it. */
  documentClosed(uri: string): void {
    const key = canonicalUri(uri);
    if (this.open.delete(key)) this.publisher?.forgetVersion(key);
    const path = uriToPath(key);
    if (path === undefined || !this.included(path) || !this.loadFromDisk(key, path)) {
      this.fromDisk.delete(key);
      this.host.removeFile(key);
    }
    this.publisher?.changed(key);
  }

  /** Watched-file events; returns true when a settings file changed (the caller reloads settings). */
  filesChanged(changes: readonly FileEvent[]): boolean {
    let settingsChanged = false;
    for (const change of changes) {
      const key = canonicalUri(change.uri);
      const path = uriToPath(key);
      if (path === undefined) continue;
      if (basename(path) === CONFIG_FILE_NAME && this.roots.includes(dirname(path))) {
        settingsChanged = true;
        continue;
      }
      if (change.type === FileChangeType.Deleted && !isManifestPath(path)) {
        // A deleted folder: some clients report only the folder, not the files in it.
        this.forgetFolder(key);
        continue;
      }
      if (this.open.has(key)) continue;
      if (change.type === FileChangeType.Deleted || !this.included(path)) {
        if (this.fromDisk.delete(key)) {
          this.host.removeFile(key);
          this.publisher?.changed(key);
        }
        continue;
      }
      this.loadFromDisk(key, path);
      this.publisher?.changed(key);
    }
    return settingsChanged;
  }

  /** Forgets every disk file under a deleted folder (open documents keep their text). */
  private forgetFolder(folderKey: string): void {
    const prefix = folderKey.endsWith('/') ? folderKey : `${folderKey}/`;
    for (const key of [...this.fromDisk]) {
      if (!key.startsWith(prefix)) continue;
      this.fromDisk.delete(key);
      if (this.open.has(key)) continue;
      this.host.removeFile(key);
      this.publisher?.changed(key);
    }
  }

  /** Loads one file from disk into the host; false (with a note) when it is skipped. */
  private loadFromDisk(key: string, path: string): boolean {
    const read = this.runtime.readManifest(path, this.settings.maxFileSizeMB * 1024 * 1024);
    if (read.ok) {
      this.fromDisk.add(key);
      this.host.setFile(key, read.text, undefined, this.cacheLoaded ? this.cache?.lookup(key, read.text) : undefined);
      return true;
    }
    this.log(`Skipped ${path}: ${read.reason}`);
    this.cache?.forget(key);
    if (this.fromDisk.delete(key)) this.host.removeFile(key);
    return false;
  }

  /** Keys of the open documents (their text in the host is the editor's, saved or not). */
  openKeys(): string[] {
    return [...this.open.keys()];
  }

  /** True when `path` is a manifest inside a root and not excluded. */
  included(path: string): boolean {
    if (!isManifestPath(path)) return false;
    for (const root of this.roots) {
      const rel = relative(root, path);
      if (rel === '' || rel.startsWith('..') || rel.startsWith('/')) continue;
      const parts = rel.split(/[\\/]/);
      if (parts.includes('node_modules') || parts.includes('.git')) return false;
      if (parts.includes('vendor') && inGoVendor(rel, (r) => existsSync(join(root, r)))) return false;
      return !this.excluded(rel);
    }
    return false;
  }
}

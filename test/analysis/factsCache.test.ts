/**
 * The warm-start cache's core half (analysis/cache/facts.ts, AnalysisHost's `cached` facts): a
 * host that takes every file's facts from a cache (after a round trip through the cache's codec,
 * analysis/cache/codec.ts, as the server stores them) parses nothing and gives exactly the diagnostics of a host that parsed
 * everything; edits after a warm start equal a full analysis; cached facts that do not fit the
 * text, the reading of the file or the pack's build and settings are ignored.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  AnalysisHost,
  DEFAULT_SETTINGS,
  decodeValue,
  encodeValue,
  factsCacheSettingsKey,
  makePack,
  readPack,
} from '../../analysis/index.js';
import type { CachedFacts, Utf8 } from '../../analysis/index.js';
import { lowerValuesApart } from '../../analysis/cache/lowerApart.js';
import { mixedWorkspace } from '../support/corpus.js';

/** The codec with UTF-8 as the server gives it (analysis/cache/codec.ts `Utf8`). */
const UTF8: Utf8 = { encode: (text) => new TextEncoder().encode(text), decode: (bytes) => new TextDecoder().decode(bytes) };
const encode = (value: unknown): Uint8Array => encodeValue(value, UTF8);
const decode = (bytes: Uint8Array): unknown => decodeValue(bytes, UTF8);

function render(host: AnalysisHost): string[] {
  const out: string[] = [];
  for (const [uri, list] of host.snapshot().diagnostics())
    for (const d of list) out.push(`${uri}|${d.span.start}|${d.span.end}|${d.code}|${d.severity}|${d.message}|${JSON.stringify(d.data)}`);
  return out.sort();
}

/** The cache a host would write, through a round trip in the cache's codec (as it is stored on disk). */
function cacheOf(host: AnalysisHost, files: ReadonlyMap<string, string>): Map<string, unknown> {
  const list: CachedFacts[] = [];
  for (const uri of files.keys()) {
    const facts = host.factsForCache(uri);
    if (facts !== undefined) list.push({ uri, hash: String(files.get(uri)?.length), facts });
  }
  const key = factsCacheSettingsKey(DEFAULT_SETTINGS);
  const read = readPack(decode(encode(makePack('build-1', key, list))), 'build-1', key);
  assert.ok('files' in read);
  return new Map([...read.files].map(([uri, e]) => [uri, e.facts]));
}

const files = mixedWorkspace();
const cold = new AnalysisHost();
for (const [uri, text] of files) cold.setFile(uri, text);
const expected = render(cold);
const cache = cacheOf(cold, files);

it('a warm host parses nothing and gives the diagnostics of a cold one', () => {
  assert.ok(expected.length > 100, `the workspace has findings (${expected.length})`);
  assert.ok(cache.size > files.size * 0.9, `most files are cacheable (${cache.size} of ${files.size})`);
  const warm = new AnalysisHost();
  for (const [uri, text] of files) warm.setFile(uri, text, undefined, cache.get(uri));
  assert.deepEqual(render(warm), expected);
  assert.equal(warm.stats.restored, cache.size);
  assert.equal(warm.stats.parses, files.size - cache.size);
});

it('edits after a warm start equal a full analysis (document-level edits included)', () => {
  const limits = { incrementalMinLength: 200 };
  const warm = new AnalysisHost(DEFAULT_SETTINGS, limits);
  for (const [uri, text] of files) warm.setFile(uri, text, undefined, cache.get(uri));
  render(warm);
  const current = new Map(files);
  const multi = [...files.keys()].filter((u) => (files.get(u) ?? '').split('\n---').length > 3).slice(0, 3);
  assert.ok(multi.length > 0, 'multi-document files to edit');
  for (const uri of multi) {
    const text = current.get(uri) ?? '';
    const at = text.lastIndexOf('\n---');
    const next = text.slice(0, at) + text.slice(at).replace(/app: ([a-z-]+)/, 'app: $1z');
    current.set(uri, next);
    warm.setFile(uri, next, 2);
    const fresh = new AnalysisHost(DEFAULT_SETTINGS, limits);
    for (const [u, t] of current) fresh.setFile(u, t);
    assert.deepEqual(render(warm), render(fresh), `after an edit of ${uri}`);
  }
  assert.ok(warm.stats.documentEdits > 0, 'restored facts are edited document by document');
});

it('cached facts that do not fit are ignored and the file is parsed', () => {
  // A plain manifest (not a chart template: the corpus has charts, whose templates are read as templates already).
  const [uri, text] = [...files].find(
    ([u, t]) => t.includes('kind: Service') && (cache.get(u) as { template?: unknown } | undefined)?.template === false,
  ) ?? ['', ''];
  const facts = cache.get(uri) as Record<string, unknown>;
  const other = [...cache.entries()].find(([u]) => u !== uri)?.[1];
  const cases: Array<[string, unknown]> = [
    ['another text (length)', { ...facts, length: text.length + 1 }],
    ['another file', other],
    ['another reading (template)', { ...facts, template: true }],
    ['not facts', 42],
    ['objects missing', { ...facts, objects: undefined }],
    ['an object without its map of annotations', { ...facts, objects: [{ ...(facts['objects'] as object[])[0], annotations: {} }] }],
  ];
  for (const [what, cached] of cases) {
    const host = new AnalysisHost();
    for (const [u, t] of files) host.setFile(u, t, undefined, u === uri ? cached : cache.get(u));
    assert.equal(host.stats.parses, 0);
    assert.deepEqual(render(host), expected, what);
    assert.equal(host.stats.parses, files.size - cache.size + 1, `${what}: the file is parsed`);
  }
});

it('a pack of another format, build or settings is ignored as a whole', () => {
  const key = factsCacheSettingsKey(DEFAULT_SETTINGS);
  const pack = makePack('build-1', key, []);
  assert.ok('files' in readPack(pack, 'build-1', key));
  assert.match(String((readPack(pack, 'build-2', key) as { problem: string }).problem), /another Kube Reach build/);
  const otherKey = factsCacheSettingsKey({ ...DEFAULT_SETTINGS, templateGlobs: ['**/*.tmpl.yaml'] });
  assert.notEqual(otherKey, key);
  assert.match(String((readPack(pack, 'build-1', otherKey) as { problem: string }).problem), /other settings/);
  assert.match(String((readPack({ ...pack, format: 99 }, 'build-1', key) as { problem: string }).problem), /format 99/);
  assert.match(String((readPack([1, 2], 'build-1', key) as { problem: string }).problem), /not a cache pack/);
});

it('a second host (the HEAD analysis) adopts another host’s facts for the same text: shared objects, no parse, the same diagnostics', () => {
  const second = new AnalysisHost();
  const [edited] = files.keys();
  assert.ok(edited !== undefined);
  // A template whose masked reading nothing asked for yet has no facts to give: it is read again.
  let offered = 0;
  for (const [uri, text] of files) {
    const t = uri === edited ? `${text}\n# edited\n` : text;
    const facts = cold.factsForText(uri, t);
    if (facts !== undefined) offered++;
    second.setFile(uri, t, undefined, facts);
  }
  assert.equal(cold.factsForText(edited, `${files.get(edited) ?? ''}\n# edited\n`), undefined, 'another text: none');
  assert.ok(offered > files.size / 2, `${offered} of ${files.size} files offered`);
  const diagnostics = render(second);
  assert.equal(second.stats.restored, offered, 'every offered file adopted, not parsed');
  assert.ok(second.stats.parses <= files.size - offered, `${second.stats.parses} parses`);
  const other = [...files.keys()].find((uri) => uri !== edited && cold.factsForCache(uri) !== undefined);
  assert.ok(other !== undefined);
  assert.ok(second.factsForCache(other)?.objects !== undefined);
  assert.equal(second.factsForCache(other)?.objects, cold.factsForCache(other)?.objects, 'the objects are shared, not copied');
  const same = new AnalysisHost();
  for (const [uri, text] of files) same.setFile(uri, uri === edited ? `${text}\n# edited\n` : text);
  assert.deepEqual(diagnostics, render(same));
});

/** A host's check results as the cache stores them (through a round trip in the cache's codec). */
function checksOf(host: AnalysisHost): unknown {
  host.snapshot().diagnostics();
  const state = host.checksForCache();
  assert.ok(state !== undefined, 'a checked snapshot has check results to cache');
  return decode(encode(state));
}

it('cached check results: a warm host runs no check and gives the same diagnostics, and edits after it equal a full analysis', () => {
  // Small multi-document files are checked document by document here, so both kinds of unit are cached.
  const limits = { incrementalMinLength: 200 };
  const first = new AnalysisHost(DEFAULT_SETTINGS, limits);
  for (const [uri, text] of files) first.setFile(uri, text);
  const want = render(first);
  const checks = checksOf(first);
  const warm = new AnalysisHost(DEFAULT_SETTINGS, limits);
  for (const [uri, text] of files) warm.setFile(uri, text, undefined, cache.get(uri));
  warm.useCachedChecks(checks);
  assert.deepEqual(render(warm), want);
  assert.equal(warm.stats.checksRestored, 1);
  assert.equal(warm.stats.rechecked, 0, 'no check ran');
  // The restored units' keys are indexed after the first diagnostics: by the first edit (`warm`),
  // or ahead of it, as the server does once it has published (`prepared`). A cold host's too: its
  // first diagnostics do not wait for the keys its checks read to be indexed.
  const prepared = new AnalysisHost(DEFAULT_SETTINGS, limits);
  for (const [uri, text] of files) prepared.setFile(uri, text, undefined, cache.get(uri));
  prepared.useCachedChecks(checks);
  assert.deepEqual(render(prepared), want);
  assert.equal(prepared.prepareForEdits(), true, 'the warm start left the keys for later');
  assert.equal(prepared.prepareForEdits(), false, 'once');
  assert.equal(first.prepareForEdits(), true, 'a cold host left the keys its checks read for later');
  assert.equal(first.prepareForEdits(), false, 'once (cold)');
  // Edits of a restored workspace re-check what they touch, as after a full pass.
  const current = new Map(files);
  // Plain manifests: an edit of a chart's template renders the chart again instead of asking which units read its keys.
  const edited = [...files.keys()]
    .filter((u) => !u.includes('/templates/') && /kind: (Service|Deployment)\b/.test(files.get(u) ?? ''))
    .slice(0, 6);
  for (const [i, uri] of edited.entries()) {
    const text = current.get(uri) ?? '';
    const next = i % 2 === 0 ? text.replace(/app: ([a-z-]+)/, 'app: $1z') : text.replace(/port: (\d+)/, 'port: 1$1');
    current.set(uri, next);
    warm.setFile(uri, next, 2);
    prepared.setFile(uri, next, 2);
    const fresh = new AnalysisHost(DEFAULT_SETTINGS, limits);
    for (const [u, t] of current) fresh.setFile(u, t);
    const full = render(fresh);
    assert.deepEqual(render(warm), full, `after an edit of ${uri}`);
    assert.deepEqual(render(prepared), full, `after an edit of ${uri} (keys indexed before it)`);
    // The first edit indexed the restored keys; what it checked again waits for the next edit.
    if (i === 0) assert.equal(warm.prepareForEdits(), warm.stats.rechecked > 0, 'the first edit indexed the restored keys');
  }
  assert.ok(warm.stats.rechecked > 0, 'edits re-check');
});

it('cached check results that do not fit, or that a change made stale, are not used: the checks run', () => {
  const checks = checksOf(cold) as { units: Array<{ found: Array<{ code: string; finding: { object?: { kind: string } } }> }> };
  const withObject = checks.units.findIndex((u) => u.found.some((f) => f.finding.object !== undefined));
  assert.ok(withObject >= 0, 'a finding about an object');
  const broken = (edit: (c: typeof checks) => void): unknown => {
    const copy = structuredClone(checks);
    edit(copy);
    return copy;
  };
  const cases: Array<[string, unknown, ((h: AnalysisHost) => void)?]> = [
    ['not check results', 'x'],
    ['another format', { ...checks, format: 99 }],
    ['a check this build does not have', broken((c) => (c.units[0]?.found.push({ code: 'no-such-check', finding: {} }), undefined))],
    [
      'an object the index does not hold',
      broken((c) => {
        const f = c.units[withObject]?.found.find((x) => x.finding.object !== undefined);
        if (f?.finding.object !== undefined) f.finding.object.kind = 'NoSuchKind';
      }),
    ],
    ['a file missing', { ...checks, units: checks.units.slice(1) }],
    [
      'a file changed after they were taken',
      checks,
      (h) => h.setFile('file:///extra/added.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'),
    ],
  ];
  for (const [what, cached, after] of cases) {
    const host = new AnalysisHost();
    for (const [u, t] of files) host.setFile(u, t, undefined, cache.get(u));
    host.useCachedChecks(cached);
    after?.(host);
    const got = render(host);
    assert.equal(host.stats.checksRestored, 0, what);
    assert.ok(host.stats.rechecked > 0, `${what}: the checks ran`);
    if (after === undefined) assert.deepEqual(got, expected, what);
  }
});

/** A chart whose values.yaml no other host of this process reads (the renderer remembers values by text). */
function chartFiles(tag: string): Map<string, string> {
  return new Map([
    ['file:///ws/c/Chart.yaml', `apiVersion: v2\nname: c-${tag}\nversion: 0.1.0\n`],
    ['file:///ws/c/values.yaml', `# ${tag}\nname: web-${tag}\nport: 80\n`],
    [
      'file:///ws/c/templates/svc.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  ports:\n    - port: {{ .Values.port }}\n',
    ],
  ]);
}

function renderedName(host: AnalysisHost): unknown {
  const name = host.snapshot().index.renderedTemplate('file:///ws/c/templates/svc.yaml')?.objects[0]?.name;
  return name?.known === true ? name.value : name;
}

it("a chart's values file keeps the renderer's value in the cache, and a warm start's render takes it instead of parsing the text", () => {
  const values = 'file:///ws/c/values.yaml';
  const coldFiles = chartFiles('cold');
  const first = new AnalysisHost();
  for (const [uri, text] of coldFiles) first.setFile(uri, text);
  assert.equal(renderedName(first), 'web-cold');
  const stored = cacheOf(first, coldFiles).get(values);
  assert.deepEqual((stored as { helmValues?: unknown } | undefined)?.helmValues, { js: { name: 'web-cold', port: 80 } });
  // A values.yaml text no render has read: the warm host's render reads the cached value, not the
  // text (a value unlike the text's shows which one it read).
  const warmFiles = chartFiles('warm');
  const entry = lowerValuesApart(values, warmFiles.get(values) ?? '').facts;
  const warm = new AnalysisHost();
  for (const [uri, text] of warmFiles)
    warm.setFile(uri, text, undefined, uri === values ? { ...entry, helmValues: { js: { name: 'from-the-cache', port: 80 } } } : undefined);
  assert.equal(warm.stats.parses + warm.stats.restored, 0);
  assert.equal(renderedName(warm), 'from-the-cache');
  assert.equal(warm.stats.restored, 1);
  // An edit of the values file reads its new text.
  warm.setFile(values, `name: edited\nport: 80\n`, 2);
  assert.equal(renderedName(warm), 'edited');
  // A cached value on a file that is not a chart's values file is dropped, never offered.
  const plain = new AnalysisHost();
  const cm = 'file:///ws/plain/values.yaml';
  plain.setFile(cm, 'name: x\n', undefined, { ...entry, uri: cm, length: 8, helmValues: { js: { name: 'nope' } } });
  plain.snapshot();
  assert.equal(plain.factsForCache(cm)?.helmValues, undefined);
});

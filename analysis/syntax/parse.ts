/**
 * Text → documents. Uses the `yaml` package with source ranges, after template masking, and lowers
 * its AST into the compact tree of `tree.ts`. Never throws: syntax errors are returned with their
 * spans and the rest of the file still counts.
 */

import { Alias, isAlias, isMap as yIsMap, isScalar as yIsScalar, isSeq as yIsSeq, LineCounter, Scalar } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { Span } from '../types.js';
import { composeDocuments } from './compose.js';
import { LIMITS, formatCount, limitMessage, normalizeBreaks, scanLimits } from './limits.js';
import type { LimitHit } from './limits.js';
import { BRACE_PLACEHOLDER, maskTemplates, overlapsMasked } from './mask.js';
import { offerPlainParse } from './parseMemo.js';
import { maskTerraformDirectives } from './terraformTemplate.js';
import { maskJinjaStatements } from './jinjaTemplate.js';
import { yaml11Value } from './yaml11.js';
import { maskFreemarkerDirectives } from './freemarkerTemplate.js';
import { readJsonStream } from './jsonStream.js';
import { readJson } from './jsonFast.js';
import { readBlock } from './blockFast.js';
import { goYamlLeniency } from './leniency.js';
import { readPlaceholderLines } from './placeholderLines.js';
import { aliasTargets } from './aliases.js';
import { duplicateKeyMessage, yaml12Identity } from './duplicateKeys.js';
import type { DuplicateKey } from './duplicateKeys.js';
import { AVP_PATH_ANNOTATION, avpPlaceholder, docPlaceholder, eofBlockScalar, testExpression } from './scalars.js';
import type { Directive, MaskOptions } from './mask.js';
import type { YMap, YNode, YPair, YScalar, YSeq } from './tree.js';
import { isMap, isSeq } from './tree.js';

/** An action line ending in `| indent N` or `| nindent N`: group 1 `n` or empty, group 2 N. */
const WRITES_AT = /\|\s*(n?)indent\s+(\d+)\s*-?\}\}\s*$/;
export interface SyntaxError {
  readonly span: Span;
  readonly message: string;
}

export interface ParsedDocument {
  readonly index: number;
  readonly span: Span;
  readonly root: YNode | undefined;
  /** Errors inside this document; a document with errors is partial. */
  readonly errors: readonly SyntaxError[];
  /** Leading comment lines, used for `# Source:` detection. */
  readonly commentBefore: string;
  /** Plain scalars that kubectl's YAML 1.1 reads differently from YAML 1.2 (their `value` is kubectl's). */
  readonly yaml11: readonly Yaml11Scalar[];
  /**
   * Comments or errors the `yaml` parser met outside any document before this one were given to it
   * (its leading comment, its errors): what it holds then depends on the text before it.
   */
  readonly carried?: boolean;
}

/** A plain scalar read as YAML 1.1 (kubectl, Helm: go-yaml v2) where YAML 1.2 reads it otherwise. */
export interface Yaml11Scalar {
  readonly span: Span;
  readonly text: string;
  /** The value the API server receives (YAML 1.1). */
  readonly value: number | boolean;
  /** The value YAML 1.2 gives. */
  readonly yaml12: string | number | boolean | null;
  /** A map key: kubectl (sigs.k8s.io/yaml) writes the YAML 1.1 value as a JSON key string (`on:` is the key "true"). */
  readonly key?: true;
}

export interface ParsedFile {
  readonly documents: readonly ParsedDocument[];
  /** Syntax errors to report (`yaml-syntax`). */
  readonly errors: readonly SyntaxError[];
  /**
   * Errors of a template file's masked text: artefacts of reading a template as YAML (both
   * branches of a conditional, text an action writes), never reported; the collections around
   * them are unknown instead. Their documents keep them in `errors`, so nothing validates them.
   */
  readonly tolerated: readonly SyntaxError[];
  /** The file was read as a template (`parseFile(text, { helm: true })`). */
  readonly template: boolean;
  readonly templated: boolean;
  readonly directives: readonly Directive[];
  /** The input limit the file passed (`syntax/limits.ts`): it is then not analysed, and has no documents. */
  readonly limit?: LimitHit;
  /**
   * The text ended with comments or errors outside any document: the `yaml` parser gave them to the
   * last document, and would give them to the next one if text followed.
   */
  readonly trailing?: boolean;
  /**
   * The file was not known to be a template, is not valid YAML as it stands, and reads cleanly as
   * a Go template (`parseManifest`): it was read as one. The first error of the plain reading;
   * `placeholders`: it reads cleanly with its `{Name}` placeholders masked instead; `terraform`: with
   * its Terraform `%{ }` directive lines as comments (syntax/terraformTemplate.ts); `jinja`: with its
   * Jinja or Liquid `{% %}` tag lines as comments (syntax/jinjaTemplate.ts); `freemarker`: with its
   * FreeMarker `<#…>` directive lines as comments and `${…}` values unknown (syntax/freemarkerTemplate.ts).
   */
  readonly guessedTemplate?: SyntaxError &
    Partial<Record<'placeholders' | 'terraform' | 'jinja' | 'freemarker', true>> & {
      /** A Go template whose reading with its actions masked still has this error (branches that write different indentation). */
      readonly maskedError?: SyntaxError;
    };
}

/** Thrown while lowering when a file passes a limit that only the parsed tree shows. */
export class LimitExceeded extends Error {
  constructor(readonly hit: LimitHit) {
    super(hit.message);
  }
}

/** Upper bound of nodes lowered per document, so hostile input stays cheap. */
const NODE_BUDGET = 200_000;
/** Nesting beyond this depth is lowered as unknown. */
const MAX_DEPTH = 256;

interface LowerState {
  budget: number;
  readonly memo: Map<YamlNode, YNode>;
  /** Collections being lowered: an alias to one of them would make the tree cyclic. */
  readonly active: Set<YamlNode>;
  /** Errors found while lowering (unknown anchors, duplicate keys). */
  readonly errors: SyntaxError[];
  /** Duplicate keys are errors (not in templates, which carry both branches of a conditional). */
  readonly uniqueKeys: boolean;
  readonly doc: Document.Parsed;
  readonly masked: readonly Span[];
  readonly src: string;
  readonly yaml11: Yaml11Scalar[];
  /** The document names an argocd-vault-plugin path: its `<key>` values are placeholders (scalars.ts). */
  readonly avp?: boolean;
  /** Each alias of the document and the node it refers to (`aliasTargets`), made on the first alias. */
  aliases?: Map<Alias, YamlNode | undefined>;
}

function spanOf(node: YamlNode | null | undefined, fallback: number): Span {
  const r = node?.range;
  if (r === undefined || r === null) return { start: fallback, end: fallback };
  return { start: r[0], end: r[1] };
}

function unknownScalar(span: Span): YScalar {
  return { kind: 'scalar', span, value: null, unknown: true, quoted: false };
}

/**
 * A map key as kubectl sends it: sigs.k8s.io/yaml decodes a plain key with go-yaml v2 (YAML 1.1)
 * and writes a boolean or number key as its JSON string (`on` → "true", `0755` → "493"), so a
 * label key `on:` is the label "true"; recorded for the `yaml-1-1-value` hint.
 */
function keyText(keyNode: Scalar, span: Span, st: LowerState): string {
  const plain = keyNode.type === undefined || keyNode.type === Scalar.PLAIN;
  if (plain && span.end - span.start <= 64 && !overlapsMasked(span, st.masked)) {
    const text = st.src.slice(span.start, span.end);
    const k8s = yaml11Value(text);
    if (k8s !== undefined) {
      const v = keyNode.value;
      const yaml12 = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
      if (st.yaml11.length < 1000) st.yaml11.push({ span, text, value: k8s, yaml12, key: true });
      return String(k8s);
    }
  }
  if (typeof keyNode.value === 'symbol') return keyNode.value.description ?? ''; // `!!merge <<`, a merge for go-yaml
  return String(keyNode.value);
}

/** The scalar an alias refers to (undefined for anything else: a collection, an anchor not set before it). */
function aliasedScalar(node: unknown, st: LowerState): Scalar | undefined {
  if (!isAlias(node)) return undefined;
  st.aliases ??= aliasTargets(st.doc);
  const target = st.aliases.get(node as Alias);
  return yIsScalar(target) ? target : undefined;
}

function lowerNode(node: unknown, st: LowerState, depth: number, fallback: number): YNode | undefined {
  if (node === null || node === undefined) return undefined;
  if (--st.budget < 0 || depth > MAX_DEPTH) {
    return unknownScalar(spanOf(node as YamlNode, fallback));
  }
  if (isAlias(node)) {
    const alias = node as Alias;
    st.aliases ??= aliasTargets(st.doc);
    const target = st.aliases.get(alias);
    const aliasSpan = spanOf(alias, fallback);
    // As kubectl (go-yaml) rejects them: an alias whose anchor is not set before it, or that refers to a collection it is part of.
    if (target === undefined) {
      st.errors.push({ span: aliasSpan, message: `unknown anchor '${alias.source}' referenced` });
      return unknownScalar(aliasSpan);
    }
    if (st.active.has(target)) {
      st.errors.push({ span: aliasSpan, message: `anchor '${alias.source}' value contains itself` });
      return unknownScalar(aliasSpan);
    }
    const done = st.memo.get(target);
    if (done !== undefined) return done;
    return lowerNode(target, st, depth + 1, fallback);
  }
  const yn = node as YamlNode;
  const memoHit = st.memo.get(yn);
  if (memoHit !== undefined) return memoHit;
  const span = spanOf(yn, fallback);
  if (yIsScalar(node)) {
    const v = node.value;
    const value = eofBlockScalar(
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v),
      node.type,
      span,
      st.src,
    );
    const quoted = node.type !== undefined && node.type !== Scalar.PLAIN;
    const unknown =
      overlapsMasked(span, st.masked) ||
      docPlaceholder(value, node.type) ||
      testExpression(value, node.type) ||
      (st.avp === true && avpPlaceholder(value, node.type));
    // Invariant: a plain scalar's value is the one kubectl sends (YAML 1.1), not YAML 1.2's.
    const text = !quoted && !unknown && span.end - span.start <= 64 ? st.src.slice(span.start, span.end) : undefined;
    const k8s = text === undefined ? undefined : yaml11Value(text);
    if (text !== undefined && k8s !== undefined && st.yaml11.length < 1000) st.yaml11.push({ span, text, value: k8s, yaml12: value });
    const out: YScalar = { kind: 'scalar', span, value: k8s ?? value, unknown, quoted };
    st.memo.set(yn, out);
    return out;
  }
  if (yIsMap(node)) {
    if (node.items.length > LIMITS.keysPerMap) {
      throw new LimitExceeded({
        span: { start: span.start, end: span.start },
        message: limitMessage(`a map of ${formatCount(node.items.length)} keys, over the limit of ${formatCount(LIMITS.keysPerMap)}`),
      });
    }
    const out: YMap = { kind: 'map', span, pairs: [], unknown: false, flow: node.flow === true };
    st.memo.set(yn, out);
    st.active.add(yn);
    // Duplicate keys, found in linear time, keyed by the JSON key kubectl sends (`on`, `yes`, `true` are "true"; `0755`, `493` "493").
    const seen = st.uniqueKeys ? new Map<string, DuplicateKey>() : undefined;
    for (const item of node.items) {
      const keyNode = item.key as YamlNode | null;
      const keySpan = spanOf(keyNode, span.start);
      // An alias as a key (`*app :`: Flux home labs' app-template values) is the scalar its anchor set, as go-yaml reads it.
      const keyScalar = yIsScalar(keyNode) ? keyNode : aliasedScalar(keyNode, st);
      const keyTextSpan = keyScalar === undefined || keyScalar === keyNode ? keySpan : spanOf(keyScalar, keySpan.start);
      const key = keyScalar !== undefined ? keyText(keyScalar, keyTextSpan, st) : '';
      if (seen !== undefined && keyScalar !== undefined && key !== '<<') {
        const here: DuplicateKey = { yaml12: yaml12Identity(keyScalar.value), span: keySpan };
        const first = seen.get(key);
        if (first === undefined) seen.set(key, here);
        else
          st.errors.push({
            span: { start: keySpan.start, end: keySpan.start + 1 },
            message: duplicateKeyMessage(key, first, here, keyScalar, st.src),
          });
      }
      const keyUnknown = overlapsMasked(keySpan, st.masked) || keyScalar === undefined || overlapsMasked(keyTextSpan, st.masked);
      const value = lowerNode(item.value, st, depth + 1, keySpan.end);
      if (key === '<<' && !keyUnknown) {
        // YAML merge key: copy the pairs of the merged map(s) that are not set here.
        const sources = isSeq(value) ? value.items : value !== undefined ? [value] : [];
        for (const src of sources) {
          if (!isMap(src)) continue;
          for (const p of src.pairs) if (!out.pairs.some((q) => q.key === p.key)) out.pairs.push(p);
          if (src.unknown) out.unknown = true;
        }
        continue;
      }
      if (keyUnknown) out.unknown = true;
      const p: YPair = { key, keySpan, value, keyUnknown };
      out.pairs.push(p);
    }
    st.active.delete(yn);
    return out;
  }
  if (yIsSeq(node)) {
    const out: YSeq = { kind: 'seq', span, items: [], unknown: false, flow: node.flow === true };
    st.memo.set(yn, out);
    st.active.add(yn);
    for (const item of node.items) {
      const lowered = lowerNode(item, st, depth + 1, span.start);
      if (lowered !== undefined) out.items.push(lowered);
    }
    st.active.delete(yn);
    return out;
  }
  return unknownScalar(span);
}

/** Marks the value that a directive line sits in as structurally unknown. */
function applyDirective(root: YNode, dir: Directive, effColumn: number, columnOf: (o: number) => number, docEnd: number): void {
  let node: YNode = root;
  let extentEnd = docEnd;
  // Descend while some child pair/item contains the directive.
  for (let guard = 0; guard < MAX_DEPTH; guard++) {
    if (isMap(node)) {
      let nextEnd = extentEnd;
      let found: YPair | undefined;
      for (let i = 0; i < node.pairs.length; i++) {
        const p = node.pairs[i];
        if (p === undefined) continue;
        const following = node.pairs[i + 1];
        const end = following !== undefined ? following.keySpan.start : extentEnd;
        if (dir.offset > p.keySpan.start && dir.offset < end && columnOf(p.keySpan.start) < effColumn) {
          found = p;
          nextEnd = end;
        }
      }
      if (found === undefined) {
        node.unknown = true;
        return;
      }
      const next = found.value;
      if (next === undefined) {
        // The value is only template output: replace the missing value by an unknown scalar.
        const idx = node.pairs.indexOf(found);
        node.pairs[idx] = { ...found, value: unknownScalar({ start: found.keySpan.end, end: found.keySpan.end }) };
        return;
      }
      if (!isMap(next) && !isSeq(next)) {
        next.unknown = true;
        return;
      }
      node = next;
      extentEnd = nextEnd;
    } else if (isSeq(node)) {
      let found: YNode | undefined;
      let nextEnd = extentEnd;
      for (let i = 0; i < node.items.length; i++) {
        const it = node.items[i];
        if (it === undefined) continue;
        const following = node.items[i + 1];
        const end = following !== undefined ? following.span.start : extentEnd;
        if (dir.offset > it.span.start && dir.offset < end && columnOf(it.span.start) < effColumn && (isMap(it) || isSeq(it))) {
          found = it;
          nextEnd = end;
        }
      }
      if (found === undefined) {
        node.unknown = true;
        return;
      }
      node = found;
      extentEnd = nextEnd;
    } else {
      node.unknown = true;
      return;
    }
  }
}

/** Marks every map and list around `offset` unknown (a template's unreadable part lies there). */
function markUnknownAround(node: YNode | undefined, offset: number, depth = 0): void {
  if (node === undefined || depth > MAX_DEPTH) return;
  if (isMap(node)) {
    node.unknown = true;
    for (const p of node.pairs) {
      const v = p.value;
      if (v !== undefined && v.span.start <= offset && offset <= v.span.end) markUnknownAround(v, offset, depth + 1);
    }
  } else if (isSeq(node)) {
    node.unknown = true;
    for (const it of node.items) if (it.span.start <= offset && offset <= it.span.end) markUnknownAround(it, offset, depth + 1);
  } else {
    node.unknown = true;
  }
}

/**
 * Parses a manifest (`helm`: known to be a template). A file not known to be one, not valid YAML as it stands, with `{{ }}`
 * actions and clean with them masked is a Go template outside a chart (test fixtures, gomplate), read as one with `guessedTemplate`
 * the plain reading's first error (one note). Other errors keep the plain reading; a clean one is offered to parseMemo.ts.
 */
export function parseManifest(input: string, options: { readonly helm?: boolean; readonly offer?: boolean } = {}): ParsedFile {
  const plain = parseFile(input, options);
  const first = plain.errors[0];
  if (options.helm === true || first === undefined) return options.helm === true ? plain : offerPlainParse(input, plain, options.offer);
  // JSON values one after another, as kubectl reads them (syntax/jsonStream.ts).
  const stream = readJsonStream(input, (t) => parseFile(t, options));
  if (stream !== undefined) return stream;
  if (input.includes('{{')) {
    const masked = parseFile(input, { helm: true });
    if (masked.templated && masked.limit === undefined && masked.tolerated.length === 0 && masked.errors.length === 0)
      return { ...masked, guessedTemplate: first };
    // A Go template with control actions whose masked reading explains most errors but not all: its branches are read
    // at once (an `else` that writes a deliberate failure, two `if`s that indent a list differently), and only a render
    // knows which one writes. One note where the masked reading still stumbles, not an error on an action's line.
    const maskedError = masked.tolerated[0];
    if (
      maskedError !== undefined &&
      masked.templated &&
      masked.limit === undefined &&
      masked.errors.length === 0 &&
      masked.tolerated.length < plain.errors.length &&
      GO_CONTROL_ACTION.test(input)
    )
      return { ...masked, guessedTemplate: { ...first, maskedError } };
  }
  // `{Name}` placeholders a test fills in with a string replace (`cidr: {IPv6}/128`): the same, read with them masked.
  if (HAS_BRACE_PLACEHOLDER.test(input)) {
    const masked = parseFile(input, { braces: true });
    if (masked.templated && masked.limit === undefined && masked.errors.length === 0)
      return { ...masked, guessedTemplate: { ...first, placeholders: true } };
  }
  // A Terraform template (`%{ if … }` lines, a Helm values file Terraform renders), a FreeMarker one (`<#if …>` lines,
  // `${x?c}` values): read with those lines as comments (and FreeMarker's values unknown).
  for (const dialect of ['terraform', 'freemarker'] as const) {
    const t =
      dialect === 'terraform' ? (input.includes('%{') ? maskTerraformDirectives(input) : undefined) : maskFreemarkerDirectives(input);
    const masked = t === undefined ? undefined : parseFile(t, options);
    if (masked !== undefined && masked.limit === undefined && masked.errors.length === 0)
      return { ...masked, guessedTemplate: { ...first, ...(dialect === 'terraform' ? { terraform: true } : { freemarker: true }) } };
  }
  // A Jinja or Liquid template (a docs snippet between `{% raw %}` and `{% endraw %}` lines): read with those lines as comments.
  if (input.includes('{%') || input.includes('{#')) {
    const j = maskJinjaStatements(input);
    if (j !== undefined) {
      const masked = parseFile(j, options);
      if (masked.limit === undefined && masked.errors.length === 0) return { ...masked, guessedTemplate: { ...first, jinja: true } };
      // Jinja's `{{ }}` expressions beside its statement lines (an Ansible role's templates/): both masked.
      // Between `{% raw %}` and `{% endraw %}` they are the snippet's own text, read as it stands.
      if (j.includes('{{') && !RAW_TAG.test(input)) {
        const both = parseFile(j, { helm: true });
        if (both.templated && both.limit === undefined && both.tolerated.length === 0 && both.errors.length === 0)
          return { ...both, guessedTemplate: { ...first, jinja: true } };
      }
      // Errors left besides the tag lines are the snippet's own: reported where they are, not on every line after a tag.
      if (masked.limit === undefined && masked.errors.length < plain.errors.length) return masked;
    }
  }
  return readPlaceholderLines(input, plain, (t) => parseFile(t, options)) ?? goYamlLeniency(input, plain, (t) => parseFile(t, options));
}

const RAW_TAG = /\{%-?\s*raw\b/;
const GO_CONTROL_ACTION = /\{\{-?\s*(?:if|range|with|else|end)\b/;

/**
 * What Helm renders, read as Helm reads it (go-yaml): a template's output is not guessed at again
 * (no placeholders), but go-yaml's leniencies apply (a `'{{ .Files.Get … }}'` dashboard written at
 * column 0 inside a quoted value).
 */
export function parseRendered(text: string): ParsedFile {
  const plain = parseFile(text);
  return plain.errors.length === 0 ? plain : goYamlLeniency(text, plain, (t) => parseFile(t));
}

const HAS_BRACE_PLACEHOLDER = new RegExp(BRACE_PLACEHOLDER.source);

export interface ParseOptions extends MaskOptions {
  readonly clampTo?: number;
  /** Composes with `yaml`'s default strictness (`strict`, `uniqueKeys`) and hands it each document (syntax/valuesFile.ts). */
  readonly strict?: (doc: Document.Parsed) => void;
  /** false: a JSON text is read by the `yaml` package too (`syntax/jsonFast.ts` gives the same reading; its test compares them). */
  readonly json?: false;
  /** false: plain block YAML is read by the `yaml` package too (`syntax/blockFast.ts` gives the same reading; its test compares them). */
  readonly block?: false;
}

/**
 * Parses a whole file. Never throws. `helm`: the file is a template (see `templateFiles.ts`):
 * its `{{ }}` actions are masked and the syntax errors of the masked text are tolerated.
 */
export function parseFile(input: string, options: ParseOptions = {}): ParsedFile {
  const text = normalizeBreaks(input);
  const over = scanLimits(text);
  if (over !== undefined)
    return { documents: [], errors: [], tolerated: [], template: options.helm === true, templated: false, directives: [], limit: over };
  const mask = maskTemplates(text, options);
  // A JSON file (values.schema.json, a dashboard) read without the `yaml` package when that gives the same reading.
  const json = options.helm !== true && options.strict === undefined && options.json !== false ? readJson(text, mask) : undefined;
  if (json !== undefined) return json;
  // Plain block YAML (generated and hand-written manifests) read without the `yaml` package when that gives the same reading.
  const block = options.helm !== true && options.strict === undefined && options.block !== false ? readBlock(text, mask) : undefined;
  if (block !== undefined) return block;
  const tolerant = options.helm === true && mask.templated;
  const src = mask.text;
  const lineCounter = new LineCounter();
  const columnOf = (offset: number): number => {
    const pos = lineCounter.linePos(offset);
    return pos.col - 1;
  };
  const effectiveColumn = (d: Directive): number => {
    const nl = src.indexOf('\n', d.offset);
    // `{{ include "x" . | indent 6 }}` at column 0 writes its block at column 6 (`nindent 6`: at 6
    // whatever the action's own column): that is where it injects. (`indent` after spaces puts
    // only its first line further in.)
    const written = WRITES_AT.exec(text.slice(d.offset, nl === -1 ? undefined : nl));
    if (written !== null && (written[1] === 'n' || d.column === 0)) return Number(written[2]);
    // The indentation of the next content line says where a sloppily indented directive belongs.
    if (nl === -1) return d.column;
    const rest = src.slice(nl + 1, nl + 2000);
    const m = /^([ \t]*)(?!#)\S/m.exec(rest);
    return m === null ? d.column : Math.max(d.column, m[1]?.length ?? 0);
  };
  const documents: ParsedDocument[] = [];
  const allErrors: SyntaxError[] = [];
  let limit: LimitHit | undefined;
  let trailing: boolean;
  let index = 0;
  const lowerOne = (doc: Document.Parsed, carriedIn: boolean): boolean => {
    const errors: SyntaxError[] = [];
    for (const e of doc.errors.slice(0, 20)) {
      const start = e.pos[0];
      const end = Math.max(e.pos[1], start);
      errors.push({ span: { start, end: Math.min(end, options.clampTo ?? src.length) }, message: e.message.split('\n')[0] ?? e.message });
    }
    const r = doc.range;
    const span: Span = { start: r[0], end: r[2] };
    let root: YNode | undefined;
    const yaml11: Yaml11Scalar[] = [];
    const st: LowerState = {
      budget: NODE_BUDGET,
      memo: new Map(),
      active: new Set(),
      errors: [],
      uniqueKeys: !mask.templated,
      doc,
      masked: mask.masked,
      src,
      yaml11,
      ...(AVP_PATH_ANNOTATION.test(src.slice(span.start, span.end)) ? { avp: true } : {}),
    };
    try {
      root = lowerNode(doc.contents, st, 0, span.start);
      if (root !== undefined) {
        for (const d of mask.directives) {
          if (d.kind === 'inert' || d.offset < span.start || d.offset > span.end) continue;
          applyDirective(root, d, effectiveColumn(d), columnOf, span.end);
        }
        if (tolerant) for (const e of errors) markUnknownAround(root, e.span.start);
      }
    } catch (e) {
      if (e instanceof LimitExceeded) limit = e.hit;
      root = unknownScalar(span);
    }
    // A flood of errors (a file of duplicate keys) says nothing more than its first few.
    for (const e of st.errors) {
      if (errors.length >= 20) break;
      errors.push(e);
    }
    errors.sort((a, b) => a.span.start - b.span.start);
    for (const e of errors) allErrors.push(e);
    // A leading comment attaches to the document or, after `---`, to its first node.
    const contentsComment =
      doc.contents !== null && typeof doc.contents === 'object' && 'commentBefore' in doc.contents ? doc.contents.commentBefore : undefined;
    documents.push({
      index,
      span,
      root,
      errors,
      commentBefore: [doc.commentBefore, contentsComment].filter((c): c is string => typeof c === 'string').join('\n'),
      yaml11,
      ...(carriedIn ? { carried: true } : {}),
    });
    index++;
    return limit === undefined;
  };
  try {
    // Duplicate keys are found while lowering (below), in linear time.
    const strict = options.strict;
    trailing =
      strict === undefined
        ? composeDocuments(src, lineCounter, { prettyErrors: false, strict: false, uniqueKeys: false }, lowerOne)
        : composeDocuments(src, lineCounter, { prettyErrors: false, strict: true, uniqueKeys: true }, (d, c) => {
            strict(d);
            return lowerOne(d, c);
          });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const errors = [{ span: { start: 0, end: 0 }, message }];
    return {
      documents: [],
      errors: tolerant ? [] : errors,
      tolerated: tolerant ? errors : [],
      template: options.helm === true,
      templated: mask.templated,
      directives: mask.directives,
    };
  }
  if (limit !== undefined)
    return { documents: [], errors: [], tolerated: [], template: options.helm === true, templated: mask.templated, directives: [], limit };
  return {
    documents,
    errors: tolerant ? [] : allErrors,
    tolerated: tolerant ? allErrors : [],
    template: options.helm === true,
    templated: mask.templated,
    directives: mask.directives,
    ...(trailing ? { trailing: true } : {}),
  };
}

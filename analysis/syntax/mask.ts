/**
 * Masking of template syntax before YAML parsing (docs/dev/design.md §2, "Unknown values").
 *
 * `${VAR}` and `$(VAR)` placeholders are replaced by same-length runs of `_` in every file, so
 * that every offset stays exact. Helm actions (`{{ … }}`) are masked only in files where templates
 * live (`helm: true`: a chart's `templates/`, `.tpl` files, `kubeReach.templateGlobs`; see
 * `templateFiles.ts`); elsewhere `{{ }}` in a string is plain text (a Grafana or Go template
 * inside a ConfigMap).
 *
 * In a template file:
 * - a line that holds nothing but template actions becomes blank (a YAML comment, or spaces
 *   inside a block scalar, whose text a comment would end) and is recorded as a directive:
 *   control flow (`if`, `range`, …) and injections (`include`, `toYaml`, a bare value) make the
 *   map or list around them structurally unknown;
 * - a `define` block produces no output where it stands (Go text/template), so its whole body is
 *   blanked;
 * - comments `{{/* … *\/}}` end at `*\/}}`, not at a `}}` inside them, and `}}` inside a quoted
 *   string does not end an action;
 * - `key: {{- include "x" . | nindent 4 }}` (the value is a block the action writes on the next
 *   lines, often followed by literal keys) is blanked and recorded as an injection into `key`.
 */

import type { Span } from '../types.js';
import { maskYtt } from './yttTemplate.js';

export type DirectiveKind = 'control' | 'inject' | 'inert';

/** A line that held only template actions. */
export interface Directive {
  readonly offset: number;
  /** Column of the first action on its line. */
  readonly column: number;
  readonly kind: DirectiveKind;
}

export interface MaskResult {
  readonly text: string;
  /** Spans of inline template values; a scalar overlapping one is unknown. */
  readonly masked: readonly Span[];
  readonly directives: readonly Directive[];
  /** True when the text held any template syntax at all. */
  readonly templated: boolean;
}

export interface MaskOptions {
  /** Mask Helm/Go template actions (`{{ … }}`): the file is a template. */
  readonly helm?: boolean;
  /**
   * Mask `{Name}` placeholders (a test or script fills them in with a string replace or
   * `str.format` before applying: `cidr: {IPv6}/128`) and printf verbs (`secretName: %s`, a Go
   * test's `fmt.Sprintf` fixture). Only for a file that is not YAML as it
   * stands (`parseManifest`): elsewhere `{name}` is a flow mapping.
   */
  readonly braces?: boolean;
  /**
   * Placeholders read as text, as kustomize reads a file (it copies the text): `env`, `$(NAME)`
   * (vars and Kubernetes' own env expansion decide later, render/kustomize/runtimeEnv.ts); `all`,
   * `${VAR}` too (a kustomization's inline patch, which Flux's postBuild fills in after the build).
   */
  readonly placeholdersAsText?: 'env' | 'all';
}

// `$(NAME)`: Kubernetes' env expansion and Kustomize vars (`$(MY_SVC)`), Tekton/Knative-style
// parameters (`$(params.app-name)`, `$(var-name)`): names with hyphens and dots are placeholders too.
// A default (`${A:-x}`) is bounded: an unclosed one would otherwise rescan the line from every `${`.
// A dotted path (`${config.application.namePrefix}`: FreeMarker, Groovy, Spring templates a generator
// fills in) is a placeholder too. So are the bash string functions Flux's envsubst (fluxcd/pkg/envsubst, after
// drone/envsubst) evaluates: `${VAR//./-}`, `${VAR/a/b}`, `${VAR^^}`, `${VAR,,}`, `${VAR#x}`, `${VAR%x}`,
// `${VAR:1:2}`, `${#VAR}` (rajsinghtech's Gateway listeners `wildcard-${CLUSTER_DOMAIN//./-}-https`).
const BRACED =
  /\$\{#?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(?::?[-=?+][^}\n]{0,1024}|\/[^}\n]{1,1024}|#{1,2}[^}\n]{1,1024}|%{1,2}[^}\n]{1,1024}|\^{1,2}|,{1,2}|:\d+(?::\d+)?)?\}/;
const PLACEHOLDER = new RegExp(`${BRACED.source}|\\$\\([A-Za-z_][A-Za-z0-9_.-]*\\)`, 'g');
/** The `${VAR}` placeholders alone (MaskOptions.placeholdersAsText). */
const BRACED_PLACEHOLDER = new RegExp(BRACED.source, 'g');
/**
 * `{Name}` (Python's `str.format` fields too: `{self.path.k8s}`, `{images[kat-server]}`), not inside
 * `{{ }}` or `${ }`, a printf verb `%s`, `%d`, `%v`, `%q`, or an `@NAME@` placeholder that a script
 * fills in with sed (autoconf style: longhorn's scale test writes `name: @STS_NAME@`), or `%%%`, which
 * camel-k's e2e tests replace with the test's namespace, or a `%NAME%` placeholder a script fills in with sed
 * (`value: %PASSWORD%`, a workshop's `prepare-cluster.sh`) (MaskOptions.braces). One alone on its line writes a block there (`  {extra_ports}`): the line
 * is read as an injecting directive, like a Helm `include` line.
 */
export const BRACE_PLACEHOLDER =
  /(?<![{$])\{[A-Za-z_][A-Za-z0-9_.-]*(?:\[[A-Za-z0-9_.-]+\])*\}(?!\})|(?<![%\w])%(?:\[\d+\])?[-+# 0]?\d*(?:\.\d+)?[sdvq](?![a-z0-9_])|(?<![\w@])@[A-Za-z_][A-Za-z0-9_]*@(?![\w@])|(?<![%\w])%{3,}(?![%\w])|(?<![%\w])%[A-Z][A-Z0-9_]*%(?![%\w])/g;
/**
 * A Terraform template's function call (`${indent(4, chomp(yamlencode(labels)))}`, `${jsonencode(x)}`,
 * parentheses three deep): an unknown value; alone on its line it writes a block there, as a Helm
 * `include` line does (a Helm values file a module renders with `templatefile`).
 */
const TERRAFORM_CALL = /\$\{[a-z][a-z0-9_]*\((?:[^(){}\n]|\((?:[^(){}\n]|\([^(){}\n]*\))*\))*\)\}/g;
const CONTROL = /^\{\{-?\s*(if|else|end|range|with|define|block|break|continue)\b/;
const INERT = /^\{\{-?\s*(\/\*|\$[A-Za-z0-9_]*\s*:?=)/;
/** An action that writes an indented block (`… | nindent 4`, `toYaml`, `include`). */
const BLOCK_WRITER = /\b(nindent|indent|toYaml|include|tpl)\b/;

function classify(action: string): DirectiveKind {
  if (action === '') return 'inject';
  if (CONTROL.test(action)) return 'control';
  if (INERT.test(action)) return 'inert';
  return 'inject';
}

function blank(text: string, start: number, end: number, fill: string): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    out += c === 10 || c === 13 ? text[i] : fill;
  }
  return out;
}

interface Action {
  readonly start: number;
  readonly end: number;
  /** The action's text (empty for a `${VAR}` placeholder). */
  readonly action: string;
  /** A BRACE_PLACEHOLDER: alone on its line, it writes a block there. */
  readonly brace?: boolean;
  /** A whole `define` block (blanked, produces nothing here). */
  readonly define?: boolean;
}

/** The keyword an action starts with (`if`, `end`, `define`, …), or ''. */
function keyword(action: string): string {
  const m = /^\{\{-?\s*([a-z]+)\b/.exec(action);
  return m?.[1] ?? '';
}

/**
 * Finds the template actions of `text`: `{{` to the `}}` that ends it, skipping comments and
 * quoted strings inside (Go text/template lexing, simplified: an unterminated action ends the
 * scan).
 */
export function scanActions(text: string): Action[] {
  const out: Action[] = [];
  let i = text.indexOf('{{');
  while (i !== -1) {
    let j = i + 2;
    if (text[j] === '-' && /\s/.test(text[j + 1] ?? '')) j += 2;
    while (j < text.length && /\s/.test(text[j] ?? '')) j++;
    let end = -1;
    if (text.startsWith('/*', j)) {
      const close = text.indexOf('*/', j + 2);
      if (close !== -1) {
        const e = text.indexOf('}}', close + 2);
        end = e === -1 ? -1 : e + 2;
      }
    } else {
      let k = j;
      while (k < text.length) {
        const c = text[k];
        if (c === '}' && text[k + 1] === '}') {
          end = k + 2;
          break;
        }
        if (c === '"') {
          k++;
          while (k < text.length && text[k] !== '"' && text[k] !== '\n') k += text[k] === '\\' ? 2 : 1;
        } else if (c === '`') {
          const close = text.indexOf('`', k + 1);
          if (close === -1) break;
          k = close;
        }
        k++;
      }
    }
    if (end === -1) break;
    out.push({ start: i, end, action: text.slice(i, end) });
    i = text.indexOf('{{', end);
  }
  return mergeDefines(out);
}

/** Replaces each `define … end` run of actions by one action spanning the whole block. */
function mergeDefines(actions: readonly Action[]): Action[] {
  const out: Action[] = [];
  let defineStart: Action | undefined;
  let depth = 0;
  for (const a of actions) {
    const kw = keyword(a.action);
    if (defineStart !== undefined) {
      if (kw === 'if' || kw === 'range' || kw === 'with' || kw === 'define' || kw === 'block') depth++;
      else if (kw === 'end' && --depth === 0) {
        out.push({ start: defineStart.start, end: a.end, action: defineStart.action, define: true });
        defineStart = undefined;
      }
      continue;
    }
    if (kw === 'define') {
      defineStart = a;
      depth = 1;
      continue;
    }
    out.push(a);
  }
  // An unterminated define: Go rejects the file; its body is still no YAML of this file.
  if (defineStart !== undefined)
    out.push({
      start: defineStart.start,
      end: actions[actions.length - 1]?.end ?? defineStart.end,
      action: defineStart.action,
      define: true,
    });
  return out;
}

/** Offsets of the lines that lie inside a block scalar (`key: |` and its more indented lines). */
function blockScalarLines(text: string, actions: readonly Action[]): Set<number> {
  const inside = new Set<number>();
  if (!/[|>][-+0-9]*[ \t]*(#.*)?\r?$/m.test(text)) return inside;
  const actionLine = new Set<number>();
  for (const a of actions) {
    const ls = text.lastIndexOf('\n', a.start - 1) + 1;
    if (text.slice(ls, a.start).trim() === '') actionLine.add(ls);
  }
  let parentIndent = -1;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(pos, lineEnd);
    const indent = /^[ ]*/.exec(line)?.[0].length ?? 0;
    const blankLine = line.trim() === '';
    if (parentIndent >= 0) {
      if (blankLine || actionLine.has(pos) || indent > parentIndent) {
        inside.add(pos);
      } else {
        parentIndent = -1;
      }
    }
    if (
      parentIndent < 0 &&
      !actionLine.has(pos) &&
      /(^|[:-]\s+|^\s*-\s*)[|>][-+0-9]*[ \t]*(#.*)?\r?$/.test(line) &&
      /:\s+[|>]|^\s*-\s+[|>]/.test(line)
    ) {
      parentIndent = indent;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  return inside;
}

/** Indentation of the next line after `offset` that holds YAML (not blank, not only actions), or -1. */
function nextContentIndent(text: string, offset: number, actions: readonly Action[], from: number): number {
  let pos = text.indexOf('\n', offset);
  let k = from;
  for (let guard = 0; pos !== -1 && guard < 200; guard++) {
    const start = pos + 1;
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl === -1 ? text.length : nl);
    while (k < actions.length && (actions[k]?.end ?? 0) <= start) k++;
    const a = actions[k];
    const onlyAction = a !== undefined && a.start >= start && text.slice(start, a.start).trim() === '' && a.action !== '';
    if (line.trim() !== '' && !line.trim().startsWith('#') && !onlyAction) return /^[ ]*/.exec(line)?.[0].length ?? 0;
    pos = nl;
  }
  return -1;
}

function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

/** Replaces template syntax by same-length placeholders; never throws. */
export function maskTemplates(text: string, options: MaskOptions = {}): MaskResult {
  // A ytt template (syntax/yttTemplate.ts): its value annotations are unknown values, its annotation lines directives.
  const ytt = maskYtt(text);
  if (ytt === undefined) return maskActions(text, options);
  const rest = maskActions(ytt.text, options);
  return {
    text: rest.text,
    masked: [...rest.masked, ...ytt.masked].sort((a, b) => a.start - b.start),
    directives: [...rest.directives, ...ytt.directives].sort((a, b) => a.offset - b.offset),
    templated: true,
  };
}

function maskActions(text: string, options: MaskOptions): MaskResult {
  const helm = options.helm === true && text.includes('{{');
  // Outside templates a `{{ … }}` in a value stays text, but the value is unknown: some other
  // tool (a Grafana, Alertmanager or Argo template, a renderer the workspace does not show) may
  // fill it in, so no check judges it.
  const inText =
    !helm && text.includes('{{')
      ? scanActions(text)
          .filter((a) => !text.slice(a.start, a.end).includes('\n'))
          .map((a) => ({ start: a.start, end: a.end }))
      : [];
  const braces = options.braces === true;
  const asText = options.placeholdersAsText;
  if (!helm && !braces && (asText === 'all' || (!text.includes('${') && (asText === 'env' || !text.includes('$('))))) {
    return { text, masked: inText, directives: [], templated: false };
  }
  const actions: Action[] = helm ? scanActions(text) : [];
  const spans: Action[] = [...actions];
  let inside = 0;
  // A placeholder inside an action (masked or, outside templates, text) is part of it.
  const around: readonly Span[] = helm ? actions : inText;
  const placeholders = asText === 'all' ? [] : text.matchAll(asText === 'env' ? BRACED_PLACEHOLDER : PLACEHOLDER);
  const found = [
    ...[...placeholders].map((m) => ({ m, brace: false })),
    ...(braces ? [...text.matchAll(BRACE_PLACEHOLDER)].map((m) => ({ m, brace: true })) : []),
    ...(asText === undefined && text.includes('${') ? [...text.matchAll(TERRAFORM_CALL)].map((m) => ({ m, brace: true })) : []),
  ].sort((a, b) => a.m.index - b.m.index);
  for (const { m, brace } of found) {
    const start = m.index;
    // Actions are sorted and disjoint: one forward pointer finds the one that could contain `start`.
    while (inside < around.length && (around[inside]?.end ?? 0) <= start) inside++;
    const s = around[inside];
    if (s !== undefined && start >= s.start) continue;
    spans.push({ start, end: start + m[0].length, action: '', brace });
  }
  if (spans.length === 0) return { text, masked: inText, directives: [], templated: false };
  spans.sort((a, b) => a.start - b.start);
  const inBlock = helm ? blockScalarLines(text, actions) : new Set<number>();

  const masked: Span[] = [...inText];
  const directives: Directive[] = [];
  const parts: string[] = [];
  let cursor = 0;
  let i = 0;
  while (i < spans.length) {
    const first = spans[i];
    if (first === undefined) break;
    const lineStart = text.lastIndexOf('\n', first.start - 1) + 1;
    // Collect every action on this line to see whether the line is only actions.
    let j = i;
    const directive = (s: Action): boolean => s.action !== '' || s.brace === true;
    let onlyActions = text.slice(lineStart, first.start).trim() === '' && directive(first);
    let prevEnd = first.start;
    const lineSpans: Action[] = [];
    // The line's end is found again only when an action runs past it (linear on a line of many actions).
    let lineEnd = lineEndAt(text, prevEnd);
    while (j < spans.length) {
      const s = spans[j];
      if (s === undefined || s.start >= lineEnd) break;
      if (text.slice(prevEnd, s.start).trim() !== '' || !directive(s)) onlyActions = false;
      prevEnd = Math.max(prevEnd, s.end);
      if (prevEnd > lineEnd) lineEnd = lineEndAt(text, prevEnd);
      lineSpans.push(s);
      j++;
    }
    // The rest of the line the last action ends on.
    const tail = text.slice(prevEnd, Math.max(prevEnd, lineEndAt(text, prevEnd))).replace(/\r$/, '');
    if (tail.trim() !== '' && !tail.trim().startsWith('#')) onlyActions = false;
    parts.push(text.slice(cursor, first.start));
    if (onlyActions) {
      const end = Math.max(prevEnd, first.end);
      // '#' then blanks: the line becomes a comment of the same length (spaces inside a block
      // scalar, where a comment at a smaller indentation would end the scalar).
      parts.push(inBlock.has(lineStart) ? blank(text, first.start, end, ' ') : '#' + blank(text, first.start + 1, end, ' '));
      // Inside a block scalar the actions write part of its text: a scalar over them is unknown.
      if (inBlock.has(lineStart)) masked.push({ start: first.start, end });
      cursor = end;
      const kinds = lineSpans.filter((s) => s.define !== true).map((s) => classify(s.action));
      const kind: DirectiveKind = kinds.includes('inject') ? 'inject' : kinds.includes('control') ? 'control' : 'inert';
      if (!inBlock.has(lineStart)) directives.push({ offset: first.start, column: first.start - lineStart, kind });
    } else {
      let c = first.start;
      for (const [n, s] of lineSpans.entries()) {
        if (s.start < c) continue;
        parts.push(text.slice(c, s.start));
        const last = n === lineSpans.length - 1 && tail.trim() === '';
        if (s.define === true) {
          // A define block in the middle of a line writes nothing here.
          parts.push(blank(text, s.start, s.end, ' '));
          c = s.end;
          continue;
        }
        // Only the line's last action can write a block, so the text before it is read once per line.
        const writesBlock = (): boolean => {
          const before = text.slice(lineStart, s.start);
          if (!/^\s*(-\s+)*[^#\s][^#]*:\s*$/.test(before) || inBlock.has(lineStart)) return false;
          const keyIndent = /^[ ]*/.exec(before)?.[0].length ?? 0;
          return /\bnindent\b/.test(s.action) || nextContentIndent(text, s.end, spans, j) > keyIndent;
        };
        if (helm && last && s.action !== '' && BLOCK_WRITER.test(s.action) && writesBlock()) {
          // `key: {{ … | nindent 4 }}`: the action writes the value as a block on the next lines.
          parts.push(blank(text, s.start, s.end, ' '));
          directives.push({ offset: s.start, column: s.start - lineStart, kind: 'inject' });
        } else {
          parts.push(blank(text, s.start, s.end, '_'));
          masked.push({ start: s.start, end: s.end });
        }
        c = s.end;
      }
      cursor = c;
    }
    i = j === i ? i + 1 : j;
  }
  parts.push(text.slice(cursor));
  masked.sort((a, b) => a.start - b.start);
  return { text: parts.join(''), masked, directives, templated: true };
}

/** Whether `span` overlaps a masked span; `masked` is sorted and disjoint (binary search for the first one ending after span.start). */
export function overlapsMasked(span: Span, masked: readonly Span[]): boolean {
  let lo = 0;
  let hi = masked.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((masked[mid]?.end ?? 0) <= span.start) lo = mid + 1;
    else hi = mid;
  }
  const m = masked[lo];
  return m !== undefined && m.start < span.end && span.start < m.end;
}

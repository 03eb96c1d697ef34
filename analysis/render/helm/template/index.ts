/**
 * The Helm template engine's public entry (docs/dev/helm-engine.md): Go text/template with Sprig and
 * Helm functions over the Go value model of values.ts. `TemplateSet` parses chart template files into
 * one namespace and executes one of them, returning its output, a source map and at most one error.
 * Never throws; every execution is bounded by steps, output size and call depth.
 */

import { BUILTINS } from './builtins.js';
import type { FuncDef, FuncEnv, ReadHook } from './callable.js';
import { Execution } from './exec.js';
import { ExecFailure } from './failure.js';
import type { Limits } from './failure.js';
import { removeAll } from './output.js';
import type { Segment } from './output.js';
import { isEmptyTree, parseTemplate } from './parse.js';
import type { Node, Span, Tree } from './ast.js';
import type { GoValue } from './values.js';
import { FUNCS } from '../funcs/index.js';

export { GoStruct, fromYamlValue, toJs, withMethods } from './values.js';
export type { GoFunc, GoValue } from './values.js';
export type { Segment } from './output.js';
export type { FuncDef, FuncEnv, ReadHook } from './callable.js';
export { def } from './callable.js';

export interface TemplateSource {
  readonly name: string;
  readonly text: string;
}

export interface TemplateError {
  readonly source: string;
  readonly srcStart: number;
  readonly srcEnd: number;
  readonly message: string;
  readonly kind: 'parse' | 'exec' | 'fail' | 'required' | 'unsupported' | 'limit';
  readonly func?: string;
}

/**
 * What one execution depends on besides its own text, for a caller that renders again only what an
 * edit can change (analysis/render/helm/render.ts): every template name it looked up (`include`,
 * `template`, `block`, found or not), and whether it wrote into a map of `shared` (the values every
 * template of a chart sees: a later template could read what it wrote).
 */
export interface ExecTracking {
  readonly used: Set<string>;
  readonly shared: WeakSet<object>;
  sharedWrite: boolean;
  /** Told of every map key the execution reads (field chains, `index`, `get`, `dig`). */
  readonly read?: ReadHook;
}

export interface ExecResult {
  readonly text: string;
  readonly segments: readonly Segment[];
  readonly error?: TemplateError;
}

export const DEFAULT_LIMITS: Limits = { maxSteps: 2_000_000, maxOutput: 20_000_000, maxDepth: 300 };

const DEFAULT_ENV: FuncEnv = { kubeVersion: 'v1.35.0', apiVersions: [] };

/** Every function a template may call: text/template's built-ins, Sprig's and Helm's. */
export const ALL_FUNCS: ReadonlyMap<string, FuncDef> = new Map([...FUNCS, ...BUILTINS]);

/** Parsed template texts kept for the next render (by name and text), up to this much text. */
const PARSE_CACHE_CHARS = 4_000_000;
/** The texts of one name kept at most (the same chart in two folders of a workspace, a text being edited). */
const PARSE_CACHE_PER_NAME = 4;
/**
 * By template name (most recently used name last), its last texts and their parses. Keyed by name
 * and compared by text rather than keyed by name and text joined: a lookup then neither builds nor
 * hashes a string as long as the template (a render looks each template up at least once).
 */
const parseCache = new Map<string, Array<{ readonly text: string; readonly parsed: ReturnType<typeof parseTemplate> }>>();
let parseCacheChars = 0;

/**
 * `parseTemplate` with the last parses remembered: a chart rendered again after an edit in one
 * template parses only that template (trees are immutable, so a remembered parse is shared).
 */
function parseCached(name: string, text: string, funcs: ReadonlyMap<string, FuncDef> = ALL_FUNCS): ReturnType<typeof parseTemplate> {
  // Another function library (a caller's own functions) parses apart: which names parse depends on it.
  if (funcs !== ALL_FUNCS) return parseTemplate(name, text, (f) => funcs.has(f));
  const entries = parseCache.get(name);
  if (entries !== undefined) {
    // Most recently used last.
    parseCache.delete(name);
    parseCache.set(name, entries);
    const hit = entries.find((e) => e.text === text);
    if (hit !== undefined) return hit.parsed;
  }
  const r = parseTemplate(name, text, (f) => ALL_FUNCS.has(f));
  if (text.length > PARSE_CACHE_CHARS / 4) return r;
  const list = entries ?? [];
  if (entries === undefined) parseCache.set(name, list);
  list.push({ text, parsed: r });
  parseCacheChars += name.length + text.length;
  if (list.length > PARSE_CACHE_PER_NAME) parseCacheChars -= name.length + (list.shift()?.text.length ?? 0);
  for (const [k, old] of parseCache) {
    if (parseCacheChars <= PARSE_CACHE_CHARS) break;
    parseCache.delete(k);
    for (const e of old) parseCacheChars -= k.length + e.text.length;
  }
  return r;
}

/** Whether a template file defines templates besides its own (`define`, `block`): other files may call them. */
export function definesOthers(name: string, text: string): boolean {
  return parseCached(name, text).trees.some((t) => t.name !== name);
}

/**
 * The pipelines of the `if` and `with` actions (`else if` included) whose branches hold position
 * `pos` of a template file's text, innermost first: the conditions that decide whether an action
 * there runs (`{{ if not .Values.x }}{{ fail "…" }}{{ end }}`). None when the text does not parse.
 */
export function conditionsAround(name: string, text: string, pos: number): Span[] {
  const out: Span[] = [];
  const walk = (nodes: readonly Node[]): void => {
    for (const n of nodes) {
      if ((n.type !== 'if' && n.type !== 'with' && n.type !== 'range') || pos < n.pos || pos >= n.end) continue;
      if (n.type !== 'range') out.unshift(n.pipe);
      walk(n.list);
      walk(n.elseList ?? []);
    }
  };
  for (const t of parseCached(name, text).trees) walk(t.root);
  return out;
}

export class TemplateSet {
  private readonly templates = new Map<string, Tree>();
  private readonly env: FuncEnv;
  private readonly limits: Limits;
  private readonly library: ReadonlyMap<string, FuncDef>;

  /** `extraFuncs`: functions of a caller's own besides the library (Argo CD's `normalize` in ApplicationSet templates). */
  constructor(opts?: {
    funcs?: FuncEnv;
    limits?: { maxSteps?: number; maxOutput?: number; maxDepth?: number };
    extraFuncs?: ReadonlyMap<string, FuncDef>;
  }) {
    this.env = opts?.funcs ?? DEFAULT_ENV;
    this.limits = { ...DEFAULT_LIMITS, ...(opts?.limits ?? {}) };
    this.library = opts?.extraFuncs === undefined ? ALL_FUNCS : new Map([...ALL_FUNCS, ...opts.extraFuncs]);
  }

  /** Parses all sources into one namespace of templates (later `define`s override earlier, as in Helm). */
  parse(sources: readonly TemplateSource[]): TemplateError[] {
    const errors: TemplateError[] = [];
    for (const src of sources) {
      const r = parseCached(src.name, src.text, this.library);
      if (r.error !== undefined) {
        errors.push({
          source: src.name,
          srcStart: r.error.pos,
          srcEnd: r.error.end,
          message: r.error.message,
          kind: r.error.kind,
          ...(r.error.func === undefined ? {} : { func: r.error.func }),
        });
        continue;
      }
      for (const t of r.trees) {
        // Go keeps an existing definition when the new one is empty (parse.IsEmptyTree).
        if (this.templates.has(t.name) && isEmptyTree(t.root)) continue;
        this.templates.set(t.name, t);
      }
    }
    return errors;
  }

  /** Names of all parsed templates (files and defines). */
  names(): string[] {
    return [...this.templates.keys()];
  }

  /** Executes one template by name with `data` as dot (and $). Never throws. `track` records what it depends on. */
  execute(name: string, data: GoValue, track?: ExecTracking): ExecResult {
    const tree = this.templates.get(name);
    if (tree === undefined) {
      return {
        text: '',
        segments: [],
        error: {
          source: name,
          srcStart: 0,
          srcEnd: 0,
          message: `template: no template ${JSON.stringify(name)} associated with template "gotpl"`,
          kind: 'exec',
        },
      };
    }
    const parseTpl = (tname: string, text: string): { trees: Tree[]; error?: ExecFailure } => {
      const r = parseCached(tname, text, this.library);
      if (r.error === undefined) return { trees: r.trees };
      return { trees: [], error: new ExecFailure(r.error.message, r.error.kind, tname, r.error.pos, r.error.end, r.error.func) };
    };
    const templates =
      track === undefined
        ? this.templates
        : {
            get: (n: string): Tree | undefined => {
              track.used.add(n);
              return this.templates.get(n);
            },
          };
    const ex = new Execution(templates, this.library, this.env, this.limits, parseTpl, tree);
    ex.shared = track?.shared;
    ex.reader = track?.read;
    let error: TemplateError | undefined;
    try {
      ex.run(tree, data);
    } catch (e) {
      error = toTemplateError(e, tree);
    }
    if (track !== undefined && ex.sharedWrite) track.sharedWrite = true;
    const cleaned = removeAll(ex.out.text(), ex.out.segments, '<no value>');
    return error === undefined ? cleaned : { ...cleaned, error };
  }
}

function toTemplateError(e: unknown, tree: Tree): TemplateError {
  if (e instanceof ExecFailure) {
    let message = e.message;
    if ((e.kind === 'fail' || e.kind === 'required') && e.userMessage !== undefined) {
      // Helm's cleanupExecError: "execution error at (<outermost location>): <message>".
      const loc = /^template: (.*?:\d+:\d+): /.exec(e.message)?.[1] ?? e.source;
      message = `execution error at (${loc}): ${e.userMessage}`;
    }
    return {
      source: e.source,
      srcStart: e.srcStart,
      srcEnd: e.srcEnd,
      message,
      kind: e.kind,
      ...(e.func === undefined ? {} : { func: e.func }),
    };
  }
  if (e instanceof RangeError)
    return {
      source: tree.source,
      srcStart: 0,
      srcEnd: 0,
      message: `template: ${tree.name}: execution too deeply nested (${e.message})`,
      kind: 'limit',
    };
  return {
    source: tree.source,
    srcStart: 0,
    srcEnd: 0,
    message: `template: ${tree.name}: internal error: ${e instanceof Error ? e.message : String(e)}`,
    kind: 'exec',
  };
}

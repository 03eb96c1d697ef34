/**
 * The executor of Go's text/template (after text/template/exec.go) with Helm's options
 * (missingkey=zero): walks a parse tree with dot and variables, evaluates pipelines, field chains,
 * method calls on GoStruct, functions with Go's argument type checks, if/with/range (lists, maps in
 * key order, integers) with break/continue, and template calls. Output carries a source map.
 * Every step, the output size and the call depth are bounded; exceeding one raises a `limit` error.
 */

import type { Arg, Command, ControlNode, Node, Pipe, Tree } from './ast.js';
import { FuncError, LimitExceeded, Unsupported, UserFail } from './callable.js';
import type { CallContext, FuncDef, FuncEnv, ParamType, ReadHook } from './callable.js';
import { formatV } from './fmt.js';
import { lineOf } from './parse.js';
import { Output } from './output.js';
import { GoStruct, isTrue, methodOf, sortedKeys, typeName } from './values.js';
import type { GoValue } from './values.js';
import { ExecFailure } from './failure.js';
import type { ErrorKind, Limits, TemplateLookup } from './failure.js';

const MISSING: unique symbol = Symbol('missing');
type Final = GoValue | typeof MISSING;
const BREAK = { signal: 'break' };
const CONTINUE = { signal: 'continue' };

interface Var {
  readonly name: string;
  value: GoValue;
}

/** The shared state of one top-level execution (includes and tpl share its budget). */
export class Execution implements CallContext {
  steps = 0;
  depth = 0;
  out: Output;
  /**
   * The action or `template` call of the executed file (depth 1) being evaluated: text that a
   * nested template writes carries it (`Segment.site`), so a consumer can map it to that file.
   */
  private site: { readonly srcStart: number; readonly srcEnd: number } | undefined;
  private vars: Var[] = [];
  private tree: Tree;

  constructor(
    private templates: TemplateLookup,
    private readonly funcs: ReadonlyMap<string, FuncDef>,
    readonly env: FuncEnv,
    private readonly limits: Limits,
    private readonly parseTpl: (name: string, text: string) => { trees: Tree[]; error?: ExecFailure },
    root: Tree,
  ) {
    this.tree = root;
    this.out = new Output(limits.maxOutput);
  }

  /** Maps other executions also see (a chart's values): a write into one sets `sharedWrite`. */
  shared: WeakSet<object> | undefined;
  sharedWrite = false;

  writing(m: Map<string, GoValue>): void {
    if (this.shared?.has(m) === true) this.sharedWrite = true;
  }

  /** Told of every map key read (`ExecTracking.read`); `callPos` is the function call reading. */
  reader: ReadHook | undefined;
  private callPos = 0;

  read(m: Map<string, GoValue>, key: string, v: GoValue): void {
    this.reader?.(m, key, v, this.tree.source, this.callPos);
  }

  private randomState = 0x2545f491;

  /** xorshift32 from a fixed seed: the same template renders the same "random" values every time. */
  random(): number {
    let x = this.randomState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.randomState = x >>> 0;
    return this.randomState;
  }

  run(tree: Tree, data: GoValue): void {
    this.callTree(tree, data);
  }

  // ── errors ──────────────────────────────────────────────────────────────

  private location(pos: number): string {
    const text = this.tree.text;
    const line = lineOf(text, pos);
    const nl = text.lastIndexOf('\n', pos - 1);
    return `${this.tree.source}:${line}:${pos - (nl + 1)}`;
  }

  private context(node: { pos: number; end: number }): string {
    let s = this.tree.text.slice(node.pos, node.end).replace(/\s+/g, ' ');
    if (s.length > 20) s = `${s.slice(0, 20)}...`;
    return s;
  }

  fail(node: { pos: number; end: number }, msg: string, kind: ErrorKind = 'exec', func?: string, userMessage?: string): never {
    const prefix = `template: ${this.location(node.pos)}: executing ${JSON.stringify(this.tree.name)} at <${this.context(node)}>: `;
    throw new ExecFailure(prefix + msg, kind, this.tree.source, node.pos, node.end, func, userMessage);
  }

  private limit(node: { pos: number; end: number }, what: string): never {
    this.fail(node, what, 'limit');
  }

  step(node: { pos: number; end: number }): void {
    if (++this.steps > this.limits.maxSteps) this.limit(node, `exceeded the step limit (${this.limits.maxSteps})`);
  }

  // ── walking ─────────────────────────────────────────────────────────────

  private walk(dot: GoValue, nodes: readonly Node[]): void {
    for (const n of nodes) this.walkNode(dot, n);
  }

  private walkNode(dot: GoValue, node: Node): void {
    this.step(node);
    switch (node.type) {
      case 'text':
        if (!this.out.literal(node.text, this.tree.source, node.pos, this.depth > 1 ? this.site : undefined)) this.outputLimit(node);
        return;
      case 'action': {
        if (this.depth === 1) this.site = { srcStart: node.pos, srcEnd: node.end };
        const mark = this.out.provenanceMark();
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          const text = this.printable(node, v);
          if (!this.out.action(text, this.tree.source, node.pos, node.end, mark, this.depth > 1 ? this.site : undefined))
            this.outputLimit(node);
        }
        this.out.dropProvenance(mark);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walk(node.type === 'with' ? v : dot, node.list);
        else if (node.elseList !== undefined) this.walk(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template': {
        if (this.depth === 1) this.site = { srcStart: node.pos, srcEnd: node.end };
        const t = this.templates.get(node.name);
        if (t === undefined) this.fail(node, `template ${JSON.stringify(node.name)} not defined`);
        const v = node.pipe === undefined ? undefined : this.evalPipeline(dot, node.pipe);
        this.callTreeAt(node, t, v);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private outputLimit(node: { pos: number; end: number }): void {
    this.limit(node, `output exceeds the limit (${this.limits.maxOutput} characters)`);
  }

  private printable(node: { pos: number; end: number }, v: GoValue): string {
    if (v === undefined || v === null) return '<no value>';
    if (v instanceof GoStruct && v.methods.has('String')) {
      const s = this.invoke(node, 'String', v.methods.get('String') ?? (() => ''), []);
      return typeof s === 'string' ? s : formatV(s);
    }
    return formatV(v);
  }

  private callTreeAt(node: { pos: number; end: number }, t: Tree, dot: GoValue): void {
    if (this.depth >= this.limits.maxDepth) this.limit(node, `exceeded maximum template depth (${this.limits.maxDepth})`);
    this.callTree(t, dot);
  }

  private callTree(t: Tree, dot: GoValue): void {
    const savedVars = this.vars;
    const savedTree = this.tree;
    this.vars = [{ name: '$', value: dot }];
    this.tree = t;
    this.depth++;
    try {
      this.walk(dot, t.root);
    } finally {
      this.depth--;
      this.vars = savedVars;
      this.tree = savedTree;
    }
  }

  private walkRange(dot: GoValue, node: ControlNode): void {
    const mark = this.vars.length;
    const val = this.evalPipelineValue(dot, node.pipe);
    const decl = node.pipe.decl;
    const iterations: [GoValue, GoValue][] = [];
    if (Array.isArray(val)) val.forEach((e, i) => iterations.push([BigInt(i), e]));
    else if (val instanceof Map) for (const k of sortedKeys(val)) iterations.push([k, val.get(k)]);
    else if (typeof val === 'bigint') {
      if (decl.length > 1) this.fail(node, `can't use ${val} to iterate over more than one variable`);
      if (val > BigInt(this.limits.maxSteps)) this.limit(node, `range over ${val} exceeds the step limit`);
      for (let i = 0n; i < val; i++) iterations.push([i, i]);
    } else if (val !== undefined && val !== null) this.fail(node, `range can't iterate over ${formatV(val)}`);
    if (!node.pipe.isAssign) for (const d of decl) this.vars.push({ name: d, value: undefined });
    try {
      for (const [index, elem] of iterations) {
        if (node.pipe.isAssign) {
          if (decl.length > 1) {
            this.setVar(node, decl[0] ?? '', index);
            this.setVar(node, decl[1] ?? '', elem);
          } else if (decl.length === 1) this.setVar(node, decl[0] ?? '', elem);
        } else if (decl.length === 1) this.setTop(1, elem);
        else if (decl.length === 2) {
          this.setTop(1, elem);
          this.setTop(2, index);
        }
        const inner = this.vars.length;
        try {
          this.walk(elem, node.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = inner;
        }
      }
    } catch (e) {
      if (e !== BREAK) throw e;
    }
    this.vars.length = mark;
    if (iterations.length === 0 && node.elseList !== undefined) this.walk(dot, node.elseList);
  }

  // ── variables ───────────────────────────────────────────────────────────

  private setTop(n: number, value: GoValue): void {
    const v = this.vars[this.vars.length - n];
    if (v !== undefined) v.value = value;
  }

  private setVar(node: { pos: number; end: number }, name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v?.name === name) {
        v.value = value;
        return;
      }
    }
    this.fail(node, `undefined variable: ${name}`);
  }

  private varValue(node: { pos: number; end: number }, name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v?.name === name) return v.value;
    }
    return this.fail(node, `undefined variable: ${name}`);
  }

  // ── pipelines and commands ──────────────────────────────────────────────

  /** Evaluates a pipeline and binds its declarations. */
  private evalPipeline(dot: GoValue, pipe: Pipe): GoValue {
    const value = this.evalPipelineValue(dot, pipe);
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(pipe, d, value);
      else this.vars.push({ name: d, value });
    }
    return value;
  }

  private evalPipelineValue(dot: GoValue, pipe: Pipe): GoValue {
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    // An interface{} holding nil is an invalid value after the pipeline (Go's "lovely" unwrap).
    return value === MISSING || value === null ? undefined : value;
  }

  private notAFunction(cmd: Command, final: Final): void {
    if (cmd.args.length > 1 || final !== MISSING) this.fail(cmd, `can't give argument to non-function ${this.context(cmd.args[0] ?? cmd)}`);
  }

  private evalCommand(dot: GoValue, cmd: Command, final: Final): GoValue {
    this.step(cmd);
    const first = cmd.args[0];
    if (first === undefined) return this.fail(cmd, 'empty command');
    switch (first.type) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.idents, cmd.args, final);
      case 'chain': {
        if (first.node.type === 'nil') this.fail(first, `indirection through explicit nil in ${this.context(first)}`);
        const recv = this.evalArg(dot, first.node, 'any');
        return this.evalFieldChain(dot, recv, first, first.fields, cmd.args, final);
      }
      case 'identifier':
        return this.evalFunction(dot, first.name, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd, final);
        return this.evalPipelineNested(dot, first.pipe);
      case 'variable': {
        const v = this.varValue(first, first.idents[0] ?? '$');
        if (first.idents.length === 1) {
          this.notAFunction(cmd, final);
          return v;
        }
        return this.evalFieldChain(dot, v, first, first.idents.slice(1), cmd.args, final);
      }
    }
    this.notAFunction(cmd, final);
    switch (first.type) {
      case 'bool':
        return first.val;
      case 'dot':
        return dot;
      case 'nil':
        return this.fail(first, 'nil is not a command');
      case 'number':
        return first.num.ideal === 'int' && first.num.int !== undefined ? first.num.int : (first.num.float ?? 0);
      case 'string':
        return first.val;
    }
  }

  /** A parenthesised pipeline: its declarations live until the enclosing control ends, as in Go. */
  private evalPipelineNested(dot: GoValue, pipe: Pipe): GoValue {
    if (this.depth + pipe.cmds.length > this.limits.maxDepth * 50) this.limit(pipe, 'pipeline nesting too deep');
    return this.evalPipeline(dot, pipe);
  }

  // ── fields and methods ──────────────────────────────────────────────────

  private evalFieldChain(
    dot: GoValue,
    receiver: GoValue,
    node: { pos: number; end: number },
    idents: readonly string[],
    args: readonly Arg[],
    final: Final,
  ): GoValue {
    let r = receiver;
    const n = idents.length;
    for (let i = 0; i < n; i++) {
      const last = i === n - 1;
      r = this.evalField(dot, idents[i] ?? '', node, last ? args : [], last ? final : MISSING, r);
    }
    return r;
  }

  private evalField(
    dot: GoValue,
    name: string,
    node: { pos: number; end: number },
    args: readonly Arg[],
    final: Final,
    receiver: GoValue,
  ): GoValue {
    // undefined is Go's invalid value (a pipeline's nil result, through a variable or parentheses):
    // a field of it is the zero value. null is a nil interface{} (a map entry, missing or nil): an error.
    if (receiver === undefined) return undefined;
    if (receiver === null) return this.fail(node, `nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const m = receiver.methods.get(name);
      if (m !== undefined) {
        const argv = args.slice(1).map((a) => this.evalArg(dot, a, 'any'));
        if (final !== MISSING) argv.push(final);
        return this.invoke(node, name, m, argv);
      }
      if (receiver.fields.has(name)) {
        if (hasArgs) this.fail(node, `${name} has arguments but cannot be invoked as function`);
        return receiver.fields.get(name);
      }
      return this.fail(node, `can't evaluate field ${name} in type ${receiver.typeName}`);
    }
    // A named map or slice type's method comes before a map key (Go looks methods up first).
    const method = receiver instanceof Map || Array.isArray(receiver) ? methodOf(receiver, name) : undefined;
    if (method !== undefined) {
      const argv = args.slice(1).map((a) => this.evalArg(dot, a, 'any'));
      if (final !== MISSING) argv.push(final);
      return this.invoke(node, name, method, argv);
    }
    if (receiver instanceof Map) {
      if (hasArgs) this.fail(node, `${name} is not a method but has arguments`);
      const v = receiver.get(name);
      if (this.reader !== undefined) this.reader(receiver, name, v, this.tree.source, node.pos);
      return v === undefined ? null : v;
    }
    return this.fail(node, `can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private invoke(node: { pos: number; end: number }, name: string, f: (...a: GoValue[]) => GoValue, argv: GoValue[]): GoValue {
    try {
      return f(...argv);
    } catch (e) {
      return this.rethrow(node, name, e);
    }
  }

  private rethrow(node: { pos: number; end: number }, name: string, e: unknown): never {
    if (e instanceof ExecFailure) {
      // Go wraps a nested template's error in the caller's ("error calling include: …"); the
      // span stays the innermost node's.
      const prefix = `template: ${this.location(node.pos)}: executing ${JSON.stringify(this.tree.name)} at <${this.context(node)}>: error calling ${name}: `;
      throw new ExecFailure(prefix + e.message, e.kind, e.source, e.srcStart, e.srcEnd, e.func, e.userMessage);
    }
    if (e instanceof UserFail) this.fail(node, `error calling ${name}: ${e.message}`, e.kind, undefined, e.message);
    if (e instanceof Unsupported) this.fail(node, e.message, 'unsupported', e.func);
    if (e instanceof FuncError) this.fail(node, `error calling ${name}: ${e.message}`);
    if (e instanceof LimitExceeded) this.limit(node, e.message);
    if (e instanceof RangeError) this.limit(node, `error calling ${name}: ${e.message}`);
    throw e;
  }

  // ── functions ───────────────────────────────────────────────────────────

  private evalFunction(dot: GoValue, name: string, cmd: Command, args: readonly Arg[], final: Final): GoValue {
    if (name === 'and' || name === 'or') return this.evalAndOr(dot, name, cmd, args, final);
    const f = this.funcs.get(name);
    if (f === undefined) return this.fail(cmd, `${JSON.stringify(name)} is not a defined function`, 'unsupported', name);
    const given = args.length - 1 + (final === MISSING ? 0 : 1);
    const fixed = f.params.length;
    if (f.variadic === undefined ? given !== fixed : given < fixed) {
      this.fail(cmd, `wrong number of args for ${name}: want ${f.variadic === undefined ? '' : 'at least '}${fixed} got ${given}`);
    }
    const argv: GoValue[] = [];
    for (let i = 1; i < args.length; i++) {
      const a = args[i];
      if (a !== undefined) argv.push(this.evalArg(dot, a, f.params[i - 1] ?? f.variadic ?? 'any'));
    }
    if (final !== MISSING) argv.push(this.checkType(cmd, final, f.params[given - 1] ?? f.variadic ?? 'any'));
    if (this.reader !== undefined) this.callPos = cmd.pos;
    try {
      return f.fn(argv, this);
    } catch (e) {
      return this.rethrow(cmd, name, e);
    }
  }

  /** Go 1.18+: and/or evaluate arguments left to right and stop at the deciding one. */
  private evalAndOr(dot: GoValue, name: 'and' | 'or', cmd: Command, args: readonly Arg[], final: Final): GoValue {
    const operands: (Arg | Final)[] = [...args.slice(1)];
    if (final !== MISSING) operands.push(final);
    if (operands.length === 0) this.fail(cmd, `wrong number of args for ${name}: want at least 1 got 0`);
    let v: GoValue = undefined;
    for (const op of operands) {
      v =
        typeof op === 'object' && op !== null && !Array.isArray(op) && !(op instanceof Map) && !(op instanceof GoStruct)
          ? this.evalArg(dot, op, 'any')
          : (op as GoValue);
      if (isTrue(v) === (name === 'or')) return v;
    }
    return v;
  }

  /** Evaluates an argument for a parameter of the given Go type (Go's evalArg). */
  evalArg(dot: GoValue, arg: Arg, typ: ParamType): GoValue {
    this.step(arg);
    switch (arg.type) {
      case 'dot':
        return this.checkType(arg, dot, typ);
      case 'nil':
        if (typ === 'any' || typ === 'list' || typ === 'map') return null;
        return this.fail(arg, `cannot assign nil to ${goType(typ)}`);
      case 'field':
        return this.checkType(arg, this.evalFieldChain(dot, dot, arg, arg.idents, [arg], MISSING), typ);
      case 'variable': {
        const v = this.varValue(arg, arg.idents[0] ?? '$');
        return this.checkType(
          arg,
          arg.idents.length === 1 ? v : this.evalFieldChain(dot, v, arg, arg.idents.slice(1), [arg], MISSING),
          typ,
        );
      }
      case 'pipe':
        return this.checkType(arg, this.evalPipelineNested(dot, arg.pipe), typ);
      case 'identifier':
        return this.checkType(arg, this.evalFunction(dot, arg.name, { args: [arg], pos: arg.pos, end: arg.end }, [arg], MISSING), typ);
      case 'chain': {
        if (arg.node.type === 'nil') this.fail(arg, `indirection through explicit nil in ${this.context(arg)}`);
        const recv = this.evalArg(dot, arg.node, 'any');
        return this.checkType(arg, this.evalFieldChain(dot, recv, arg, arg.fields, [arg], MISSING), typ);
      }
    }
    // Constants take the parameter's type, as Go's untyped constants do.
    switch (typ) {
      case 'any':
        if (arg.type === 'number') return arg.num.ideal === 'int' && arg.num.int !== undefined ? arg.num.int : (arg.num.float ?? 0);
        return arg.val;
      case 'string':
        if (arg.type === 'string') return arg.val;
        return this.fail(arg, `expected string; found ${this.context(arg)}`);
      case 'bool':
        if (arg.type === 'bool') return arg.val;
        return this.fail(arg, `expected bool; found ${this.context(arg)}`);
      case 'int':
        if (arg.type === 'number' && arg.num.int !== undefined) return arg.num.int;
        return this.fail(arg, `expected integer; found ${this.context(arg)}`);
      case 'float':
        if (arg.type === 'number' && arg.num.float !== undefined) return arg.num.float;
        return this.fail(arg, `expected float; found ${this.context(arg)}`);
      default:
        return this.fail(arg, `can't handle ${this.context(arg)} for arg of type ${goType(typ)}`);
    }
  }

  private checkType(node: { pos: number; end: number }, v: GoValue, typ: ParamType): GoValue {
    if (typ === 'any') return v;
    if (v === undefined || v === null) {
      if (typ === 'list' || typ === 'map') return null;
      return this.fail(node, `invalid value; expected ${goType(typ)}`);
    }
    const ok =
      (typ === 'string' && typeof v === 'string') ||
      (typ === 'int' && typeof v === 'bigint') ||
      (typ === 'float' && typeof v === 'number') ||
      (typ === 'bool' && typeof v === 'boolean') ||
      (typ === 'list' && Array.isArray(v)) ||
      (typ === 'map' && v instanceof Map);
    if (!ok) this.fail(node, `wrong type for value; expected ${goType(typ)}; got ${typeName(v)}`);
    return v;
  }

  // ── Helm's include and tpl ──────────────────────────────────────────────

  include(name: string, data: GoValue): string {
    const t = this.templates.get(name);
    if (t === undefined) throw new FuncError(`template: no template ${JSON.stringify(name)} associated with template "gotpl"`);
    if (this.depth >= this.limits.maxDepth)
      throw new LimitExceeded(
        `rendering template has a nested reference name: ${name}: unable to execute template (depth limit ${this.limits.maxDepth})`,
      );
    const saved = this.out;
    this.out = new Output(this.limits.maxOutput);
    try {
      this.callTree(t, data);
      const text = this.out.text();
      saved.addProvenance(text, this.out);
      return text;
    } finally {
      this.out = saved;
    }
  }

  tpl(text: string, data: GoValue): string {
    let name = 'gotpl';
    if (data instanceof Map) {
      const t = data.get('Template');
      const n = t instanceof Map ? t.get('Name') : t instanceof GoStruct ? t.fields.get('Name') : undefined;
      if (typeof n === 'string') name = n;
    }
    const parsed = this.parseTpl(name, text);
    if (parsed.error !== undefined) throw new FuncError(`cannot parse template ${JSON.stringify(text)}: ${parsed.error.message}`);
    const main = parsed.trees[0];
    if (main === undefined) return '';
    const savedTemplates = this.templates;
    // The text's own templates over the set's, without copying the set (tpl may run in a loop).
    const own = new Map<string, Tree>();
    for (const t of parsed.trees.slice(1)) own.set(t.name, t);
    own.set(name, main);
    const overlay: TemplateLookup = { get: (n) => own.get(n) ?? savedTemplates.get(n) };
    if (this.depth >= this.limits.maxDepth) throw new LimitExceeded(`tpl nested too deeply (depth limit ${this.limits.maxDepth})`);
    this.templates = overlay;
    const saved = this.out;
    this.out = new Output(this.limits.maxOutput);
    try {
      this.callTree(main, data);
      return this.out.text().split('<no value>').join('');
    } catch (e) {
      if (e instanceof ExecFailure && e.kind === 'exec')
        throw new FuncError(`error during tpl function execution for ${JSON.stringify(text)}: ${e.message}`);
      throw e;
    } finally {
      this.out = saved;
      this.templates = savedTemplates;
    }
  }
}

function goType(t: ParamType): string {
  switch (t) {
    case 'any':
      return 'interface {}';
    case 'float':
      return 'float64';
    case 'list':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    default:
      return t;
  }
}

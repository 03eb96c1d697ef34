/** What a template function is to the executor: typed parameters, a body, and the errors it may raise. */

import type { GoValue } from './values.js';

/**
 * Go parameter types the executor checks arguments against (reflect assignability as text/template
 * does): interface{}, string, int (and int64), float64, bool, []interface{}, map[string]interface{}.
 */
export type ParamType = 'any' | 'string' | 'int' | 'float' | 'bool' | 'list' | 'map';

export interface FuncEnv {
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
}

/** What Helm's engine-bound functions (include, tpl, required) need from the running execution. */
export interface CallContext {
  readonly env: FuncEnv;
  /** Executes a named template into a string (Helm's `include`). */
  include(name: string, data: GoValue): string;
  /** Parses and executes a string as a template (Helm's `tpl`). */
  tpl(text: string, data: GoValue): string;
  /** A deterministic pseudo-random uint32 (seeded per execution) for Sprig's rand* and uuidv4. */
  random(): number;
  /**
   * Called before a function writes into a map it was given (`set`, `unset`, `merge`): a write
   * into a map other templates also see (the values) is recorded (`ExecTracking.sharedWrite`).
   */
  writing?(m: Map<string, GoValue>): void;
  /** Called when a function reads a map's key (`index`, `get`, `dig`): `ReadHook`. */
  read?(m: Map<string, GoValue>, key: string, v: GoValue): void;
}

/**
 * Told of a map key a template read (`.a.b`, `$v.b`, `index`, `get`, `dig`): the map, the key, what
 * it held (undefined when absent), and where the read is (template source, offset).
 */
export type ReadHook = (m: Map<string, GoValue>, key: string, v: GoValue, source: string, pos: number) => void;

export interface FuncDef {
  readonly params: readonly ParamType[];
  /** Type of the trailing variadic parameter, if any. */
  readonly variadic?: ParamType;
  readonly fn: (args: GoValue[], ctx: CallContext) => GoValue;
}

/** A function's error: the executor reports it as `error calling <name>: <message>`. */
export class FuncError extends Error {}

/** Helm's `fail` and `required`: execution stops with the user's message. */
export class UserFail extends Error {
  constructor(
    message: string,
    readonly kind: 'fail' | 'required',
  ) {
    super(message);
  }
}

/** A function this engine cannot evaluate faithfully: the renderer falls back. */
export class Unsupported extends Error {
  constructor(
    readonly func: string,
    message?: string,
  ) {
    super(message ?? `function ${JSON.stringify(func)} is not supported by Kube Reach's Helm renderer`);
  }
}

/** Shorthand for a function definition. */
export function def(params: readonly ParamType[], fn: FuncDef['fn'], variadic?: ParamType): FuncDef {
  return variadic === undefined ? { params, fn } : { params, variadic, fn };
}

/** A bound of the execution was reached inside a function (include/tpl depth). */
export class LimitExceeded extends Error {}

/**
 * Helm's own template functions (helm.sh/helm/v3/pkg/engine funcs.go, as documented in Helm's
 * "Template Function List"): include, tpl, required, fail, lookup.
 */

import { FuncError, UserFail, def } from '../template/callable.js';
import type { FuncDef } from '../template/callable.js';
import type { GoValue } from '../template/values.js';

export const HELM_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['include', def(['string', 'any'], ([name, data], ctx) => ctx.include(String(name), data))],
  [
    'tpl',
    def(['string', 'any'], ([text, data], ctx) => {
      if (data !== null && data !== undefined && !(data instanceof Map)) throw new FuncError(`wrong type for value; expected chartutil.Values; got ${typeof data}`);
      return ctx.tpl(String(text), data);
    }),
  ],
  [
    'required',
    def(['string', 'any'], ([msg, val]) => {
      if (val === null || val === undefined || val === '') throw new UserFail(String(msg), 'required');
      return val;
    }),
  ],
  [
    'fail',
    def(['string'], ([msg]) => {
      throw new UserFail(String(msg), 'fail');
    }),
  ],
  // `helm template` has no cluster: lookup returns an empty map.
  ['lookup', def(['string', 'string', 'string', 'string'], (): GoValue => new Map())],
]);

/**
 * The Sprig and Helm function library (docs/dev/helm-functions.md lists which charts call which).
 * Each family lives in its own file; this map is what templates can call besides text/template's
 * built-ins (Helm's functions override Sprig's of the same name, as in Helm's engine).
 */

import type { FuncDef } from '../template/callable.js';
import { DETERMINISTIC_FUNCS } from './deterministic.js';
import { DICT_FUNCS } from './dicts.js';
import { GENERAL_FUNCS } from './general.js';
import { HELM_FUNCS } from './helm.js';
import { LIST_FUNCS } from './lists.js';
import { MATH_FUNCS } from './math.js';
import { STRING_FUNCS } from './strings.js';
import { URL_FUNCS } from './url.js';

export const FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ...STRING_FUNCS,
  ...LIST_FUNCS,
  ...DICT_FUNCS,
  ...MATH_FUNCS,
  ...GENERAL_FUNCS,
  ...DETERMINISTIC_FUNCS,
  ...URL_FUNCS,
  ...HELM_FUNCS,
]);

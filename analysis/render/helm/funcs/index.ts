/**
 * The Sprig and Helm function library (docs/dev/helm-functions.md lists which charts call which).
 * Each family lives in its own file; this map is what templates can call besides text/template's
 * built-ins.
 */

import type { FuncDef } from '../template/callable.js';
import { HELM_FUNCS } from './helm.js';
import { STRING_FUNCS } from './strings.js';

export const FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([...STRING_FUNCS, ...HELM_FUNCS]);

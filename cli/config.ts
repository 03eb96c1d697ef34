/**
 * Settings files (`.kube-reach.yaml`, `--config FILE`) and `--severity` for the CLI: every key must
 * be a setting of analysis/settingsSchema.ts and every code a check of the registry, or the run
 * stops with exit 2 and the file's line (docs/cli.md). Values are narrowed by `readSettings`, whose
 * problems are errors here too: CI must not pass on a configuration it half ignored.
 */

import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { CHECKS, editDistance, readSettings } from '../analysis/index.js';
import type { AnalysisSettings } from '../analysis/index.js';
import { SETTINGS } from '../analysis/index.js';
import { UsageError } from './io.js';

export const LEVELS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const CODES = new Set(CHECKS.flatMap((c) => [c.code, ...(c.aliases ?? [])]));

/** Keys that name the severity map (the setting and its short alias). */
const SEVERITY_KEYS = new Set(['diagnostics.severity', 'severity']);

/** A key that `.kube-reach.yaml` may hold: a setting, with or without `kubeReach.`, or `severity`. */
function settingOf(key: string): string | undefined {
  const k = key.startsWith('kubeReach.') ? key.slice('kubeReach.'.length) : key;
  if (k === 'severity') return 'diagnostics.severity';
  return Object.hasOwn(SETTINGS, k) ? k : undefined;
}

/** Did you mean: the known code or key closest to a misspelling (edit distance ≤ 3). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of candidates) {
    const d = editDistance(word, c, 3);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** The message for a code no check has. */
export function unknownCode(code: string): string {
  const near = closest(code, CODES);
  return `unknown check code "${code}"${near === undefined ? '' : ` (did you mean "${near}"?)`}; \`kube-reach rules\` lists them`;
}

/**
 * Reads one settings file on top of `base`. Throws a UsageError naming `file:line` for YAML
 * errors, unknown keys, unknown codes and values `readSettings` refuses.
 */
export function applyConfigFile(path: string, shown: string, base: AnalysisSettings): AnalysisSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new UsageError(`cannot read ${shown}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  return applyConfigText(text, shown, base);
}

export function applyConfigText(text: string, shown: string, base: AnalysisSettings): AnalysisSettings {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined): number =>
    node?.range === undefined || node.range === null ? 1 : lines.linePos(node.range[0]).line;
  const problems: string[] = [];
  for (const e of doc.errors) problems.push(`${shown}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0] ?? ''}`);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const where = new Map<string, number>();
  const root = doc.contents;
  if (root !== null && !isMap(root)) throw new UsageError(`${shown}:${lineOf(root)}: expected a map of settings (see docs/cli.md)`);
  /** Walks keys the way readSettings flattens them: nested maps join with `.` until a setting. */
  const walk = (node: YamlNode | null, prefix: string): void => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = prefix + (isScalar(keyNode) ? String(keyNode.value) : '');
      const line = lineOf(keyNode);
      where.set(key, line);
      const setting = settingOf(key);
      if (setting === undefined) {
        const valueNode = pair.value as YamlNode | null;
        const canNest =
          isMap(valueNode) &&
          [...Object.keys(SETTINGS), 'kubeReach'].some((k) => k.startsWith(key.replace(/^kubeReach\./, '') + '.') || k === key);
        if (canNest) walk(valueNode, key + '.');
        else {
          const near = closest(key.replace(/^kubeReach\./, ''), Object.keys(SETTINGS));
          problems.push(`${shown}:${line}: unknown setting "${key}"${near === undefined ? '' : ` (did you mean "${near}"?)`}`);
        }
        continue;
      }
      if (SETTINGS[setting]?.scope !== 'resource') {
        problems.push(`${shown}:${line}: "${key}" is an editor setting; set it in VS Code, not in ${shown}`);
        continue;
      }
      if (SEVERITY_KEYS.has(setting) && isMap(pair.value)) {
        for (const p of pair.value.items) {
          const codeNode = p.key as YamlNode | null;
          const code = isScalar(codeNode) ? String(codeNode.value) : '';
          where.set(`${key}.${code}`, lineOf(codeNode));
          if (!CODES.has(code)) problems.push(`${shown}:${lineOf(codeNode)}: ${unknownCode(code)}`);
        }
      }
    }
  };
  walk(root, '');
  const r = readSettings(doc.toJS(), base);
  for (const p of r.problems) {
    const key = p.slice(0, p.indexOf(':'));
    let line = 1;
    for (let k = key; k !== ''; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') {
      const l = where.get(k);
      if (l !== undefined) {
        line = l;
        break;
      }
    }
    problems.push(`${shown}:${line}: ${p}`);
  }
  if (problems.length > 0) throw new UsageError([...new Set(problems)].join('\n'));
  return r.settings;
}

/** `--severity code=level`, repeatable; unknown codes and levels are usage errors. */
export function applySeverityFlags(values: readonly string[], base: AnalysisSettings): AnalysisSettings {
  if (values.length === 0) return base;
  const sev: Record<string, string> = {};
  for (const s of values) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(s);
    if (m === null || !LEVELS.includes(m[2] ?? ''))
      throw new UsageError(`--severity expects code=level with level one of ${LEVELS.join(', ')} (got "${s}")`);
    const code = m[1] ?? '';
    if (!CODES.has(code)) throw new UsageError(`--severity: ${unknownCode(code)}`);
    sev[code] = m[2] ?? '';
  }
  return readSettings({ severity: sev }, base).settings;
}

/**
 * Helm's values.schema.json check (pkg/chart/common/util/jsonschema.go `ValidateAgainstSchema`):
 * before any template runs, `helm template`/`install`/`upgrade` validate the coalesced values
 * against the chart's values.schema.json and each enabled subchart's schema against its part of the
 * values (`values[<alias or name>]`, skipped when absent or null), and refuse the release when one
 * fails:
 *
 * ```
 * values don't meet the specifications of the schema(s) in the following chart(s):
 * mychart:
 * - at '/image/tag': got number, want string
 * ```
 */

import type { Bound, Values } from './values.js';
import type { GoValue } from './template/index.js';
import { compileSchema, draftOf } from './schema/compile.js';
import type { PatternRefusal, SchemaNode } from './schema/compile.js';
import { metaschemaError } from './schema/metaschema.js';
import type { MetaschemaError } from './schema/metaschema.js';
import { isRecord } from '../../narrow.js';
import { validate, violationLines } from './schema/validate.js';
import type { SchemaViolation } from './schema/validate.js';

/** The violations of one chart's schema. */
export interface SchemaFailure {
  /** The chart's name as Helm prints it (its alias for a subchart). */
  readonly chart: string;
  /** The chart's folder relative to the root chart's (`''`, `charts/sub`). */
  readonly chartPath: string;
  /** Where the chart's values are in the root chart's values (`[]`, `['sub']`). */
  readonly valuesAt: readonly string[];
  /** The violations, each with its place in the chart's values (`at`). */
  readonly violations: readonly SchemaViolation[];
  /** The schema itself is refused by its draft's metaschema (`violations` is then empty): places in the schema document. */
  readonly metaschema?: MetaschemaError;
}

export interface SchemaCheck {
  readonly failures: readonly SchemaFailure[];
  /** Helm's error text when a schema fails (`values don't meet …`), else undefined. */
  readonly message: string | undefined;
  /** Schemas not checked: not JSON, or a dialect Helm would load from elsewhere. */
  readonly problems: readonly string[];
}

/** Compiled schemas by text (a chart rendered again after an edit reads the same schema). */
const compiledCache = new Map<string, SchemaNode | MetaschemaError | string>();

function compiled(text: string): SchemaNode | MetaschemaError | string {
  const hit = compiledCache.get(text);
  if (hit !== undefined) return hit;
  let out: SchemaNode | MetaschemaError | string;
  try {
    const doc: unknown = JSON.parse(text);
    const draft = draftOf(isRecord(doc) ? doc['$schema'] : undefined);
    const refused = draft === undefined ? undefined : metaschemaError(doc, draft);
    const compileErrors: { pattern?: PatternRefusal } = {};
    const node = refused === undefined ? compileSchema(doc, compileErrors) : undefined;
    const bad = compileErrors.pattern;
    out =
      refused ??
      (bad === undefined
        ? undefined
        : { violations: [{ at: bad.at, message: bad.message, causes: [] }], message: bad.message, compile: true }) ??
      node ??
      'its $schema names a dialect that is not known here';
  } catch (e) {
    out = `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (compiledCache.size >= 32) compiledCache.delete(compiledCache.keys().next().value ?? '');
  compiledCache.set(text, out);
  return out;
}

function isMetaschemaError(c: SchemaNode | MetaschemaError): c is MetaschemaError {
  return typeof c === 'object' && 'message' in c && 'violations' in c;
}

/** Checks the values of a bound chart tree against its schemas as Helm does. */
export function checkValuesSchemas(root: Bound, values: Values): SchemaCheck {
  const failures: SchemaFailure[] = [];
  const problems: string[] = [];
  let text = '';
  const walk = (b: Bound, vals: Values, chartPath: string, valuesAt: readonly string[], depth: number): void => {
    const schema = b.chart.schema;
    if (schema !== undefined) {
      const c = compiled(schema);
      if (typeof c === 'string') problems.push(`${chartPath === '' ? '' : chartPath + '/'}values.schema.json: ${c}; not checked`);
      else if (isMetaschemaError(c)) {
        // Helm's compile error, with no line break after it (the validation errors end with one).
        failures.push({ chart: b.name, chartPath, valuesAt, violations: [], metaschema: c });
        text += `${b.name}:\n${c.message}`;
      } else {
        const o = validate(c, vals);
        if (o.error !== undefined) {
          const violations = o.error.kind === 'group' ? o.error.causes : [o.error];
          failures.push({ chart: b.name, chartPath, valuesAt, violations });
          text += `${b.name}:\n${violationLines(violations)}\n`;
        }
      }
    }
    if (depth >= 20) return;
    for (const s of b.subcharts) {
      const raw: GoValue = vals.get(s.name);
      if (raw === undefined || raw === null) continue;
      if (!(raw instanceof Map)) continue;
      walk(s, raw, `${chartPath === '' ? '' : chartPath + '/'}charts/${s.chart.dir ?? s.name}`, [...valuesAt, s.name], depth + 1);
    }
  };
  walk(root, values, '', [], 0);
  return {
    failures,
    message: text === '' ? undefined : `values don't meet the specifications of the schema(s) in the following chart(s):\n${text}`,
    problems,
  };
}

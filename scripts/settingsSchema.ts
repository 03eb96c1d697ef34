/**
 * Generated from the one settings definition (analysis/settingsSchema.ts) and the check registry:
 * package.json's `contributes.configuration.properties` (the editor's settings, with a property
 * per check code under `kubeReach.diagnostics.severity`, so settings.json completes them) and
 * schemas/kube-reach.schema.json, the JSON schema of `.kube-reach.yaml` that the YAML extension
 * applies through `contributes.yamlValidation`. `npm run docs` writes both;
 * test/cli/settings-schema.test.ts fails when either differs.
 */

import { CHECKS } from '../analysis/index.js';
import { SETTINGS } from '../analysis/settingsSchema.js';
import type { SettingSchema } from '../analysis/settingsSchema.js';

export const SCHEMA_PATH = 'schemas/kube-reach.schema.json';
const LEVELS = ['error', 'warning', 'information', 'hint', 'off'];

/** The severity map with one property per code (aliases included), each an enum of levels. */
function severitySchema(base: SettingSchema): SettingSchema {
  const properties: Record<string, unknown> = {};
  for (const c of CHECKS) {
    for (const code of [c.code, ...(c.aliases ?? [])]) {
      properties[code] = {
        type: 'string',
        enum: LEVELS,
        markdownDescription: `${c.summary} Default: \`${c.enabledByDefault === false ? 'off' : c.defaultSeverity}\`. [rules.md](docs/rules.md#${c.code})`,
      };
    }
  }
  return { ...base, properties };
}

/** package.json `contributes.configuration.properties`. */
export function contributedProperties(): Record<string, SettingSchema> {
  const out: Record<string, SettingSchema> = {};
  for (const [key, schema] of Object.entries(SETTINGS))
    out[`kubeReach.${key}`] = key === 'diagnostics.severity' ? severitySchema(schema) : schema;
  return out;
}

/** A setting as a JSON-schema property of `.kube-reach.yaml` (no editor-only fields). */
function fileProperty(schema: SettingSchema): Record<string, unknown> {
  const { scope: _scope, ...rest } = schema;
  return rest;
}

/** The JSON schema of `.kube-reach.yaml` (and `--config` files): the settings of resource scope. */
export function configFileSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SETTINGS)) {
    if (schema.scope !== 'resource') continue;
    properties[key] = fileProperty(key === 'diagnostics.severity' ? { ...severitySchema(schema), additionalProperties: false } : schema);
  }
  const severity = properties['diagnostics.severity'];
  properties['severity'] = severity;
  properties['diagnostics'] = { type: 'object', additionalProperties: false, properties: { severity } };
  // Other dotted keys may be nested as well (`helm: {valueFiles: …}`), as readSettings reads them.
  const groups = new Map<string, Record<string, unknown>>();
  for (const key of Object.keys(properties)) {
    const dot = key.indexOf('.');
    if (dot === -1 || key.startsWith('diagnostics.')) continue;
    const group = key.slice(0, dot);
    let g = groups.get(group);
    if (g === undefined) groups.set(group, (g = {}));
    g[key.slice(dot + 1)] = properties[key];
  }
  for (const [group, props] of groups) properties[group] = { type: 'object', additionalProperties: false, properties: props };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/kube-reach/kube-reach/blob/main/schemas/kube-reach.schema.json',
    title: 'Kube Reach settings (.kube-reach.yaml)',
    description:
      'Generated from analysis/settingsSchema.ts by `npm run docs`. The keys of the kubeReach.* settings; `severity` is short for `diagnostics.severity`.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}

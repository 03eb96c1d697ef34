/**
 * The metaschema check Helm's validator makes before it reads a values.schema.json (santhosh-tekuri/
 * jsonschema v6 `Compile`: a schema its draft's metaschema refuses is an error, and Helm refuses the
 * chart's values whatever they are):
 *
 * ```
 * "file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'
 * - at '': got number, want boolean or object
 * ```
 *
 * Only the keywords whose metaschema rules real charts break are checked (the schema's own type, `type`
 * names, `required` as a list of strings, `enum` as a list, number and count keywords, before 2019-09
 * a `pattern` Go's regexp refuses (`format: regex`, asserted in those drafts), and the
 * keywords holding subschemas, followed down): written here as small schemas with the structure of
 * each draft's metaschema (draft-07's `allOf` around a default, 2020-12's vocabularies under one
 * `allOf`), so the validator prints the library's tree for them. A violation of a rule not written
 * here is not found (the schema is then used as it is, as before). Drafts 04, 06, 07, 2019-09 and
 * 2020-12 are checked.
 */

import { compileSchema } from './compile.js';
import type { SchemaNode } from './compile.js';
import { validate, violationLines } from './validate.js';
import type { SchemaViolation } from './validate.js';
import { fromYamlValue } from '../template/index.js';

const SIMPLE_TYPES = { enum: ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'] };

/** A draft before 2019-09: one document, subschemas through `$ref: "#"`. */
function classic(draft: 4 | 6 | 7): Record<string, unknown> {
  const count = draft === 4 ? 'positiveInteger' : 'nonNegativeInteger';
  const map = { type: 'object', additionalProperties: { $ref: '#' }, default: {} };
  const array = { $ref: '#/definitions/schemaArray' };
  return {
    $schema: `http://json-schema.org/draft-0${draft}/schema#`,
    definitions: {
      schemaArray: { type: 'array', minItems: 1, items: { $ref: '#' } },
      [count]: { type: 'integer', minimum: 0 },
      [`${count}Default0`]: { allOf: [{ $ref: `#/definitions/${count}` }, { default: 0 }] },
      simpleTypes: SIMPLE_TYPES,
      stringArray:
        draft === 4
          ? { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true }
          : { type: 'array', items: { type: 'string' }, uniqueItems: true, default: [] },
    },
    type: draft === 4 ? 'object' : ['object', 'boolean'],
    properties: {
      type: {
        anyOf: [
          { $ref: '#/definitions/simpleTypes' },
          { type: 'array', items: { $ref: '#/definitions/simpleTypes' }, minItems: 1, uniqueItems: true },
        ],
      },
      required: { $ref: '#/definitions/stringArray' },
      enum: { type: 'array', minItems: 1, uniqueItems: true },
      minimum: { type: 'number' },
      maximum: { type: 'number' },
      maxLength: { $ref: `#/definitions/${count}` },
      minLength: { $ref: `#/definitions/${count}Default0` },
      maxItems: { $ref: `#/definitions/${count}` },
      minItems: { $ref: `#/definitions/${count}Default0` },
      // `format` is asserted in these drafts: a pattern Go's regexp refuses fails the metaschema.
      pattern: { type: 'string', format: 'regex' },
      properties: map,
      patternProperties: map,
      definitions: map,
      additionalProperties: draft === 4 ? { anyOf: [{ type: 'boolean' }, { $ref: '#' }], default: {} } : { $ref: '#' },
      items: { anyOf: [{ $ref: '#' }, { $ref: '#/definitions/schemaArray' }], default: {} },
      allOf: array,
      anyOf: array,
      oneOf: array,
      not: { $ref: '#' },
    },
  };
}

/**
 * Drafts 2019-09 and 2020-12: the vocabularies' metaschemas under one `allOf` (core, applicator,
 * validation, in the library's order). 2019-09's applicator takes `items` as one schema or a tuple
 * and has `additionalItems`, `unevaluatedItems` and `unevaluatedProperties`; 2020-12's has
 * `prefixItems` and `items` as one schema. Neither asserts `format` (a bad `pattern` is the
 * compiler's error, compile.ts `PatternRefusal`).
 */
function modern(draft: 2019 | 2020): Record<string, unknown> {
  const meta = { $ref: '#' };
  const map = { type: 'object', additionalProperties: meta, default: {} };
  const array = { $ref: '#/$defs/schemaArray' };
  const either = ['object', 'boolean'];
  return {
    $schema: draft === 2019 ? 'https://json-schema.org/draft/2019-09/schema' : 'https://json-schema.org/draft/2020-12/schema',
    allOf: [{ $ref: '#/$defs/core' }, { $ref: '#/$defs/applicator' }, { $ref: '#/$defs/validation' }],
    type: either,
    properties: { definitions: map },
    $defs: {
      core: { type: either, properties: { $defs: { type: 'object', additionalProperties: meta } } },
      applicator: {
        type: either,
        properties: {
          ...(draft === 2019
            ? {
                additionalItems: meta,
                unevaluatedItems: meta,
                items: { anyOf: [meta, array] },
                unevaluatedProperties: meta,
              }
            : { prefixItems: array, items: meta }),
          contains: meta,
          additionalProperties: meta,
          properties: map,
          patternProperties: map,
          dependentSchemas: map,
          propertyNames: meta,
          if: meta,
          then: meta,
          else: meta,
          allOf: array,
          anyOf: array,
          oneOf: array,
          not: meta,
        },
      },
      validation: {
        type: either,
        properties: {
          type: {
            anyOf: [
              { $ref: '#/$defs/simpleTypes' },
              { type: 'array', items: { $ref: '#/$defs/simpleTypes' }, minItems: 1, uniqueItems: true },
            ],
          },
          enum: { type: 'array', items: true },
          maximum: { type: 'number' },
          minimum: { type: 'number' },
          maxLength: { $ref: '#/$defs/nonNegativeInteger' },
          minLength: { $ref: '#/$defs/nonNegativeIntegerDefault0' },
          maxItems: { $ref: '#/$defs/nonNegativeInteger' },
          minItems: { $ref: '#/$defs/nonNegativeIntegerDefault0' },
          required: { $ref: '#/$defs/stringArray' },
        },
      },
      schemaArray: { type: 'array', minItems: 1, items: meta },
      nonNegativeInteger: { type: 'integer', minimum: 0 },
      nonNegativeIntegerDefault0: { $ref: '#/$defs/nonNegativeInteger', default: 0 },
      simpleTypes: SIMPLE_TYPES,
      stringArray: { type: 'array', items: { type: 'string' }, uniqueItems: true, default: [] },
    },
  };
}

/** The metaschema's location as the library prints it. */
const URLS: ReadonlyMap<number, string> = new Map([
  [4, 'http://json-schema.org/draft-04/schema#'],
  [6, 'http://json-schema.org/draft-06/schema#'],
  [7, 'http://json-schema.org/draft-07/schema#'],
  [2019, 'https://json-schema.org/draft/2019-09/schema#'],
  [2020, 'https://json-schema.org/draft/2020-12/schema#'],
]);

const compiled = new Map<number, SchemaNode | undefined>();

function metaschema(draft: number): SchemaNode | undefined {
  if (!compiled.has(draft)) {
    const doc = draft === 4 || draft === 6 || draft === 7 ? classic(draft) : draft === 2019 || draft === 2020 ? modern(draft) : undefined;
    compiled.set(draft, doc === undefined ? undefined : compileSchema(doc));
  }
  return compiled.get(draft);
}

/** A schema document its draft's metaschema refuses. */
export interface MetaschemaError {
  /** The violations, as the validator reports them (the outermost group opened). */
  readonly violations: readonly SchemaViolation[];
  /** Helm's error text: `"file:///values.schema.json#" is not valid against metaschema: …`. */
  readonly message: string;
  /** The metaschema passed and the compiler refused the schema (a `pattern` Go's regexp refuses in 2019-09 or 2020-12; `compile.ts` `PatternRefusal`). */
  readonly compile?: boolean;
}

/** What the metaschema of `draft` says of the parsed schema document `doc`; undefined when it passes or is not checked. */
export function metaschemaError(doc: unknown, draft: number): MetaschemaError | undefined {
  const meta = metaschema(draft);
  const url = URLS.get(draft);
  if (meta === undefined || url === undefined) return undefined;
  const outcome = validate(meta, fromYamlValue(doc));
  if (outcome.error === undefined) return undefined;
  const violations = outcome.error.kind === 'group' ? outcome.error.causes : [outcome.error];
  return {
    violations,
    message: `"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with '${url}'\n${violationLines(violations)}`,
  };
}

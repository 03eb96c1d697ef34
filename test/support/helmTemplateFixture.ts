/**
 * Renderer-suite fixtures (test/fixtures/helm-template/*.txt): each file holds cases, each case
 * starts with `=== <name>` and has sections `--- template [name]` (one or more; the first is
 * executed), `--- data` (YAML, dot), `--- output` (expected text, exact) and/or `--- error`
 * (`<kind>: <substring of the message>`), `--- env` (YAML: kubeVersion, apiVersions) and
 * `--- limits` (YAML: maxSteps, maxOutput, maxDepth). A section's text is the lines up to the next
 * marker, without the line break before the marker (and without the blank line that ends a case). Lines starting with `#` before the first case
 * are comments.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface TemplateCase {
  readonly file: string;
  readonly name: string;
  readonly templates: { name: string; text: string }[];
  readonly data: unknown;
  readonly output?: string;
  readonly error?: { kind: string; message: string };
  readonly env?: { kubeVersion?: string; apiVersions?: string[] };
  readonly limits?: { maxSteps?: number; maxOutput?: number; maxDepth?: number };
}

export const TEMPLATE_FIXTURES = join(__dirname, '..', 'fixtures', 'helm-template');

export function fixtureFiles(): string[] {
  return readdirSync(TEMPLATE_FIXTURES)
    .filter((f) => f.endsWith('.txt'))
    .sort();
}

export function readCases(file: string): TemplateCase[] {
  const lines = readFileSync(join(TEMPLATE_FIXTURES, file), 'utf8').split('\n');
  const cases: TemplateCase[] = [];
  let current: { name: string; sections: [string, string[]][] } | undefined;
  const flush = (): void => {
    if (current === undefined) return;
    // The blank line before the next case separates cases; it is not part of the last section.
    const lastSection = current.sections[current.sections.length - 1];
    if (lastSection !== undefined && lastSection[1][lastSection[1].length - 1] === '') lastSection[1].pop();
    const templates: { name: string; text: string }[] = [];
    let data: unknown = {};
    let output: string | undefined;
    let error: { kind: string; message: string } | undefined;
    let env: TemplateCase['env'];
    let limits: TemplateCase['limits'];
    for (const [header, body] of current.sections) {
      const text = body.join('\n');
      const [kind, arg] = header.split(/\s+/, 2);
      if (kind === 'template') templates.push({ name: arg ?? `t${templates.length === 0 ? '' : templates.length}`, text });
      else if (kind === 'data') data = parseYaml(text) ?? {};
      else if (kind === 'output') output = text;
      else if (kind === 'error') {
        const m = /^(\w+):\s?([\s\S]*)$/.exec(text.trim());
        if (m === null) throw new Error(`${file}: ${current.name}: error section must be "<kind>: <message>"`);
        error = { kind: m[1] ?? '', message: m[2] ?? '' };
      } else if (kind === 'env') env = parseYaml(text) as TemplateCase['env'];
      else if (kind === 'limits') limits = parseYaml(text) as TemplateCase['limits'];
      else throw new Error(`${file}: ${current.name}: unknown section ${header}`);
    }
    if (templates.length === 0) throw new Error(`${file}: ${current.name}: no template`);
    if (output === undefined && error === undefined) throw new Error(`${file}: ${current.name}: neither output nor error`);
    cases.push({
      file,
      name: current.name,
      templates,
      data,
      ...(output === undefined ? {} : { output }),
      ...(error === undefined ? {} : { error }),
      ...(env === undefined ? {} : { env }),
      ...(limits === undefined ? {} : { limits }),
    });
    current = undefined;
  };
  for (const line of lines) {
    const c = /^=== (.+)$/.exec(line);
    if (c !== null) {
      flush();
      current = { name: c[1] ?? '', sections: [] };
      continue;
    }
    if (current === undefined) continue;
    const s = /^--- (\w+.*)$/.exec(line);
    if (s !== null) {
      current.sections.push([s[1] ?? '', []]);
      continue;
    }
    const last = current.sections[current.sections.length - 1];
    if (last === undefined) throw new Error(`${file}: ${current.name}: text before the first section`);
    last[1].push(line);
  }
  flush();
  return cases;
}

/**
 * package.json contributions (docs/dev/design.md §1): the `kubeReach.*` settings carry the defaults the code
 * uses (analysis/settings.ts DEFAULT_SETTINGS), and every contributed command, snippet file and
 * grammar exists.
 */

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS } from '../../analysis/settings.js';

const root = join(__dirname, '..', '..');

interface Manifest {
  activationEvents?: string[];
  capabilities?: { untrustedWorkspaces?: { supported?: unknown }; virtualWorkspaces?: unknown };
  contributes?: {
    configuration?: { properties?: Record<string, { default?: unknown }> };
    commands?: Array<{ command: string; title: string; category?: string }>;
    menus?: Record<string, Array<{ command: string; when?: string }>>;
    snippets?: Array<{ language: string; path: string }>;
    grammars?: Array<{ scopeName: string; path: string; injectTo?: string[] }>;
  };
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const props = pkg.contributes?.configuration?.properties ?? {};

/** Settings key (after `kubeReach.`) of each analysis setting where the names differ. */
const KEY_OF: Record<string, string> = { severity: 'diagnostics.severity' };
/** Editor-only settings: not analysis settings. */
const EDITOR_ONLY = new Set(['trace.server', 'schemaAssist', 'server.maxMemoryMB', 'server.cache', 'server.parseWorkers']);

/** The analysis settings as `[key, default]`, groups (`helm: {valueFiles, …}`, `gatewayApi: {channel}`) as their dotted members. */
function settingEntries(): Array<[string, unknown]> {
  return Object.entries(DEFAULT_SETTINGS).flatMap(([field, value]): Array<[string, unknown]> =>
    field === 'helm' || field === 'gatewayApi'
      ? Object.entries(value as Record<string, unknown>).map(([k, v]) => [`${field}.${k}`, v])
      : [[field, value]],
  );
}

describe('package.json contributions', () => {
  it('every analysis setting is contributed with the default the code uses', () => {
    for (const [field, value] of settingEntries()) {
      const key = `kubeReach.${KEY_OF[field] ?? field}`;
      const prop = props[key];
      assert.ok(prop, `${key} is contributed`);
      assert.deepEqual(prop.default, value, `${key} default`);
    }
  });

  it('every contributed setting is an analysis setting or a known editor setting', () => {
    const fields = new Set(settingEntries().map(([f]) => KEY_OF[f] ?? f));
    for (const key of Object.keys(props)) {
      assert.ok(key.startsWith('kubeReach.'), key);
      const rest = key.slice('kubeReach.'.length);
      assert.ok(fields.has(rest) || EDITOR_ONLY.has(rest), `${key} is read by the code`);
    }
    assert.equal(props['kubeReach.trace.server']?.default, 'off');
  });

  it('commands live under kubeReach and the panel command is on YAML editor titles', () => {
    const commands = pkg.contributes?.commands ?? [];
    for (const c of commands) {
      assert.match(c.command, /^kubeReach\./);
      assert.equal(c.category, 'Kube Reach');
    }
    assert.ok(commands.some((c) => c.command === 'kubeReach.showReachability' && c.title === 'Preview Reachability'));
    assert.ok(
      (pkg.contributes?.menus?.['editor/title'] ?? []).some(
        (m) => m.command === 'kubeReach.showReachability' && m.when === 'resourceLangId == yaml',
      ),
    );
  });

  it('activates on YAML and declares workspace trust and virtual workspace support (docs/dev/design.md §1)', () => {
    assert.ok(pkg.activationEvents?.includes('onLanguage:yaml'));
    assert.ok(pkg.activationEvents?.includes('workspaceContains:**/*.{yaml,yml}'));
    assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, true);
    assert.equal(pkg.capabilities?.virtualWorkspaces, false);
  });

  it('snippet and grammar files exist and target YAML', () => {
    const snippets = pkg.contributes?.snippets ?? [];
    assert.ok(snippets.length > 0);
    for (const s of snippets) {
      assert.equal(s.language, 'yaml');
      assert.ok(existsSync(join(root, s.path)), s.path);
    }
    const grammars = pkg.contributes?.grammars ?? [];
    assert.ok(grammars.some((g) => g.injectTo?.includes('source.yaml')));
    for (const g of grammars) {
      const raw = JSON.parse(readFileSync(join(root, g.path), 'utf8')) as { scopeName?: string };
      assert.equal(raw.scopeName, g.scopeName, g.path);
    }
  });
});

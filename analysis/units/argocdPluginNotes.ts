/**
 * Notes on Argo CD sources rendered by a config management plugin that Kube Reach cannot run
 * (argocdPlugins.ts recognises only a generate step that is `kustomize build`). Argo CD's
 * repo-server hands the source folder to the plugin's sidecar, runs its `init` step, then its
 * `generate` step, whose standard output is the manifests; the Application's `plugin.env` entries
 * reach both as `ARGOCD_ENV_<name>`, beside the build environment (`$ARGOCD_APP_NAME`,
 * `$ARGOCD_APP_NAMESPACE`, …). None of that is run here, so the source's objects are not known:
 * one note on the source's `plugin` key says which plugin, and what it would run, instead of
 * silence. Nothing is guessed from the script.
 *
 * - a plugin the workspace defines: its `init` and `generate` commands, and the environment the
 *   generate step reads;
 * - a plugin without a name (Argo CD picks one by each sidecar plugin's `discover` rules over the
 *   repository's files), or a name the workspace does not define;
 * - a plugin defined only in `argocd-cm`'s `configManagementPlugins`: Argo CD 2.8 and later no
 *   longer run those (they were deprecated in 2.4 for sidecar plugins).
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { isMap, isScalar } from '../syntax/tree.js';
import type { ArgoNote } from './argocdSets.js';
import type { PluginDef } from './argocdPlugins.js';
import { ABSENCE_SILENT, notFetchedMessage } from '../text/notFetched.js';

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null ? String(n.value) : undefined;
}

/** A command for a message: one line, at most 80 characters. */
function shown(words: readonly string[]): string {
  const line = words.join(' ').replace(/\s+/g, ' ').trim();
  return line.length <= 80 ? line : `${line.slice(0, 79)}…`;
}

/** The build environment and `ARGOCD_ENV_` variables a script reads (`$X` or `${X}`), in order. */
function envReads(words: readonly string[]): string[] {
  const out = new Set<string>();
  for (const w of words)
    for (const m of w.matchAll(/\$\{?(ARGOCD_(?:ENV_[A-Za-z0-9_]+|APP_[A-Z_]+)|KUBE_VERSION|KUBE_API_VERSIONS)\b/g))
      out.add(`$${m[1] ?? ''}`);
  return [...out];
}

/** What a defined plugin would run, for the note. */
function runs(def: PluginDef): string {
  const parts: string[] = [];
  if (def.init !== undefined) parts.push(`its init step runs \`${shown(def.init)}\``);
  if (def.generate !== undefined) {
    const env = envReads([...(def.init ?? []), ...def.generate]);
    const reads = env.length > 0 ? ` reading ${env.slice(0, 4).join(', ')}${env.length > 4 ? ', …' : ''}` : '';
    parts.push(`its generate step runs \`${shown(def.generate)}\`${reads}`);
  } else parts.push('its generate step is not known here');
  return parts.join(', then ');
}

/** The note's message: what Argo CD runs, then what Kube Reach does not (text/notFetched.ts). */
function note(does: string): string {
  return notFetchedMessage(does, 'the objects of this source', {
    ours: 'Kube Reach runs only plugins whose generate step is `kustomize build`',
    tail: ABSENCE_SILENT,
  });
}

/**
 * The notes on an Application's sources rendered by a plugin Kube Reach does not run (`built`: those
 * it builds as `kustomize build`; `charts`: sources of this repository whose folder holds a chart,
 * which the plugin renders instead of Helm with the chart's defaults).
 */
export function sourcePluginNotes(
  sources: readonly YNode[],
  built: ReadonlySet<YNode>,
  plugins: () => ReadonlyMap<string, PluginDef>,
  charts: ReadonlySet<YNode> = new Set(),
): ArgoNote[] {
  const out: ArgoNote[] = [];
  for (const s of sources) {
    if (!isMap(s) || built.has(s) || get(s, 'plugin') === undefined) continue;
    const note = pluginNote(s, plugins());
    const name = known(get(get(s, 'plugin'), 'name'));
    // A chart in the source's folder is the plugin's to render: its own render (Helm, the chart's defaults) is not checked (units/structure.ts).
    const chart = charts.has(s)
      ? "; the chart its folder holds is the plugin's to render, so it is not also judged on its own with its default values"
      : '';
    if (note !== undefined)
      out.push({
        ...note,
        message: `${note.message}${chart}`,
        remote: name !== undefined ? `config management plugin "${name}"` : 'a config management plugin',
      });
  }
  return out;
}

/** The note on a source rendered by a plugin Kube Reach does not run (undefined for a source with no plugin). */
function pluginNote(source: YMap, plugins: ReadonlyMap<string, PluginDef>): ArgoNote | undefined {
  const plugin = get(source, 'plugin');
  if (plugin === undefined) return undefined;
  const at = get(plugin, 'name') ?? plugin;
  const nameNode = get(plugin, 'name');
  const name = known(nameNode);
  if (nameNode === undefined || (isScalar(nameNode) && (nameNode.value === '' || nameNode.value === null)))
    return {
      span: (isMap(source) ? source.pairs.find((p) => p.key === 'plugin')?.keySpan : undefined) ?? plugin.span,
      message: note(
        "Argo CD renders this source with the config management plugin it picks by discovery (each sidecar plugin's `discover` rules over the repository's files)",
      ),
    };
  if (name === undefined)
    return { span: at.span, message: note('Argo CD renders this source with a config management plugin named by a template') };
  const def = plugins.get(name);
  if (def === undefined)
    return {
      span: at.span,
      message: note(`Argo CD renders this source with config management plugin "${name}", which this workspace does not define`),
    };
  if (def.conflict === true)
    return {
      span: at.span,
      message: note(
        `Argo CD renders this source with config management plugin "${name}", which this workspace defines more than once, differently`,
      ),
    };
  if (def.legacy === true)
    return {
      span: at.span,
      message: note(
        `config management plugin "${name}" is defined only in argocd-cm's configManagementPlugins, which Argo CD 2.8 and later no longer run (sidecar plugins only); ${runs(def)}`,
      ),
    };
  return { span: at.span, message: note(`Argo CD renders this source with config management plugin "${name}": ${runs(def)}`) };
}

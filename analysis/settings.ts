/**
 * Analysis settings: the `kubeReach.*` keys that change what analysis reports. The same keys are
 * read from `.kube-reach.yaml` (CLI and server) and from editor settings. Values arrive as
 * `unknown` and are narrowed here, so a bad setting never breaks analysis.
 */

import type { SeveritySetting } from './types.js';
import { compileTemplateGlobs } from './syntax/templateFiles.js';
import { isRecord } from './narrow.js';

export interface ExternalNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** An ingress controller of one IngressClass (docs/dev/design.md §5): where its pods run and their labels. */
export type ClusterProfile = 'generic' | 'kubeadm' | 'eks' | 'gke' | 'aks' | 'openshift' | 'k3s' | 'rke2';

export const CLUSTER_PROFILES: readonly ClusterProfile[] = ['generic', 'kubeadm', 'eks', 'gke', 'aks', 'openshift', 'k3s', 'rke2'];

export interface DnsSetting {
  readonly namespaces?: readonly string[];
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly ports?: readonly number[];
}

/** The DNS model in force: the `dns` setting over the profile's defaults. */
export function dnsModel(s: AnalysisSettings): {
  namespaces: readonly string[];
  podLabels: Readonly<Record<string, string>>;
  ports: readonly number[];
} {
  const openshift = s.clusterProfile === 'openshift';
  return {
    namespaces: s.dns.namespaces ?? (openshift ? ['openshift-dns'] : ['kube-system']),
    podLabels: s.dns.podLabels ?? (openshift ? { 'dns.operator.openshift.io/daemonset-dns': 'default' } : { 'k8s-app': 'kube-dns' }),
    ports: s.dns.ports ?? (openshift ? [5353] : [53]),
  };
}

export interface IngressControllerSetting {
  readonly class: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * The data-plane pods of the Gateways of a GatewayClass controller (docs/dev/gateway-api.md §7):
 * `controllerName` (`*`: any other), where they run (absent: the Gateway's namespace) and their
 * labels, where `{gateway}` and `{namespace}` stand for the Gateway's name and namespace.
 */
export interface GatewayControllerSetting {
  readonly controllerName: string;
  readonly namespace?: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** How Helm charts are rendered (`kubeReach.helm.*`): the release and the values files per chart. */
export interface HelmSettings {
  /**
   * Values files per chart: a glob of chart folders (relative to the workspace root, e.g.
   * `charts/shop` or `charts/*`) → files over the chart's values.yaml, in order (relative to the
   * workspace root), as `helm template -f a.yaml -f b.yaml` takes them.
   */
  readonly valueFiles: Readonly<Record<string, readonly string[]>>;
  /** `.Release.Name` (helm template's default `release-name`). */
  readonly releaseName: string;
  /** `.Release.Namespace`; empty: not set (helm template renders `default`). */
  readonly namespace: string;
}

/**
 * The values files `kubeReach.helm.valueFiles` gives the chart in folder `chartDir` (a path or
 * URI): the files of every glob that matches the folder's path (its tail, as `templateGlobs`
 * match), in the order the map lists them, each once. Paths stay as written (relative to the
 * workspace root); the host resolves them.
 */
export function helmValueFilesFor(helm: HelmSettings, chartDir: string): string[] {
  const out: string[] = [];
  for (const [glob, files] of Object.entries(helm.valueFiles)) {
    if (!compileTemplateGlobs([glob.replace(/\/+$/, '')])(chartDir.replace(/\/+$/, ''))) continue;
    for (const f of files) if (!out.includes(f)) out.push(f);
  }
  return out;
}

export interface AnalysisSettings {
  /** Where floating (namespace-less) objects land for reachability. */
  readonly defaultNamespace: string;
  /** Per-code severity of the evidence tier; `off` disables the code. */
  readonly severity: Readonly<Record<string, SeveritySetting>>;
  /** Namespaces whose no-evidence findings are raised to the evidence tier. */
  readonly completeNamespaces: readonly string[];
  /** Namespaces that live outside the workspace, with their labels. */
  readonly externalNamespaces: readonly ExternalNamespace[];
  /** Globs of files to leave out (applied by whoever lists files). */
  readonly exclude: readonly string[];
  /** Files larger than this are skipped with a note. */
  readonly maxFileSizeMB: number;
  /** Where pod IPs live: ipBlocks overlapping these leave pod→pod verdicts undefined (semantics rule 15). */
  readonly podCIDRs: readonly string[];
  /** Where Service IPs live: an ipBlock inside them never matches (policies see pod IPs). */
  readonly serviceCIDRs: readonly string[];
  /** The ingress controller of each IngressClass (docs/dev/design.md §5). */
  readonly ingressControllers: readonly IngressControllerSetting[];
  /** The data-plane pods of Gateways, per GatewayClass controller (docs/dev/gateway-api.md §7). */
  readonly gatewayControllers: readonly GatewayControllerSetting[];
  /** Verdicts involving hostNetwork pods: `undefined` (semantics rule 24) or `ordinary` (treated like other pods). */
  readonly hostNetworkPods: 'undefined' | 'ordinary';
  /** The target Kubernetes release (`1.22`–`1.36`): API-server parity and `deprecated-api` follow it. */
  readonly kubernetesVersion: string;
  /** Which Gateway API channel the cluster's CRDs are (`auto`: from the workspace's Gateway API CRDs; docs/dev/api-rules.md GW51). */
  readonly gatewayApi: { readonly channel: GatewayApiChannel };
  /** The kind of cluster: fills in what the workspace cannot show (docs/dev/checks-spec.md §1.5), e.g. where DNS runs. */
  readonly clusterProfile: ClusterProfile;
  /** Where cluster DNS runs; unset fields come from `clusterProfile`. */
  readonly dns: DnsSetting;
  /** Files besides charts' `templates/` and `.tpl` files whose `{{ }}` is template syntax. */
  readonly templateGlobs: readonly string[];
  /** How Helm charts are rendered (`kubeReach.helm.valueFiles`, `.releaseName`, `.namespace`). */
  readonly helm: HelmSettings;
}

/** The Gateway API release channel whose CRDs a cluster runs; `auto`: as the workspace's Gateway API CRDs say. */
export type GatewayApiChannel = 'auto' | 'standard' | 'experimental';

export const DEFAULT_SETTINGS: AnalysisSettings = {
  defaultNamespace: 'default',
  severity: {},
  completeNamespaces: [],
  externalNamespaces: [],
  exclude: [],
  maxFileSizeMB: 5,
  serviceCIDRs: [],
  podCIDRs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'],
  ingressControllers: [{ class: 'nginx', namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }],
  gatewayControllers: [
    {
      controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
      namespace: 'envoy-gateway-system',
      podLabels: {
        'gateway.envoyproxy.io/owning-gateway-name': '{gateway}',
        'gateway.envoyproxy.io/owning-gateway-namespace': '{namespace}',
      },
    },
    { controllerName: '*', podLabels: { 'gateway.networking.k8s.io/gateway-name': '{gateway}' } },
  ],
  hostNetworkPods: 'undefined',
  kubernetesVersion: '1.35',
  gatewayApi: { channel: 'auto' },
  clusterProfile: 'generic',
  dns: {},
  templateGlobs: [],
  helm: { valueFiles: {}, releaseName: 'release-name', namespace: '' },
};

const LEVELS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Settings whose value is a map (not nested keys), with or without the `kubeReach.` prefix. */
const MAP_VALUED = new Set(['diagnostics.severity', 'severity', 'dns', 'helm.valueFiles']);

function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/**
 * Narrows untrusted settings (a `.kube-reach.yaml` document, `workspace/configuration` output).
 * Accepts both nested (`{diagnostics: {severity}}`) and flat (`{"diagnostics.severity"}`) keys.
 * Unknown keys and wrong types are reported in `problems` and ignored.
 */
export function readSettings(raw: unknown, base: AnalysisSettings = DEFAULT_SETTINGS): { settings: AnalysisSettings; problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings: base, problems };
  if (!isRecord(raw)) return { settings: base, problems: ['settings must be a map'] };
  const flat: Record<string, unknown> = {};
  const flatten = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix + k;
      if (isRecord(v) && !MAP_VALUED.has(key.startsWith('kubeReach.') ? key.slice('kubeReach.'.length) : key)) flatten(v, key + '.');
      else flat[key] = v;
    }
  };
  flatten(raw, '');
  let out: { -readonly [K in keyof AnalysisSettings]: AnalysisSettings[K] } = { ...base };
  for (const [key, value] of Object.entries(flat)) {
    const k = key.startsWith('kubeReach.') ? key.slice('kubeReach.'.length) : key;
    switch (k) {
      case 'defaultNamespace':
        if (typeof value === 'string' && value !== '') out.defaultNamespace = value;
        else problems.push(`${key}: expected a namespace name`);
        break;
      case 'diagnostics.severity':
      case 'severity': {
        if (!isRecord(value)) {
          problems.push(`${key}: expected a map of code to level`);
          break;
        }
        const sev: Record<string, SeveritySetting> = { ...out.severity };
        for (const [code, level] of Object.entries(value)) {
          if (typeof level === 'string' && LEVELS.includes(level)) sev[code] = level as SeveritySetting;
          else problems.push(`${key}.${code}: expected one of ${LEVELS.join(', ')}`);
        }
        out = { ...out, severity: sev };
        break;
      }
      case 'completeNamespaces': {
        const list = stringArray(value);
        if (list === undefined) problems.push(`${key}: expected a list of namespace names`);
        else out.completeNamespaces = list;
        break;
      }
      case 'templateGlobs': {
        const list = stringArray(value);
        if (list === undefined) problems.push(`${key}: expected a list of globs`);
        else out.templateGlobs = list;
        break;
      }
      case 'exclude': {
        const list = stringArray(value);
        if (list === undefined) problems.push(`${key}: expected a list of globs`);
        else out.exclude = list;
        break;
      }
      case 'externalNamespaces': {
        if (!Array.isArray(value)) {
          problems.push(`${key}: expected a list of {name, labels}`);
          break;
        }
        const list: ExternalNamespace[] = [];
        for (const item of value as unknown[]) {
          if (isRecord(item) && typeof item['name'] === 'string') {
            const labels: Record<string, string> = {};
            const rawLabels = item['labels'];
            if (isRecord(rawLabels)) for (const [lk, lv] of Object.entries(rawLabels)) if (typeof lv === 'string') labels[lk] = lv;
            list.push({ name: item['name'], labels });
          } else {
            problems.push(`${key}: each entry needs a name`);
          }
        }
        out.externalNamespaces = list;
        break;
      }
      case 'serviceCIDRs': {
        const list = stringArray(value);
        if (list === undefined) problems.push(`${key}: expected a list of CIDRs`);
        else out.serviceCIDRs = list;
        break;
      }
      case 'podCIDRs': {
        const list = stringArray(value);
        if (list === undefined) problems.push(`${key}: expected a list of CIDRs`);
        else out.podCIDRs = list;
        break;
      }
      case 'ingressControllers': {
        if (!Array.isArray(value)) {
          problems.push(`${key}: expected a list of {class, namespace, podLabels}`);
          break;
        }
        const list: IngressControllerSetting[] = [];
        for (const item of value as unknown[]) {
          if (isRecord(item) && typeof item['class'] === 'string' && typeof item['namespace'] === 'string') {
            const labels: Record<string, string> = {};
            const rawLabels = item['podLabels'];
            if (isRecord(rawLabels)) for (const [lk, lv] of Object.entries(rawLabels)) if (typeof lv === 'string') labels[lk] = lv;
            list.push({ class: item['class'], namespace: item['namespace'], podLabels: labels });
          } else {
            problems.push(`${key}: each entry needs a class and a namespace`);
          }
        }
        out.ingressControllers = list;
        break;
      }
      case 'gatewayControllers': {
        if (!Array.isArray(value)) {
          problems.push(`${key}: expected a list of {controllerName, namespace?, podLabels}`);
          break;
        }
        const list: GatewayControllerSetting[] = [];
        for (const item of value as unknown[]) {
          const ns = isRecord(item) ? item['namespace'] : undefined;
          if (isRecord(item) && typeof item['controllerName'] === 'string' && (ns === undefined || typeof ns === 'string')) {
            const labels: Record<string, string> = {};
            const rawLabels = item['podLabels'];
            if (isRecord(rawLabels)) for (const [lk, lv] of Object.entries(rawLabels)) if (typeof lv === 'string') labels[lk] = lv;
            list.push({ controllerName: item['controllerName'], ...(typeof ns === 'string' ? { namespace: ns } : {}), podLabels: labels });
          } else {
            problems.push(`${key}: each entry needs a controllerName (and a namespace, when given, is a string)`);
          }
        }
        out.gatewayControllers = list;
        break;
      }
      case 'hostNetworkPods':
        if (value === 'undefined' || value === 'ordinary') out.hostNetworkPods = value;
        else problems.push(`${key}: expected "undefined" or "ordinary"`);
        break;
      case 'kubernetesVersion': {
        // An unquoted 1.30 reads as the number 1.3, which is then out of range: quote versions.
        const text = typeof value === 'string' ? value.trim().replace(/^v/, '') : typeof value === 'number' ? String(value) : '';
        const m = /^1\.(\d+)(\.\d+)?$/.exec(text);
        const minor = m === null ? NaN : Number(m[1]);
        if (minor >= 22 && minor <= 36) out.kubernetesVersion = `1.${minor}`;
        else problems.push(`${key}: expected a Kubernetes version from "1.22" to "1.36" (a quoted string, e.g. "1.35")`);
        break;
      }
      case 'clusterProfile':
        if (typeof value === 'string' && (CLUSTER_PROFILES as readonly string[]).includes(value))
          out.clusterProfile = value as ClusterProfile;
        else problems.push(`${key}: expected one of ${CLUSTER_PROFILES.join(', ')}`);
        break;
      case 'dns': {
        if (!isRecord(value)) {
          problems.push(`${key}: expected {namespaces, podLabels, ports}`);
          break;
        }
        const dns: { namespaces?: string[]; podLabels?: Record<string, string>; ports?: number[] } = {};
        const ns = stringArray(value['namespaces']);
        if (ns !== undefined) dns.namespaces = ns;
        const labels = value['podLabels'];
        if (isRecord(labels))
          dns.podLabels = Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'));
        const ports = value['ports'];
        if (Array.isArray(ports))
          dns.ports = ports.filter((x): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0 && x < 65536);
        out.dns = dns;
        break;
      }
      case 'helm.valueFiles': {
        if (!isRecord(value)) {
          problems.push(`${key}: expected a map of chart glob to a list of values files`);
          break;
        }
        const files: Record<string, string[]> = {};
        for (const [glob, list] of Object.entries(value)) {
          const l = typeof list === 'string' ? [list] : stringArray(list);
          if (l === undefined) problems.push(`${key}.${glob}: expected a list of values files`);
          else files[glob] = l;
        }
        out.helm = { ...out.helm, valueFiles: files };
        break;
      }
      case 'gatewayApi.channel':
        if (value === 'auto' || value === 'standard' || value === 'experimental') out.gatewayApi = { channel: value };
        else problems.push(`${key}: expected "auto", "standard" or "experimental"`);
        break;
      case 'helm.releaseName':
        // Helm's release names are DNS labels of at most 53 characters.
        if (typeof value === 'string' && /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(value)) out.helm = { ...out.helm, releaseName: value };
        else problems.push(`${key}: expected a release name (lower-case letters, digits and '-', at most 53 characters)`);
        break;
      case 'helm.namespace':
        if (typeof value === 'string') out.helm = { ...out.helm, namespace: value };
        else problems.push(`${key}: expected a namespace name`);
        break;
      case 'maxFileSizeMB':
        if (typeof value === 'number' && value > 0) out.maxFileSizeMB = value;
        else problems.push(`${key}: expected a positive number`);
        break;
      default:
        // Editor-only settings (trace, schemaAssist, …) are not analysis settings.
        break;
    }
  }
  return { settings: out, problems };
}

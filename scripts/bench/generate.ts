/**
 * Seeded generator of realistic workspaces for the benchmark: namespaces of apps (Deployments and
 * StatefulSets with their Services, some Ingresses and NetworkPolicies, ConfigMaps), laid out the
 * way repositories are (one folder per namespace; some apps in one multi-document file, others
 * one file per object), with mistakes injected at a fixed rate and recorded as ground truth.
 *
 * The same seed and size always give the same files (a test checks this).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One injected mistake: the code that must be reported in `file`. */
export interface TruthEntry {
  /** Path relative to the workspace root, `/`-separated. */
  readonly file: string;
  readonly code: string;
  /** What was changed, for the mismatch list. */
  readonly note: string;
  /**
   * Lines `[from, to)` (0-based) of `file` the mistake's documents occupy, when `file` holds many
   * generated files' documents (a bundle): the code must be reported there.
   */
  readonly lines?: readonly [number, number];
}

/** An app whose workload and Service live in separate files (the bench's dependent-edit case). */
export interface SplitApp {
  readonly namespace: string;
  readonly name: string;
  /** The workload's file; its pod template carries the line `app: <name>`. */
  readonly workloadFile: string;
  /** The Service's file; it selects `app: <name>`. */
  readonly serviceFile: string;
}

/** What every bench over a generated workspace takes: sample counts, the seed, the server and a formatter. */
export interface GeneratedBenchOptions {
  readonly runs: number;
  readonly samples: number;
  readonly seed: number;
  /** The server's Node arguments (bench.ts `serverCommand`). */
  readonly serverCommand: readonly string[];
  readonly fmt: (ms: number) => string;
}

export interface GeneratedWorkspace {
  readonly seed: number;
  /** Kubernetes objects (YAML documents) in the workspace. */
  readonly manifests: number;
  /** Relative path → text, in generation order. */
  readonly files: ReadonlyMap<string, string>;
  readonly truth: readonly TruthEntry[];
  readonly splitApps: readonly SplitApp[];
}

/** mulberry32: small, fast, good enough for test data, identical on every platform. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACE_WORDS = [
  'shop',
  'payments',
  'search',
  'auth',
  'billing',
  'catalog',
  'media',
  'ledger',
  'mail',
  'ops',
  'analytics',
  'identity',
];
const APP_WORDS = [
  'cart',
  'checkout',
  'api',
  'web',
  'gateway',
  'worker',
  'indexer',
  'ranker',
  'session',
  'token',
  'invoice',
  'stock',
  'image',
  'thumb',
  'report',
  'notify',
  'queue',
  'cache',
  'store',
  'profile',
];
const TIERS = ['frontend', 'backend', 'data'];

/** Every kind of mistake, with how it is injected and the code that must report it. */
const MISTAKES = ['selector-typo', 'target-port', 'ingress-backend', 'ingress-port', 'netpol-near-miss', 'broken-yaml'] as const;
type Mistake = (typeof MISTAKES)[number];

const CODE: Readonly<Record<Mistake, string>> = {
  'selector-typo': 'service-selector-no-match',
  'target-port': 'service-target-port-unknown',
  'ingress-backend': 'ingress-backend-missing',
  'ingress-port': 'ingress-backend-port-missing',
  'netpol-near-miss': 'netpol-selects-nothing',
  'broken-yaml': 'yaml-syntax',
};

/** Swaps two adjacent letters in the middle of a name: a realistic typo, a near miss. */
function typo(name: string): string {
  const i = Math.max(1, Math.floor(name.length / 2) - 1);
  const a = name[i] ?? '';
  const b = name[i + 1] ?? '';
  if (a === b || a === '-' || b === '-') return name.slice(0, i) + 'x' + name.slice(i + 1);
  return name.slice(0, i) + b + a + name.slice(i + 2);
}

interface App {
  readonly ns: string;
  readonly name: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly tier: string;
  readonly port: number;
  readonly ingress: boolean;
  readonly policy: boolean;
  readonly configMap: boolean;
  readonly split: boolean;
  readonly mistake: Mistake | undefined;
}

function workload(a: App): string {
  const extra = a.kind === 'StatefulSet' ? `  serviceName: ${a.name}\n` : '';
  return `apiVersion: apps/v1
kind: ${a.kind}
metadata:
  name: ${a.name}
  namespace: ${a.ns}
  labels:
    app.kubernetes.io/part-of: ${a.ns}
spec:
${extra}  replicas: 2
  selector:
    matchLabels:
      app: ${a.name}
  template:
    metadata:
      labels:
        app: ${a.name}
        tier: ${a.tier}
    spec:
      containers:
        - name: main
          image: registry.example.com/${a.ns}/${a.name}:1.4.2
          ports:
            - name: http
              containerPort: ${a.port}
            - name: metrics
              containerPort: 9102
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            requests: {cpu: 50m, memory: 64Mi}
`;
}

function service(a: App): string {
  const selector = a.mistake === 'selector-typo' ? typo(a.name) : a.name;
  const target = a.mistake === 'target-port' ? 'htpp' : 'http';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${a.name}
  namespace: ${a.ns}
spec:
  selector:
    app: ${selector}
  ports:
    - name: http
      port: 80
      targetPort: ${target}
    - name: metrics
      port: 9102
      targetPort: metrics
`;
}

function ingress(a: App): string {
  const backend = a.mistake === 'ingress-backend' ? typo(a.name) : a.name;
  const port = a.mistake === 'ingress-port' ? a.port : 80;
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${a.name}
  namespace: ${a.ns}
spec:
  ingressClassName: nginx
  rules:
    - host: ${a.name}.${a.ns}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${backend}
                port:
                  number: ${port}
`;
}

function policy(a: App): string {
  const selected = a.mistake === 'netpol-near-miss' ? `${a.name}s` : a.name;
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-${a.name}
  namespace: ${a.ns}
spec:
  podSelector:
    matchLabels:
      app: ${selected}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: frontend
      ports:
        - port: http
${
  // Apps behind an Ingress admit the ingress controller too (one merged peer), as real ones must.
  a.ingress
    ? `    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
          podSelector:
            matchLabels:
              app.kubernetes.io/name: ingress-nginx
      ports:
        - port: http
`
    : ''
}`;
}

/**
 * The NetworkPolicy-heavy mix's policy (`generateWorkspace(…, 'netpol')`): ingress and egress,
 * a peer in other teams' namespaces by label and by expression, an ipBlock with an exception, DNS.
 * Its first `tier: frontend` is the same-namespace peer (the bench's reachability probe toggles it).
 */
function richPolicy(a: App, team: string): string {
  const selected = a.mistake === 'netpol-near-miss' ? `${a.name}s` : a.name;
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-${a.name}
  namespace: ${a.ns}
  labels:
    app.kubernetes.io/part-of: ${a.ns}
spec:
  podSelector:
    matchLabels:
      app: ${selected}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: frontend
      ports:
        - port: http
    - from:
        - namespaceSelector:
            matchLabels:
              team: ${team}
          podSelector:
            matchExpressions:
              - key: tier
                operator: In
                values: [backend, data]
      ports:
        - port: metrics
          protocol: TCP
${
  a.ingress
    ? `    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
          podSelector:
            matchLabels:
              app.kubernetes.io/name: ingress-nginx
      ports:
        - port: http
`
    : ''
}  egress:
    - to:
        - podSelector: {}
    - to:
        - namespaceSelector:
            matchExpressions:
              - key: team
                operator: In
                values: [${team}]
          podSelector:
            matchLabels:
              tier: backend
      ports:
        - port: 8443
          protocol: TCP
    - to:
        - ipBlock:
            cidr: 203.0.113.0/24
            except: [203.0.113.128/25]
      ports:
        - port: 443
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
`;
}

function configMap(a: App): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${a.name}-config
  namespace: ${a.ns}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
`;
}

function namespaceDoc(ns: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    team: ${ns.split('-')[0] ?? ns}
`;
}

function defaultDeny(ns: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
}

/** A ConfigMap file with a YAML syntax error, alone in its folder (so it silences nothing else). */
function brokenFile(ns: string, i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: broken-${i}
  namespace: ${ns}
data:
  settings: {retries: [3, timeout: 5s}
`;
}

/** Objects per app on average (workload, Service, ~40% Ingress, ~60% policy, ~30% ConfigMap). */
const OBJECTS_PER_APP = 3.3;

/**
 * The generator's mixes: `default`, and `netpol`, NetworkPolicy-heavy like many real platform
 * repositories (about 10,000 manifests in 7,000 files with 2,400 policies at size 10,000): most
 * apps have a policy with ingress and egress rules, peers in other teams' namespaces by label and
 * by expression, ipBlocks and DNS (`richPolicy`), fewer ConfigMaps, more apps split into files.
 */
export type Mix = 'default' | 'netpol';
export const MIXES: readonly Mix[] = ['default', 'netpol'];

interface MixShape {
  readonly objectsPerApp: number;
  readonly policy: number;
  readonly configMap: number;
  readonly split: number;
}

const SHAPES: Readonly<Record<Mix, MixShape>> = {
  default: { objectsPerApp: OBJECTS_PER_APP, policy: 0.6, configMap: 0.3, split: 0.5 },
  netpol: { objectsPerApp: 3.45, policy: 0.75, configMap: 0.2, split: 0.55 },
};
/** One app in this many carries a mistake. */
const MISTAKE_EVERY = 12;

/**
 * Generates a workspace of about `manifests` objects. Layout: `<namespace>/namespace.yaml`,
 * `<namespace>/<app>.yaml` (all-in-one) or `<namespace>/<app>/{workload,service,...}.yaml`;
 * broken files in `broken/<n>/config.yaml`.
 */
export function generateWorkspace(manifests: number, seed: number, mix: Mix = 'default'): GeneratedWorkspace {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const shape = SHAPES[mix];
  const appCount = Math.max(6, Math.round(manifests / shape.objectsPerApp));
  const nsCount = Math.max(2, Math.round(appCount / 25));
  const namespaces: string[] = [];
  for (let i = 0; i < nsCount; i++)
    namespaces.push(`${NAMESPACE_WORDS[i % NAMESPACE_WORDS.length] ?? 'ns'}-${Math.floor(i / NAMESPACE_WORDS.length)}`);
  const files = new Map<string, string>();
  const truth: TruthEntry[] = [];
  const splitApps: SplitApp[] = [];
  let count = 0;
  const add = (path: string, docs: readonly string[]): void => {
    files.set(path, docs.join('---\n'));
    count += docs.length;
  };
  for (const ns of namespaces) {
    add(`${ns}/namespace.yaml`, [namespaceDoc(ns), defaultDeny(ns)]);
  }
  let mistakeIndex = 0;
  for (let i = 0; i < appCount; i++) {
    const ns = pick(namespaces);
    let name = `${pick(APP_WORDS)}-${pick(APP_WORDS)}`;
    // Names are unique per namespace and never one typo apart from a sibling, so a near miss
    // points at exactly one app.
    name = `${name}-${i}`;
    const mistake = i % MISTAKE_EVERY === 5 ? MISTAKES[mistakeIndex++ % MISTAKES.length] : undefined;
    const kind = random() < 0.2 ? 'StatefulSet' : 'Deployment';
    const tier = pick(TIERS);
    const port = 8000 + Math.floor(random() * 100);
    const behindIngress = mistake === 'ingress-backend' || mistake === 'ingress-port' || (mistake === undefined && random() < 0.4);
    const app: App = {
      ns,
      name,
      kind,
      tier,
      port,
      ingress: behindIngress,
      // Every namespace denies ingress by default: an app behind an Ingress needs a policy admitting the controller.
      policy: mistake === 'netpol-near-miss' || (mistake === undefined && random() < shape.policy) || behindIngress,
      configMap: random() < shape.configMap,
      split: random() < shape.split,
      mistake: mistake === 'broken-yaml' ? undefined : mistake,
    };
    if (mistake === 'broken-yaml') {
      const path = `broken/${i}/config.yaml`;
      add(path, [brokenFile(ns, i)]);
      truth.push({ file: path, code: CODE['broken-yaml'], note: `${ns}/broken-${i}: unclosed flow sequence` });
    }
    const parts: Array<[string, string, Mistake | undefined]> = [
      ['workload', workload(app), undefined],
      ['service', service(app), app.mistake === 'selector-typo' || app.mistake === 'target-port' ? app.mistake : undefined],
    ];
    if (app.ingress)
      parts.push(['ingress', ingress(app), app.mistake === 'ingress-backend' || app.mistake === 'ingress-port' ? app.mistake : undefined]);
    // Another team's namespaces (the namespaces' `team` label) for the netpol mix's cross-namespace peers.
    const team = mix === 'netpol' ? (pick(namespaces).split('-')[0] ?? 'shop') : '';
    if (app.policy)
      parts.push([
        'policy',
        mix === 'netpol' ? richPolicy(app, team) : policy(app),
        app.mistake === 'netpol-near-miss' ? app.mistake : undefined,
      ]);
    if (app.configMap) parts.push(['config', configMap(app), undefined]);
    if (app.split) {
      const ext = random() < 0.2 ? 'yml' : 'yaml';
      for (const [part, text, m] of parts) {
        const path = `${ns}/${name}/${part}.${ext}`;
        add(path, [text]);
        if (m !== undefined) truth.push({ file: path, code: CODE[m], note: `${ns}/${name}: ${m}` });
      }
      if (app.mistake === undefined)
        splitApps.push({ namespace: ns, name, workloadFile: `${ns}/${name}/workload.${ext}`, serviceFile: `${ns}/${name}/service.${ext}` });
    } else {
      const path = `${ns}/${name}.yaml`;
      add(
        path,
        parts.map(([, text]) => text),
      );
      for (const [, , m] of parts) if (m !== undefined) truth.push({ file: path, code: CODE[m], note: `${ns}/${name}: ${m}` });
    }
  }
  return { seed, manifests: count, files, truth, splitApps };
}

/** Writes a generated workspace under `root` (which should be empty). */
export function writeWorkspace(root: string, ws: GeneratedWorkspace): void {
  const dirs = new Set<string>();
  for (const [rel, text] of ws.files) {
    const path = join(root, rel);
    const dir = dirname(path);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(path, text);
  }
}

/** A generated single-file bundle (T5): every document of a workspace in one `install.yaml`. */
export interface GeneratedBundle {
  readonly seed: number;
  readonly manifests: number;
  /** The bundle's path (relative, `/`-separated) → its text: one file. */
  readonly files: ReadonlyMap<string, string>;
  readonly truth: readonly TruthEntry[];
  /** Apps whose Service lies in the bundle without an injected mistake (for edits and hovers). */
  readonly apps: readonly SplitApp[];
}

/** A CustomResourceDefinition with an OpenAPI schema of `fields` properties, as operators ship them. */
function crd(group: string, kind: string, fields: number, random: () => number): string {
  const plural = `${kind.toLowerCase()}s`;
  const props: string[] = [];
  for (let i = 0; i < fields; i++) {
    const type = ['string', 'integer', 'boolean'][Math.floor(random() * 3)] ?? 'string';
    props.push(`                  field${i}:
                    description: Field ${i} of the ${kind} spec. Set it when the default does not fit; the operator
                      reconciles changes within a minute.
                    type: ${type}
`);
  }
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
  annotations:
    controller-gen.kubebuilder.io/version: v0.14.0
spec:
  group: ${group}
  names:
    kind: ${kind}
    listKind: ${kind}List
    plural: ${plural}
    singular: ${kind.toLowerCase()}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
${props.join('')}`;
}

/** A ConfigMap carrying a multi-document YAML file in a block scalar (its `---` lines are indented: content, not boundaries). */
function embeddedYamlConfigMap(ns: string, i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: embedded-${i}
  namespace: ${ns}
data:
  rules.yaml: |
    groups:
      - name: first
    ---
    groups:
      - name: second
    --- # a comment after the marker
    ...
`;
}

/** The 0-based line of an offset of `text`. */
function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

/**
 * A single multi-document file of about `targetBytes` (docs/dev/design.md §9, T5): an operator's
 * `install.yaml`, a `helm template` output or a cluster dump. It holds a generated workspace's
 * documents (its injected mistakes with them, except the documents that do not parse), CustomResourceDefinitions with large schemas at the
 * top as install bundles have them, and ConfigMaps that embed multi-document YAML in block scalars.
 */
export function generateBundle(targetBytes: number, seed: number, path = 'install.yaml'): GeneratedBundle {
  const random = rng(seed ^ 0x5bd1e995);
  // About 60% of the bytes are the workspace's documents (~450 bytes each), the rest CRDs.
  const ws = generateWorkspace(Math.round((targetBytes * 0.6) / 450), seed);
  const docs: string[] = [];
  let bytes = 0;
  const push = (doc: string): void => {
    docs.push(doc);
    bytes += doc.length + 4;
  };
  const crdBytes = targetBytes - [...ws.files.values()].reduce((n, t) => n + t.length, 0);
  for (let i = 0; bytes < crdBytes; i++)
    push(crd(`${NAMESPACE_WORDS[i % NAMESPACE_WORDS.length] ?? 'x'}.example.com`, `Widget${i}`, 120, random));
  let embedded = 0;
  // Where each generated file's documents start and end in the bundle (offsets), for its truth entries' lines.
  const placed = new Map<string, [number, number]>();
  // No document that fails to parse: the bundle is one unit, and a unit that did not parse completely
  // makes no absence claim (the false-positive firewall), so one broken document would silence every check.
  const broken = new Set(ws.truth.filter((t) => t.code === CODE['broken-yaml']).map((t) => t.file));
  for (const [file, text] of ws.files) {
    if (broken.has(file)) continue;
    const from = bytes;
    const parts = text.split(/^---\n/m);
    for (const doc of parts) push(doc);
    placed.set(file, [from, bytes - 4]);
    if (random() < 0.02) push(embeddedYamlConfigMap(file.slice(0, file.indexOf('/')), embedded++));
  }
  const text = docs.join('---\n');
  const lineOf = lineFinder(text);
  const truth = ws.truth
    .filter((t) => !broken.has(t.file))
    .map((t) => {
      const at = placed.get(t.file);
      return { ...t, file: path, ...(at !== undefined ? { lines: [lineOf(at[0]), lineOf(at[1]) + 1] as const } : {}) };
    });
  // The workload and Service of a split app are both in the bundle now.
  const apps = ws.splitApps.map((a) => ({ ...a, workloadFile: path, serviceFile: path }));
  return { seed, manifests: docs.length, files: new Map([[path, text]]), truth, apps };
}

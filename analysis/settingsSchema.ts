/**
 * The one definition of the `kubeReach.*` settings: type, default, allowed values, scope and
 * description. package.json's `contributes.configuration` and the JSON schema of
 * `.kube-reach.yaml` (schemas/kube-reach.schema.json) are generated from it by `npm run docs`
 * (test/cli/settings-schema.test.ts keeps them equal), and the CLI validates config keys against it.
 * `readSettings` (settings.ts) narrows the values; its defaults equal the ones here (tested).
 */

/** A JSON-schema fragment as VS Code's configuration contributions use it. */
export interface SettingSchema {
  readonly type: string;
  readonly default?: unknown;
  readonly scope: 'application' | 'window' | 'resource';
  readonly markdownDescription: string;
  readonly [extra: string]: unknown;
}

/** Keys without the `kubeReach.` prefix, in package.json order. */
export const SETTINGS: Readonly<Record<string, SettingSchema>> = {
  'diagnostics.severity': {
    type: 'object',
    default: {},
    additionalProperties: {
      type: 'string',
      enum: ['error', 'warning', 'information', 'hint', 'off'],
    },
    markdownDescription:
      'Severity per diagnostic code, e.g. `{"service-selector-no-match": "warning"}`; `off` disables a code. Applies to findings backed by evidence in the workspace.',
    scope: 'resource',
  },
  exclude: {
    type: 'array',
    items: {
      type: 'string',
    },
    default: [],
    markdownDescription: 'Glob patterns of files to leave out of the analysis, e.g. `**/charts/**`.',
    scope: 'resource',
  },
  templateGlobs: {
    type: 'array',
    items: {
      type: 'string',
    },
    default: [],
    markdownDescription:
      "Glob patterns of files whose `{{ }}` is template syntax, besides a Helm chart's `templates/` folder and `.tpl` files, e.g. `deploy/**/*.gotmpl.yaml`. Elsewhere `{{ }}` inside a string is plain text.",
    scope: 'resource',
  },
  'helm.valueFiles': {
    type: 'object',
    default: {},
    additionalProperties: {
      type: 'array',
      items: {
        type: 'string',
      },
    },
    markdownDescription:
      'Values files of Helm charts: a glob of chart folders (relative to the workspace root) → the files over the chart\'s `values.yaml`, in order, relative to the workspace root, e.g. `{"charts/shop": ["deploy/shop-prod.yaml"]}`. Used to render the chart (like `helm template -f`) and shown in hover on `.Values`.',
    scope: 'resource',
  },
  'helm.releaseName': {
    type: 'string',
    default: 'release-name',
    markdownDescription: "`.Release.Name` when rendering Helm charts (`helm template`'s default is `release-name`).",
    scope: 'resource',
  },
  'helm.namespace': {
    type: 'string',
    default: '',
    markdownDescription:
      '`.Release.Namespace` when rendering Helm charts. Empty: not set (templates see `default`, as with `helm template`).',
    scope: 'resource',
  },
  defaultNamespace: {
    type: 'string',
    default: 'default',
    markdownDescription: 'The namespace of objects that set none and that nothing (Kustomize, Helm) binds to a namespace.',
    scope: 'resource',
  },
  completeNamespaces: {
    type: 'array',
    items: {
      type: 'string',
    },
    default: [],
    markdownDescription:
      'Namespaces whose every object is in the workspace: findings that rely on absence are reported at their full severity there.',
    scope: 'resource',
  },
  externalNamespaces: {
    type: 'array',
    items: {
      type: 'object',
      required: ['name'],
      properties: {
        name: {
          type: 'string',
        },
        labels: {
          type: 'object',
          additionalProperties: {
            type: 'string',
          },
        },
      },
    },
    default: [],
    markdownDescription: 'Namespaces that exist in the cluster but not in the workspace, with their labels (for `namespaceSelector`).',
    scope: 'resource',
  },
  'server.maxMemoryMB': {
    type: 'number',
    default: 1024,
    minimum: 256,
    markdownDescription:
      "Heap limit of the Kube Reach language server, in megabytes (Node's `--max-old-space-size`). A 10,000-manifest workspace needs about 100 MB; the limit also makes the server collect garbage sooner. Applies when the server starts (**Kube Reach: Restart Server**).",
    scope: 'application',
  },
  'server.parseWorkers': {
    type: 'string',
    default: 'auto',
    pattern: '^(auto|[1-9][0-9]*)$',
    markdownDescription:
      "Threads that parse the workspace's manifests when the server reads them all (its first pass, a change of settings): `auto` is one per core, for workspaces of more than 2 MB of manifests; a number is that many threads, the server's own included (`1`: the server's own thread only). The results are the same either way. Applies when the server starts (**Kube Reach: Restart Server**).",
    scope: 'application',
  },
  'server.cache': {
    type: 'boolean',
    default: true,
    markdownDescription:
      "Keep the parsed manifests of this workspace in VS Code's storage folder for the extension (never in the workspace), so reopening the workspace reads them instead of parsing every file again. Entries are keyed by each file's content; a changed file is parsed again. Applies when the server starts (**Kube Reach: Restart Server**).",
    scope: 'window',
  },
  maxFileSizeMB: {
    type: 'number',
    default: 5,
    minimum: 0.1,
    markdownDescription: 'Files larger than this many megabytes are skipped, with a note in the output channel.',
    scope: 'resource',
  },
  podCIDRs: {
    type: 'array',
    items: {
      type: 'string',
    },
    default: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'],
    markdownDescription:
      'Where pod IPs live: a pod-to-pod verdict that depends on an `ipBlock` overlapping these ranges is reported as undefined.',
    scope: 'resource',
  },
  ingressControllers: {
    type: 'array',
    items: {
      type: 'object',
      required: ['class', 'namespace', 'podLabels'],
      properties: {
        class: {
          type: 'string',
        },
        namespace: {
          type: 'string',
        },
        podLabels: {
          type: 'object',
          additionalProperties: {
            type: 'string',
          },
        },
      },
    },
    default: [
      {
        class: 'nginx',
        namespace: 'ingress-nginx',
        podLabels: {
          'app.kubernetes.io/name': 'ingress-nginx',
        },
      },
    ],
    markdownDescription: 'The ingress controller pods of each IngressClass, for reachability through Ingresses.',
    scope: 'resource',
  },
  gatewayControllers: {
    type: 'array',
    items: {
      type: 'object',
      required: ['controllerName', 'podLabels'],
      properties: {
        controllerName: {
          type: 'string',
        },
        namespace: {
          type: 'string',
        },
        podLabels: {
          type: 'object',
          additionalProperties: {
            type: 'string',
          },
        },
      },
    },
    default: [
      {
        controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
        namespace: 'envoy-gateway-system',
        podLabels: {
          'gateway.envoyproxy.io/owning-gateway-name': '{gateway}',
          'gateway.envoyproxy.io/owning-gateway-namespace': '{namespace}',
        },
      },
      {
        controllerName: '*',
        podLabels: {
          'gateway.networking.k8s.io/gateway-name': '{gateway}',
        },
      },
    ],
    markdownDescription:
      "The data-plane pods of Gateway API Gateways, per GatewayClass `controllerName` (`*`: any other), for reachability through Gateways: where they run (no `namespace`: the Gateway's own) and their labels, in which `{gateway}` and `{namespace}` stand for the Gateway's name and namespace.",
    scope: 'resource',
  },
  hostNetworkPods: {
    type: 'string',
    enum: ['undefined', 'ordinary'],
    default: 'undefined',
    enumDescriptions: [
      'Verdicts that involve hostNetwork pods are reported as undefined: whether policies govern them depends on the network plugin.',
      'Treat hostNetwork pods like other pods (as some analyzers do).',
    ],
    markdownDescription: 'How reachability treats pods with `hostNetwork: true`.',
    scope: 'resource',
  },
  'gatewayApi.channel': {
    type: 'string',
    enum: ['auto', 'standard', 'experimental'],
    default: 'auto',
    enumDescriptions: [
      "As the workspace's Gateway API CustomResourceDefinitions say (their `gateway.networking.k8s.io/channel` annotation); none: unknown.",
      "The cluster runs the standard channel's CRDs: a field of the experimental channel only is an error (kubectl's strict decoding rejects the object).",
      "The cluster runs the experimental channel's CRDs: its fields are served, nothing is said about them.",
    ],
    markdownDescription:
      "Which Gateway API release channel's CRDs the cluster runs. With `standard` (set, or read from the workspace's CRDs with `auto`), a field only the experimental channel has (HTTPRoute `retry`, `sessionPersistence`, the `externalAuth` filter, …) is an `api-ignored-field` error; while the channel is unknown it is information.",
    scope: 'resource',
  },
  kubernetesVersion: {
    type: 'string',
    default: '1.35',
    pattern: '^1\\.(2[2-9]|3[0-6])$',
    patternErrorMessage: 'A Kubernetes minor version from 1.22 to 1.36, e.g. "1.35".',
    markdownDescription:
      'The Kubernetes release the manifests target (`1.22`–`1.36`). API-server parity checks (`api-*`) word and judge version-dependent rules for it, and `deprecated-api` reports apiVersions that it no longer serves.',
    scope: 'resource',
  },
  'trace.server': {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    markdownDescription: 'Traces the messages between VS Code and the Kube Reach language server in the "Kube Reach" output channel.',
    scope: 'window',
  },
  serviceCIDRs: {
    type: 'array',
    items: {
      type: 'string',
    },
    default: [],
    scope: 'resource',
    markdownDescription:
      'Service IP ranges of the cluster (e.g. `10.96.0.0/12`). An `ipBlock` inside them never matches: NetworkPolicies see pod IPs after the Service translation (`netpol-ipblock-service-ip`).',
  },
  clusterProfile: {
    type: 'string',
    enum: ['generic', 'kubeadm', 'eks', 'gke', 'aks', 'openshift', 'k3s', 'rke2'],
    default: 'generic',
    scope: 'resource',
    markdownDescription:
      'The kind of cluster the manifests are for. It fills in what the workspace cannot show, such as where cluster DNS runs (`openshift`: `openshift-dns`, port 5353).',
  },
  dns: {
    type: 'object',
    default: {},
    scope: 'resource',
    properties: {
      namespaces: {
        type: 'array',
        items: {
          type: 'string',
        },
      },
      podLabels: {
        type: 'object',
        additionalProperties: {
          type: 'string',
        },
      },
      ports: {
        type: 'array',
        items: {
          type: 'integer',
        },
      },
    },
    markdownDescription:
      'Where cluster DNS runs: `{namespaces, podLabels, ports}`; unset fields come from `kubeReach.clusterProfile` (generic: `kube-system`, `k8s-app: kube-dns`, 53). Used by `netpol-egress-blocks-dns`.',
  },
  schemaAssist: {
    type: 'string',
    enum: ['auto', 'on', 'off'],
    default: 'auto',
    scope: 'window',
    markdownDescription:
      "Who shows the Kubernetes API field docs in hover and the schema keys in completion: `on` (Kube Reach), `off` (leave them to another extension), or `auto` (off when Red Hat's YAML extension is installed, which shows them from its schema). Workspace facts and values are always shown. Takes effect when the server restarts.",
  },
};

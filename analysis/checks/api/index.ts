/**
 * API-server parity checks (docs/dev/design.md §3.2): one code per rule family of
 * docs/dev/api-rules.md §A.3–A.10, plus `deprecated-api` (§A.16). The findings are
 * computed at lowering time (analysis/model/apiValidation.ts); these checks only report them.
 * `rows.ts` maps every research row id to its code and fixtures.
 */

import type { Check } from '../support/check.js';
import type { Severity } from '../../types.js';
import { reportApiFindings } from './storedFindings.js';

interface Family {
  readonly code: string;
  readonly summary: string;
  readonly what: string;
  readonly example: readonly string[];
  readonly fix: string;
  readonly severity?: Severity;
}

const COMMON = [
  'The message is the API server\'s own (field path, "Invalid value" / "Unsupported value" / "Required value" /',
  '"Duplicate value", the detail), and `data.rule` carries the row id of docs/dev/api-rules.md. Kube Reach',
  'never judges Kustomize patches or templated values; a name holding an upper-case word of four or more characters',
  'between its `-`/`.` separators (`REPLACEME-canary`, `ROLLOUT_NAME-active`) is a placeholder that a test harness or',
  'install script replaces, an unknown value (mixed-case names such as `MyApp` stay errors), and so is a name of',
  'upper-case words between spaces (`FILLED BY THE OPERATOR`). An object of nothing but apiVersion, kind and metadata',
  '(a deletion list) has its metadata checked, not the required fields of a spec it does not have. In files a Kustomize build',
  'reaches it also leaves out what the build may supply or change: the workload selector and template labels,',
  '`metadata.namespace`, missing Service ports and port names, and fields that depend on the Service type. A name the',
  'build changes (a Namespace object is named after `namespace:`; namePrefix/nameSuffix) is judged as built:',
  "`namePrefix: Web_` makes every renamed name invalid, reported on the object's name with the built name and the root",
  'that builds it. Rules that depend on a feature gate or on',
  "`kubeReach.kubernetesVersion` are warnings. Gateway API objects are checked against their CRDs' schemas and CEL",
  'rules (Gateway API v1.5.1): required fields, enums, ranges, patterns, string lengths and list limits, listener rules by protocol,',
  'parentRef sections, filters (redirect, rewrite, mirror, CORS), timeouts and TLS/TCP/UDP routes, worded as the API',
  'server words custom-resource errors; as on the server, CEL findings wait until an object has no schema error.',
  "In a Go module's `testdata` folder (a `go.mod` above it; the go tool leaves the folder out and the module's tests",
  'read its files as inputs or goldens, often invalid on purpose) these findings are information and say why.',
].join('\n');

function apiCheck(f: Family): Check {
  return {
    code: f.code,
    defaultSeverity: f.severity ?? 'error',
    summary: f.summary,
    doc: [f.what, '', COMMON, '', '```yaml', ...f.example, '```', '', `**Fix:** ${f.fix}`].join('\n'),
    run(ctx) {
      reportApiFindings(ctx, f.code);
    },
  };
}

const FAMILIES: readonly Family[] = [
  {
    code: 'api-required-value',
    summary: 'A field the API server requires is missing (metadata.name, Service ports, pathType, containerPort, …).',
    what: "The API server rejects the object because a required field is missing or empty: `metadata.name`, `spec.ports` of a non-headless Service, the name of each port of a multi-port Service, an Ingress path's `pathType`, a backend port, `containerPort`, a container name, a workload's `spec.selector`, an ipBlock's `cidr`, a NetworkPolicy peer, a Gateway API object's `spec` (reported on its `kind`: a GatewayClass whose `controllerName` is not indented under `spec`; ReferenceGrant's from Gateway API v1.6 and GRPCRoute's from v1.4, silent where the workspace installs older CRDs). Fields the server defaults (protocol, type, targetPort, …) are never reported.",
    example: [
      'paths:',
      '  - path: /',
      '    backend: {service: {name: web, port: {number: 80}}}   # spec.rules[0].http.paths[0].pathType: Required value',
    ],
    fix: 'add the field. For a missing `pathType` the quick-fix adds `ImplementationSpecific`, the value that keeps what the controller did before.',
  },
  {
    code: 'api-invalid-name',
    summary: 'An object, namespace, container or referenced name breaks the DNS rules the API server enforces.',
    what: 'Names are DNS names: Services use DNS-1035 labels (a letter first), Namespaces and containers DNS-1123 labels (no dots), most other kinds DNS-1123 subdomains (lower case). The same rules apply to `metadata.namespace`, Ingress backend Service names, TLS Secret names, `ingressClassName`, backend resources and Namespace finalizers. A Service name starting with a digit is a warning from 1.34 on (the `RelaxedServiceNameValidation` gate accepts it).',
    example: [
      'kind: Service',
      'metadata:',
      "  name: Web_API     # a DNS-1035 label must consist of lower case alphanumeric characters or '-', …",
    ],
    fix: 'rename to lower-case letters, digits and `-` (and `.` where a subdomain is allowed), updating references.',
  },
  {
    code: 'api-invalid-label-key',
    summary: 'A label, annotation or selector key (or appProtocol, loadBalancerClass) is not a valid qualified name.',
    what: 'Label keys, annotation keys, selector keys, `appProtocol` and `loadBalancerClass` are qualified names: an optional DNS-subdomain prefix and `/`, then up to 63 characters of letters, digits, `-`, `_` and `.` that start and end alphanumeric.',
    example: ['metadata:', '  labels:', '    app name: web     # metadata.labels: Invalid value: "app name": name part must consist of …'],
    fix: 'use `-` or `_` instead of spaces and other characters; at most one `/`.',
  },
  {
    code: 'api-invalid-label-value',
    summary:
      'A label or selector value is longer than 63 characters, has characters the API server refuses, or is not a string (`yes`, `1.0` unquoted).',
    what: 'Label values (in `metadata.labels`, pod template labels, `matchLabels`, a Service selector and `matchExpressions` values) may be empty or up to 63 characters of letters, digits, `-`, `_` and `.` that start and end alphanumeric. They must be strings: kubectl reads YAML as YAML 1.1, so an unquoted `yes`, `no`, `on`, `off`, `true` is a boolean and `1.0` or `0755` a number, which the API server cannot decode into a label (`json: cannot unmarshal bool into Go struct field … of type string`) and the whole object is rejected (docs/dev/api-rules.md §A.13).',
    example: [
      'selector:',
      '  matchLabels:',
      '    version: "1.0 beta"   # a valid label must be an empty string or consist of …',
      '    enabled: yes          # json: cannot unmarshal bool into Go struct field LabelSelector.spec.selector.matchLabels of type string',
    ],
    fix: 'shorten the value, or replace spaces and other characters by `-`; quote a value that is not a string (quick-fix).',
  },
  {
    code: 'api-invalid-selector',
    summary: 'A label selector is malformed: bad operator, values with Exists, empty workload selector, or a template that does not match.',
    what: "A `matchExpressions` entry needs one of `In`, `NotIn`, `Exists`, `DoesNotExist` (case-sensitive), values only with In/NotIn; a Deployment, ReplicaSet, StatefulSet or DaemonSet needs a non-empty selector that matches its own pod template's labels.",
    example: [
      'selector:',
      '  matchLabels: {app: web}',
      'template:',
      '  metadata:',
      '    labels: {app: api}   # `selector` does not match template `labels`',
    ],
    fix: "correct the operator's case (quick-fix), drop values from Exists, or make the template labels include the selector.",
  },
  {
    code: 'api-invalid-port',
    summary: 'A port number is outside 1–65535 (Service port, targetPort, containerPort, hostPort, NetworkPolicy port, backend, probe).',
    what: 'Every port number the API server validates must be between 1 and 65535. A Service port that is missing arrives as 0 and fails too; `targetPort: 0` is defaulted to `port` and is fine.',
    example: ['ports:', '  - port: 80', '    targetPort: 80800   # must be between 1 and 65535, inclusive'],
    fix: 'use the intended port number.',
  },
  {
    code: 'api-invalid-port-name',
    summary: 'A port name is not an IANA service name (≤15 lower-case characters, a letter) or a Service port name is not a DNS label.',
    what: 'Container port names, `targetPort` strings, NetworkPolicy string ports, probe ports and Ingress `port.name` are IANA service names: at most 15 characters of `a-z`, `0-9` and `-`, at least one letter, no `--`, no leading or trailing `-`. Each broken rule is its own message, as the API server prints them. Service port names are DNS-1123 labels. A quoted number (`"8080"`) is a name, not a number.',
    example: [
      'ports:',
      '  - name: HTTP_web       # must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      '    containerPort: 8080',
    ],
    fix: 'use lower-case letters, digits and single hyphens; write numbers unquoted.',
  },
  {
    code: 'api-invalid-port-range',
    summary: 'A NetworkPolicy endPort is set without a numeric port, or is below port.',
    what: '`endPort` makes a range from a numeric `port`; it may not appear with a named port or without a port, and must be at least `port`.',
    example: ['ports:', '  - port: 9090', '    endPort: 9000   # must be greater than or equal to `port`'],
    fix: 'swap the bounds, or use a numeric `port` with the range.',
  },
  {
    code: 'api-duplicate-value',
    summary: 'A name or port appears twice where it must be unique (Service ports, container ports, container names, host ports).',
    what: "Service port names, (protocol, port) pairs and node ports, container port names within one container, container names across containers and init containers, and (protocol, hostIP, hostPort) across containers must be unique. Duplicates across containers' port names are accepted by the server and not reported.",
    example: ['ports:', '  - {name: http, port: 80}', '  - {name: http, port: 8080}   # spec.ports[1].name: Duplicate value: "http"'],
    fix: 'rename or remove the second entry.',
  },
  {
    code: 'api-unsupported-value',
    summary: 'An enum field has a value the API server does not know (protocol, type, pathType, policyTypes, …).',
    what: 'Enumerated fields accept only their listed values, case-sensitively: protocols, Service `type`, `sessionAffinity`, traffic policies, `trafficDistribution` (its list grows with the Kubernetes version), IP families, `pathType`, `policyTypes`, and `restartPolicy: Always` for Deployments, ReplicaSets, StatefulSets and DaemonSets.',
    example: ['ports:', '  - port: 53', '    protocol: udp   # Unsupported value: "udp": supported values: "SCTP", "TCP", "UDP"'],
    fix: 'use one of the supported values (quick-fix when only the case differs).',
  },
  {
    code: 'api-invalid-host',
    summary: 'An Ingress host or TLS host, or an ExternalName, is not a lower-case DNS name (or is an IP address).',
    what: "Ingress rule hosts must be DNS names, not IP addresses, without port or scheme; a wildcard is allowed only as one leading `*.` label. TLS hosts follow the same DNS rules, and an ExternalName Service's `externalName` must be a lower-case DNS subdomain (a trailing dot is fine).",
    example: ['rules:', '  - host: Shop.example.com:443   # a lowercase RFC 1123 subdomain must consist of …'],
    fix: 'write the host in lower case, without scheme or port; put IP-based routing elsewhere.',
  },
  {
    code: 'api-invalid-path',
    summary: 'An Ingress or HTTPRoute path is not absolute, or an Exact/Prefix path contains //, /./, /../ or %2f.',
    what: "Paths must start with `/` (any non-empty path). With `Exact` or `Prefix` they may also not contain `//`, `/./`, `/../`, `%2f`, `%2F`, nor end with `/..` or `/.`. Regular expressions are accepted by the API server only with `ImplementationSpecific`. An HTTPRoute `Exact` or `PathPrefix` path (the default) follows the same rules by its CRD's CEL rules, and also may not contain `#` or characters outside a URI path (`RegularExpression` paths are not checked).",
    example: ['- path: api/v1', '  pathType: Prefix   # must be an absolute path'],
    fix: 'start the path with `/`; use `ImplementationSpecific` for controller-specific path syntax.',
  },
  {
    code: 'api-invalid-backend',
    summary: 'An Ingress backend is missing, has both service and resource, both port name and number, or uses v1beta1 fields in v1.',
    what: "An Ingress needs rules or a `defaultBackend`; each backend needs exactly one of `service` or `resource`, and a service port has a name or a number, not both. `serviceName`, `servicePort` and `spec.backend` belong to the removed v1beta1 API: kubectl's strict field validation rejects them in v1, and without it they are dropped.",
    example: ['backend:', '  serviceName: web   # unknown field in networking.k8s.io/v1', '  servicePort: 80'],
    fix: 'use `service: {name: web, port: {number: 80}}` and `spec.defaultBackend`.',
  },
  {
    code: 'api-invalid-ip',
    summary: 'A Service cluster IP, external IP or source range, or a NetworkPolicy ipBlock, is not a valid IP/CIDR or breaks a rule.',
    what: "ClusterIPs must be IP addresses (`None` only alone and only for ClusterIP Services), at most one per family, matching `ipFamilies`; external IPs may not be unspecified, loopback or link-local; `loadBalancerSourceRanges` and ipBlock `cidr`/`except` must be CIDRs, and each `except` a strict subset of `cidr`. The legacy lenient parser is modelled: leading zeros and host bits are no error, only a warning from 1.33 (the server's own warning; `StrictIPCIDRValidation` may reject them from 1.36).",
    example: ['ipBlock:', '  cidr: 10.0.0.0/16', '  except: [10.1.0.0/24]   # must be a strict subset of `cidr`'],
    fix: 'correct the address or range.',
  },
  {
    code: 'api-invalid-peer',
    summary: 'A NetworkPolicy peer combines ipBlock with a podSelector or namespaceSelector.',
    what: 'An ipBlock may not be combined with a selector in one `from`/`to` entry (podSelector with namespaceSelector is fine: it means AND). An entry with none of the three is `api-required-value` ("must specify a peer").',
    example: ['from:', '  - ipBlock: {cidr: 10.0.0.0/8}', '    podSelector: {}   # may not specify both ipBlock and another peer'],
    fix: 'split the entry into two peers (`- ipBlock: …` and `- podSelector: …`).',
  },
  {
    code: 'api-service-field-forbidden',
    summary: 'A Service field is set that its type does not allow (nodePort on ClusterIP, LoadBalancer-only fields, …).',
    what: '`nodePort` is forbidden on ClusterIP Services; `loadBalancerSourceRanges`, `allocateLoadBalancerNodePorts` and `loadBalancerClass` need type LoadBalancer; `externalTrafficPolicy` needs an externally reachable Service; `healthCheckNodePort` needs LoadBalancer with `externalTrafficPolicy: Local`; ExternalName Services may not set cluster IPs or IP families.',
    example: [
      'spec:',
      '  type: ClusterIP',
      '  ports:',
      '    - port: 80',
      "      nodePort: 30080   # Forbidden: may not be used when `type` is 'ClusterIP'",
    ],
    fix: 'change the type, or remove the field.',
  },
  {
    code: 'api-invalid-annotation',
    summary:
      'Annotations exceed 256 KiB, an annotation value is not a string, or a class/topology annotation contradicts the matching field.',
    what: 'All annotation keys and values together must fit in 262144 bytes; annotation values are strings (an unquoted `true`, `yes` or `2` fails decoding and the object is rejected, §A.13); `kubernetes.io/ingress.class` must equal `spec.ingressClassName` when both are set; `service.kubernetes.io/topology-mode` must equal `…/topology-aware-hints` when both are set.',
    example: [
      'annotations:',
      '  kubernetes.io/ingress.class: nginx   # must match `ingressClassName` when both are specified',
      'spec:',
      '  ingressClassName: traefik',
    ],
    fix: 'drop the deprecated annotation and keep the field.',
  },
  {
    code: 'api-invalid-value',
    summary:
      'Another value the API server rejects: session timeout, policyTypes count, hostPort with hostNetwork, IngressClass controller.',
    what: 'The remaining single-field rules: `sessionAffinityConfig.clientIP.timeoutSeconds` in 1–86400, at most two `policyTypes`, `hostPort` equal to `containerPort` with `hostNetwork: true`, and an IngressClass `controller` that is a domain-prefixed path of at most 250 bytes. Also a boolean field (`hostNetwork`, `tty`, `runAsNonRoot`, `privileged`, `readOnly`, `paused`, `suspend`, …) given a string (`"false"`) or a number, which the API server cannot decode (`json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.hostNetwork of type bool`): in a resource a Kustomize build reads, `yes`, `on` and the other YAML 1.1 words are strings too, as kustomize reads them (go-yaml v3; `kubectl kustomize` writes `"yes"`), while kubectl sends them as booleans from a plain file.',
    example: ['kind: IngressClass', 'spec:', '  controller: nginx   # must be a domain-prefixed path (such as "acme.io/foo")'],
    fix: 'as the message says (e.g. `controller: k8s.io/ingress-nginx`).',
  },
  {
    code: 'api-ignored-field',
    severity: 'hint',
    summary:
      'A field the API server accepts but drops: namespace on a cluster-scoped object, sessionAffinityConfig without ClientIP, a Gateway API field of the experimental channel only.',
    what: [
      'Not an error: the API server silently clears `metadata.namespace` on cluster-scoped kinds (Namespace, IngressClass) and drops `sessionAffinityConfig` when `sessionAffinity` is `None`. The field has no effect.',
      "A Gateway API field that only the experimental channel's CRDs have (HTTPRoute `retry`, `sessionPersistence`, the `externalAuth` filter, `useDefaultGateways`; Gateway `defaultScope`) is information: with the",
      "standard channel's CRDs kubectl apply rejects the object (`strict decoding error: unknown field`) and without validation the field is dropped. Where the channel is known to be standard it is an error worded as kubectl reports it: `kubeReach.gatewayApi.channel: standard` (CLI `--gateway-api-channel standard`), or, with `auto` (the default), the workspace's Gateway API CRDs say so",
      "(`gateway.networking.k8s.io/channel: standard` on the kind's CRD, or on every Gateway API CRD of the workspace, of bundle-version v1.5 or earlier: later standard releases may have taken the field in). With the experimental channel it is silent; unknown, information.",
    ].join(' '),
    example: ['kind: Namespace', 'metadata:', '  name: shop', '  namespace: shop   # ignored: Namespace is cluster-scoped'],
    fix: 'remove the field, or set `sessionAffinity: ClientIP` if affinity was intended.',
  },
];

export const deprecatedApi: Check = {
  code: 'deprecated-api',
  defaultSeverity: 'error',
  aliases: ['ingress-deprecated-api'],
  summary: 'The apiVersion is no longer served at kubeReach.kubernetesVersion (e.g. extensions/v1beta1 Ingress).',
  doc: [
    'Kubernetes stops serving old API versions (docs/dev/api-rules.md §A.16): `extensions/v1beta1` and',
    '`networking.k8s.io/v1beta1` Ingress since 1.22, `apps/v1beta*` workloads since 1.16, `batch/v1beta1` CronJob and',
    '`policy/v1beta1` PodDisruptionBudget since 1.25, `autoscaling/v2beta2` since 1.26, and more. kubectl then fails with',
    '`no matches for kind … in version …`. Reported for every kind, against `kubeReach.kubernetesVersion` (default',
    '`1.35`). `ingress-deprecated-api` is an alias of this code in settings and suppressions.',
    '',
    'An apiVersion that never served the kind gets the same kubectl error: a built-in kind under another built-in',
    "group's apiVersion or a version that never served it (`v1` Deployment, `apps/v2` StatefulSet: use `apps/v1`), a",
    'typo of a served kind (`v1` Servce), or a made-up group without a dot (`core/v1` Namespace).',
    "Custom resources (Knative's `serving.knative.dev/v1` Service) and other unknown kinds are never judged.",
    '',
    'An object of a Kustomize base that some build roots keep at the old version while others build it at a served one',
    "(metrics-server's `release-ha` beside `release-ha-1.21+`, whose component patches the PodDisruptionBudget to",
    '`policy/v1`) is information: the roots that keep it are install flavours for older clusters.',
    '',
    'Never reported inside a Helm conditional that picks the apiVersion by cluster capabilities',
    '(`.Capabilities.APIVersions.Has`, `semverCompare … .Capabilities.KubeVersion`, or a library helper named for',
    'capabilities such as `include "common.capabilities.psp.supported" .`); a warning, not an error, in rendered',
    'Helm output (`helm template` without a cluster picks the old branch).',
    '',
    '```yaml',
    'apiVersion: extensions/v1beta1   # no longer served since Kubernetes 1.22',
    'kind: Ingress',
    '```',
    '',
    '**Fix:** the Ingress quick-fix rewrites to `networking.k8s.io/v1`: `pathType: ImplementationSpecific` on every path',
    '(the v1beta1 default, the only value that keeps the matching), `serviceName` → `service.name`, an int `servicePort` →',
    '`port.number`, a string one → `port.name`, `spec.backend` → `spec.defaultBackend`. A second fix uses `Prefix` when every',
    'path is a plain `/…` path. Kinds whose replacement reads the same fields (IngressClass, CronJob, PriorityClass, …) get',
    'an apiVersion swap.',
  ].join('\n'),
  // The roots that build the object without the finding upgrade its apiVersion (a component patching
  // `policy/v1beta1` to `policy/v1`): the roots that keep it are install flavours for older clusters.
  inSomeRoots(f, holds, others) {
    return {
      confidence: 'no-evidence',
      severity: 'information',
      message: `${f.message} (in ${holds}; ${others} build it at a served version: a flavour for older clusters)`,
    };
  },
  run(ctx) {
    reportApiFindings(ctx, 'deprecated-api');
  },
};

export const API_CHECKS: readonly Check[] = [...FAMILIES.map(apiCheck), deprecatedApi];

/** The API-parity codes (for the row table and tests). */
export const API_CODES: readonly string[] = API_CHECKS.map((c) => c.code);

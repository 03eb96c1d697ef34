/**
 * The operator registry (docs/operators.md): custom resources whose operator creates pods, with the
 * labels and ports those pods get (each entry cites the operator's source or documentation), the
 * controllers that copy a pod template, and the groups known to create no pods. Data only; the
 * functions that read it are in operators.ts.
 */

/** A path into the resource; `*` steps into every item of a list. */
export type Path = readonly string[];

export interface OperatorPort {
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
  /** The port exists only when this path is set in the resource (a Thanos sidecar). */
  readonly when?: Path;
  /** The port's name when this path holds `true` (TLS switched off: `https` becomes `http`). */
  readonly nameWhenTrue?: { readonly path: Path; readonly name: string };
}

export interface OperatorPodGroup {
  /** What these pods are, for messages and docs. */
  readonly role: string;
  /**
   * The workload's name, `{name}` standing for the resource's: `undefined` for the resource's own
   * pods; another name makes a pod producer of its own (Strimzi's ZooKeeper next to the brokers).
   */
  readonly workload?: string;
  /** Only when this path is set in the resource (`spec.zookeeper`). */
  readonly when?: Path;
  /** Not when this annotation has this value (`strimzi.io/node-pools: enabled`: brokers come from KafkaNodePools). */
  readonly unlessAnnotation?: readonly [string, string];
  /**
   * Labels every pod gets. In values `{name}` is the resource's name, `{label:k}` its label `k`,
   * `{path:a.b}` the string at `spec`-relative path `a.b` (`{path:a.b|name}`: else the resource's name);
   * a missing one makes the value unknown.
   */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels the operator sets with values decided at run time or per pod. */
  readonly unknownLabels: readonly string[];
  /** The user's extra pod labels, merged in (`spec.podMetadata.labels`). */
  readonly podLabels?: Path;
  /** When one of these paths is set, pods may carry other labels (per-node-set templates). */
  readonly labelsOpenWhen?: readonly Path[];
  /** Pods always may carry other labels (set in a configuration the manifests do not show). */
  readonly labelsOpen?: true;
  readonly ports: readonly OperatorPort[];
  /** Other ports exist that depend on the spec (listeners, user containers): ports are not all known. */
  readonly portsOpen?: boolean;
  /** When one of these paths is set, containers are merged in and ports are not all known. */
  readonly portsOpenWhen?: readonly Path[];
  /** The replica count. */
  readonly replicas?: Path;
}

export interface OperatorKind {
  readonly group: string;
  readonly kind: string;
  readonly operator: string;
  /** Where the labels and ports were read (upstream source files or documentation pages). */
  readonly source: string;
  readonly pods: readonly OperatorPodGroup[];
  /**
   * Services the operator creates, `{name}` standing for the resource's name (`vmcp-{name}`); names
   * starting with `<name>-` are known anyway.
   */
  readonly services?: readonly string[];
}

import { coherenceKinds } from './coherenceOperator.js';

const PROM_COMMON = { 'app.kubernetes.io/managed-by': 'prometheus-operator', 'app.kubernetes.io/instance': '{name}' } as const;

/** The registry. docs/operators.md is the readable form; keep both in step. */
export const OPERATOR_KINDS: readonly OperatorKind[] = [
  {
    group: 'monitoring.coreos.com',
    kind: 'Prometheus',
    operator: 'prometheus-operator',
    services: ['prometheus-operated'],
    source:
      'prometheus-operator pkg/prometheus/server/statefulset.go (podSelectorLabels, the "web" port 9090, the config-reloader), pkg/prometheus/common.go (shard and name labels); Thanos sidecar ports per docs/platform/thanos.md; the `app` label of operators before v0.52 (prometheus-operator#4350)',
    pods: [
      {
        role: 'Prometheus servers',
        labels: { 'app.kubernetes.io/name': 'prometheus', ...PROM_COMMON, prometheus: '{name}', 'operator.prometheus.io/name': '{name}' },
        // One StatefulSet per shard: the shard label differs per StatefulSet. `app: prometheus`
        // is set by the operator before v0.52 (removed by prometheus-operator#4350): a version not known here.
        unknownLabels: ['operator.prometheus.io/shard', 'app.kubernetes.io/version', 'app'],
        podLabels: ['spec', 'podMetadata', 'labels'],
        ports: [
          { name: 'web', port: 9090 },
          { name: 'reloader-web', port: 8080 },
          { name: 'grpc', port: 10901, when: ['spec', 'thanos'] },
          { name: 'http', port: 10902, when: ['spec', 'thanos'] },
        ],
        portsOpenWhen: [
          ['spec', 'containers'],
          ['spec', 'portName'],
          ['spec', 'listenLocal'],
        ],
        replicas: ['spec', 'replicas'],
      },
    ],
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'PrometheusAgent',
    operator: 'prometheus-operator',
    services: ['prometheus-operated'],
    source:
      'prometheus-operator pkg/prometheus/agent/statefulset.go (the same selector labels as Prometheus, app.kubernetes.io/name: prometheus-agent)',
    pods: [
      {
        role: 'Prometheus agents',
        labels: { 'app.kubernetes.io/name': 'prometheus-agent', ...PROM_COMMON, 'operator.prometheus.io/name': '{name}' },
        unknownLabels: ['operator.prometheus.io/shard', 'app.kubernetes.io/version', 'prometheus'],
        podLabels: ['spec', 'podMetadata', 'labels'],
        ports: [{ name: 'web', port: 9090 }],
        portsOpen: true,
        replicas: ['spec', 'replicas'],
      },
    ],
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'Alertmanager',
    operator: 'prometheus-operator',
    services: ['alertmanager-operated'],
    source:
      'prometheus-operator pkg/alertmanager/statefulset.go (makeSelectorLabels; ports web 9093, mesh-tcp and mesh-udp 9094; the config-reloader)',
    pods: [
      {
        role: 'Alertmanager replicas',
        labels: { 'app.kubernetes.io/name': 'alertmanager', ...PROM_COMMON, alertmanager: '{name}' },
        unknownLabels: ['app.kubernetes.io/version', 'app'],
        podLabels: ['spec', 'podMetadata', 'labels'],
        ports: [
          { name: 'web', port: 9093 },
          { name: 'mesh-tcp', port: 9094 },
          { name: 'mesh-udp', port: 9094, protocol: 'UDP' },
          { name: 'reloader-web', port: 8080 },
        ],
        portsOpenWhen: [
          ['spec', 'containers'],
          ['spec', 'portName'],
          ['spec', 'listenLocal'],
        ],
        replicas: ['spec', 'replicas'],
      },
    ],
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'ThanosRuler',
    operator: 'prometheus-operator',
    services: ['thanos-ruler-operated'],
    source:
      'prometheus-operator pkg/thanos/statefulset.go (selector labels app.kubernetes.io/name: thanos-ruler and thanos-ruler: <name>; ports grpc 10901, web 10902)',
    pods: [
      {
        role: 'Thanos Ruler replicas',
        labels: { 'app.kubernetes.io/name': 'thanos-ruler', ...PROM_COMMON, 'thanos-ruler': '{name}' },
        // `app: thanos-ruler` before v0.52, as for Prometheus.
        unknownLabels: ['app.kubernetes.io/version', 'app'],
        podLabels: ['spec', 'podMetadata', 'labels'],
        ports: [
          { name: 'grpc', port: 10901 },
          { name: 'web', port: 10902 },
        ],
        portsOpen: true,
        replicas: ['spec', 'replicas'],
      },
    ],
  },
  {
    group: 'elasticsearch.k8s.elastic.co',
    kind: 'Elasticsearch',
    operator: 'ECK (elastic/cloud-on-k8s)',
    source:
      'cloud-on-k8s pkg/controller/elasticsearch/label/label.go (NewPodLabels: cluster-name, common.k8s.elastic.co/type, statefulset-name, node roles, version, config hash); ports https 9200 (http when spec.http.tls.selfSignedCertificate.disabled) and transport 9300 per the ECK documentation',
    pods: [
      {
        role: 'Elasticsearch nodes (every nodeSet)',
        labels: { 'common.k8s.elastic.co/type': 'elasticsearch', 'elasticsearch.k8s.elastic.co/cluster-name': '{name}' },
        unknownLabels: [
          'elasticsearch.k8s.elastic.co/statefulset-name',
          'elasticsearch.k8s.elastic.co/version',
          'elasticsearch.k8s.elastic.co/config-hash',
          'elasticsearch.k8s.elastic.co/http-scheme',
          'elasticsearch.k8s.elastic.co/node-master',
          'elasticsearch.k8s.elastic.co/node-data',
          'elasticsearch.k8s.elastic.co/node-ingest',
          'elasticsearch.k8s.elastic.co/node-ml',
          'elasticsearch.k8s.elastic.co/node-transform',
          'elasticsearch.k8s.elastic.co/node-remote_cluster_client',
          'elasticsearch.k8s.elastic.co/node-voting_only',
        ],
        labelsOpenWhen: [['spec', 'nodeSets', '*', 'podTemplate', 'metadata', 'labels']],
        ports: [
          { name: 'https', port: 9200, nameWhenTrue: { path: ['spec', 'http', 'tls', 'selfSignedCertificate', 'disabled'], name: 'http' } },
          { name: 'transport', port: 9300 },
        ],
        portsOpenWhen: [['spec', 'nodeSets', '*', 'podTemplate', 'spec', 'containers']],
      },
    ],
  },
  {
    group: 'kibana.k8s.elastic.co',
    kind: 'Kibana',
    operator: 'ECK (elastic/cloud-on-k8s)',
    source:
      'cloud-on-k8s pkg/controller/kibana (labels kibana.k8s.elastic.co/name and common.k8s.elastic.co/type: kibana; port 5601, https unless spec.http.tls.selfSignedCertificate.disabled)',
    pods: [
      {
        role: 'Kibana instances',
        labels: { 'common.k8s.elastic.co/type': 'kibana', 'kibana.k8s.elastic.co/name': '{name}' },
        unknownLabels: ['kibana.k8s.elastic.co/version', 'kibana.k8s.elastic.co/config-hash'],
        podLabels: ['spec', 'podTemplate', 'metadata', 'labels'],
        ports: [
          { name: 'https', port: 5601, nameWhenTrue: { path: ['spec', 'http', 'tls', 'selfSignedCertificate', 'disabled'], name: 'http' } },
        ],
        portsOpenWhen: [['spec', 'podTemplate', 'spec', 'containers']],
        replicas: ['spec', 'count'],
      },
    ],
  },
  {
    group: 'kafka.strimzi.io',
    kind: 'Kafka',
    operator: 'Strimzi',
    source:
      'strimzi-kafka-operator api/.../ResourceLabels.java and the cluster operator model tests (KafkaClusterTest, ZookeeperClusterTest, EntityOperatorTest: strimzi.io/cluster, strimzi.io/kind, strimzi.io/name = <cluster>-kafka | -zookeeper | -entity-operator, strimzi.io/component-type, app.kubernetes.io/name = the component type, instance, part-of strimzi-<cluster>, managed-by strimzi-cluster-operator); ZooKeeper ports 2181, 2888, 3888; Kafka ports 9090 (control plane), 9091 (replication) and one per listener',
    pods: [
      {
        role: 'Kafka brokers',
        unlessAnnotation: ['strimzi.io/node-pools', 'enabled'],
        labels: {
          'strimzi.io/cluster': '{name}',
          'strimzi.io/kind': 'Kafka',
          'strimzi.io/name': '{name}-kafka',
          'strimzi.io/component-type': 'kafka',
          'app.kubernetes.io/name': 'kafka',
          'app.kubernetes.io/instance': '{name}',
          'app.kubernetes.io/part-of': 'strimzi-{name}',
          'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
        },
        unknownLabels: [
          'strimzi.io/pool-name',
          'strimzi.io/broker-role',
          'strimzi.io/controller-role',
          'strimzi.io/controller',
          'strimzi.io/controller-name',
          'strimzi.io/pod-name',
        ],
        podLabels: ['spec', 'kafka', 'template', 'pod', 'metadata', 'labels'],
        ports: [
          { name: 'tcp-ctrlplane', port: 9090 },
          { name: 'tcp-replication', port: 9091 },
        ],
        // Listener ports (and their names) come from spec.kafka.listeners; metrics add 9404.
        portsOpen: true,
        replicas: ['spec', 'kafka', 'replicas'],
      },
      {
        role: 'ZooKeeper nodes',
        workload: '{name}-zookeeper',
        when: ['spec', 'zookeeper'],
        labels: {
          'strimzi.io/cluster': '{name}',
          'strimzi.io/kind': 'Kafka',
          'strimzi.io/name': '{name}-zookeeper',
          'strimzi.io/component-type': 'zookeeper',
          'app.kubernetes.io/name': 'zookeeper',
          'app.kubernetes.io/instance': '{name}',
          'app.kubernetes.io/part-of': 'strimzi-{name}',
          'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
        },
        unknownLabels: ['strimzi.io/pod-name', 'strimzi.io/controller', 'strimzi.io/controller-name'],
        podLabels: ['spec', 'zookeeper', 'template', 'pod', 'metadata', 'labels'],
        ports: [
          { name: 'tcp-clients', port: 2181 },
          { name: 'tcp-clustering', port: 2888 },
          { name: 'tcp-election', port: 3888 },
        ],
        portsOpen: true,
        replicas: ['spec', 'zookeeper', 'replicas'],
      },
      {
        role: 'the entity operator (topic and user operators)',
        workload: '{name}-entity-operator',
        when: ['spec', 'entityOperator'],
        labels: {
          'strimzi.io/cluster': '{name}',
          'strimzi.io/kind': 'Kafka',
          'strimzi.io/name': '{name}-entity-operator',
          'strimzi.io/component-type': 'entity-operator',
          'app.kubernetes.io/name': 'entity-operator',
          'app.kubernetes.io/instance': '{name}',
          'app.kubernetes.io/part-of': 'strimzi-{name}',
          'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
        },
        unknownLabels: ['pod-template-hash'],
        podLabels: ['spec', 'entityOperator', 'template', 'pod', 'metadata', 'labels'],
        ports: [],
        portsOpen: true,
      },
    ],
  },
  {
    group: 'kafka.strimzi.io',
    kind: 'KafkaNodePool',
    operator: 'Strimzi',
    source:
      "strimzi-kafka-operator: a node pool's pods carry the Kafka brokers' labels (cluster from the pool's strimzi.io/cluster label) plus strimzi.io/pool-name",
    pods: [
      {
        role: 'Kafka nodes of the pool',
        labels: {
          'strimzi.io/cluster': '{label:strimzi.io/cluster}',
          'strimzi.io/kind': 'Kafka',
          'strimzi.io/component-type': 'kafka',
          'strimzi.io/pool-name': '{name}',
          'app.kubernetes.io/name': 'kafka',
          'app.kubernetes.io/instance': '{label:strimzi.io/cluster}',
          'app.kubernetes.io/part-of': 'strimzi-{label:strimzi.io/cluster}',
          'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
        },
        unknownLabels: [
          'strimzi.io/name',
          'strimzi.io/broker-role',
          'strimzi.io/controller-role',
          'strimzi.io/controller',
          'strimzi.io/controller-name',
          'strimzi.io/pod-name',
        ],
        podLabels: ['spec', 'template', 'pod', 'metadata', 'labels'],
        ports: [
          { name: 'tcp-ctrlplane', port: 9090 },
          { name: 'tcp-replication', port: 9091 },
        ],
        portsOpen: true,
        replicas: ['spec', 'replicas'],
      },
    ],
  },
  {
    group: 'postgresql.cnpg.io',
    kind: 'Cluster',
    operator: 'CloudNativePG',
    source:
      'cloudnative-pg pkg/utils/labels_annotations.go (cnpg.io/cluster, cnpg.io/podRole: instance, cnpg.io/instanceName, cnpg.io/instanceRole, the legacy role and postgresql labels) and pkg/specs/services.go (the -rw/-ro/-r Services select cnpg.io/cluster with podRole or instanceRole); ports postgresql 5432, metrics 9187, status 8000',
    pods: [
      {
        role: 'PostgreSQL instances',
        labels: { 'cnpg.io/cluster': '{name}', 'cnpg.io/podRole': 'instance' },
        unknownLabels: ['cnpg.io/instanceName', 'cnpg.io/instanceRole', 'role', 'postgresql'],
        podLabels: ['spec', 'inheritedMetadata', 'labels'],
        ports: [
          { name: 'postgresql', port: 5432 },
          { name: 'metrics', port: 9187 },
          { name: 'status', port: 8000 },
        ],
        replicas: ['spec', 'instances'],
      },
    ],
  },
  {
    group: 'postgresql.cnpg.io',
    kind: 'Pooler',
    operator: 'CloudNativePG',
    source:
      'cloudnative-pg pkg/specs/pgbouncer (Deployment labels cnpg.io/cluster, cnpg.io/poolerName, cnpg.io/podRole: pooler; ports pgbouncer 5432, metrics 9127)',
    pods: [
      {
        role: 'PgBouncer poolers',
        labels: { 'cnpg.io/cluster': '{path:cluster.name}', 'cnpg.io/poolerName': '{name}', 'cnpg.io/podRole': 'pooler' },
        unknownLabels: ['pod-template-hash'],
        podLabels: ['spec', 'template', 'metadata', 'labels'],
        ports: [
          { name: 'pgbouncer', port: 5432 },
          { name: 'metrics', port: 9127 },
        ],
        portsOpenWhen: [['spec', 'template', 'spec', 'containers']],
        replicas: ['spec', 'instances'],
      },
    ],
  },
  ...toolhiveKinds(),
  ...coherenceKinds(),
];

/**
 * ToolHive (stacklok/toolhive, `toolhive.stacklok.dev`): each resource's proxy Deployment, named after
 * it, and for an MCPServer the StatefulSet of the MCP server itself that the proxy runner creates.
 */
function toolhiveKinds(): OperatorKind[] {
  const source = (what: string): string =>
    `stacklok/toolhive cmd/thv-operator/controllers (${what}; proxy container port "http": spec.proxyPort, default 8080; vMCP 4483); pkg/container/kubernetes/client.go (the MCP server StatefulSet <name>: app=<name>, toolhive=true; Services mcp-<name> and mcp-<name>-headless)`;
  const proxy = (app: string, overrides: Path, port: number, proxyPort: boolean): OperatorPodGroup => ({
    role: 'ToolHive proxy runner',
    labels: { app, 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': '{name}', toolhive: 'true', 'toolhive-name': '{name}' },
    unknownLabels: ['pod-template-hash'],
    // The operator's labels take precedence over these (controllerutil.MergeLabels).
    podLabels: overrides,
    ports: [{ name: 'http', port }],
    ...(proxyPort
      ? {
          portsOpenWhen: [
            ['spec', 'proxyPort'],
            ['spec', 'port'],
          ],
        }
      : {}),
  });
  const overrides: Path = ['spec', 'resourceOverrides', 'proxyDeployment', 'podTemplateMetadataOverrides', 'labels'];
  return [
    {
      group: 'toolhive.stacklok.dev',
      kind: 'MCPServer',
      operator: 'ToolHive',
      source: source('mcpserver_controller.go labelsForMCPServer, CreateProxyServiceName mcp-<name>-proxy'),
      services: ['mcp-{name}-proxy', 'mcp-{name}', 'mcp-{name}-headless'],
      pods: [
        proxy('mcpserver', overrides, 8080, true),
        {
          role: 'MCP server',
          workload: '{name}-mcp-server',
          labels: { app: '{name}', toolhive: 'true' },
          unknownLabels: [],
          // The runner adds the proxy's labels and `spec.podTemplateSpec`'s.
          labelsOpen: true,
          ports: [],
          portsOpen: true,
        },
      ],
    },
    {
      group: 'toolhive.stacklok.dev',
      kind: 'MCPRemoteProxy',
      operator: 'ToolHive',
      source: source('mcpremoteproxy_controller.go labelsForMCPRemoteProxy, createProxyServiceName mcp-<name>-remote-proxy'),
      services: ['mcp-{name}-remote-proxy'],
      pods: [proxy('mcpremoteproxy', overrides, 8080, true)],
    },
    {
      group: 'toolhive.stacklok.dev',
      kind: 'VirtualMCPServer',
      operator: 'ToolHive',
      source: source('virtualmcpserver_controller.go labelsForVirtualMCPServer, vmcpServiceName vmcp-<name>'),
      services: ['vmcp-{name}'],
      pods: [proxy('virtualmcpserver', ['spec', 'podTemplateSpec', 'metadata', 'labels'], 4483, false)],
    },
  ];
}

/**
 * A workload that spawns pods at run time from its own code (JupyterHub's hub starts a single-user
 * server per user through KubeSpawner): matched by a container's image repository. Its pods are a
 * workload of their own, `{name}` standing for the spawner workload's name and `{label:k}` for its
 * `metadata.labels` value.
 */
export interface SpawnerImage {
  /** Image repositories (as `imageRepository` gives them: no tag, `docker.io/` dropped). */
  readonly images: readonly string[];
  readonly operator: string;
  readonly source: string;
  readonly pods: readonly OperatorPodGroup[];
}

export const SPAWNER_IMAGES: readonly SpawnerImage[] = [
  {
    images: ['quay.io/jupyterhub/k8s-hub', 'jupyterhub/k8s-hub'],
    operator: 'JupyterHub (KubeSpawner)',
    source:
      'jupyterhub/kubespawner objects.py make_pod (container "notebook", port "notebook-port"; component_label "singleuser-server"; port 8888 by default), zero-to-jupyterhub-k8s files/hub/jupyterhub_config.py (common_labels: app and release as the chart labels the hub, user labels from singleuser.extraLabels)',
    pods: [
      {
        role: 'single-user servers',
        workload: '{name}-singleuser',
        labels: { component: 'singleuser-server', app: '{label:app}', release: '{label:release}' },
        unknownLabels: ['hub.jupyter.org/username', 'hub.jupyter.org/servername', 'chart', 'heritage'],
        // singleuser.extraLabels and profiles add labels the hub's config holds.
        labelsOpen: true,
        ports: [{ name: 'notebook-port', port: 8888 }],
        // singleuser.extraContainers and the port setting are in the hub's config.
        portsOpen: true,
      },
    ],
  },
];

/**
 * Pod templates that built-in lowering already finds (`spec.template`, duck-typed), whose
 * controller adds labels of its own: merged into the template's controller labels.
 */
export interface TemplateController {
  readonly group: string;
  readonly kind: string;
  readonly source: string;
  /** Labels with known values (`{name}` as in `OperatorPodGroup.labels`). */
  readonly labels: Readonly<Record<string, string>>;
  readonly unknownLabels: readonly string[];
}

export const TEMPLATE_CONTROLLERS: readonly TemplateController[] = [
  {
    group: 'argoproj.io',
    kind: 'Rollout',
    source: 'Argo Rollouts: ReplicaSets of a Rollout label their pods rollouts-pod-template-hash',
    labels: {},
    unknownLabels: ['rollouts-pod-template-hash'],
  },
  {
    group: 'serving.knative.dev',
    kind: 'Service',
    source:
      "Knative Serving: revision pods carry serving.knative.dev/service and /configuration (the Service's name), /revision and app (the revision name); the queue-proxy sidecar adds its ports",
    labels: { 'serving.knative.dev/service': '{name}', 'serving.knative.dev/configuration': '{name}' },
    unknownLabels: ['serving.knative.dev/revision', 'serving.knative.dev/revisionUID', 'serving.knative.dev/configurationGeneration'],
  },
];

/**
 * Custom resources known to create no pods (certificates, monitoring and routing configuration,
 * policies, secrets): they do not make absence claims in their namespace uncertain. By group, or
 * `group/Kind` for groups that also hold pod-making kinds.
 */
export const NON_POD_GROUPS: ReadonlySet<string> = new Set([
  'cert-manager.io',
  'acme.cert-manager.io',
  'certmanager.k8s.io',
  'monitoring.coreos.com/ServiceMonitor',
  'monitoring.coreos.com/PodMonitor',
  'monitoring.coreos.com/Probe',
  'monitoring.coreos.com/PrometheusRule',
  'monitoring.coreos.com/AlertmanagerConfig',
  'monitoring.coreos.com/ScrapeConfig',
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'gateway.networking.k8s.io',
  'policy.linkerd.io',
  'traefik.io',
  'traefik.containo.us',
  'cilium.io',
  'crd.projectcalico.org',
  'projectcalico.org',
  'external-secrets.io',
  'bitnami.com',
  'keda.sh',
  'autoscaling.k8s.io',
  'kyverno.io',
  'constraints.gatekeeper.sh',
  'templates.gatekeeper.sh',
  // gator's test Suite is a file for the CLI, never applied.
  'test.gatekeeper.sh',
  'snapshot.storage.k8s.io',
  'kafka.strimzi.io/KafkaTopic',
  'kafka.strimzi.io/KafkaUser',
  'postgresql.cnpg.io/ScheduledBackup',
  'postgresql.cnpg.io/Backup',
  'postgresql.cnpg.io/Database',
  'argoproj.io/Application',
  'argoproj.io/AppProject',
  'argoproj.io/ApplicationSet',
  'source.toolkit.fluxcd.io',
  'kustomize.toolkit.fluxcd.io',
  // A HelmRelease's release objects, in the namespace it installs to (not always its own), are
  // counted through `KObject.helmRelease` (model/helmRelease.ts), not by group.
  'helm.toolkit.fluxcd.io',
  'notification.toolkit.fluxcd.io',
  'image.toolkit.fluxcd.io',
]);

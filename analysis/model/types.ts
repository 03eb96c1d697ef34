/**
 * The lowered model: what Kube Reach knows about each Kubernetes object, with spans back to the
 * source. Values read from templates are `Unknown`; checks that need them stay silent.
 */

import type { Yaml11Scalar } from '../syntax/parse.js';
import type { Span } from '../types.js';
import type { LineStarts } from '../text/lineIndex.js';
import type { ApiFinding } from './apiValidation.js';
import type { GatewaySpec, ReferenceGrantSpec, RouteSpec } from './gateway.js';
import type { ClusterPolicySpec } from './clusterPolicy.js';

/** A literal value from the manifest, or one that a template or placeholder decides. */
export type Value<T> = { readonly known: true; readonly value: T; readonly span: Span } | { readonly known: false; readonly span: Span };

export interface LabelEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: Value<string>;
}

/** A string map such as labels or matchLabels. */
export interface LabelMap {
  readonly span: Span;
  readonly entries: readonly LabelEntry[];
  /** Keys may be added by a template: the map is not fully known. */
  readonly unknown: boolean;
}

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
  readonly span: Span;
  readonly unknown: boolean;
}

/** A metav1.LabelSelector (or a Service's plain map selector, as matchLabels only). */
export interface Selector {
  readonly span: Span;
  readonly matchLabels: LabelMap | undefined;
  readonly matchExpressions: readonly SelectorRequirement[];
  /** Any part is templated, or an operator is not one Kubernetes accepts. */
  readonly unknown: boolean;
}

export interface ContainerPort {
  readonly name: string | undefined;
  readonly containerPort: number;
  readonly protocol: string;
  /** The manifest omits `protocol` (TCP by default): weak evidence of what the container speaks. */
  readonly protocolOmitted?: true;
  readonly span: Span;
  readonly nameSpan: Span | undefined;
  readonly container: string;
}

export interface ProbePort {
  readonly container: string;
  readonly probe: string;
  readonly port: Value<number | string>;
}

/** Anything that makes pods from a template (docs/dev/design.md §2). */
export interface PodTemplate {
  /** spec.template.metadata.labels (or metadata.labels of a bare Pod). */
  readonly labels: LabelMap | undefined;
  /** Labels that a controller adds to every pod; `undefined` value = unknown value. */
  readonly controllerLabels: ReadonlyMap<string, string | undefined>;
  /** Keys whose per-pod value varies (StatefulSet pod-name and pod-index); value lists when known. */
  readonly perPodLabels: ReadonlyMap<string, readonly string[] | undefined>;
  readonly ports: readonly ContainerPort[];
  /** Some container's `ports` (or the container list) is templated. */
  readonly portsUnknown: boolean;
  readonly probePorts: readonly ProbePort[];
  /**
   * Port-like numbers the containers' command, args and env values name (`--metrics-bind-address=:8443`),
   * and the default ports of well-known images (model/imageRegistry.ts): a port the pods may listen on
   * without declaring it.
   */
  readonly configuredPorts?: readonly number[];
  /**
   * Every container runs a well-known image (model/imageRegistry.ts, no `envFrom`): what the pods
   * listen on is `configuredPorts`, so a port outside them is known not to be served.
   */
  readonly listenersKnown?: true;
  /**
   * A container sets two or more of its listeners through env variables (`KONG_PROXY_LISTEN`,
   * `KONG_ADMIN_LISTEN`): the listeners no variable sets keep the image's defaults, so the declared
   * ports do not bound what the pods listen on (unless `listenersKnown`).
   */
  readonly listenersByEnv?: true;
  /** The ConfigMaps the pod spec mounts as volumes (model/configListens.ts), when any. */
  readonly configMaps?: readonly string[];
  readonly containerNames: readonly string[];
  /** The pod template's span (`spec.template`), or the document for bare Pods. */
  readonly span: Span;
  readonly labelsSpan: Span | undefined;
  readonly hostNetwork: boolean;
  readonly longRunning: boolean;
  /** `replicas` when literal; undefined when absent (defaults to 1) or unknown. */
  readonly replicas: Value<number> | undefined;
  readonly injectedSidecar: boolean;
  readonly dnsPolicy: string | undefined;
  readonly templateAnnotations: ReadonlyMap<string, string>;
  /** The workload's own spec.selector (for "labels on the wrong level" evidence). */
  readonly workloadSelector: Selector | undefined;
  /** For Pods with a controller ownerReference: `OwnerKind/name`. */
  readonly owner: { readonly kind: string; readonly name: string } | undefined;
  readonly serviceName: Value<string> | undefined;
}

export interface ServicePort {
  readonly span: Span;
  readonly name: Value<string> | undefined;
  readonly port: Value<number> | undefined;
  /** Absent means "equals port". */
  readonly targetPort: Value<number | string> | undefined;
  readonly protocol: string;
  readonly protocolSpan: Span | undefined;
  readonly nodePort: number | undefined;
}

export interface ServiceSpec {
  readonly type: string;
  readonly typeSpan: Span | undefined;
  /** undefined = no selector key; a map (possibly empty) otherwise. */
  readonly selector: LabelMap | undefined;
  readonly selectorKeySpan: Span | undefined;
  readonly ports: readonly ServicePort[];
  readonly portsUnknown: boolean;
  readonly portsSpan: Span | undefined;
  readonly clusterIP: string | undefined;
  readonly headless: boolean;
  readonly clusterIPs: readonly string[];
  readonly externalIPs: readonly string[];
  readonly loadBalancerIP: string | undefined;
  readonly externalName: string | undefined;
  readonly externalTrafficPolicy: string | undefined;
  readonly loadBalancerSourceRanges: readonly string[];
  /** The controller ownerReference (`kind`/`name`): a Service an operator wrote, as its golden outputs and cluster dumps show it. */
  readonly ownedBy?: { readonly kind: string; readonly name: string };
}

export interface IngressBackend {
  readonly span: Span;
  readonly serviceName: Value<string> | undefined;
  readonly portNumber: Value<number> | undefined;
  readonly portName: Value<string> | undefined;
  readonly portSpan: Span | undefined;
  /** `backend.resource` (not a Service). */
  readonly resource: boolean;
  /** That resource's `apiGroup` (absent: the core group), `kind` and `name`, when all are literal. */
  readonly resourceRef?: { readonly apiGroup: string; readonly kind: string; readonly name: string };
  /** Legacy extensions/v1beta1 fields (serviceName/servicePort). */
  readonly legacy: boolean;
}

export interface IngressPath {
  readonly path: Value<string> | undefined;
  readonly pathType: string | undefined;
  readonly backend: IngressBackend | undefined;
  readonly span: Span;
}

export interface IngressRule {
  readonly host: Value<string> | undefined;
  readonly paths: readonly IngressPath[];
  readonly span: Span;
}

export interface IngressSpec {
  readonly className: Value<string> | undefined;
  readonly classAnnotation: string | undefined;
  readonly defaultBackend: IngressBackend | undefined;
  readonly rules: readonly IngressRule[];
  readonly tls: ReadonlyArray<{ readonly hosts: readonly string[]; readonly secretName: Value<string> | undefined; readonly span: Span }>;
}

export interface IpBlock {
  readonly cidr: Value<string>;
  readonly except: ReadonlyArray<Value<string>>;
  readonly span: Span;
}

export interface PolicyPeer {
  readonly span: Span;
  readonly podSelector: Selector | undefined;
  readonly namespaceSelector: Selector | undefined;
  readonly ipBlock: IpBlock | undefined;
  /** A templated or unreadable peer. */
  readonly unknown: boolean;
}

export interface PolicyPort {
  readonly span: Span;
  readonly protocol: string;
  /** `protocol` was written (else it defaulted to TCP). */
  readonly protocolExplicit?: boolean;
  /** undefined = all ports of the protocol. */
  readonly port: Value<number | string> | undefined;
  readonly endPort: Value<number> | undefined;
}

export interface PolicyRule {
  readonly span: Span;
  /** The path of this rule, e.g. `spec.ingress[0]`. */
  readonly path: string;
  /** undefined = the key is absent or empty: all peers. */
  readonly peers: readonly PolicyPeer[] | undefined;
  /** undefined = the key is absent or empty: all ports. */
  readonly ports: readonly PolicyPort[] | undefined;
  readonly unknown: boolean;
}

export interface NetworkPolicySpec {
  readonly podSelector: Selector | undefined;
  readonly podSelectorSpan: Span | undefined;
  /** Effective policyTypes after API-server defaulting (semantics rule 8). */
  readonly policyTypes: readonly ('Ingress' | 'Egress')[];
  readonly policyTypesExplicit: boolean;
  readonly policyTypesSpan: Span | undefined;
  /** undefined = key absent. */
  readonly ingress: readonly PolicyRule[] | undefined;
  readonly egress: readonly PolicyRule[] | undefined;
  readonly ingressKeySpan: Span | undefined;
  readonly egressKeySpan: Span | undefined;
  readonly unknown: boolean;
}

export interface KustomizationSpec {
  readonly namespace: string | undefined;
  readonly resources: readonly string[];
  readonly patches: readonly string[];
  readonly remote: boolean;
  /** `kind: Component`: built only as part of a kustomization that lists it, never alone. */
  readonly component?: boolean;
}

/** One Kubernetes object (one YAML document, or one item of a List). */
/** An OpenKruise SidecarSet (cluster-scoped): injects its containers into the pods its selector and namespace match. */
export interface SidecarSetSpec {
  /** `spec.selector`; undefined when absent (Kruise rejects that: nothing is known). */
  readonly selector: Selector | undefined;
  /** `spec.namespace` (undefined: every namespace). */
  readonly namespace: Value<string> | undefined;
  /** `spec.namespaceSelector`: the labels of the namespaces it injects in (undefined: not set). */
  readonly namespaceSelector: Selector | undefined;
  /** The ports of `spec.containers` and the restartable `spec.initContainers`. */
  readonly ports: readonly ContainerPort[];
  readonly portsUnknown: boolean;
}

export interface KObject {
  readonly uri: string;
  /** Index of the document in its file (List items share their document's index). */
  readonly docIndex: number;
  /** Position of this object in the file's object list. */
  readonly ordinal: number;
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: Value<string> | undefined;
  /** The explicit `metadata.namespace`. */
  readonly namespace: Value<string> | undefined;
  readonly labels: LabelMap | undefined;
  readonly annotations: ReadonlyMap<string, string>;
  readonly span: Span;
  /** Where resource-level findings anchor: `metadata.name`'s value, else the kind. */
  readonly anchor: Span;
  /** A Kustomize patch or `$patch: delete` document: not an object of its own. */
  readonly isPatch: boolean;
  /** Rendered Helm output (`# Source:` comment). */
  readonly renderedHelm: boolean;
  /**
   * A Kustomize build's object: the build root (a kustomization directory) it was built in, and
   * every root that builds the same source document (analysis/units/kustomize.ts).
   */
  readonly build?: { readonly root: string; readonly roots: readonly string[] };
  readonly pod?: PodTemplate;
  readonly service?: ServiceSpec;
  readonly ingress?: IngressSpec;
  readonly networkPolicy?: NetworkPolicySpec;
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy (model/clusterPolicy.ts). */
  readonly clusterPolicy?: ClusterPolicySpec;
  /** For EndpointSlices: the `kubernetes.io/service-name` label. */
  readonly endpointSliceFor?: string;
  readonly ingressClass?: { readonly controller: string | undefined; readonly isDefault: boolean };
  /** TLS Secret names that this object produces (Secret, Certificate, …). */
  readonly tlsSecretNames?: readonly string[];
  /** The object is TLS material (a kubernetes.io/tls Secret, SealedSecret, ExternalSecret, Certificate). */
  readonly tlsMaterial?: boolean;
  /** TLS material whose Secret's name is not known here (a Certificate's `secretName: wildcard-${DOMAIN}`): it may produce any name. */
  readonly tlsSecretNameUnknown?: true;
  /** A Secret whose known data keys (one at least) lack `tls.crt`: no listener certificate (a CA bundle…). */
  readonly lacksTlsCertificate?: boolean;
  /** A ConfigMap's listen directives (nginx `listen 443 ssl;`, model/configListens.ts): the ports a server configured by it listens on. */
  readonly configListens?: readonly number[];
  /** A cert-manager Issuer/ClusterIssuer with an ACME HTTP-01 solver. */
  readonly acmeHttp01?: boolean;
  /** A cert-manager Certificate's dnsNames. */
  readonly certificateDnsNames?: readonly string[];
  /**
   * Pods an operator makes from the custom resource just before this object in the file (model/operators.ts),
   * as a workload of their own (same document and span): not an object anyone wrote.
   */
  readonly madeBy?: { readonly kind: string; readonly name: string; readonly role: string };
  /** A Role or ClusterRole that lets its subjects create pods (model/rbac.ts): pods may be made at run time. */
  readonly createsPods?: true;
  /** Services whose pods this object reaches on any port (STUNner's UDPRoute; model/anyPortBackends.ts). */
  readonly anyPortBackends?: ReadonlyArray<{
    readonly name: string;
    readonly namespace?: string;
    readonly controllers?: readonly string[];
  }>;
  /** A chainsaw Test or StepTemplate (the files its patch/assert/error/delete operations name, literal or glob) or a kuttl TestStep (its assert/error files), as written (model/testTools.ts). */
  readonly testPartialFiles?: readonly string[];
  /** A chainsaw Test that applies a file or uses a StepTemplate: the files its steps apply, create or update, in order, as written (model/testTools.ts). */
  readonly testAppliedFiles?: readonly TestAppliedFile[];
  /** A chainsaw Test's `spec.namespace`: the namespace its files' namespace-less objects land in (null: written as an expression, unknown). */
  readonly testNamespace?: string | null;
  /** A chainsaw Configuration: the namespace its Tests without `spec.namespace` run in ('' none: ephemeral ones; null: unknown). */
  readonly chainsawConfigNamespace?: string | null;
  /** A chainsaw Test's steps' `use:` of StepTemplates (path relative to the Test's folder) with their literal bindings. */
  readonly testTemplateUses?: ReadonlyArray<{
    readonly step: number;
    readonly template: string;
    readonly outer: Readonly<Record<string, string>>;
    readonly with: Readonly<Record<string, string>>;
  }>;
  /** A chainsaw StepTemplate: its literal bindings and its operations' files as written (`($file)` too), resolved for each Test that uses it. */
  readonly testTemplate?: {
    readonly bindings: Readonly<Record<string, string>>;
    readonly partial: readonly string[];
    readonly applied: readonly TestAppliedFile[];
  };
  /** A kuttl TestSuite's manifest folders (`crdDir`, `manifestDirs`) and test folders, relative to its file's folder. */
  readonly kuttlSuite?: {
    readonly manifestDirs: readonly string[];
    readonly testDirs: readonly string[];
    readonly applied?: readonly TestAppliedFile[];
    /** `namespace`: every test of the suite runs in it (null: unknown). */
    readonly namespace?: string | null;
  };
  /** A kuttl TestStep's files applied by its commands (`kubectl apply -f`) and `apply` list, in order, as written. */
  readonly kuttlAppliedFiles?: readonly TestAppliedFile[];
  /** OpenKruise's SidecarSet (model/sidecarSet.ts): the containers it injects into the pods it selects. */
  readonly sidecarSet?: SidecarSetSpec;
  /** Gateway API (model/gateway.ts): a Gateway's class and listeners. */
  readonly gateway?: GatewaySpec;
  /** Gateway API: an HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or UDPRoute. */
  readonly route?: RouteSpec;
  /** Gateway API: a ReferenceGrant. */
  readonly referenceGrant?: ReferenceGrantSpec;
  /** Gateway API: a GatewayClass's controllerName. */
  readonly gatewayClass?: { readonly controllerName: string | undefined };
  /** A Flux HelmRelease, or an Argo CD Application of a chart of a Helm repository: where its release installs the objects nothing here renders (model/helmRelease.ts, model/argoChart.ts). */
  readonly helmRelease?: HelmReleaseFacts;
}

/** A Flux HelmRelease's (or an Argo CD chart Application's) install namespace and release name (model/helmRelease.ts, model/argoChart.ts). */
export interface HelmReleaseFacts {
  /** `spec.targetNamespace` when given and known: the release installs there, not in the HelmRelease's own namespace. */
  readonly targetNamespace?: string;
  /** `spec.targetNamespace` is templated: where the release installs is not known here. */
  readonly unknownTarget?: true;
  /** The Helm release name, when known: the usual prefix of the names of its objects. */
  readonly releaseName?: string;
  /**
   * The charts the release pulls, never rendered here (a `remote-source-not-fetched` note each): an
   * Argo CD Application's chart sources of a Helm repository (model/argoChart.ts), a Flux
   * HelmRelease's chart (model/helmRelease.ts).
   */
  readonly remoteCharts?: readonly RemoteChart[];
  /**
   * An ApplicationSet's: the Applications its generators make with these charts, each a release of its
   * own (units/argocdSetCharts.ts, set in the layout, not by lowering).
   */
  readonly generated?: readonly GeneratedRelease[];
}

/** A release an ApplicationSet's Application installs: the Application, and its namespace and release name when known. */
export interface GeneratedRelease {
  readonly application: string;
  readonly namespace?: string;
  readonly releaseName?: string;
}

/** A chart a release pulls (an Argo CD source's `chart:`, a Flux HelmRelease's chart): its name, repository and version when literal. */
export interface RemoteChart {
  /** Who pulls it, as the note names it: `Argo CD`, `Flux`. */
  readonly tool: string;
  /** The `chart` key's value (a HelmRelease's `chartRef`). */
  readonly span: Span;
  readonly chart?: string;
  readonly repo?: string;
  readonly version?: string;
  /**
   * A Flux HelmRelease's source object (`spec.chart.spec.sourceRef`, `spec.chartRef`), when its kind
   * and name are literal: a HelmRepository, OCIRepository, GitRepository, Bucket or HelmChart of
   * `source.toolkit.fluxcd.io`, in `namespace` (undefined: the HelmRelease's own). When the workspace
   * holds it, the note is the source's, one for every release it feeds (checks/remoteSourceNotFetched.ts).
   */
  readonly source?: FluxSourceRef;
}

/** A reference to a Flux source object (model/helmRelease.ts): its kind and name, and its namespace when given. */
export interface FluxSourceRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A file a test applies (model/shellCommands.ts `AppliedFile`): `create` never updates; `step`, the chainsaw Test's step that applies it. */
export interface TestAppliedFile {
  readonly file: string;
  readonly create: boolean;
  readonly step?: number;
  /** `kubectl apply -R -f <folder>`: its manifests at every depth. */
  readonly recursive?: boolean;
  /** `kubectl apply -k <folder>`: the objects of its Kustomize build. */
  readonly kustomize?: boolean;
  /** `kubectl -n <name>`: where its namespace-less objects land (null: a variable, unknown). */
  readonly namespace?: string | null;
  /** In the test's namespace (`-n $NAMESPACE`, kuttl's `namespaced: true`, a kuttl step's `apply` list). */
  readonly testNamespace?: true;
}

/** Tool configuration files that never enter the index as objects. */
export interface ToolConfig {
  readonly kind: 'kustomization' | 'helm-chart' | 'helm-values' | 'other';
  readonly kustomization?: KustomizationSpec;
  readonly chartDependencies?: readonly string[];
  /**
   * A values file that configures how Argo CD renders sources: the argo-cd chart's `configs.cmp.plugins`
   * (config management plugins) or `configs.cm."kustomize.buildOptions"` (units/argocdPlugins.ts).
   */
  readonly argoCmp?: true;
  /** A ClusterLoader2 test config or module (model/testTools.ts `clusterLoaderConfig`). */
  readonly clusterLoader?: {
    /** Object templates: a path as written, and the one name CL2 gives its objects when known (`<basename>-0`). */
    readonly templates: ReadonlyArray<{ readonly path: string; readonly name: string | undefined }>;
    readonly modules: readonly string[];
  };
}

/** Everything analysis keeps of one file after lowering (the compact index entry). */
export interface FileFacts {
  readonly uri: string;
  readonly version: number | undefined;
  /** Identity of these facts among every lowering of this process (`lastEdit.baseSerial`). */
  readonly serial?: number;
  readonly objects: readonly KObject[];
  readonly syntaxErrors: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
  /**
   * A rendered Helm template's `%!<verb>(<nil>)` (Go's fmt for a nil operand) that YAML reads as text
   * (`name: "%!s(<nil>)"`), naming the unset values (units/helmNil.ts): `yaml-syntax` warnings
   * (information with the chart's defaults alone).
   */
  readonly nilWrites?: ReadonlyArray<{ readonly span: Span; readonly message: string; readonly severity: 'warning' | 'information' }>;
  readonly toolConfig: ToolConfig | undefined;
  /** Read as a template (a chart's templates/, `.tpl`, `kubeReach.templateGlobs`, or `guessedTemplate`). */
  readonly template: boolean;
  readonly templated: boolean;
  /**
   * Not valid YAML as it stands, read as a Go template because its `{{ }}` actions explain every
   * error (`syntax/parse.ts` `parseManifest`): the plain reading's first error. `placeholders`:
   * its `{Name}` placeholders explain them instead (a test fills them in before applying).
   */
  readonly guessedTemplate?: {
    readonly span: Span;
    readonly message: string;
    readonly placeholders?: true;
    readonly terraform?: true;
    readonly jinja?: true;
    readonly freemarker?: true;
    /** Even with its actions masked, a Go template's reading has this error: its branches, read at once, disagree. */
    readonly maskedError?: { readonly span: Span; readonly message: string };
  };
  /** Suppression comments found in the file. */
  readonly suppressions: Suppressions;
  /** Line starts (`text/lineIndex.ts`): after an edit of a multi-document file, a splice sharing the earlier text's. */
  readonly lineStarts: LineStarts;
  readonly length: number;
  /** API-server parity findings computed at lowering time (analysis/model/apiValidation.ts). */
  readonly apiFindings?: readonly ApiFinding[];
  /** What each YAML document lowered to, so the next version of the file can keep unchanged documents. */
  readonly documents?: readonly LoweredDocument[];
  /** The input limit the file passed (analysis/syntax/limits.ts): it is not analysed (check `input-limit`). */
  readonly inputLimit?: { readonly span: Span; readonly message: string };
  /** Plain scalars kubectl's YAML 1.1 reads otherwise than YAML 1.2 (`syntax/yaml11.ts`, `yaml11Value`). */
  readonly yaml11?: readonly Yaml11Scalar[];
  /** Set when the text is past `maxFileSizeMB` and was not analysed (its facts are empty). */
  readonly tooLarge?: { readonly sizeMB: number; readonly limitMB: number };
  /**
   * A chart's values file (values.yaml beside a Chart.yaml): the value the renderer reads from this
   * very text (syntax/valuesFile.ts `readValuesFile`), when the index's reading gave one. Kept with
   * the facts so that the warm-start cache carries it: a warm start hands it to the render
   * (render/helm/chart.ts `offerValues`) instead of parsing the text again.
   */
  readonly helmValues?: { readonly js: unknown };
  /**
   * Set when these facts were made from the facts `baseSerial` by lowering only the documents an
   * edit changed (`model/lower.ts`, `lowerEdit`): what changed, so the index and the checks can
   * treat the other documents' objects as unchanged (moved, when `delta` is not 0).
   */
  readonly lastEdit?: DocumentEdit;
}

/**
 * The documents an edit changed in a multi-document file: `removedDocuments` documents from
 * `firstDocument` (with `removedObjects` objects from `firstObject`) were replaced by
 * `addedDocuments` (with `addedObjects`); everything the old text held from offset `movedFrom` on is
 * now `delta` further.
 */
export interface DocumentEdit {
  readonly baseSerial: number;
  readonly firstDocument: number;
  readonly removedDocuments: number;
  readonly addedDocuments: number;
  readonly firstObject: number;
  readonly removedObjects: number;
  readonly addedObjects: number;
  readonly movedFrom: number;
  readonly delta: number;
}

/** One document of a file: its span, the objects and the API findings it lowered to. */
export interface LoweredDocument {
  /** Identity of the document while it is unchanged (kept when it only moves): the checks' unit of work in a big file. */
  readonly id: number;
  readonly span: Span;
  readonly objects: readonly KObject[];
  readonly apiFindings: readonly ApiFinding[];
  /** The document's syntax errors and YAML 1.1 scalars (`lowerEdit` puts the file's lists together from them). */
  readonly errors?: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
  readonly yaml11?: readonly Yaml11Scalar[];
  /** The document's root is a map. */
  readonly map?: boolean;
  /** It took comments or errors the parser met before it, outside any document (`ParsedDocument.carried`). */
  readonly carried?: boolean;
}

export interface Suppressions {
  /** Line number (0-based) → codes disabled on that line. */
  readonly lines: ReadonlyMap<number, readonly string[]>;
  /** Codes disabled from a line to the end of the file. */
  readonly fromLine: ReadonlyArray<{ readonly line: number; readonly codes: readonly string[] }>;
}

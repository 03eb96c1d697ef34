/**
 * The Kustomize builder against kustomize's documented behaviour. Each case names the page of
 * kubernetes-sigs/kustomize (or of the Kubernetes docs) whose behaviour it checks; inputs and
 * expected outputs are written here, in the spirit of those pages, not copied from them.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build, builtObjects, expectedObjects } from '../support/kustomize.js';
import type { BuildResult } from '../../analysis/render/kustomize/index.js';
import type { YNode } from '../../analysis/syntax/tree.js';

interface Case {
  readonly name: string;
  /** The documentation whose behaviour the case checks. */
  readonly doc: string;
  readonly files: string;
  readonly dir: string;
  readonly expected: string;
  readonly complete?: boolean;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.25
          ports: [{containerPort: 8080}]
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

/** The metadata kustomize writes on each object of the `${VAR}` case (the kustomization's fields copied as text). */
const varMetadata = (name: string): string => `metadata:
  annotations:
    owner: \${OWNER:=me}
  labels:
    app: \${APP}
    team: \${TEAM}
  name: ${name}
  namespace: \${NS}`;

/** A Flux home lab's CloudNativePG cluster `${APP}-postgres` of three instances: its patch file (app/cluster.patch.yaml) and the built object. */
const CLUSTER_3 = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: \${APP}-postgres
spec:
  instances: 3`;
const CLUSTER_PATCH = `#- app/cluster.patch.yaml
${CLUSTER_3}`;

/** An OpenAPI document giving the custom type Widget's `spec.listeners` the merge key `name` (kubernetes-sigs/kustomize examples/customOpenAPIschema.md's shape). */
const WIDGET_SCHEMA = `{
  "definitions": {
    "dev.example.v1.Widget": {
      "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"type": "object"},
        "spec": {"$ref": "#/definitions/dev.example.v1.WidgetSpec"}
      },
      "type": "object",
      "x-kubernetes-group-version-kind": [{"group": "example.dev", "kind": "Widget", "version": "v1"}]
    },
    "dev.example.v1.WidgetSpec": {
      "properties": {
        "listeners": {
          "type": "array",
          "items": {"$ref": "#/definitions/dev.example.v1.Listener"},
          "x-kubernetes-patch-merge-key": "name",
          "x-kubernetes-patch-strategy": "merge"
        },
        "hosts": {"type": "array", "items": {"type": "string"}}
      },
      "type": "object"
    },
    "dev.example.v1.Listener": {
      "properties": {"name": {"type": "string"}, "port": {"type": "integer"}, "tls": {"type": "boolean"}},
      "type": "object"
    }
  }
}`;

/** kustomize's schema order (kusttarget.go accumulateDirectory, kyaml openapi.SetSchema): the same tree with its bases in either order. */
function openApiOrderCase(order: string, label: string, listenersP: string): Case {
  return {
    name: `openapi: without the top's, the first kustomization loaded that has one sets the schema for itself and everything after (the top's patches too); a base loaded before it was patched without one (${label})`,
    doc: 'kubernetes-sigs/kustomize api/internal/target/kusttarget.go accumulateDirectory, kyaml openapi.SetSchema (set once); expected output printed by kubectl kustomize v5.5.0',
    dir: 'app',
    files: `#- app/kustomization.yaml
resources: [${order}]
patches:
- patch: |-
    apiVersion: example.dev/v1
    kind: Widget
    metadata: {name: w}
    spec:
      listeners:
      - name: b
        port: 9090
- patch: |-
    apiVersion: example.dev/v1
    kind: Widget
    metadata: {name: p}
    spec:
      listeners:
      - name: three
        port: 3
#- plain/kustomization.yaml
resources: [p.yaml]
patches:
- patch: |-
    apiVersion: example.dev/v1
    kind: Widget
    metadata: {name: p}
    spec:
      listeners:
      - name: two
        port: 2
#- plain/p.yaml
apiVersion: example.dev/v1
kind: Widget
metadata: {name: p}
spec:
  listeners:
  - {name: one, port: 1}
#- base/kustomization.yaml
resources: [w.yaml]
openapi:
  path: schema.json
patches:
- patch: |-
    apiVersion: example.dev/v1
    kind: Widget
    metadata: {name: w}
    spec:
      listeners:
      - name: c
        port: 82
#- base/w.yaml
apiVersion: example.dev/v1
kind: Widget
metadata: {name: w}
spec:
  listeners:
  - {name: a, port: 80}
  - {name: c, port: 81}
#- base/schema.json
${WIDGET_SCHEMA}
`,
    expected: `apiVersion: example.dev/v1
kind: Widget
metadata: {name: p}
spec:
  listeners: ${listenersP}
---
apiVersion: example.dev/v1
kind: Widget
metadata: {name: w}
spec:
  listeners: [{name: b, port: 9090}, {name: c, port: 82}, {name: a, port: 80}]
`,
  };
}

const cases: Case[] = [
  {
    name: 'namePrefix, commonLabels and commonAnnotations reach names, selectors and templates',
    doc: 'kubernetes-sigs/kustomize examples/helloWorld/README.md; docs: kustomization/commonLabels, namePrefix',
    dir: 'base',
    files: `#- base/kustomization.yaml
namePrefix: hello-
commonLabels:
  team: blue
commonAnnotations:
  note: hi
resources: [deployment.yaml, service.yaml]
#- base/deployment.yaml
${DEPLOYMENT}#- base/service.yaml
${SERVICE}`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: hello-web, labels: {team: blue}, annotations: {note: hi}}
spec:
  selector:
    matchLabels: {app: web, team: blue}
  template:
    metadata:
      labels: {app: web, team: blue}
      annotations: {note: hi}
    spec:
      containers: [{name: web, image: 'nginx:1.25', ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: hello-web, labels: {team: blue}, annotations: {note: hi}}
spec:
  selector: {app: web, team: blue}
  ports: [{port: 80, targetPort: 8080}]
`,
  },
  {
    name: 'labels without includeSelectors touch metadata only; includeTemplates adds pod templates',
    doc: 'kubernetes-sigs/kustomize site docs: kustomization/labels (includeSelectors, includeTemplates)',
    dir: 'app',
    files: `#- app/kustomization.yaml
labels:
  - pairs: {owner: ops}
  - pairs: {tier: front}
    includeTemplates: true
resources: [deployment.yaml, service.yaml]
#- app/deployment.yaml
${DEPLOYMENT}#- app/service.yaml
${SERVICE}`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {owner: ops, tier: front}}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, tier: front}
    spec:
      containers: [{name: web, image: 'nginx:1.25', ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {owner: ops, tier: front}}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`,
  },
  {
    name: 'an overlay sets the namespace of namespaced objects, leaves cluster-scoped ones, and updates default ServiceAccount subjects',
    doc: 'kubernetes-sigs/kustomize site docs: kustomization/namespace; api/filters/namespace (setRoleBindingSubjects defaultOnly)',
    dir: 'overlay',
    files: `#- base/kustomization.yaml
resources: [rbac.yaml]
#- base/rbac.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: read}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: default, namespace: default}
  - {kind: ServiceAccount, name: other, namespace: elsewhere}
---
apiVersion: v1
kind: Namespace
metadata: {name: apps}
#- overlay/kustomization.yaml
namespace: apps
resources: [../base]
`,
    expected: `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: apps}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: read}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: default, namespace: apps}
  - {kind: ServiceAccount, name: other, namespace: elsewhere}
---
apiVersion: v1
kind: Namespace
metadata: {name: apps}
`,
  },
  {
    name: "namespace: a type kustomize's schema does not know as cluster-scoped gets it too (flowcontrol v1 FlowSchema, GatewayClass, a ClusterIssuer), one it knows does not",
    doc: 'kubernetes-sigs/kustomize kyaml/openapi/openapi.go precomputedIsNamespaceScoped and IsCertainlyClusterScoped; kyaml/resid/gvk.go; api/filters/namespace metaNamespaceHack (kubectl kustomize v5.5.0 prints the same)',
    dir: 'overlay',
    files: `#- overlay/kustomization.yaml
namespace: apps
resources: [flow.yaml]
#- overlay/flow.yaml
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: new}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1beta1
kind: FlowSchema
metadata: {name: old}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: level}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: ca}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
`,
    expected: `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: new, namespace: apps}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1beta1
kind: FlowSchema
metadata: {name: old}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: level, namespace: apps}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc, namespace: apps}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: ca, namespace: apps}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
`,
  },
  {
    name: "a strategic merge patch merges containers by name, ports by containerPort and env by name, the patch's items first",
    doc: 'kubernetes-sigs/kustomize examples/patchMultipleObjects.md; Kubernetes API patchMergeKey (containers: name, ports: containerPort, env: name); api/filters/patchstrategicmerge (merge2 with ListIncreaseDirection prepend)',
    dir: 'overlay',
    files: `#- base/kustomization.yaml
resources: [deployment.yaml]
#- base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: web
          image: web
          env: [{name: A, value: '1'}, {name: B, value: '2'}]
          ports: [{containerPort: 8080, name: http}]
        - name: sidecar
          image: proxy
#- overlay/kustomization.yaml
resources: [../base]
patches:
  - path: patch.yaml
#- overlay/patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: web
          env: [{name: B, value: '3'}, {name: C, value: '4'}]
          ports: [{containerPort: 9090, name: metrics}]
        - name: sidecar
          $patch: delete
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: web
          image: web
          env: [{name: B, value: '3'}, {name: C, value: '4'}, {name: A, value: '1'}]
          ports: [{containerPort: 9090, name: metrics}, {containerPort: 8080, name: http}]
`,
  },
  {
    name: 'Service ports merge by port; $patch: replace replaces a map; a legacy patch\'s null annotation is the string "null" (kustomize copies its labels and annotations as strings)',
    doc: 'Kubernetes docs: tasks/manage-kubernetes-objects/update-api-object-kubectl-patch (strategic merge, $patch: replace); ServiceSpec.ports patchMergeKey port',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [svc.yaml]
patchesStrategicMerge: [p.yaml]
#- o/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: api, annotations: {a: '1'}}
spec:
  selector: {app: api, tier: x}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: grpc, port: 90}]
#- o/p.yaml
apiVersion: v1
kind: Service
metadata:
  name: api
  annotations: {a: null}
spec:
  selector:
    $patch: replace
    app: api2
  ports: [{port: 80, targetPort: http}]
`,
    expected: `apiVersion: v1
kind: Service
metadata: {name: api, annotations: {a: 'null'}}
spec:
  selector: {app: api2}
  ports: [{name: http, port: 80, targetPort: http}, {name: grpc, port: 90}]
`,
  },
  {
    name: 'JSON 6902 patches apply to every target the selector picks',
    doc: 'kubernetes-sigs/kustomize examples/jsonpatch.md; examples/patchMultipleObjects.md (target selectors)',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [d.yaml]
patches:
  - target: {kind: Deployment, labelSelector: 'tier=back'}
    patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
      - op: add
        path: /metadata/labels/patched
        value: 'yes'
patchesJson6902:
  - target: {group: apps, version: v1, kind: Deployment, name: b.*}
    path: ops.yaml
#- o/ops.yaml
- op: remove
  path: /spec/paused
#- o/d.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, labels: {tier: back}}
spec: {replicas: 1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b, labels: {tier: front}}
spec: {replicas: 1, paused: true}
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: a, labels: {tier: back, patched: 'yes'}}
spec: {replicas: 3}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b, labels: {tier: front}}
spec: {replicas: 1}
`,
  },
  {
    name: 'configMapGenerator and secretGenerator names get the content hash kustomize computes, and references follow',
    // The docs page shows example-configmap-1-8mbdf7882g, example-configmap-2-g2hdhfc6tk and
    // example-secret-1-t2kt65hgtb, an older kustomize's names (it hashed the name too); kustomize v5
    // hashes an empty name (its hasher looks `metadata/name` up as one field): `kubectl kustomize`
    // (kustomize v5.5.0) prints the names below for these inputs.
    doc: 'Kubernetes docs: tasks/manage-kubernetes-objects/kustomization; names as kustomize v5.5.0 prints them',
    dir: 'g',
    files: `#- g/kustomization.yaml
configMapGenerator:
  - name: example-configmap-1
    files: [application.properties]
  - name: example-configmap-2
    literals: [FOO=Bar]
secretGenerator:
  - name: example-secret-1
    files: [password.txt]
resources: [pod.yaml]
#- g/application.properties
FOO=Bar
#- g/password.txt
username=admin
password=secret
#- g/pod.yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox
      envFrom: [{configMapRef: {name: example-configmap-2}}]
      env: [{name: S, valueFrom: {secretKeyRef: {name: example-secret-1, key: password.txt}}}]
  volumes: [{name: v, configMap: {name: example-configmap-1}}]
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: example-configmap-1-g4hk9g2ff8}
data: {application.properties: "FOO=Bar\\n"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: example-configmap-2-42cfbf598f}
data: {FOO: Bar}
---
apiVersion: v1
kind: Secret
metadata: {name: example-secret-1-2kdd8ckcc7}
type: Opaque
data: {password.txt: dXNlcm5hbWU9YWRtaW4KcGFzc3dvcmQ9c2VjcmV0Cg==}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox
      envFrom: [{configMapRef: {name: example-configmap-2-42cfbf598f}}]
      env: [{name: S, valueFrom: {secretKeyRef: {name: example-secret-1-2kdd8ckcc7, key: password.txt}}}]
  volumes: [{name: v, configMap: {name: example-configmap-1-g4hk9g2ff8}}]
`,
  },
  {
    name: 'a Secret value longer than 68 characters of base64 is written in lines of 70, each ended by a line break (the hash reads them)',
    doc: 'kustomize api/internal/generators encodeBase64; output of kubectl kustomize v5.5.0 for these inputs',
    dir: 's',
    files: `#- s/kustomization.yaml
secretGenerator:
  - name: s
    literals:
      - a=${'x'.repeat(52)}
      - b=${'y'.repeat(51)}
      - c=${'z'.repeat(53)}
`,
    expected: `apiVersion: v1
data:
  a: |
    eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eA
    ==
  b: eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5
  c: |
    enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6en
    o=
kind: Secret
metadata:
  name: s-dmb87bhckg
type: Opaque
`,
  },
  {
    name: 'a merge key tagged `!!merge` merges as `<<` does (go-yaml reads both so)',
    doc: 'YAML merge key type (yaml.org/type/merge.html); output of kubectl kustomize v5.5.0 for these inputs',
    dir: 'm',
    files: `#- m/kustomization.yaml
resources: [deployment.yaml]
#- m/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: webhook
spec:
  selector:
    matchLabels: {app: webhook}
  template:
    metadata:
      labels: {app: webhook}
    spec:
      containers:
        - name: webhook
          image: webhook
          readinessProbe: &probe
            periodSeconds: 1
            httpGet: {port: 8443, scheme: HTTPS}
          livenessProbe:
            !!merge <<: *probe
            initialDelaySeconds: 20
          startupProbe:
            <<: *probe
            periodSeconds: 5
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: webhook
spec:
  selector:
    matchLabels:
      app: webhook
  template:
    metadata:
      labels:
        app: webhook
    spec:
      containers:
      - image: webhook
        livenessProbe:
          httpGet:
            port: 8443
            scheme: HTTPS
          initialDelaySeconds: 20
          periodSeconds: 1
        name: webhook
        readinessProbe:
          httpGet:
            port: 8443
            scheme: HTTPS
          periodSeconds: 1
        startupProbe:
          httpGet:
            port: 8443
            scheme: HTTPS
          periodSeconds: 5
`,
  },
  {
    name: 'namePrefix renames Services and the Ingress backends and StatefulSet serviceName that name them',
    doc: 'kubernetes-sigs/kustomize examples/transformerconfigs/README.md (nameReference: Service referred to by Ingress and StatefulSet)',
    dir: 'o',
    files: `#- o/kustomization.yaml
namePrefix: dev-
resources: [r.yaml]
#- o/r.yaml
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec: {serviceName: db}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  defaultBackend: {service: {name: db, port: {number: 5432}}}
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: db, port: {number: 5432}}}}
          - {path: /x, pathType: Prefix, backend: {service: {name: external, port: {number: 80}}}}
`,
    expected: `apiVersion: v1
kind: Service
metadata: {name: dev-db}
spec: {clusterIP: None, selector: {app: db}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: dev-db}
spec: {serviceName: dev-db}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: dev-web}
spec:
  defaultBackend: {service: {name: dev-db, port: {number: 5432}}}
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: dev-db, port: {number: 5432}}}}
          - {path: /x, pathType: Prefix, backend: {service: {name: external, port: {number: 80}}}}
`,
  },
  {
    name: "components run after the including kustomization's generators (kustomize v5.1+): a merge generator merges into them, a namePrefix renames them",
    doc: 'kubernetes-sigs/kustomize#5170; expected output from kubectl kustomize (kustomize v5.5.0)',
    dir: 'overlays/prod',
    files: `#- components/restic/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
configMapGenerator:
  - name: restic
    behavior: merge
    literals: [B=2]
#- components/prefix/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
namePrefix: c-
#- overlays/prod/kustomization.yaml
components: [../../components/restic, ../../components/prefix]
configMapGenerator:
  - name: restic
    literals: [A=1, B=9]
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: c-restic-66h9cbh964}
data: {A: '1', B: '2'}
`,
  },
  {
    name: 'a component adds resources and patches what the including kustomization accumulated',
    doc: 'kubernetes-sigs/kustomize examples/components.md',
    dir: 'overlays/prod',
    files: `#- base/kustomization.yaml
resources: [deployment.yaml]
#- base/deployment.yaml
${DEPLOYMENT}#- components/metrics/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [svc.yaml]
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          metadata:
            labels: {metrics: 'on'}
#- components/metrics/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: metrics}
spec: {selector: {metrics: 'on'}, ports: [{port: 9090}]}
#- overlays/prod/kustomization.yaml
namespace: prod
resources: [../../base]
components: [../../components/metrics, https://example.com/remote//component]
`,
    complete: false,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, metrics: 'on'}
    spec:
      containers: [{name: web, image: 'nginx:1.25', ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: metrics, namespace: prod}
spec: {selector: {metrics: 'on'}, ports: [{port: 9090}]}
`,
  },
  {
    name: 'replicas and images set counts and image names; $patch: delete removes an object',
    doc: 'kubernetes-sigs/kustomize examples/image.md; site docs kustomization/replicas; patchesStrategicMerge $patch: delete',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [d.yaml]
replicas: [{name: web, count: 5}]
images: [{name: nginx, newName: registry.local/nginx, newTag: '1.27'}]
patchesStrategicMerge:
  - |-
    $patch: delete
    apiVersion: v1
    kind: Service
    metadata: {name: debug}
#- o/d.yaml
${DEPLOYMENT}---
apiVersion: v1
kind: Service
metadata: {name: debug}
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 5
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: 'registry.local/nginx:1.27', ports: [{containerPort: 8080}]}]
`,
  },
  {
    name: 'a generator with behavior merge adds to the base ConfigMap, and the overlay prefix and hash reach its references',
    doc: 'kubernetes-sigs/kustomize site docs: kustomization/configmapgenerator (behavior: merge); examples/configGeneration.md',
    dir: 'overlay',
    files: `#- base/kustomization.yaml
configMapGenerator:
  - name: settings
    literals: [A=1]
resources: [pod.yaml]
#- base/pod.yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: x, envFrom: [{configMapRef: {name: settings}}]}]
#- overlay/kustomization.yaml
namePrefix: o-
resources: [../base]
configMapGenerator:
  - name: settings
    behavior: merge
    literals: [B=2]
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: o-settings-HASH}
data: {A: '1', B: '2'}
---
apiVersion: v1
kind: Pod
metadata: {name: o-p}
spec:
  containers: [{name: c, image: x, envFrom: [{configMapRef: {name: o-settings-HASH}}]}]
`,
  },
  {
    name: 'nameSuffix reaches the ConfigMap, Secret, PersistentVolumeClaim and ServiceAccount a pod names; legacy bases and patchesJson6902 still apply',
    doc: 'kubernetes-sigs/kustomize site docs: kustomization/namesuffix, kustomization/bases (deprecated), kustomization/patchesjson6902 (deprecated); api/konfig/builtinpluginconsts nameReference',
    dir: 'o',
    files: `#- base/kustomization.yaml
resources: [all.yaml]
#- base/all.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data: {k: v}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: runner
      containers:
        - name: web
          image: nginx
          env:
            - name: K
              valueFrom: {configMapKeyRef: {name: conf, key: k}}
      volumes:
        - {name: c, configMap: {name: conf}}
        - {name: s, secret: {secretName: creds}}
        - {name: d, persistentVolumeClaim: {claimName: data}}
#- o/kustomization.yaml
nameSuffix: -blue
bases: [../base]
patchesJson6902:
  - target: {group: apps, version: v1, kind: Deployment, name: web}
    path: replicas.yaml
#- o/replicas.yaml
- op: add
  path: /spec/replicas
  value: 2
`,
    expected: `apiVersion: v1
kind: ServiceAccount
metadata: {name: runner-blue}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: conf-blue}
data: {k: v}
---
apiVersion: v1
kind: Secret
metadata: {name: creds-blue}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data-blue}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-blue}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: runner-blue
      containers:
        - name: web
          image: nginx
          env:
            - name: K
              valueFrom: {configMapKeyRef: {name: conf-blue, key: k}}
      volumes:
        - {name: c, configMap: {name: conf-blue}}
        - {name: s, secret: {secretName: creds-blue}}
        - {name: d, persistentVolumeClaim: {claimName: data-blue}}
`,
  },
  {
    name: 'a strategic merge patch deletes one container by its merge key with $patch: delete and keeps the others',
    doc: 'Kubernetes docs: update API objects in place using kubectl patch (strategic merge patch, $patch: delete in a list); kustomize site docs: kustomization/patchesstrategicmerge',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [d.yaml]
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
              - name: debug
                $patch: delete
#- o/d.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - {name: web, image: nginx}
        - {name: debug, image: busybox}
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - {name: web, image: nginx}
`,
  },
  {
    name: "a strategic merge patch puts the patch's containers, env, ports and finalizers first and the base's others after them",
    doc: 'kubernetes-sigs/kustomize api/filters/patchstrategicmerge (merge2.Merge with ListIncreaseDirection: MergeOptionsListPrepend); kyaml/yaml/walk associative_sequence.go',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [d.yaml]
patches:
  - path: p.yaml
#- o/d.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, finalizers: [a, b]}
spec:
  template:
    spec:
      containers:
        - name: one
          image: x
          env: [{name: A, value: '1'}, {name: B, value: '2'}, {name: C, value: '3'}]
          ports: [{containerPort: 80}, {containerPort: 81}]
        - {name: two, image: y}
#- o/p.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, finalizers: [c, a]}
spec:
  template:
    spec:
      containers:
        - {name: two, image: z}
        - name: one
          env: [{name: C, value: x}, {name: D, value: '4'}, {name: A, $patch: delete}]
          ports: [{containerPort: 82}]
        - {name: three, image: w}
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: d, finalizers: [c, a, b]}
spec:
  template:
    spec:
      containers:
        - {name: two, image: z}
        - name: one
          image: x
          env: [{name: C, value: x}, {name: D, value: '4'}, {name: B, value: '2'}]
          ports: [{containerPort: 82}, {containerPort: 80}, {containerPort: 81}]
        - {name: three, image: w}
`,
  },
  {
    name: 'webhooks of a webhook configuration merge by name',
    doc: 'Kubernetes API ValidatingWebhookConfiguration.webhooks patchMergeKey name; kustomize site docs: kustomization/patches',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [w.yaml]
patches:
  - path: extra.yaml
#- o/w.yaml
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: hooks}
webhooks:
  - {name: a.example.com, sideEffects: None}
#- o/extra.yaml
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: hooks}
webhooks:
  - {name: b.example.com, sideEffects: None}
`,
    expected: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: hooks}
webhooks:
  - {name: b.example.com, sideEffects: None}
  - {name: a.example.com, sideEffects: None}
`,
  },
  {
    name: 'namespace renames a v1 Namespace and fills APIService service namespaces; name references move subjects and webhook services with the objects they name',
    doc: 'kubernetes-sigs/kustomize api/filters/namespace and api/internal/konfig/builtinpluginconsts namespace.go (metadata/name of Namespace, spec/service/namespace of APIService); namereference.go (subjects, webhooks/clientConfig/service); api/filters/nameref setMapping; prefix/suffix transformers skip CRDs, APIServices and Namespaces; api/kv env files (a bare KEY is empty)',
    dir: 'o',
    files: `#- base/kustomization.yaml
resources: [rbac.yaml, app.yaml]
configMapGenerator:
  - name: conf
    envs: [app.env]
#- base/app.env
MODE=prod
DEBUG
# comment
  LEVEL=info
#- base/rbac.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: run}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: runner, namespace: default}
  - {kind: ServiceAccount, name: runner, namespace: elsewhere}
  - {kind: ServiceAccount, name: builder}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: run}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: run}
subjects:
  - {kind: ServiceAccount, name: runner}
#- base/app.yaml
apiVersion: v1
kind: Namespace
metadata: {name: placeholder}
---
apiVersion: v1
kind: Service
metadata: {name: hooks, namespace: system}
spec:
  ports: [{port: 443}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: hooks}
webhooks:
  - name: a.example.com
    clientConfig: {service: {name: hooks, namespace: system}}
  - name: b.example.com
    clientConfig: {service: {name: gone, namespace: system}}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.local.example.com}
spec: {group: local.example.com, version: v1}
#- o/kustomization.yaml
namespace: apps
namePrefix: p-
resources: [../base, web.yaml]
#- o/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: other}
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          envFrom: [{configMapRef: {name: conf}}]
`,
    expected: `apiVersion: v1
kind: ServiceAccount
metadata: {name: p-runner, namespace: apps}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: p-run}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: p-runner, namespace: apps}
  - {kind: ServiceAccount, name: runner, namespace: elsewhere}
  - {kind: ServiceAccount, name: builder}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: p-run, namespace: apps}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: run}
subjects:
  - {kind: ServiceAccount, name: p-runner, namespace: apps}
---
apiVersion: v1
kind: Namespace
metadata: {name: apps}
---
apiVersion: v1
kind: Service
metadata: {name: p-hooks, namespace: apps}
spec:
  ports: [{port: 443}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: p-hooks}
webhooks:
  - name: a.example.com
    clientConfig: {service: {name: p-hooks, namespace: apps}}
  - name: b.example.com
    clientConfig: {service: {name: gone, namespace: system}}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.local.example.com}
spec: {group: local.example.com, version: v1, service: {namespace: apps}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: p-conf-d24k86hg86, namespace: apps}
data: {DEBUG: '', LEVEL: info, MODE: prod}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: p-web, namespace: apps}
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          envFrom: [{configMapRef: {name: p-conf-d24k86hg86}}]
`,
  },
  {
    name: 'a reference from another namespace does not follow a generated name (the object is not one the referrer may name)',
    doc: 'kubernetes-sigs/kustomize api/filters/nameref (sameCurrentNamespaceAsReferrer) and api/resmap SubsetThatCouldBeReferencedByResource',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [manager.yaml]
configMapGenerator:
  - name: controller-config
    literals: [mode=prod]
#- o/manager.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: manager, namespace: system}
spec:
  template:
    spec:
      containers: [{name: manager, image: manager}]
      volumes: [{name: config, configMap: {name: controller-config}}]
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: manager, namespace: system}
spec:
  template:
    spec:
      containers: [{name: manager, image: manager}]
      volumes: [{name: config, configMap: {name: controller-config}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: controller-config-mgc92dd9c6}
data: {mode: prod}
`,
  },
  {
    name: 'a JSON patch replaces a missing key as add and adds an annotation to an object without any; a strategic merge patch keeps the name and namespace and finds a cluster-scoped object whatever namespace it names',
    doc: 'kubernetes-sigs/kustomize api/filters/patchjson6902 (evanphx/json-patch v4: replace sets a missing key); api/resource ApplySmPatch (name, kind and namespace kept); kyaml resid effective namespace of cluster-scoped kinds',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [r.yaml]
patches:
  - target: {kind: ConfigMap}
    patch: |-
      - op: add
        path: /metadata/annotations/x
        value: "1"
      - op: replace
        path: /metadata/namespace
        value: ns
  - target: {kind: Deployment}
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/imagePullPolicy
        value: Always
  - path: hook.yaml
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d, namespace: elsewhere}
      spec: {replicas: 2}
    target: {kind: Deployment}
#- o/hook.yaml
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: hooks
  namespace: system
  annotations: {cert-manager.io/inject-ca-from: system/cert}
#- o/r.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: plain}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers: [{name: c, image: i}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: hooks}
webhooks: []
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: plain, namespace: ns, annotations: {x: '1'}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  replicas: 2
  template:
    spec:
      containers: [{name: c, image: i, imagePullPolicy: Always}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: hooks, annotations: {cert-manager.io/inject-ca-from: system/cert}}
webhooks: []
`,
  },
  {
    name: 'a JSON patch add or replace without a value sets null; annotations come out as strings, a null or empty annotations map is dropped, labels and template annotations stay as written',
    doc: 'kubectl kustomize v5.5.0: evanphx/json-patch v4 sets a missing value to null; kustomize writes metadata.annotations back as a map of strings and clears empty ones (kyaml ClearEmptyAnnotations)',
    dir: 'o',
    files: `#- o/kustomization.yaml
resources: [r.yaml]
patches:
  - target: {kind: ConfigMap, name: c}
    patch: |-
      - op: replace
        path: /metadata/annotations/a
        vallue: typo
      - op: add
        path: /metadata/annotations/b
      - op: replace
        path: /data/x
#- o/r.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  annotations: {a: "1", t: true, n: 5}
  labels: {y: 1, b: true}
data: {x: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: e
  annotations:
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata: {annotations: {q: true}}
    spec:
      containers: [{name: c, image: i}]
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  annotations: {a: 'null', t: 'true', n: '5', b: 'null'}
  labels: {y: 1, b: true}
data: {x: null}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: e}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata: {annotations: {q: true}}
    spec:
      containers: [{name: c, image: i}]
`,
  },
  {
    name: "namePrefix leaves an HTTPRoute backendRef as written: kustomize's name references know no Gateway API routes",
    doc: 'kubernetes-sigs/kustomize api/konfig/builtinpluginconsts nameReference (Services are referenced from Ingress, not from gateway.networking.k8s.io routes)',
    dir: 'o',
    files: `#- o/kustomization.yaml
namePrefix: shop-
resources: [r.yaml]
#- o/r.yaml
${SERVICE}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: gw}]
  rules:
    - backendRefs: [{name: web, port: 80}]
`,
    expected: `apiVersion: v1
kind: Service
metadata: {name: shop-web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop-web}
spec:
  parentRefs: [{name: gw}]
  rules:
    - backendRefs: [{name: web, port: 80}]
`,
  },
  {
    name: 'a targeted patch renames and re-kinds an object only with options allowNameChange and allowKindChange, and keeps its apiVersion',
    doc: 'kubectl.docs.k8s.io kustomization/patches ("options": allowNameChange, allowKindChange); kubectl kustomize v5.5.0 output',
    dir: 'app',
    files: `#- app/kustomization.yaml
resources: [deployment.yaml, service.yaml]
patches:
  - target: {kind: Service, name: web}
    options: {allowNameChange: true}
    patch: |
      apiVersion: v1
      kind: Service
      metadata: {name: web-renamed}
      spec:
        ports: [{port: 81, targetPort: 8080}]
  - target: {kind: Deployment, name: web}
    options: {allowKindChange: true, allowNameChange: true}
    patch: |
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: web-sts}
  - target: {kind: StatefulSet}
    patch: |
      apiVersion: example.com/v1
      kind: StatefulSet
      metadata: {name: ignored}
      spec: {replicas: 2}
#- app/deployment.yaml
${DEPLOYMENT}#- app/service.yaml
${SERVICE}`,
    expected: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web-sts}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: 'nginx:1.25', ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web-renamed}
spec:
  selector: {app: web}
  ports: [{port: 81, targetPort: 8080}, {port: 80, targetPort: 8080}]
`,
  },
  {
    name: "generator options immutable, and behavior merge and replace: the generated object takes the existing one's place, name and namespace, with its labels and annotations (and for merge its data) under the new ones",
    doc: 'kubectl.docs.k8s.io kustomization/configmapgenerator, secretgenerator, generatoroptions ("behavior", "immutable"); kubectl kustomize v5.5.0 output',
    dir: 'ov',
    files: `#- base/kustomization.yaml
configMapGenerator:
  - name: cfg
    literals: [A=1, B=2]
    options:
      labels: {gen: "yes"}
      annotations: {note: hi}
secretGenerator:
  - name: sec
    type: kubernetes.io/tls
    literals: [tls.crt=x, tls.key=y]
  - name: plain
    literals: [p=q]
    options: {disableNameSuffixHash: true, immutable: true}
generatorOptions:
  labels: {global: g}
#- ov/kustomization.yaml
resources: [../base]
configMapGenerator:
  - name: cfg
    behavior: merge
    literals: [B=3, C=4]
    options:
      labels: {merged: m}
  - name: other
    literals: [x=y]
    options: {immutable: true}
secretGenerator:
  - name: sec
    behavior: replace
    type: kubernetes.io/tls
    literals: [tls.crt=z, tls.key=w]
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-k45267997d
  labels: {gen: "yes", global: g, merged: m}
  annotations: {note: hi}
data: {A: "1", B: "3", C: "4"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other-6gc9d749f7}
data: {x: "y"}
immutable: true
---
apiVersion: v1
kind: Secret
metadata:
  name: plain
  labels: {global: g}
data: {p: cQ==}
immutable: true
type: Opaque
---
apiVersion: v1
kind: Secret
metadata:
  name: sec-g5hgfd2825
  labels: {global: g}
data: {tls.crt: eg==, tls.key: dw==}
type: kubernetes.io/tls
`,
  },
  {
    name: 'the legacy imageTags are applied after images, as kustomize appends them to images; the legacy env of a generator and bases after resources',
    doc: 'kustomize api/types/kustomization.go FixKustomization (bases, imageTags, EnvSource); kubectl kustomize v5.5.0 output',
    dir: '',
    files: `#- kustomization.yaml
resources: [deployment.yaml]
bases: [base]
imageTags:
  - name: nginx
    newTag: "1.2"
images:
  - name: redis
    newName: valkey
configMapGenerator:
  - name: c
    env: a.env
#- a.env
K=v
#- deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers: [{name: a, image: nginx}, {name: b, image: redis}]
#- base/kustomization.yaml
resources: [svc.yaml]
#- base/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: s}
spec: {ports: [{port: 80}]}
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: c-276ch85d82}
data: {K: v}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers: [{name: a, image: 'nginx:1.2'}, {name: b, image: valkey}]
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec: {ports: [{port: 80}]}
`,
  },
  {
    name: 'images: newTag with digest keeps both; every containers and initContainers list of any object but a CRD (a custom resource too); a registry port is no tag',
    doc: 'kubectl.docs.k8s.io kustomization/images; kustomize api/filters/imagetag legacy filter; kubectl kustomize v5.5.0 output',
    dir: '',
    files: `#- kustomization.yaml
resources: [deployment.yaml, custom.yaml, crd.yaml]
images:
  - name: nginx
    newName: registry.example/nginx
    digest: sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
  - name: example.com/org/side
    newTag: v2
  - name: busybox
    newTag: "1.36"
    digest: sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
  - name: localhost:5000/agent
    newTag: "2"
#- deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: 'nginx:1.25'}
        - {name: side, image: 'example.com/org/side@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'}
        - {name: agent, image: 'localhost:5000/agent'}
      initContainers:
        - {name: init, image: busybox}
#- custom.yaml
apiVersion: monitoring.example.com/v1
kind: Collector
metadata: {name: c}
spec:
  containers:
    - {name: sidecar, image: 'nginx:1.24'}
#- crd.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: collectors.monitoring.example.com}
spec:
  containers: [{image: nginx}]
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: 'registry.example/nginx@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'}
        - {name: side, image: 'example.com/org/side:v2'}
        - {name: agent, image: 'localhost:5000/agent:2'}
      initContainers:
        - {name: init, image: 'busybox:1.36@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc'}
---
apiVersion: monitoring.example.com/v1
kind: Collector
metadata: {name: c}
spec:
  containers:
    - {name: sidecar, image: 'registry.example/nginx@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: collectors.monitoring.example.com}
spec:
  containers: [{image: nginx}]
`,
  },
  {
    name: 'null in a patch: an untargeted patch deletes the label or annotation (an emptied annotations map goes, an empty labels map stays); a targeted one sets the text "null", as kustomize copies the patch\'s labels and annotations as strings',
    doc: 'kubectl.docs.k8s.io kustomization/patches; kustomize resWrangler.ApplySmPatch (CopyMergeMetaDataFieldsFrom), kyaml ClearEmptyAnnotations; kubectl kustomize v5.5.0 output',
    dir: '',
    files: `#- kustomization.yaml
resources: [a.yaml, b.yaml]
patches:
  - path: p.yaml
  - target: {kind: ConfigMap, name: a}
    patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: a
        labels:
          l: null
          num: 4
          e: ~
          f:
        annotations: {x: null}
#- a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  annotations: {}
  labels: {l: '1', keep: 'yes'}
#- b.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  annotations: {x: '1'}
  labels: {l: '1'}
#- p.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  annotations: {x: null}
  labels: {l: null}
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  annotations: {x: 'null'}
  labels: {l: 'null', keep: 'yes', num: '4', e: '~', f: ''}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  labels: {}
`,
  },
  {
    name: 'replacements: a source field (with delimiter and index) into target fields by index, [name=…], *, with create, a target delimiter (a negative index prefixes), label selectors and rejects, and a replacement file; a count read from a ConfigMap string stays a number',
    doc: 'kubectl.docs.k8s.io kustomization/replacements; kubernetes-sigs/kustomize api/filters/replacement (v5.5.0); kubectl kustomize v5.5.0 output',
    dir: 'r',
    files: `#- r/kustomization.yaml
namePrefix: p-
resources: [res.yaml]
replacements:
  - source: {kind: ConfigMap, name: env, fieldPath: data.replicas}
    targets:
      - select: {kind: Deployment}
        fieldPaths: [spec.replicas]
  - source: {kind: ConfigMap, name: env, fieldPath: data.host}
    targets:
      - select: {kind: Ingress}
        fieldPaths: [spec.rules.0.host, metadata.annotations.host]
        options: {create: true}
      - select: {kind: Deployment}
        fieldPaths: ['spec.template.spec.containers.[name=web].args.0']
        options: {delimiter: '=', index: 1}
  - source: {kind: ConfigMap, name: env, fieldPath: data.image, options: {delimiter: ':', index: 1}}
    targets:
      - select: {kind: Deployment}
        reject: [{name: other}]
        fieldPaths: ['spec.template.spec.containers.*.image']
        options: {delimiter: ':', index: 1}
  - source: {kind: Service, name: web}
    targets:
      - select: {kind: Ingress}
        fieldPaths: [spec.rules.0.http.paths.0.backend.service.name]
      - select: {labelSelector: tier=front}
        fieldPaths: [metadata.labels.svc]
        options: {create: true}
      - select: {kind: Deployment}
        fieldPaths: [spec.template.metadata.annotations.svc]
        options: {create: true, delimiter: '-', index: -1}
  - path: more.yaml
#- r/more.yaml
- source: {kind: ConfigMap, name: env, fieldPath: data.port}
  targets:
    - select: {kind: Service}
      fieldPaths: [spec.ports.0.targetPort]
    - select: {kind: Deployment}
      fieldPaths: ['spec.template.spec.containers.[name=web].ports.0.containerPort']
#- r/res.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: env}
data:
  replicas: "3"
  host: api.example.com
  image: registry.example/app:1.2
  port: "9090"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {tier: front}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.25
          args: [--host=old, --port=80]
          ports: [{containerPort: 80}]
        - name: side
          image: side:1
          ports: [{containerPort: 81}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, annotations: {keep: me}}
spec:
  rules:
    - host: placeholder
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {number: 80}}}
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata: {name: p-env}
data: {host: api.example.com, image: 'registry.example/app:1.2', port: '9090', replicas: '3'}
---
apiVersion: v1
kind: Service
metadata: {name: p-web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 9090}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: p-web, labels: {tier: front, svc: p-web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}, annotations: {svc: p-web-}}
    spec:
      containers:
        - name: web
          image: 'nginx:1.2'
          args: [--host=api.example.com, --port=80]
          ports: [{containerPort: 9090}]
        - name: side
          image: 'side:1.2'
          ports: [{containerPort: 81}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: p-web, annotations: {keep: me, host: api.example.com}}
spec:
  rules:
    - host: api.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: p-web, port: {number: 80}}}
`,
  },
  {
    name: "configurations: a nameReference fieldSpec (kubebuilder's cert-manager Issuer in a Certificate's issuerRef) follows the renamed object; varReference without vars changes nothing",
    doc: 'kubernetes-sigs/kustomize examples/transformerconfigs/README.md (nameReference); kubebuilder config/certmanager/kustomizeconfig.yaml; kubectl kustomize v5.5.0 output',
    dir: 'ov',
    files: `#- base/kustomization.yaml
resources: [certs.yaml]
configurations:
- kustomizeconfig.yaml
- crdconfig.yaml
#- base/kustomizeconfig.yaml
# teaches kustomize the Issuer reference in Certificates
nameReference:
- kind: Issuer
  group: cert-manager.io
  fieldSpecs:
  - kind: Certificate
    group: cert-manager.io
    path: spec/issuerRef/name
varReference:
- kind: Certificate
  group: cert-manager.io
  path: spec/commonName
#- base/crdconfig.yaml
nameReference:
- kind: Service
  version: v1
  fieldSpecs:
  - kind: CustomResourceDefinition
    version: v1
    group: apiextensions.k8s.io
    path: spec/conversion/webhook/clientConfig/service/name
#- base/certs.yaml
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: selfsigned-issuer}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: serving-cert}
spec:
  dnsNames: [webhook-service.system.svc]
  issuerRef: {kind: Issuer, name: selfsigned-issuer}
  secretName: webhook-server-cert
---
apiVersion: v1
kind: Service
metadata: {name: webhook-service, namespace: system}
spec:
  selector: {app: manager}
  ports: [{port: 443, targetPort: 9443}]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        service: {name: webhook-service, namespace: system, path: /convert}
#- ov/kustomization.yaml
resources: [../base]
namePrefix: op-
namespace: op-system
`,
    expected: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        service: {name: op-webhook-service, namespace: op-system, path: /convert}
---
apiVersion: v1
kind: Service
metadata: {name: op-webhook-service, namespace: op-system}
spec:
  selector: {app: manager}
  ports: [{port: 443, targetPort: 9443}]
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: op-serving-cert, namespace: op-system}
spec:
  dnsNames: [webhook-service.system.svc]
  issuerRef: {kind: Issuer, name: op-selfsigned-issuer}
  secretName: webhook-server-cert
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: op-selfsigned-issuer, namespace: op-system}
spec: {selfSigned: {}}
`,
  },
  {
    name: "configurations' namespace, commonLabels and commonAnnotations field specs: a base's teach the overlay too; commonLabels reach pod affinity and topology spread selectors",
    doc: 'kubernetes-sigs/kustomize examples/transformerconfigs (README, crd); kustomize builtinpluginconsts commonlabels.go; expected output printed by kubectl kustomize v5.5.0',
    dir: 'overlay',
    files: `#- base/kustomization.yaml
resources: [crd.yaml, widget.yaml, app.yaml]
configurations: [kustomizeconfig.yaml]
#- base/kustomizeconfig.yaml
namespace:
- kind: CustomResourceDefinition
  version: v1
  group: apiextensions.k8s.io
  path: spec/conversion/webhook/clientConfig/service/namespace
  create: false
- kind: Widget
  group: example.dev
  path: spec/target/namespace
  create: true
commonLabels:
- kind: Widget
  path: spec/selector/matchLabels
  create: true
- kind: Widget
  path: spec/pods/labels
  create: false
commonAnnotations:
- kind: Widget
  path: spec/template/metadata/annotations
  create: true
varReference:
- path: metadata/annotations
#- base/crd.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.dev}
spec:
  group: example.dev
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        service: {name: webhook, namespace: system, path: /convert}
#- base/widget.yaml
apiVersion: example.dev/v1
kind: Widget
metadata: {name: w}
spec:
  selector: {}
  port: 80
#- base/app.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 1
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector: {matchLabels: {app: web}}
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: zone
              labelSelector: {matchLabels: {app: web}}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: web}}
      containers: [{name: web, image: web:1}]
#- overlay/kustomization.yaml
namespace: prod
commonLabels: {team: blue}
commonAnnotations: {note: hi}
resources: [../base]
`,
    expected: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
    note: hi
  labels:
    team: blue
  name: widgets.example.dev
spec:
  conversion:
    strategy: Webhook
    webhook:
      clientConfig:
        service:
          name: webhook
          namespace: prod
          path: /convert
      conversionReviewVersions:
      - v1
  group: example.dev
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    note: hi
  labels:
    team: blue
  name: web
  namespace: prod
spec:
  selector:
    matchLabels:
      app: web
      team: blue
  template:
    metadata:
      annotations:
        note: hi
      labels:
        app: web
        team: blue
    spec:
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - podAffinityTerm:
              labelSelector:
                matchLabels:
                  app: web
                  team: blue
              topologyKey: kubernetes.io/hostname
            weight: 1
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: web
                team: blue
            topologyKey: zone
      containers:
      - image: web:1
        name: web
      topologySpreadConstraints:
      - labelSelector:
          matchLabels:
            app: web
            team: blue
        maxSkew: 1
        topologyKey: zone
        whenUnsatisfiable: DoNotSchedule
---
apiVersion: example.dev/v1
kind: Widget
metadata:
  annotations:
    note: hi
  labels:
    team: blue
  name: w
  namespace: prod
spec:
  port: 80
  selector:
    matchLabels:
      team: blue
  target:
    namespace: prod
  template:
    metadata:
      annotations:
        note: hi
`,
  },
  {
    name: "labels[].fields add field specs to an entry's own (create as each says), besides includeTemplates",
    doc: 'kubernetes-sigs/kustomize site docs: kustomization/labels (fields); expected output printed by kubectl kustomize v5.5.0',
    dir: 'lf',
    files: `#- lf/kustomization.yaml
resources: [widget.yaml, app.yaml]
labels:
  - pairs: {owner: ops}
    fields:
      - kind: Widget
        path: spec/selector/matchLabels
        create: true
      - path: spec/template/spec/nodeSelector
        kind: Deployment
        create: true
  - pairs: {tier: front}
    includeTemplates: true
    fields:
      - kind: Widget
        path: spec/extra/labels
        create: false
#- lf/widget.yaml
apiVersion: example.dev/v1
kind: Widget
metadata: {name: w}
spec:
  selector: {}
  port: 80
#- lf/app.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 1
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector: {matchLabels: {app: web}}
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: zone
              labelSelector: {matchLabels: {app: web}}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: web}}
      containers: [{name: web, image: web:1}]
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    owner: ops
    tier: front
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - podAffinityTerm:
              labelSelector:
                matchLabels:
                  app: web
              topologyKey: kubernetes.io/hostname
            weight: 1
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: web
            topologyKey: zone
      containers:
      - image: web:1
        name: web
      nodeSelector:
        owner: ops
      topologySpreadConstraints:
      - labelSelector:
          matchLabels:
            app: web
        maxSkew: 1
        topologyKey: zone
        whenUnsatisfiable: DoNotSchedule
---
apiVersion: example.dev/v1
kind: Widget
metadata:
  labels:
    owner: ops
    tier: front
  name: w
spec:
  port: 80
  selector:
    matchLabels:
      owner: ops
`,
  },
  {
    name: "vars declared in a base are resolved at the end of the overlay's build (after namePrefix and namespace) in the default varReference fields and configured ones; an exact $(VAR) keeps the value's type, $$ is a $",
    doc: 'kubernetes-sigs/kustomize site docs: kustomization/vars; api/filters/refvar; expected output printed by kubectl kustomize v5.5.0',
    dir: 'default',
    files: `#- base/kustomization.yaml
resources: [cert.yaml, svc.yaml, app.yaml]
configurations: [kustomizeconfig.yaml]
vars:
- name: CERTIFICATE_NAMESPACE
  objref: {kind: Certificate, group: cert-manager.io, version: v1, name: serving-cert}
  fieldref: {fieldpath: metadata.namespace}
- name: CERTIFICATE_NAME
  objref: {kind: Certificate, group: cert-manager.io, version: v1, name: serving-cert}
- name: SERVICE_NAME
  objref: {kind: Service, version: v1, name: webhook-service}
- name: WEBHOOK_PORT
  objref: {kind: Service, version: v1, name: webhook-service}
  fieldref: {fieldpath: 'spec.ports[0].port'}
#- base/kustomizeconfig.yaml
varReference:
- kind: Certificate
  group: cert-manager.io
  path: spec/dnsNames
#- base/cert.yaml
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: serving-cert}
spec:
  dnsNames: [$(SERVICE_NAME).$(CERTIFICATE_NAMESPACE).svc]
  secretName: webhook-server-cert
#- base/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: webhook-service}
spec:
  selector: {app: manager}
  ports: [{port: 443, targetPort: 9443}]
#- base/app.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: manager
  annotations: {cert: $(CERTIFICATE_NAMESPACE)/$(CERTIFICATE_NAME)}
spec:
  selector: {matchLabels: {app: manager}}
  template:
    metadata: {labels: {app: manager}}
    spec:
      containers:
        - name: manager
          image: manager:1
          args: ["--webhook=$(SERVICE_NAME):$(WEBHOOK_PORT)", "--price=$$5", "$(WEBHOOK_PORT)"]
          env: [{name: PORT, value: $(WEBHOOK_PORT)}]
#- default/kustomization.yaml
namespace: op-system
namePrefix: op-
resources: [../base]
`,
    expected: `apiVersion: v1
kind: Service
metadata:
  name: op-webhook-service
  namespace: op-system
spec:
  ports:
  - port: 443
    targetPort: 9443
  selector:
    app: manager
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    cert: op-system/op-serving-cert
  name: op-manager
  namespace: op-system
spec:
  selector:
    matchLabels:
      app: manager
  template:
    metadata:
      labels:
        app: manager
    spec:
      containers:
      - args:
        - --webhook=op-webhook-service:443
        - --price=$5
        - 443
        env:
        - name: PORT
          value: 443
        image: manager:1
        name: manager
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: op-serving-cert
  namespace: op-system
spec:
  dnsNames:
  - op-webhook-service.op-system.svc
  secretName: webhook-server-cert
`,
  },
  {
    name: 'a strategic merge patch leaves one item per merge key in every such list of the object, where it first appears, with its last value (ports keyed by port and protocol)',
    doc: 'kyaml merge2 walker (associative lists, ElementSetter); expected output printed by kubectl kustomize v5.5.0',
    dir: 'dd',
    files: `#- dd/kustomization.yaml
resources: [d.yaml]
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: dns}
    spec: {replicas: 2}
#- dd/d.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: dns}
spec:
  selector: {matchLabels: {app: dns}}
  template:
    metadata: {labels: {app: dns}}
    spec:
      containers:
        - name: dns
          image: dns:1
          ports:
            - {containerPort: 53, protocol: UDP, name: dns}
            - {containerPort: 53, protocol: TCP, name: dns-tcp}
            - {containerPort: 9153, name: metrics}
            - {containerPort: 9153, name: metrics2}
          env:
            - {name: A, value: "1"}
            - {name: B, value: "2"}
            - {name: A, value: "3"}
          volumeMounts:
            - {name: v, mountPath: /x}
            - {name: w, mountPath: /x}
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: dns
spec:
  replicas: 2
  selector:
    matchLabels:
      app: dns
  template:
    metadata:
      labels:
        app: dns
    spec:
      containers:
      - env:
        - name: A
          value: "3"
        - name: B
          value: "2"
        image: dns:1
        name: dns
        ports:
        - containerPort: 53
          name: dns
          protocol: UDP
        - containerPort: 53
          name: dns-tcp
          protocol: TCP
        - containerPort: 9153
          name: metrics2
        volumeMounts:
        - mountPath: /x
          name: w
`,
  },
  {
    name: 'ports are keyed by port and protocol: a patch item whose port matches a base item with a protocol only one of them names is ignored ($patch: delete too); same or no protocols merge',
    doc: 'kyaml walk/associative_sequence.go (mergeValues, validateKeys, elementValueList); kustomize krusty TestPatchPortHasNoProtocol, TestPatchAddNewServicePort; expected output printed by kubectl kustomize v5.5.0',
    dir: 'app',
    files: `#- app/kustomization.yaml
resources: [d.yaml, s.yaml]
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      template:
        spec:
          containers:
          - name: c
            ports:
            - containerPort: 8080
              $patch: delete
            - containerPort: 9090
              name: changed
            - containerPort: 7070
              name: seven
            - containerPort: 6060
              protocol: TCP
              name: six-tcp
- patch: |-
    apiVersion: v1
    kind: Service
    metadata: {name: s}
    spec:
      ports:
      - port: 80
        targetPort: web
      - port: 53
        $patch: delete
      - port: 443
        targetPort: 8443
#- app/d.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: c
        image: x
        ports:
        - {containerPort: 8080, protocol: TCP, name: a}
        - {containerPort: 9090, protocol: TCP, name: b}
        - {containerPort: 7070, name: c}
        - {containerPort: 6060, name: d}
#- app/s.yaml
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  selector: {app: s}
  ports:
  - {port: 80, protocol: TCP, targetPort: 8080, name: http}
  - {port: 53, protocol: UDP, name: dns}
  - {port: 443, name: https, targetPort: 443}
`,
    expected: `apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  ports:
  - name: http
    port: 80
    protocol: TCP
    targetPort: 8080
  - name: dns
    port: 53
    protocol: UDP
  - name: https
    port: 443
    targetPort: 8443
  selector:
    app: s
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
      - image: x
        name: c
        ports:
        - containerPort: 8080
          name: a
          protocol: TCP
        - containerPort: 9090
          name: b
          protocol: TCP
        - containerPort: 7070
          name: seven
        - containerPort: 6060
          name: d
`,
  },
  {
    name: "name references through sibling builds' nameSuffix: each renamed DaemonSet names the ServiceAccount renamed with it (an overlay's nameSuffix, a component's), not its sibling's nor the top's own ServiceAccount of the old name; a referral only one object had keeps its name",
    doc: "kubernetes-sigs/kustomize api/filters/nameref selectReferral (prefixSuffixEquals, allowEmpty then exact) and api/resource PrefixesSuffixesEquals; sighupio's x509-exporter daemonset overlays; expected output printed by kubectl kustomize v5.5.0",
    dir: '',
    files: `#- kustomization.yaml
namespace: monitoring
resources: [blue, green, shared]
#- base/kustomization.yaml
resources: [exporter.yaml]
#- base/exporter.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: exporter
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: exporter
spec:
  selector:
    matchLabels: {app: exporter}
  template:
    metadata:
      labels: {app: exporter}
    spec:
      serviceAccountName: exporter
      containers:
        - name: exporter
          image: exporter:1
          envFrom: [{configMapRef: {name: settings}}]
#- blue/kustomization.yaml
nameSuffix: -blue
resources: [../base]
#- green/kustomization.yaml
resources: [../base]
components: [variant]
#- green/variant/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
nameSuffix: -green
#- shared/kustomization.yaml
resources: [settings.yaml]
#- shared/settings.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {level: info}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: exporter
`,
    expected: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: exporter
  namespace: monitoring
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: exporter-blue
  namespace: monitoring
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: exporter-green
  namespace: monitoring
---
apiVersion: v1
data:
  level: info
kind: ConfigMap
metadata:
  name: settings
  namespace: monitoring
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: exporter-blue
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: exporter
  template:
    metadata:
      labels:
        app: exporter
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: settings
        image: exporter:1
        name: exporter
      serviceAccountName: exporter-blue
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: exporter-green
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: exporter
  template:
    metadata:
      labels:
        app: exporter
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: settings
        image: exporter:1
        name: exporter
      serviceAccountName: exporter-green
`,
  },
  {
    name: "name references are kustomize v5.5.0's default list as it stands: role rules' resourceNames and a PodTemplate's pod name ConfigMaps; a ReplicaSet's ServiceAccount, a ReplicationController's ConfigMaps, ephemeral containers and the deprecated serviceAccount field name nothing; an Ingress keeps its ingressClassName (the IngressClass entry's group is networking.k8s.io/v1, which no object has)",
    doc: 'kubernetes-sigs/kustomize api/internal/konfig/builtinpluginconsts/namereference.go (v5.5.0, unchanged to v5.8.1); expected output printed by kubectl kustomize v5.5.0',
    dir: '',
    files: `#- kustomization.yaml
namePrefix: p-
resources: [r.yaml]
#- r.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: ic}
spec: {controller: x}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
spec:
  ingressClassName: ic
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  template:
    spec:
      serviceAccountName: sa
      containers: [{name: c, image: x, envFrom: [{configMapRef: {name: cm}}]}]
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  template:
    spec:
      serviceAccount: sa
      serviceAccountName: sa
      containers: [{name: c, image: x, envFrom: [{configMapRef: {name: cm}}]}]
      ephemeralContainers: [{name: c, image: x, envFrom: [{configMapRef: {name: cm}}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    resourceNames: [cm, other]
---
apiVersion: v1
kind: PodTemplate
metadata: {name: pt}
template:
  spec:
    containers: [{name: c, image: x, envFrom: [{configMapRef: {name: cm}}]}]
`,
    expected: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: p-sa
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: p-r
rules:
- apiGroups:
  - ""
  resourceNames:
  - p-cm
  - other
  resources:
  - configmaps
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: p-cm
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: p-rs
spec:
  template:
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: p-cm
        image: x
        name: c
      serviceAccountName: sa
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: p-ing
spec:
  ingressClassName: ic
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: p-ic
spec:
  controller: x
---
apiVersion: v1
kind: PodTemplate
metadata:
  name: p-pt
template:
  spec:
    containers:
    - envFrom:
      - configMapRef:
          name: p-cm
      image: x
      name: c
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: p-rc
spec:
  template:
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: cm
        image: x
        name: c
      ephemeralContainers:
      - envFrom:
        - configMapRef:
            name: cm
        image: x
        name: c
      serviceAccount: sa
      serviceAccountName: p-sa
`,
  },
  {
    name: "ValidatingAdmissionPolicy and its Binding v1 are cluster-scoped (newer kustomize's table: namespace: leaves them without one; kustomize v5.5.0 gives them the namespace); a Binding's policyName follows the policy's prefix; a v1beta1 policy is namespaced as kustomize has it",
    doc: 'kubernetes-sigs/kustomize#6056 (kyaml openapi precomputedIsNamespaceScoped), api/internal/konfig/builtinpluginconsts/namereference.go; policyName and the v1beta1 object as printed by kubectl kustomize v5.5.0, which also sets namespace: policies on the two v1 objects',
    dir: '',
    files: `#- kustomization.yaml
namespace: policies
namePrefix: p-
resources: [vap.yaml]
#- vap.yaml
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas-limit
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [deployments]
  validations:
    - expression: object.spec.replicas <= 5
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replicas-limit
spec:
  policyName: replicas-limit
  validationActions: [Deny]
---
apiVersion: admissionregistration.k8s.io/v1beta1
kind: ValidatingAdmissionPolicy
metadata:
  name: beta-policy
spec:
  validations:
    - expression: "true"
`,
    expected: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p-replicas-limit
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:
      - apps
      apiVersions:
      - v1
      operations:
      - CREATE
      - UPDATE
      resources:
      - deployments
  validations:
  - expression: object.spec.replicas <= 5
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: p-replicas-limit
spec:
  policyName: p-replicas-limit
  validationActions:
  - Deny
---
apiVersion: admissionregistration.k8s.io/v1beta1
kind: ValidatingAdmissionPolicy
metadata:
  name: p-beta-policy
  namespace: policies
spec:
  validations:
  - expression: "true"
`,
  },
  {
    name: 'configurations: a nameReference field spec path with an escaped slash names an annotation key holding a slash',
    doc: 'kubernetes-sigs/kustomize api/internal/utils PathSplitter (\\/ inside a key); expected output printed by kubectl kustomize v5.5.0',
    dir: '',
    files: `#- kustomization.yaml
namePrefix: p-
resources: [r.yaml]
configurations: [conf.yaml]
#- conf.yaml
nameReference:
  - kind: ConfigMap
    version: v1
    fieldSpecs:
      - path: metadata/annotations/example.com\\/config
        kind: Deployment
commonAnnotations:
  - path: spec/template/metadata/annotations
    kind: Deployment
    create: true
#- r.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {example.com/config: settings}
spec:
  template:
    spec:
      containers: [{name: c, image: x}]
`,
    expected: `apiVersion: v1
kind: ConfigMap
metadata:
  name: p-settings
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    example.com/config: p-settings
  name: p-web
spec:
  template:
    spec:
      containers:
      - image: x
        name: c
`,
  },
  {
    name: 'configurations: the namePrefix and nameSuffix field specs leave CustomResourceDefinitions and Namespaces whole, as their metadata.name',
    doc: 'kubernetes-sigs/kustomize api/internal/builtins PrefixTransformer, SuffixTransformer (prefixFieldSpecsToSkip skips the object); expected output printed by kubectl kustomize v5.5.0',
    dir: '',
    files: `#- kustomization.yaml
namePrefix: p-
nameSuffix: -s
resources: [r.yaml]
configurations: [conf.yaml]
#- conf.yaml
namePrefix:
  - path: spec/other
nameSuffix:
  - path: spec/other
#- r.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ws.example.dev}
spec: {other: x}
---
apiVersion: v1
kind: Namespace
metadata: {name: n}
spec: {other: x}
---
apiVersion: example.dev/v1
kind: W
metadata: {name: w}
spec: {other: x}
`,
    expected: `apiVersion: v1
kind: Namespace
metadata:
  name: "n"
spec:
  other: x
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ws.example.dev
spec:
  other: x
---
apiVersion: example.dev/v1
kind: W
metadata:
  name: p-w-s
spec:
  other: p-x-s
`,
  },
  {
    name: "configurations: the namePrefix, nameSuffix, images and replicas field specs are more fields those transformers set (a custom resource's service name, image fields and size)",
    doc: 'kubernetes-sigs/kustomize examples/transformerconfigs (crd, images); api/konfig/builtinpluginconsts; expected output printed by kubectl kustomize v5.5.0',
    dir: 'app',
    files: `#- app/kustomization.yaml
namePrefix: p-
nameSuffix: -s
resources: [r.yaml]
configurations: [conf.yaml]
images:
- name: nginx
  newTag: "1.25"
- name: redis
  newName: my/redis
replicas:
- name: w
  count: 3
- name: d
  count: 2
#- app/conf.yaml
namePrefix:
- path: spec/serviceName
  kind: Widget
nameSuffix:
- path: spec/backupName
  kind: Widget
images:
- path: spec/image
  kind: Widget
- path: spec/sidecars/image
  kind: Widget
replicas:
- path: spec/size
  kind: Widget
  create: true
#- app/r.yaml
apiVersion: example.dev/v1
kind: Widget
metadata: {name: w}
spec:
  serviceName: web
  backupName: store
  image: nginx:1.0
  sidecars:
  - image: redis:7
  - image: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers: [{name: c, image: nginx}]
`,
    expected: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-d-s
spec:
  replicas: 2
  template:
    spec:
      containers:
      - image: nginx:1.25
        name: c
---
apiVersion: example.dev/v1
kind: Widget
metadata:
  name: p-w-s
spec:
  backupName: store-s
  image: nginx:1.25
  serviceName: p-web
  sidecars:
  - image: my/redis:7
  - image: nginx:1.25
  size: 3
`,
  },
  {
    name: 'crds: a file of OpenAPI type definitions teaches name references (x-kubernetes-object-ref-kind, -api-version, -name-key), label and annotation fields and a field that gets the prefix, in its kustomization and the overlays including it',
    doc: 'kubernetes-sigs/kustomize api/internal/accumulator/loadconfigfromcrds.go; krusty TestCrdBase, TestCrdWithOverlay; expected output printed by kubectl kustomize v5.5.0',
    dir: 'prod',
    files: `#- prod/kustomization.yaml
namePrefix: prod-
resources: [../base]
#- base/kustomization.yaml
crds: [backup-types.yaml]
resources: [secret.yaml, svc.yaml, backup.yaml]
namePrefix: team-
commonLabels: {team: a}
commonAnnotations: {owner: ops}
#- base/backup-types.yaml
example.dev/backup/v1.Backup:
  Schema:
    properties:
      apiVersion: {type: string}
      kind: {type: string}
      metadata: {$ref: k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta}
      spec: {$ref: example.dev/backup/v1.BackupSpec}
  Dependencies: [example.dev/backup/v1.BackupSpec]
example.dev/backup/v1.BackupSpec:
  Schema:
    properties:
      credentials:
        x-kubernetes-object-ref-api-version: v1
        x-kubernetes-object-ref-kind: Secret
        $ref: k8s.io/api/core/v1.LocalObjectReference
      endpoint:
        x-kubernetes-object-ref-api-version: v1
        x-kubernetes-object-ref-kind: Service
        x-kubernetes-object-ref-name-key: serviceName
      podSelector:
        x-kubernetes-label-selector: ""
      podAnnotations:
        x-kubernetes-annotation: ""
      jobName:
        x-kubernetes-identity: ""
#- base/secret.yaml
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {key: x}
#- base/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: store}
spec:
  selector: {app: store}
  ports: [{port: 9000}]
#- base/backup.yaml
apiVersion: backup.example.dev/v1
kind: Backup
metadata: {name: nightly}
spec:
  credentials: {name: creds}
  endpoint: {serviceName: store, port: 9000}
  podSelector: {app: store}
  podAnnotations: {kept: "yes"}
  jobName: nightly-job
`,
    expected: `apiVersion: v1
kind: Secret
metadata:
  annotations:
    owner: ops
  labels:
    team: a
  name: prod-team-creds
stringData:
  key: x
---
apiVersion: v1
kind: Service
metadata:
  annotations:
    owner: ops
  labels:
    team: a
  name: prod-team-store
spec:
  ports:
  - port: 9000
  selector:
    app: store
    team: a
---
apiVersion: backup.example.dev/v1
kind: Backup
metadata:
  annotations:
    owner: ops
  labels:
    team: a
  name: prod-team-nightly
spec:
  credentials:
    name: prod-team-creds
  endpoint:
    port: 9000
    serviceName: prod-team-store
  jobName: prod-team-nightly-job
  podAnnotations:
    kept: "yes"
    owner: ops
  podSelector:
    app: store
    team: a
`,
  },
  {
    name: "openapi: the top kustomization's schema gives a custom type's list its merge key (x-kubernetes-patch-merge-key with strategy merge) for every patch of the build, a base's too; other lists are replaced",
    doc: 'kubernetes-sigs/kustomize examples/customOpenAPIschema.md; kyaml openapi.SetSchema, PatchStrategyAndKeyList; expected output printed by kubectl kustomize v5.5.0',
    dir: 'prod',
    files: `#- prod/kustomization.yaml
resources: [../base]
openapi:
  path: schema.json
patches:
- patch: |-
    apiVersion: example.dev/v1
    kind: Widget
    metadata: {name: w}
    spec:
      listeners:
      - name: b
        port: 9090
      hosts: [z.example]
#- prod/schema.json
${WIDGET_SCHEMA}
#- base/kustomization.yaml
resources: [w.yaml]
patches:
- patch: |-
    apiVersion: example.dev/v1
    kind: Widget
    metadata: {name: w}
    spec:
      listeners:
      - name: c
        tls: true
#- base/w.yaml
apiVersion: example.dev/v1
kind: Widget
metadata: {name: w}
spec:
  listeners:
  - {name: a, port: 80}
  - {name: c, port: 81}
  hosts: [x.example, y.example]
`,
    expected: `apiVersion: example.dev/v1
kind: Widget
metadata:
  name: w
spec:
  hosts:
  - z.example
  listeners:
  - name: b
    port: 9090
  - name: c
    port: 81
    tls: true
  - name: a
    port: 80
`,
  },
  openApiOrderCase('../plain, ../base', 'plain first', '[{name: three, port: 3}, {name: two, port: 2}]'),
  openApiOrderCase(
    '../base, ../plain',
    'the base with the schema first',
    '[{name: three, port: 3}, {name: two, port: 2}, {name: one, port: 1}]',
  ),
  {
    name: "strategic merge of ports keyed by port and protocol (some item names a protocol): the items only the patch has come first, then the base's in the base's order, merged where named; without any protocol the patch's order first (kyaml's appendListNode takes each base item out and appends it again)",
    doc: 'kubernetes-sigs/kustomize kyaml/yaml/walk/associative_sequence.go setAssociativeSequenceElements, appendListNode; expected output printed by kubectl kustomize v5.5.0',
    dir: '',
    files: `#- kustomization.yaml
resources: [s.yaml]
patches:
- patch: |-
    apiVersion: v1
    kind: Service
    metadata: {name: s}
    spec:
      ports:
      - {name: metrics, port: 9090}
      - {name: a, port: 81, targetPort: 8081}
      - {name: extra, port: 9091, protocol: TCP}
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      template:
        spec:
          containers:
          - name: web
            ports:
            - {containerPort: 443, name: https}
            - {containerPort: 9090}
#- s.yaml
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports:
  - {name: http, port: 80}
  - {name: dns, port: 53, protocol: UDP}
  - {name: a, port: 81}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: web
        image: web
        ports:
        - {containerPort: 80}
        - {containerPort: 443}
`,
    expected: `apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports:
  - {name: metrics, port: 9090}
  - {name: extra, port: 9091, protocol: TCP}
  - {name: http, port: 80}
  - {name: dns, port: 53, protocol: UDP}
  - {name: a, port: 81, targetPort: 8081}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: web
        image: web
        ports:
        - {containerPort: 443, name: https}
        - {containerPort: 9090}
        - {containerPort: 80}
`,
  },
  {
    name: '${VAR} text in kustomization fields (namespace, prefix, suffix, labels, annotations, images, a generator literal) is copied as kustomize copies it; the build waits for a substitution',
    doc: 'kubectl kustomize v1.32.4 (kustomize v5.5.0) output; Flux kustomize-controller substitutes after the build',
    dir: 'app',
    complete: false,
    files: `#- app/kustomization.yaml
namespace: \${NS}
namePrefix: \${PFX}-
nameSuffix: -\${SFX}
commonLabels:
  app: \${APP}
labels:
- pairs:
    team: \${TEAM}
commonAnnotations:
  owner: \${OWNER:=me}
images:
- name: nginx
  newName: \${REG}/nginx
  newTag: \${TAG}
configMapGenerator:
- name: cfg
  literals:
  - host=\${HOST}
resources:
- deploy.yaml
#- app/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      tier: web
  template:
    metadata:
      labels:
        tier: web
    spec:
      containers:
      - name: c
        image: nginx:1.0
        envFrom:
        - configMapRef:
            name: cfg
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    tier: web
  ports:
  - port: 80
`,
    expected: `apiVersion: v1
data:
  host: \${HOST}
kind: ConfigMap
${varMetadata('${PFX}-cfg-${SFX}-bbmthmtkkg')}
---
apiVersion: v1
kind: Service
${varMetadata('${PFX}-web-${SFX}')}
spec:
  ports:
  - port: 80
  selector:
    app: \${APP}
    tier: web
---
apiVersion: apps/v1
kind: Deployment
${varMetadata('${PFX}-web-${SFX}')}
spec:
  selector:
    matchLabels:
      app: \${APP}
      tier: web
  template:
    metadata:
      annotations:
        owner: \${OWNER:=me}
      labels:
        app: \${APP}
        tier: web
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: \${PFX}-cfg-\${SFX}-bbmthmtkkg
        image: \${REG}/nginx:\${TAG}
        name: c
`,
  },
  {
    name: 'a patch file naming its target ${APP} (a Flux home lab) matches the resource named ${APP} as kustomize matches it: by the text (a ${VAR} in a key is text too)',
    doc: 'kubectl kustomize v1.32.4 (kustomize v5.5.0) output; Flux kustomize-controller substitutes after the build',
    dir: 'app',
    files: `#- app/kustomization.yaml
components: [../components/atlantis]
patches:
- path: helm-release.patch.yaml
patchesStrategicMerge:
- cluster.patch.yaml
resources: [cluster.yaml]
#- app/helm-release.patch.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: \${APP}
spec:
  values:
    env:
      REPO: \${APP}-config
#- app/cluster.yaml
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: \${APP}-postgres
spec:
  instances: 1
${CLUSTER_PATCH}
#- components/atlantis/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [helm-release.yaml]
#- components/atlantis/helm-release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: \${APP}
spec:
  interval: 1h
  values:
    persistence:
      \${APP}: {}
    service:
      main:
        ports:
          http: {port: 4141}
`,
    expected: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: \${APP}
spec:
  interval: 1h
  values:
    env:
      REPO: \${APP}-config
    persistence:
      \${APP}: {}
    service:
      main:
        ports:
          http:
            port: 4141
---
${CLUSTER_3}
`,
  },
];

describe('Kustomize builder: documented behaviour', () => {
  for (const c of cases) {
    it(`${c.name} (${c.doc})`, () => {
      const { result } = build(c.files, c.dir);
      const actual = builtObjects(result);
      let expectedText = c.expected;
      if (expectedText.includes('HASH')) {
        // The hash itself is checked by the generator case; here it must be the one the ConfigMap got.
        const cm = actual.find((o) => (o as { kind?: string }).kind === 'ConfigMap') as { metadata: { name: string } } | undefined;
        const hash = cm?.metadata.name.slice(cm.metadata.name.lastIndexOf('-') + 1) ?? '?';
        assert.match(hash, /^[a-z0-9]{10}$/);
        expectedText = expectedText.replaceAll('HASH', hash);
      }
      assert.deepEqual(actual, expectedObjects(expectedText));
      assert.equal(result.complete, c.complete ?? true, `complete: ${JSON.stringify(result.problems)}`);
    });
  }
});

describe('Kustomize builder: files as go-yaml reads them', () => {
  it('configurations with sections not modelled make the build incomplete; a missing file is a problem', () => {
    const files = `#- kustomization.yaml
resources: [cm.yaml]
configurations: [labels.yaml]
#- labels.yaml
nameTemplate:
  - path: spec/target
    create: true
#- cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
`;
    assert.equal(build(files, '').result.complete, false);
    const missing = build(files.replace('configurations: [labels.yaml]', 'configurations: [nowhere.yaml]'), '').result;
    assert.deepEqual(
      missing.problems.map((p) => p.message),
      ['configurations file "nowhere.yaml" is not in the workspace'],
    );
  });

  it('replacements kustomize stops at (no source, several sources, a missing target field without create, a path through a scalar) make the build incomplete; a templated source makes its targets unknown', () => {
    const base = `#- kustomization.yaml
resources: [res.yaml]
replacements:
REPLACEMENT
#- res.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data: {v: x, t: '{{ .Values.x }}'}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b}
data: {v: y}
`;
    const stops = [
      `  - source: {kind: ConfigMap, name: missing, fieldPath: data.v}\n    targets: [{select: {name: b}, fieldPaths: [data.v]}]`,
      `  - source: {kind: ConfigMap, fieldPath: data.v}\n    targets: [{select: {name: b}, fieldPaths: [data.v]}]`,
      `  - source: {kind: ConfigMap, name: a, fieldPath: data.v}\n    targets: [{select: {name: b}, fieldPaths: [data.none]}]`,
      `  - source: {kind: ConfigMap, name: a, fieldPath: data.v}\n    targets: [{select: {name: b}, fieldPaths: [data.v.deeper]}]`,
    ];
    for (const r of stops) assert.equal(build(base.replace('REPLACEMENT', r), '').result.complete, false, r);
    // Every entry commented out (kubebuilder's config/default scaffold): no replacements, a complete build.
    const none = build(base.replace('REPLACEMENT', '# - source: {kind: Service, name: metrics}\n#   targets: []'), '');
    assert.equal(none.result.complete, true);
    const ok = build(
      base.replace(
        'REPLACEMENT',
        `  - source: {kind: ConfigMap, name: a, fieldPath: data.v}\n    targets: [{select: {name: b}, fieldPaths: [data.v]}]`,
      ),
      '',
    );
    assert.equal(ok.result.complete, true);
    assert.deepEqual((builtObjects(ok.result)[1] as { data: unknown }).data, { v: 'x' });
    const templated = build(
      base.replace(
        'REPLACEMENT',
        `  - source: {kind: ConfigMap, name: a, fieldPath: data.t}\n    targets: [{select: {name: b}, fieldPaths: [data.v]}]`,
      ),
      '',
    );
    assert.deepEqual((builtObjects(templated.result)[1] as { data: unknown }).data, { v: undefined }, 'an unknown value');
  });

  it("buildMetadata of the top kustomization: the managed-by label and origin annotation are unknown values (their text is the kustomize binary's); transformer annotations make the annotations unknown (kubectl kustomize v5.5.0 prints kustomize-(devel))", () => {
    const files = `#- ov/kustomization.yaml
resources: [../base]
buildMetadata: [managedByLabel, originAnnotations, transformerAnnotations]
namePrefix: p-
#- base/kustomization.yaml
resources: [cm.yaml]
#- base/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, labels: {app: web}}
`;
    const { result } = build(files, 'ov');
    assert.equal(result.complete, true);
    const [obj] = result.objects;
    const meta = obj?.root.pairs.find((p) => p.key === 'metadata')?.value;
    assert.ok(meta?.kind === 'map');
    const labels = meta.pairs.find((p) => p.key === 'labels')?.value;
    const annotations = meta.pairs.find((p) => p.key === 'annotations')?.value;
    assert.ok(labels?.kind === 'map' && annotations?.kind === 'map');
    assert.deepEqual(
      labels.pairs.map((p) => [p.key, p.value?.unknown]),
      [
        ['app', false],
        ['app.kubernetes.io/managed-by', true],
      ],
    );
    assert.deepEqual(
      annotations.pairs.map((p) => [p.key, p.value?.unknown]),
      [['config.kubernetes.io/origin', true]],
    );
    assert.equal(annotations.unknown, true, 'transformer annotations: some objects get one');
    // A base's own buildMetadata is replaced by the top kustomization's (kustomize hands it down).
    const alone = build(files.replace('buildMetadata: [managedByLabel, originAnnotations, transformerAnnotations]\n', ''), 'ov').result;
    assert.deepEqual(builtObjects(alone), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p-cm', labels: { app: 'web' } } }]);
  });

  it('a folded scalar comes out as kustomize writes it out: go-yaml v3 adds a line break before a more-indented line (kubectl kustomize v5.5.0)', () => {
    // Every expected value below is what `kubectl kustomize` (kustomize v5.5.0) printed for these
    // files; the `yaml` package, PyYAML and go-yaml's reader read the files as the comments say.
    const files = `#- base/kustomization.yaml
resources: [cm.yaml, list.yaml]
#- base/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data:
  a: >-
    one
      two
    three
  b: >-
    one

      two
  c: >+
    one


  d: >2-
     lead
    next
    last
  e: >-
    x
      more
      more2
    y
    z
  f: >-
    p

    q
  g: >
    tail
      ind
  lb: >-

    lead
      x
  trailing: >-
    one
      two ${''}
  lit: |-
    one
      two
#- base/list.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: listed}
    data:
      a: >-
        one
          two
#- ov/kustomization.yaml
resources: [../base]
patches:
  - path: smp.yaml
  - patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: cm}
      data:
        q: >-
          qone
            qtwo
  - target: {kind: ConfigMap, name: cm}
    patch: |
      - op: add
        path: /data/r
        value: >-
          rone
            rtwo
#- ov/smp.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data:
  p: >-
    pone
      ptwo
`;
    const objects = builtObjects(build(files, 'ov').result) as Array<{ metadata: { name: string }; data: Record<string, unknown> }>;
    const cm = objects.find((o) => o.metadata.name === 'cm')?.data;
    assert.deepEqual(cm, {
      a: 'one\n\n  two\nthree', // the files say "one\n  two\nthree"
      b: 'one\n\n\n  two', // "one\n\n  two"
      c: 'one\n\n\n\n', // "one\n\n\n"
      d: ' lead\nnext last', // " lead\nnext\nlast": a value starting with a blank gets no extra breaks, so its breaks fold
      e: 'x\n\n  more\n  more2\ny z', // "x\n  more\n  more2\ny z"
      f: 'p\nq',
      g: 'tail\n\n  ind\n', // "tail\n  ind\n"
      lb: '\nlead\n\n  x', // "\nlead\n  x"
      trailing: 'one\n  two ', // a space at the end: written double-quoted, as read
      lit: 'one\n  two', // literal scalars are written as they are
      p: 'pone\n\n  ptwo', // a strategic merge patch file's folded scalar, as a resource's
      q: 'qone\n\n  qtwo', // and an inline one's
      r: 'rone\n  rtwo', // a JSON 6902 value is read from JSON, never written folded
    });
    assert.deepEqual(objects.find((o) => o.metadata.name === 'listed')?.data, { a: 'one\n\n  two' }, 'a List item as a resource');
    // The base built on its own (and included by the overlay) is written out once.
    const base = builtObjects(build(files, 'base').result) as Array<{ metadata: { name: string }; data: Record<string, unknown> }>;
    assert.equal(base.find((o) => o.metadata.name === 'cm')?.data['a'], 'one\n\n  two\nthree');
  });

  it('a CEL rule that starts and ends with parentheses is text; a chainsaw expression wrapped whole is an unknown value (kubectl kustomize v5.5.0 keeps both as written)', () => {
    const files = `#- kustomization.yaml
resources: [crd.yaml]
#- crd.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: rules}
data:
  rule: (has(self.regexp) && !has(self.transform)) || (!has(self.regexp) && has(self.transform))
  quoted: "(size(self.a) > 0) && (self.b == ')')"
  wrapped: ((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))
  chainsaw: (join('-', ['cross', $namespace]))
`;
    const data = (builtObjects(build(files, '').result)[0] as { data: Record<string, unknown> }).data;
    assert.equal(data['rule'], '(has(self.regexp) && !has(self.transform)) || (!has(self.regexp) && has(self.transform))');
    assert.equal(data['quoted'], "(size(self.a) > 0) && (self.b == ')')");
    // Wrapped whole, but CEL (it names `self`): kuberay's CRDs; kubectl kustomize keeps it as written.
    assert.equal(data['wrapped'], '((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))');
    assert.equal(data['chainsaw'], undefined, 'the chainsaw expression is an unknown value');
  });

  it('a block scalar at the end of a file without a final line break has none (kubectl kustomize v5.5.0 prints `|-`)', () => {
    // YAML's clip chomping keeps the final line break there is; at the end of a file without one
    // there is none. go-yaml (kyaml) reads "exec server"; the `yaml` package would add "\n".
    const files = `#- kustomization.yaml
resources: [cm.yaml]
#- cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: script}
data:
  run.sh: |
    #!/bin/sh
    exec server
  folded: >
    one
    two
`;
    const { result } = build(files, '', (f) => f.set('file:///k/cm.yaml', (f.get('file:///k/cm.yaml') ?? '').replace(/\n$/, '')));
    assert.deepEqual(builtObjects(result), [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'script' },
        data: { 'run.sh': '#!/bin/sh\nexec server\n', folded: 'one two' },
      },
    ]);
    // With the line break, both keep it.
    const kept = build(files, '').result;
    assert.deepEqual(builtObjects(kept), [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'script' },
        data: { 'run.sh': '#!/bin/sh\nexec server\n', folded: 'one two\n' },
      },
    ]);
  });
});

describe('Kustomize builder: $(NAME) as the cluster sees it', () => {
  // kustomize (v5.5.0) copies an undeclared `$(NAME)` into its output as it is; Kubernetes expands
  // `$(NAME)` at run time in a container's command, args, env values and subPathExpr only
  // (kubernetes.io "Define Dependent Environment Variables", "Using subPath with expanded environment variables").
  const files = `#- app/kustomization.yaml
namespace: media
resources: [deploy.yaml, cm.yaml]
VARS
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec: {template: {metadata: {annotations: {patched: "$(FROM_PATCH)"}}}}
#- app/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {limits: "run with $(MAX_MEMORY)"}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1
          command: [/bin/web, --config=$(CONFIG)]
          args:
            - --memory=$(MAX_MEMORY)
            - --plain
            - |
              exec web --ip=$(POD_IP)
          env:
            - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
            - {name: LISTEN, value: "$(POD_IP):8080"}
          volumeMounts:
            - {name: data, mountPath: /data, subPathExpr: $(POD_NAME)}
          ports: [{containerPort: 8080}]
#- app/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: scripts}
data:
  start.sh: |
    echo $(hostname)
`;
  interface Container {
    command: unknown[];
    args: unknown[];
    env: Array<{ value?: unknown }>;
    volumeMounts: Array<{ mountPath?: unknown; subPathExpr?: unknown }>;
    ports: unknown;
  }
  interface Built {
    metadata: { annotations?: unknown };
    data?: unknown;
    spec: { template: { metadata: { annotations?: unknown }; spec: { containers: Container[] } } };
  }
  const objects = (source: string): { result: BuildResult; deploy: Built; cm: Built } => {
    const { result } = build(source, 'app');
    const [cm, deploy] = builtObjects(result) as Built[];
    assert.ok(cm !== undefined && deploy !== undefined);
    return { result, deploy, cm };
  };

  it('an undeclared $(NAME) keeps the build complete: literal text outside containers, unknown where Kubernetes expands it', () => {
    const { result, deploy, cm } = objects(files.replace('VARS\n', ''));
    assert.equal(result.complete, true, JSON.stringify(result.problems));
    assert.deepEqual(deploy.metadata.annotations, { limits: 'run with $(MAX_MEMORY)' });
    assert.deepEqual(deploy.spec.template.metadata.annotations, { patched: '$(FROM_PATCH)' });
    assert.deepEqual(cm.data, { 'start.sh': 'echo $(hostname)\n' });
    const [c] = deploy.spec.template.spec.containers;
    assert.ok(c !== undefined);
    assert.deepEqual(c.command, ['/bin/web', undefined]);
    assert.deepEqual(c.args, [undefined, '--plain', undefined]);
    assert.deepEqual(
      c.env.map((e: { value?: unknown }) => e.value),
      [undefined, undefined],
    );
    assert.deepEqual(Object.keys(c.env[1] ?? {}), ['name', 'value'], 'the value is there, unknown');
    assert.deepEqual(c.volumeMounts, [{ name: 'data', mountPath: '/data', subPathExpr: undefined }]);
    assert.deepEqual(c.ports, [{ containerPort: 8080 }]);
  });

  it('a declared var is still resolved in its fields (a container command, an annotation); the names no var declares stay as above', () => {
    const vars = `vars:
- name: CONFIG
  objref: {kind: ConfigMap, version: v1, name: scripts}
- name: MAX_MEMORY
  objref: {kind: ConfigMap, version: v1, name: scripts}
  fieldref: {fieldpath: metadata.namespace}`;
    const { result, deploy, cm } = objects(files.replace('VARS', vars));
    assert.equal(result.complete, true, JSON.stringify(result.problems));
    assert.deepEqual(deploy.metadata.annotations, { limits: 'run with media' });
    const [c] = deploy.spec.template.spec.containers;
    assert.ok(c !== undefined);
    assert.deepEqual(c.command, ['/bin/web', '--config=scripts']);
    assert.deepEqual(c.args, ['--memory=media', '--plain', undefined]);
    assert.deepEqual(cm.data, { 'start.sh': 'echo $(hostname)\n' });
  });
});

describe('Kustomize builder: ${VAR} that Flux fills in after the build', () => {
  const files = `#- app/kustomization.yaml
resources: [deploy.yaml, secret.yaml]
KUST
#- app/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1}]
#- app/secret.yaml
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: \${APP}-secret}
spec:
  target:
    template:
      data: {token: TOKEN}
`;
  const patch = `patches:
  - target: {kind: Deployment}
    patch: |-
      - op: add
        path: /spec/template/metadata/annotations
        value: {claim: "\${APP}-data", plain: fixed}
# a comment naming \${NOT_A_FIELD}`;
  const run = (kust: string, token = '"{{ .token }}"'): ReturnType<typeof build>['result'] =>
    build(files.replace('KUST', kust).replace('TOKEN', token), 'app').result;

  it('a kustomization whose ${VAR}s all lie in inline patches is read as kustomize reads it: the build is complete, the patch copies the text (as kubectl kustomize prints it) and the build says so', () => {
    const result = run(patch);
    assert.equal(result.complete, true, JSON.stringify(result.problems));
    assert.equal(result.variables, true);
    const deploy = builtObjects(result).find((o) => (o as { kind?: string }).kind === 'Deployment') as {
      spec: { template: { metadata: { annotations?: unknown } } };
    };
    assert.deepEqual(deploy.spec.template.metadata.annotations, { claim: '${APP}-data', plain: 'fixed' });
  });

  it('a ${VAR} a kustomization copies into the objects (namespace, an image tag) leaves the build waiting for a substitution; one naming files or matching resources keeps it incomplete', () => {
    for (const kust of [`${patch}\nnamespace: \${NS}`, `images: [{name: web, newTag: "\${TAG}"}]`]) {
      const result = run(kust);
      assert.equal(result.complete, false);
      assert.deepEqual(result.pendingVariables, { complete: true }, kust);
    }
    for (const kust of [
      'resources: [deploy.yaml, "${EXTRA}.yaml"]',
      'images: [{name: "${IMAGE}", newTag: v2}]',
      'patches: [{target: {name: "${APP}"}, patch: "[]"}]',
      'replicas: [{name: web, count: "${N}"}]',
      'configMapGenerator: [{name: "${APP}-cfg", literals: [a=b]}]',
    ]) {
      const result = run(kust);
      assert.equal(result.complete, false, kust);
      assert.equal(result.pendingVariables, undefined, kust);
    }
  });

  it('a patch whose target is an object whose name is not known here (its file read as a template) is no problem: the build is incomplete', () => {
    const files = `#- app/kustomization.yaml
resources: [cluster.yaml]
patches: [{path: cluster.patch.yaml}]
#- app/cluster.yaml
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: \${APP}-postgres # \${NOTE} in a comment: the file is read as a template
${CLUSTER_PATCH}
`;
    const { result } = build(files, 'app');
    assert.deepEqual(result.problems, []);
    const patch = files.replace('name: ${APP}-postgres\nspec', 'name: ${APP}-postgres # ${NOTE}\nspec');
    assert.notEqual(patch, files);
    const masked = build(patch, 'app').result;
    assert.deepEqual(masked.problems, []);
    assert.equal(masked.complete, false);
  });

  it('a resource with ${VAR}s and a {{ }} template inside a string value (an ExternalSecret) keeps the build complete; one YAML reads as a flow map does not', () => {
    assert.equal(run('').complete, true);
    assert.equal(run('', '{{ .token }}').complete, false);
  });
});

describe('Kustomize builder: openapi', () => {
  const files = `#- app/kustomization.yaml
resources: [../base]
TOP
#- base/kustomization.yaml
resources: [w.yaml]
BASE
#- base/schema.json
{"definitions": {}}
#- base/w.yaml
apiVersion: example.dev/v1
kind: Widget
metadata: {name: w}
`;
  const complete = (top: string, base = ''): boolean => build(files.replace('TOP', top).replace('BASE', base), 'app').result.complete;

  it("a base's openapi path is read when the top has none (kustomize takes the first one it loads, for everything after); a built-in version or the top's own path too; a remote or missing one makes the build incomplete", () => {
    assert.equal(complete('', 'openapi: {path: schema.json}'), true);
    assert.equal(complete('', 'openapi: {path: missing.json}'), false);
    // Set by the top: the base's is never read.
    assert.equal(complete('openapi: {version: v1.21.2}', 'openapi: {path: missing.json}'), true);
    assert.equal(complete('openapi: {path: ../base/schema.json}', 'openapi: {path: schema.json}'), true);
    assert.equal(complete('openapi: {version: v1.21.2}'), true);
    assert.equal(complete('openapi: {path: https://example.dev/schema.json}'), false);
    assert.equal(complete('openapi: {path: missing.json}'), false);
  });
});

describe('Kustomize builder: template text a kustomization copies', () => {
  // A chart scaffold's kustomization (operator-sdk's `config/helm`): kustomize copies the template
  // text as it stands; the builder does too, then reads it as unknown (a tool after the build decides it).
  const files = `#- base/kustomization.yaml
namespace: operator-system
resources: [manager.yaml]
#- base/manager.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: controller-manager
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: manager-rolebinding
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: manager-role}
subjects:
  - kind: ServiceAccount
    name: controller-manager
    namespace: operator-system
#- helm/kustomization.yaml
namespace: "{{ .Release.Namespace }}"
namePrefix: "{{ .Release.Name }}-"
resources: [../base]
`;
  const shape = (n: YNode | undefined): unknown =>
    n === undefined || n.unknown
      ? '<unknown>'
      : n.kind === 'scalar'
        ? n.value
        : n.kind === 'seq'
          ? n.items.map(shape)
          : Object.fromEntries(n.pairs.map((p) => [p.key, shape(p.value)]));

  it('a templated namespace and namePrefix are set as kustomize sets them, and the values holding them are unknown (kubectl kustomize v5.5.0: the subject keeps its name and namespace)', () => {
    const { result } = build(files, 'helm');
    assert.deepEqual(
      result.objects.map((o) => shape(o.root)),
      [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: '<unknown>', namespace: '<unknown>' } },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: '<unknown>' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'manager-role' },
          subjects: [{ kind: 'ServiceAccount', name: 'controller-manager', namespace: 'operator-system' }],
        },
      ],
    );
  });
});

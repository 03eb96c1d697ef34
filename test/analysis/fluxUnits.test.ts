/**
 * Flux Kustomizations as build roots (analysis/units/flux.ts): which are roots, where their
 * objects land, and incremental passes after edits to the Flux file, the folder it applies and
 * its postBuild values equal full ones.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisHost } from '../../analysis/index.js';
import { virtualFiles } from '../support/kustomize.js';
import { plain } from '../../analysis/render/kustomize/nodes.js';
import {
  deploymentYaml,
  editsEqualFresh,
  fluxKustomizationYaml,
  hostOf,
  placements as placementsOf,
  serviceYaml,
} from '../support/gitops.js';
import type { Edit } from '../support/gitops.js';

const TREE = `#- clusters/home/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/web
  sourceRef: {kind: GitRepository, name: flux-system}
  targetNamespace: media
  postBuild:
    substitute: {GATEWAY: public}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: api
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/api/app
  sourceRef: {kind: GitRepository, name: flux-system}
  targetNamespace: backend
  namePrefix: x-
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/tenant
  sourceRef: {kind: GitRepository, name: tenant-repo}
  targetNamespace: tenant
#- clusters/home/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: network
spec:
  gatewayClassName: envoy
  listeners:
    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
#- apps/web/app.yaml
${deploymentYaml('web', '{containerPort: 8080}')}
#- apps/web/routes/route.yaml
${serviceYaml('web', '{port: 80, targetPort: 8080}')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs: [{name: "\${GATEWAY}", namespace: network}]
  rules:
    - backendRefs: [{name: web, port: 80}]
#- apps/api/app/kustomization.yaml
resources: [api.yaml]
#- apps/api/app/api.yaml
${serviceYaml('api')}
#- apps/tenant/svc.yaml
${serviceYaml('tenant')}
`;

const P = 'file:///k';

/** The Flux Kustomization applying `apps/` (a folder of Flux Kustomizations), and the child `web` there with the Service it applies. */
const CLUSTER_APPS = fluxKustomizationYaml('cluster-apps', './apps', 'flux-system');
/** The Service `web` of the folder apps/blog. */
const BLOG_WEB = `#- apps/blog/svc.yaml
${serviceYaml('web')}`;
const WEB_CHILD = `#- apps/ks.yaml
${fluxKustomizationYaml('web', './apps/web')}
#- apps/web/svc.yaml
${serviceYaml('web')}`;

const KINDS = ['Service', 'HTTPRoute'];
const placements = (host: AnalysisHost): string[] => placementsOf(host, KINDS);
const services = (host: AnalysisHost): string[] => placements(host).filter((p) => p.startsWith('Service/'));

describe('Flux Kustomizations', () => {
  it("are roots when their source is the repository's own; the folders they apply are no roots of their own", () => {
    const host = hostOf(virtualFiles(TREE));
    const layout = host.snapshot().index.kustomizeLayout();
    assert.deepEqual(layout.roots, [`${P}/clusters/home/apps.yaml#api`, `${P}/clusters/home/apps.yaml#web`]);
    // targetNamespace over the build, namePrefix on names; another repository's path stays a folder of its own.
    assert.deepEqual(placements(host), ['HTTPRoute/web@media', 'Service/tenant@default', 'Service/web@media', 'Service/x-api@backend']);
  });

  it('postBuild.substitute values are put into the build, on the line that holds the variable', () => {
    const files = virtualFiles(TREE);
    files.set(
      `${P}/clusters/home/apps.yaml`,
      (files.get(`${P}/clusters/home/apps.yaml`) ?? '').replace('GATEWAY: public', 'GATEWAY: pubilc'),
    );
    const diags = hostOf(files).snapshot().diagnosticsFor(`${P}/apps/web/routes/route.yaml`);
    const d = diags.find((x) => x.code === 'gateway-parent-missing');
    assert.ok(d !== undefined, JSON.stringify(diags));
    assert.match(d.message, /Gateway "network\/pubilc"/);
  });

  it("postBuild.substitute: a default holding a variable of its own (${CLAIM:-${APP}}) is expanded as kustomize-controller's envsubst does", () => {
    const files = virtualFiles(`#- clusters/home/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: bazarr
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/bazarr
  sourceRef: {kind: GitRepository, name: flux-system}
  targetNamespace: media
  postBuild:
    substitute: {APP: bazarr, SVC: bazarr-web}
#- apps/bazarr/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: "\${SVC:-\${APP}}"
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: "\${API:-\${APP}}-api"
spec:
  ports: [{port: 81}]
`);
    assert.deepEqual(placements(hostOf(files)), ['Service/bazarr-api@media', 'Service/bazarr-web@media']);
  });

  it("${VAR} a folder's kustomization copies into its objects (namespace, prefix, label) is substituted when the root's postBuild gives values; without one the build stays incomplete; incremental passes equal full ones", () => {
    const files = virtualFiles(`#- clusters/home/apps.yaml
${fluxKustomizationYaml('blog', './apps/blog', 'flux-system')}
  postBuild:
    substitute: {NS: media, APP: blog}
---
${fluxKustomizationYaml('wiki', './apps/wiki', 'flux-system')}
#- apps/blog/kustomization.yaml
namespace: \${NS}
namePrefix: \${APP}-
labels:
  - pairs:
      team: \${APP}
resources: [svc.yaml]
${BLOG_WEB}
#- apps/wiki/kustomization.yaml
namespace: \${NS}
resources: [svc.yaml]
#- apps/wiki/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: wiki}
spec:
  ports: [{port: 80}]
#- plain/kustomization.yaml
namespace: \${NS}
resources: [svc.yaml]
#- plain/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: plain}
spec:
  ports: [{port: 80}]
`);
    const host = hostOf(files);
    const layout = host.snapshot().index.kustomizeLayout();
    assert.deepEqual([...layout.incomplete].sort(), [`${P}/clusters/home/apps.yaml#wiki`, `${P}/plain`]);
    // Without a substitution the copied text is an unknown value (a pipeline's envsubst may fill it in: no namespace shown), never a namespace named "${NS}".
    assert.deepEqual(placements(host), ['Service/blog-web@media', 'Service/plain@', 'Service/wiki@']);
    const ks = `${P}/clusters/home/apps.yaml`;
    const edits: Edit[] = [
      [ks, (t) => t?.replace('NS: media', 'NS: video')],
      [`${P}/apps/blog/kustomization.yaml`, (t) => t?.replace('namePrefix: ${APP}-', 'namePrefix: x-')],
      [ks, (t) => t?.replace('path: ./apps/wiki', 'path: ./apps/wiki\n  postBuild: {substitute: {NS: docs}}')],
      [`${P}/plain/kustomization.yaml`, (t) => t?.replace('${NS}', 'ops')],
    ];
    editsEqualFresh(files, host, edits, KINDS);
    assert.deepEqual(placements(host), ['Service/plain@ops', 'Service/wiki@docs', 'Service/x-web@video']);
    assert.deepEqual([...host.snapshot().index.kustomizeLayout().incomplete], []);
  });

  it("is merged into the folder's own kustomization as kustomize-controller's generator writes it: namePrefix replaces the folder's, components run before its patches; commonMetadata reaches metadata only", () => {
    const files = virtualFiles(`#- clusters/home/apps.yaml
${fluxKustomizationYaml('blog', './apps/blog', 'flux-system')}
  targetNamespace: media
  namePrefix: flux-
  components: [../../components/metrics]
  commonMetadata:
    labels: {team: blog}
#- components/metrics/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [svc.yaml]
#- components/metrics/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: metrics}
spec:
  selector: {app: web}
  ports: [{port: 9090}]
#- apps/blog/kustomization.yaml
namePrefix: own-
resources: [svc.yaml]
patches:
  - patch: |-
      apiVersion: v1
      kind: Service
      metadata: {name: metrics}
      spec:
        ports: [{port: 9091}]
${BLOG_WEB}
`);
    const host = hostOf(files);
    const layout = host.snapshot().index.kustomizeLayout();
    const build = layout.builds.get(`${P}/clusters/home/apps.yaml#blog`)?.result;
    assert.ok(build !== undefined);
    assert.deepEqual(build.problems, []);
    assert.equal(build.complete, true);
    assert.deepEqual(placements(host), ['Service/flux-metrics@media', 'Service/flux-web@media']);
    const metrics = build.objects.find((o) => o.source === 'Service/metrics');
    assert.ok(metrics !== undefined);
    const spec = plain(metrics.root) as { metadata: { labels?: unknown }; spec: { ports: Array<{ port: number }>; selector: unknown } };
    // The folder's patch reached the component's Service (the order of merged list items is not modelled).
    assert.deepEqual(spec.spec.ports.map((p) => p.port).sort(), [9090, 9091]);
    assert.deepEqual(spec.metadata.labels, { team: 'blog' });
    assert.deepEqual(spec.spec.selector, { app: 'web' });
  });

  it("a Flux Kustomization saved as kustomization.yaml and listed as a file is a root with its path, no folder of kustomize's", () => {
    const files = virtualFiles(`#- clusters/home/kustomization.yaml
resources:
  - apps/kustomization.yaml
#- clusters/home/apps/kustomization.yaml
${fluxKustomizationYaml('web', './apps/web', 'flux-system')}
  targetNamespace: media
#- apps/web/kustomization.yaml
resources: [svc.yaml]
#- apps/web/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 80}]
`);
    const host = hostOf(files);
    assert.deepEqual(host.snapshot().index.kustomizeLayout().roots, [
      `${P}/clusters/home`,
      `${P}/clusters/home/apps/kustomization.yaml#web`,
    ]);
    assert.deepEqual(services(host), ['Service/web@media']);
  });

  it("a Flux root's generated kustomization lists a sub-folder holding a Flux Kustomization saved as kustomization.yaml as a folder, as kustomize-controller's generator does, and kustomize refuses it there; saved under another name it is listed as a file", () => {
    const files = virtualFiles(`#- clusters/home/flux-system/kustomization.yaml
resources: [gotk-sync.yaml]
#- clusters/home/flux-system/gotk-sync.yaml
${fluxKustomizationYaml('flux-system', './clusters/home', 'flux-system')}
#- clusters/home/settings.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: cluster-settings, namespace: flux-system}
data: {DOMAIN: example.com}
#- clusters/home/apps/kustomization.yaml
${fluxKustomizationYaml('apps', './apps/web', 'flux-system')}
  targetNamespace: media
#- apps/web/kustomization.yaml
resources: [svc.yaml]
#- apps/web/svc.yaml
${serviceYaml('web')}
`);
    const host = hostOf(files);
    const flux = `${P}/clusters/home/apps/kustomization.yaml`;
    const problems = (): string[] =>
      host
        .snapshot()
        .diagnosticsFor(flux)
        .filter((d) => d.code === 'kustomize-build-problem')
        .map((d) => `${d.severity} ${files.get(flux)?.slice(d.span.start, d.span.end) ?? ''}: ${d.message.slice(0, 135)}`);
    // fluxcd/pkg kustomize scanManifests: a sub-folder with a kustomization file is a resource folder, whatever the file holds.
    assert.deepEqual(problems(), [
      'error spec: kustomize build would fail: invalid Kustomization: json: unknown field "spec" (this is a Flux Kustomization saved as kustomization.yaml',
    ]);
    const root = host.snapshot().index.kustomizeLayout().builds.get(`${P}/clusters/home/flux-system/gotk-sync.yaml#flux-system`);
    assert.equal(root?.result.complete, false);
    editsEqualFresh(files, host, [[flux, (t) => t?.replace('targetNamespace: media', 'targetNamespace: video')]], ['Service', 'ConfigMap']);
    // Saved as apps.yaml, the generator lists the file: the Kustomization is applied, and builds its path.
    files.delete(flux);
    host.removeFile(flux);
    const renamed = `${P}/clusters/home/apps/apps.yaml`;
    files.set(renamed, `${fluxKustomizationYaml('apps', './apps/web', 'flux-system')}\n  targetNamespace: media\n`);
    host.setFile(renamed, files.get(renamed) ?? '');
    assert.deepEqual(
      [...host.snapshot().diagnostics()].flatMap(([, list]) => list.filter((d) => d.code === 'kustomize-build-problem')),
      [],
    );
    assert.deepEqual(services(host), ['Service/web@media']);
  });

  it("a Flux Kustomization saved as its own path's kustomization.yaml is that folder's kustomization to kustomize-controller's generator (read leniently: no resources), so it builds nothing of the folder", () => {
    const files = virtualFiles(`#- clusters/home/kustomization.yaml
${fluxKustomizationYaml('cluster', './clusters/home', 'flux-system')}
#- clusters/home/web.yaml
${serviceYaml('web')}
`);
    const host = hostOf(files);
    const layout = host.snapshot().index.kustomizeLayout();
    assert.deepEqual(layout.roots, [`${P}/clusters/home/kustomization.yaml#cluster`]);
    assert.deepEqual(layout.builds.get(`${P}/clusters/home/kustomization.yaml#cluster`)?.result.objects, []);
  });

  it("a Flux Kustomization in a file its folder's kustomization lists only in a commented-out line is switched off: no root", () => {
    const files = virtualFiles(`#- clusters/home/kustomization.yaml
resources:
  - ./web.yaml
  # - ./old.yaml ##turned off: the radio is in use elsewhere
#- clusters/home/web.yaml
${fluxKustomizationYaml('web', './apps/web', 'flux-system')}
  targetNamespace: media
#- clusters/home/old.yaml
${fluxKustomizationYaml('old', './apps/old', 'flux-system')}
#- apps/web/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 80}]
#- apps/old/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: old}
spec:
  ports: [{port: 80}]
`);
    const host = hostOf(files);
    const roots = host.snapshot().index.kustomizeLayout().roots;
    assert.deepEqual(
      roots.filter((r) => r.includes('#')),
      [`${P}/clusters/home/web.yaml#web`],
    );
    assert.deepEqual(
      host
        .snapshot()
        .diagnosticsFor(`${P}/clusters/home/old.yaml`)
        .filter((d) => d.code === 'kustomize-build-problem'),
      [],
    );
  });

  it('edits of the Flux file, the folder and its files: incremental passes equal full ones', () => {
    const files = virtualFiles(TREE);
    const host = hostOf(files);
    host.snapshot();
    const ks = `${P}/clusters/home/apps.yaml`;
    const edits: Edit[] = [
      [ks, (t) => t?.replace('targetNamespace: media', 'targetNamespace: video')],
      [ks, (t) => t?.replace('GATEWAY: public', 'GATEWAY: pubilc')],
      [
        `${P}/apps/web/extra.yaml`,
        () => 'apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  selector: {app: webb}\n  ports: [{port: 80}]\n',
      ],
      [`${P}/apps/web/routes/route.yaml`, (t) => t?.replace('targetPort: 8080', 'targetPort: 8081')],
      [ks, (t) => t?.replace('name: tenant-repo', 'name: flux-system')],
      [ks, (t) => t?.replace('path: ./apps/api/app', 'path: ./apps/api')],
      [`${P}/apps/web/extra.yaml`, () => undefined],
      [ks, (t) => t?.replace('name: flux-system}\n  targetNamespace: video', 'name: other}\n  targetNamespace: video')],
    ];
    editsEqualFresh(files, host, edits, KINDS);
    assert.deepEqual(placements(host), ['HTTPRoute/web@default', 'Service/tenant@tenant', 'Service/web@default', 'Service/x-api@backend']);
  });

  it("a child a patch file of the parent's folder kustomization changes is read as patched; edits of the patch file: incremental passes equal full ones", () => {
    const files = virtualFiles(`#- flux/cluster.yaml
${CLUSTER_APPS}
#- apps/kustomization.yaml
namespace: flux-system
resources: [ks.yaml]
patches:
  - path: ks-patch.yaml
    target: {group: kustomize.toolkit.fluxcd.io, kind: Kustomization}
#- apps/ks-patch.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: not-used
spec:
  targetNamespace: media
${WEB_CHILD}
`);
    const host = hostOf(files);
    assert.deepEqual(services(host), ['Service/web@media']);
    const edits: Edit[] = [
      [`${P}/apps/ks-patch.yaml`, (t) => t?.replace('targetNamespace: media', 'targetNamespace: video')],
      [`${P}/apps/web/svc.yaml`, (t) => t?.replace('port: 80', 'port: 81')],
      [`${P}/apps/ks-patch.yaml`, (t) => t?.replace('targetNamespace: video', 'targetNamespace: music')],
    ];
    editsEqualFresh(files, host, edits, KINDS);
    assert.deepEqual(services(host), ['Service/web@music']);
  });

  it("a child a parent's patches change is read as patched; edits of the patch and the child: incremental passes equal full ones", () => {
    const files = virtualFiles(`#- flux/cluster.yaml
${CLUSTER_APPS}
  patches:
    - patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: not-used
        spec:
          targetNamespace: media
      target: {group: kustomize.toolkit.fluxcd.io, kind: Kustomization}
#- apps/kustomization.yaml
namespace: flux-system
resources: [ks.yaml]
${WEB_CHILD}
`);
    const host = hostOf(files);
    assert.deepEqual(services(host), ['Service/web@media']);
    const edits: Edit[] = [
      [`${P}/flux/cluster.yaml`, (t) => t?.replace('targetNamespace: media', 'targetNamespace: video')],
      [`${P}/apps/ks.yaml`, (t) => t?.replace('interval: 1h', 'interval: 2h')],
      [`${P}/apps/web/svc.yaml`, (t) => t?.replace('port: 80', 'port: 81')],
      [`${P}/flux/cluster.yaml`, (t) => t?.replace('kind: Kustomization}', 'kind: HelmRelease}')],
    ];
    editsEqualFresh(files, host, edits, KINDS);
    // The patch no longer targets Flux Kustomizations: the child sets no targetNamespace (kustomize-controller would reject it).
    assert.deepEqual(services(host), ['Service/web@default']);
  });
});

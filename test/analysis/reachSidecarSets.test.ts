/**
 * OpenKruise SidecarSets in the reachability engine (reachability/classModel.ts `sidecarInjector`): the
 * injected containers' ports are the pods' ports. After an edit of a producer (its classes rebuilt in
 * place: `ClassModel.patch`), of a SidecarSet or of a Namespace's labels, the workspace engine and the
 * checks' scoped engine give what a fresh host gives (fixture test/fixtures/reachability/operators-sidecarset-ports.yaml).
 */

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import type { ReachEngine } from '../../analysis/reachability/engine.js';
import { computeReach } from '../../analysis/reachability/connectionList.js';
import { renderText } from '../../analysis/reachability/render.js';
import { render } from '../support/gitops.js';

const URI = 'file:///fixtures/sidecarsets/all.yaml';
// With an Ingress to shop/web: the Ingress checks build the engine over shop, which the next snapshot's starts from.
const TEXT = `${readFileSync(join(__dirname, '..', 'fixtures', 'reachability', 'operators-sidecarset-ports.yaml'), 'utf8')}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: proxy}}}}]}}]
`;

/** Every class's ports (name/protocol/port, `?` when unknown) and, for the workspace engine, the connection list. */
function seen(engine: ReachEngine, list: boolean): string[] {
  const ports = engine.classes.map(
    (c) => `${c.node} ${c.portsUnknown ? '?' : ''}${c.ports.map((p) => `${p.name ?? ''}/${p.protocol}/${p.containerPort}`).join(',')}`,
  );
  return list ? [...ports, renderText(engine.space, computeReach(engine))] : ports;
}

/** The engines of the host's next snapshot, and its findings (the checks' pass keeps the scoped engines for the next snapshot). */
function both(host: AnalysisHost): { workspace: string[]; scoped: string[]; engine: ReachEngine; findings: string[] } {
  const snapshot = host.snapshot();
  const engine = snapshot.scopedEngine(['shop']);
  const findings = render(snapshot.diagnostics());
  return { workspace: seen(snapshot.reachEngine(), true), scoped: seen(engine, false), engine, findings };
}

it("injected ports stay the pods' ports after edits of a producer, a SidecarSet and a Namespace, as a fresh host has them", () => {
  const host = new AnalysisHost();
  host.setFile(URI, TEXT);
  const cold = both(host);
  assert.ok(cold.scoped.includes('shop/web[Deployment] http/TCP/8080,proxy/TCP/15001,metrics/TCP/9100'), cold.scoped.join('\n'));
  assert.ok(cold.workspace.includes('other/web[Deployment] http/TCP/8080,proxy/TCP/15001'), cold.workspace.join('\n'));
  // After each edit, shop/web's ports in the scoped engine.
  const edits: Array<{ what: string; edit: (t: string) => string; web: string; patched?: true }> = [
    // The Deployment's image: its class is rebuilt in place in the scoped engine, the injector applied again.
    {
      what: 'producer',
      edit: (t) => t.replace('image: web, ports', 'image: web2, ports'),
      web: 'http/TCP/8080,proxy/TCP/15001,metrics/TCP/9100',
      patched: true,
    },
    {
      what: 'SidecarSet port',
      edit: (t) => t.replace('name: proxy, containerPort: 15001', 'name: proxy, containerPort: 15002'),
      web: 'http/TCP/8080,proxy/TCP/15002,metrics/TCP/9100',
    },
    {
      what: 'SidecarSet selector templated',
      edit: (t) =>
        t.replace(
          'selector: {matchLabels: {app: web}}\n  namespaceSelector',
          'selector: {matchLabels: {app: "${APP}"}}\n  namespaceSelector',
        ),
      web: '?http/TCP/8080,proxy/TCP/15002',
    },
    { what: 'Namespace labels', edit: (t) => t.replace('labels: {team: a}', 'labels: {team: b}'), web: 'http/TCP/8080,proxy/TCP/15002' },
  ];
  let text = TEXT;
  for (const { what, edit, web, patched } of edits) {
    const next = edit(text);
    assert.notEqual(next, text, what);
    text = next;
    host.setFile(URI, text);
    const incremental = both(host);
    if (patched === true) assert.notEqual(incremental.engine.model.rebuilt, undefined, `${what}: the scoped model is patched`);
    const fresh = new AnalysisHost();
    fresh.setFile(URI, text);
    const full = both(fresh);
    assert.deepEqual(incremental.workspace, full.workspace, what);
    assert.deepEqual(incremental.scoped, full.scoped, what);
    assert.deepEqual(incremental.findings, full.findings, what);
    assert.ok(incremental.scoped.includes(`shop/web[Deployment] ${web}`), `${what}:\n${incremental.scoped.join('\n')}`);
  }
});

/**
 * The packed panel model (protocol/packedModel.ts, webview/unpack.ts): what the host posts reads
 * back as the model it packed, on real workspaces and on a model holding every optional and
 * variant field; anything malformed (an index past its table, a wrong width, a bad flag) drops
 * the whole model; and the packed form is a fraction of the object form's size.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packModel, portsLabel, type PackedModel } from '../../protocol/packedModel.js';
import { routeKey } from '../../protocol/graphGroups.js';
import type { PanelModel } from '../../protocol/panel.js';
import type { WireModel } from '../../protocol/webviewMessages.js';
import { unpackModel } from '../../webview/unpack.js';
import { modelOfFolder } from './stubHost.js';

const ROOT = join(__dirname, '..', '..');

/** Through JSON, as postMessage carries it. */
function roundTrip(m: WireModel): WireModel | undefined {
  return unpackModel(JSON.parse(JSON.stringify(packModel(m))));
}

const LOC = { uri: 'file:///ws/a.yaml', range: { start: { line: 1, character: 2 }, end: { line: 3, character: 4 } } };

/** Every variant the wire form encodes apart: optional fields absent and present, nulls, port ranges, name and number targetPorts. */
const VARIANTS: PanelModel = {
  scope: { namespace: 'shop', unit: 'file:///ws/prod' },
  units: ['file:///ws/prod', 'file:///ws/dev'],
  notes: ['1 Calico GlobalNetworkPolicy is not evaluated <b>x</b>'],
  noteFiles: [{ text: 'a.yaml', uri: 'file:///ws/a.yaml' }],
  nodes: [
    {
      id: 'shop/web[Deployment]',
      namespace: 'shop',
      kind: 'Deployment',
      name: 'web',
      labels: { app: 'web', '<b>x</b>': '"quoted"' },
      location: LOC,
      entry: false,
      isolatedIngress: true,
      isolatedEgress: false,
      unreachable: true,
      ports: [{ protocol: 'TCP', port: 8080 }],
    },
    {
      id: '0.0.0.0-255.255.255.255',
      namespace: '',
      kind: 'External',
      name: '0.0.0.0/0',
      labels: {},
      entry: true,
      isolatedIngress: false,
      isolatedEgress: true,
      unreachable: false,
      ports: [],
    },
  ],
  edges: [
    { from: 'shop/web[Deployment]', to: '0.0.0.0-255.255.255.255', ports: 'all', label: 'all', verdict: 'allowed' },
    {
      from: '0.0.0.0-255.255.255.255',
      to: 'shop/web[Deployment]',
      ports: [
        { protocol: 'TCP', port: 8080 },
        { protocol: 'TCP', port: 9000, endPort: 9100 },
        { protocol: 'UDP', port: 53 },
      ],
      label: 'TCP 8080,9000-9100; UDP 53',
      verdict: 'undefined',
      reason: 'a templated selector',
    },
  ],
  layout: {
    width: 640.5,
    height: 480,
    groups: [{ name: 'shop', x: 0, y: 0, width: 300.25, height: 200 }],
    nodes: { 'shop/web[Deployment]': { x: 10, y: 20.5, width: 120, height: 40 }, 'junction:1': { x: -3, y: 5, width: 1, height: 1 } },
    routes: { [routeKey('shop/web[Deployment]', '{clients}TCP 80\u0000allowed\u0000a\u0000b')]: [12, 30.5, 40, 50] },
  },
  policies: [
    {
      key: 'shop/p',
      namespace: 'shop',
      name: 'p',
      ingress: true,
      egress: true,
      selects: ['shop/web[Deployment]'],
      allows: [{ from: '0.0.0.0-255.255.255.255', to: 'shop/web[Deployment]' }],
      location: LOC,
    },
    { key: 'shop/q', namespace: 'shop', name: 'q', ingress: false, egress: true, selects: [], location: LOC },
    { key: 'shop/r', namespace: 'shop', name: 'r', ingress: true, egress: false, selects: [], allows: [], location: LOC },
  ],
  ingressRoutes: [
    {
      ingress: 'shop/shop',
      host: '*',
      path: '/api',
      pathType: 'Prefix',
      service: 'shop/api',
      port: 'http',
      endpoints: [
        { node: 'shop/web[Deployment]', targetPort: 8080, allowed: true },
        { node: 'shop/web[Deployment]', targetPort: 8081, allowed: false },
        { node: 'shop/web[Deployment]', targetPort: 8082, allowed: null },
      ],
      controller: '{ingress-controller}',
      location: LOC,
      problems: [{ code: 'ingress-backend-port-missing', message: 'Service "api" exposes only ports 80' }],
    },
    {
      ingress: 'shop/other',
      host: 'a.example.com',
      path: '(default backend)',
      pathType: '',
      service: null,
      port: '80',
      endpoints: [],
      controller: null,
      location: LOC,
    },
  ],
  gatewayRoutes: [
    {
      gateway: 'infra/web',
      route: 'HTTPRoute shop/r',
      rule: 2,
      matches: 'store.example.com · PathPrefix /api',
      service: 'shop/api',
      port: '53/UDP',
      endpoints: [{ node: 'shop/web[Deployment]', targetPort: 53, allowed: null }],
      dataPlane: null,
      location: LOC,
      problems: [{ code: 'gateway-backend-port-missing', message: 'x' }],
    },
    {
      gateway: 'infra/web',
      route: 'GRPCRoute shop/g',
      rule: 0,
      matches: '',
      service: 'shop/api',
      port: '9090',
      endpoints: [],
      dataPlane: 'infra/web[Gateway]',
      location: LOC,
    },
  ],
  overview: {
    namespaces: [
      {
        name: 'shop',
        workloads: [
          {
            id: 'shop/web[Deployment]',
            kind: 'Deployment',
            name: 'web',
            namespace: 'shop',
            labels: { app: 'web' },
            ports: [
              { name: 'http', containerPort: 8080, protocol: 'TCP' },
              { containerPort: 53, protocol: 'UDP' },
            ],
            location: LOC,
          },
        ],
        services: [
          {
            id: 'shop/api[Service]',
            name: 'api',
            namespace: 'shop',
            type: 'ClusterIP',
            selector: { app: 'web' },
            selects: [
              {
                workloadId: 'shop/web[Deployment]',
                match: 'yes',
                ports: [
                  { port: 80, portName: 'http', protocol: 'TCP', targetPort: 'http', containerPort: 8080 },
                  { port: 81, protocol: 'TCP', targetPort: 8081, containerPort: null },
                  { port: null, protocol: 'TCP', targetPort: null, containerPort: null },
                ],
              },
              { workloadId: 'shop/web[Deployment]', match: 'unknown', ports: [] },
            ],
            location: LOC,
            problems: [{ code: 'service-target-port-unknown', message: 'm' }],
          },
          { id: 'shop/ext[Service]', name: 'ext', namespace: 'shop', type: 'ExternalName', selector: null, selects: [], location: LOC },
        ],
      },
    ],
  },
  initialView: 'matrix',
  revision: 7,
};

describe('packed panel model: what the host posts reads back as the model', () => {
  for (const folder of ['examples', 'test/fixtures/panel-app']) {
    it(`${folder}: the model back, labels made in the webview`, async () => {
      const m = await modelOfFolder(join(ROOT, folder));
      assert.ok(m.edges.length > 0 && m.layout !== null);
      assert.deepEqual(roundTrip(m), JSON.parse(JSON.stringify(m)));
    });
  }

  it('every variant field: absent, present, null, port ranges, targetPort by name and number', () => {
    assert.deepEqual(roundTrip(VARIANTS), VARIANTS);
    assert.deepEqual(roundTrip({ ...VARIANTS, overview: null, layout: null, scope: {} }), {
      ...VARIANTS,
      overview: null,
      layout: null,
      scope: {},
    });
  });

  it("an edge's label is the one the host would have sent", () => {
    for (const e of VARIANTS.edges) assert.equal(portsLabel(e.ports), e.label);
  });

  it('the app model is packed to less than a quarter of its JSON size, each string once', async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    const packed = packModel(m);
    assert.ok(
      JSON.stringify(packed).length * 4 < JSON.stringify(m).length,
      `${JSON.stringify(packed).length} vs ${JSON.stringify(m).length}`,
    );
    assert.equal(new Set(packed.strings).size, packed.strings.length);
    assert.equal(packed.edges.length, m.edges.length * 5);
  });
});

describe('packed panel model: anything malformed drops the model', () => {
  const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(packModel(VARIANTS))) as Record<string, unknown>;
  const n = packModel(VARIANTS).strings.length;
  const cases: Array<[string, (p: Record<string, unknown> & PackedModel) => void]> = [
    ['another version', (p) => Object.assign(p, { packed: 2 })],
    ['a string that is not a string', (p) => Object.assign(p, { strings: [...p.strings.slice(1), 5] })],
    ['an edge naming a string past the table', (p) => Object.assign(p, { edges: [n, ...p.edges.slice(1)] })],
    ['an edge with a negative index', (p) => Object.assign(p, { edges: [-2, ...p.edges.slice(1)] })],
    ['a connection list not of whole connections', (p) => Object.assign(p, { edges: p.edges.slice(1) })],
    ['a note file without its uri', (p) => Object.assign(p, { noteFiles: [0] })],
    ['a note file past the table', (p) => Object.assign(p, { noteFiles: [0, n] })],
    ['a verdict other than 0 or 1', (p) => Object.assign(p, { edges: [...p.edges.slice(0, 3), 2, ...p.edges.slice(4)] })],
    ['a port list past the table', (p) => Object.assign(p, { edges: [p.edges[0], p.edges[1], 99, ...p.edges.slice(3)] })],
    [
      'a node without a port list (all ports)',
      (p) => Object.assign(p, { nodes: [[...(p.nodes[0] ?? []).slice(0, 6), -1, []], ...p.nodes.slice(1)] }),
    ],
    ['a node of the wrong width', (p) => Object.assign(p, { nodes: [[1, 2, 3]] })],
    ['a location of four numbers', (p) => Object.assign(p, { nodes: [[...(p.nodes[0] ?? []).slice(0, 7), [0, 1, 2, 3]]] })],
    ['a fractional line', (p) => Object.assign(p, { nodes: [[...(p.nodes[0] ?? []).slice(0, 7), [0, 1.5, 2, 3, 4]]] })],
    ['a policy without a location', (p) => Object.assign(p, { policies: [[...(p.policies[0] ?? []).slice(0, 6), []]] })],
    [
      'an endpoint verdict of 3',
      (p) =>
        Object.assign(p, {
          ingressRoutes: [[...(p.ingressRoutes[0] ?? []).slice(0, 6), [0, 80, 3], ...(p.ingressRoutes[0] ?? []).slice(7)]],
        }),
    ],
    ['a route with half a point', (p) => Object.assign(p, { layout: { ...p.layout, routes: [[0, 1, 5, 6, 7]] } })],
    ['a route without a point', (p) => Object.assign(p, { layout: { ...p.layout, routes: [[0, 1]] } })],
    ['a route end past the table', (p) => Object.assign(p, { layout: { ...p.layout, routes: [[n, 1, 5, 6]] } })],
    ['a route point that is not a number', (p) => Object.assign(p, { layout: { ...p.layout, routes: [[0, 1, 5, '6']] } })],
    ['a layout box that is not a number', (p) => Object.assign(p, { layout: { ...p.layout, boxes: [0, 'x', 1, 2, 3] } })],
    [
      'a targetPort kind of 3',
      (p) => {
        const ns = p.overview?.[0];
        const svc = ns?.[2][0];
        if (ns === undefined || svc === undefined) throw new Error('fixture');
        const sel = svc[5][0];
        if (sel === undefined) throw new Error('fixture');
        const ports = [...sel[2]];
        ports[3] = 3;
        Object.assign(p, { overview: [[ns[0], ns[1], [[...svc.slice(0, 5), [[sel[0], sel[1], ports]], ...svc.slice(6)]]]] });
      },
    ],
    ['an unknown view', (p) => Object.assign(p, { initialView: 'evil' })],
    ['a scope holding a number', (p) => Object.assign(p, { scope: { namespace: 1 } })],
  ];
  it('the unmodified packed model is accepted (the cases below break one thing each)', () => {
    assert.deepEqual(unpackModel(good()), VARIANTS);
  });
  for (const [name, breakIt] of cases) {
    it(name, () => {
      const p = good() as Record<string, unknown> & PackedModel;
      breakIt(p);
      assert.equal(unpackModel(p), undefined);
    });
  }
});

/**
 * A model posted as its change from the one before (protocol/packedDelta.ts, client/panel/wire.ts
 * `ModelWire`): the model the webview rebuilds from the delta reads back exactly as the new model
 * posted whole would, after real edits of the 31-workload app and after random changes to every
 * list of the model; a delta of an edit is a small fraction of the whole; anything malformed, or a
 * delta from another base, gives nothing (the webview then asks for everything again).
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ModelWire } from '../../client/panel/wire.js';
import { applyDelta, diffPacked, isDelta } from '../../protocol/packedDelta.js';
import { packModel } from '../../protocol/packedModel.js';
import type { PanelEdge, PanelModel } from '../../protocol/panel.js';
import type { WireModel } from '../../protocol/webviewMessages.js';
import { unpackModel } from '../../webview/unpack.js';
import { modelOfFolder } from './stubHost.js';

const APP = join(__dirname, '..', 'fixtures', 'panel-app');

/** Through JSON, as postMessage carries it. */
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** What the webview reads from a whole model. */
const read = (m: WireModel): WireModel | undefined => unpackModel(json(packModel(m)));

/**
 * Posts `models` through one ModelWire, as the host posts to one webview, and rebuilds each on the
 * webview's side as webview/main.ts does; returns what the webview read of each and what was posted.
 */
function through(models: readonly PanelModel[]): { read: Array<WireModel | undefined>; posted: unknown[] } {
  const wire = new ModelWire();
  let last: unknown;
  const out: Array<WireModel | undefined> = [];
  const posted: unknown[] = [];
  for (const m of models) {
    const msg = json(wire.message(m));
    posted.push(msg.model);
    const packed = isDelta(msg.model) ? applyDelta(last, msg.model) : msg.model;
    last = packed;
    out.push(unpackModel(packed));
  }
  return { read: out, posted };
}

/** A text edit of one file of the app. */
const editing =
  (file: string, from: string, to: string) =>
  (path: string, text: string): string => {
    if (!path.endsWith(file)) return text;
    assert.ok(text.includes(from), `${file} has ${from}`);
    return text.replace(from, to);
  };

describe('a model posted as its change from the last one', () => {
  let app: PanelModel;
  before(async () => {
    app = await modelOfFolder(APP, 1);
  });

  it('real edits of the app (a policy peer, a policy selecting nothing, a workload added): the rebuilt model is the new one', async () => {
    const edits: Array<[string, (p: string, t: string) => string]> = [
      ['a policy peer', editing('policies.yaml', '              app: checkout\n', '              app: checkoutx\n')],
      ['a policy selecting nothing', editing('policies.yaml', '\n      app: users\n', '\n      app: nobody\n')],
      [
        'a workload added',
        editing(
          'namespaces.yaml',
          'apiVersion: v1',
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: zz-new\n  namespace: default\nspec:\n  selector:\n    matchLabels:\n      app: zz-new\n  template:\n    metadata:\n      labels:\n        app: zz-new\n    spec:\n      containers:\n        - name: c\n          image: x\n          ports:\n            - containerPort: 9999\n---\napiVersion: v1',
        ),
      ],
    ];
    const models: PanelModel[] = [app];
    let revision = 1;
    for (const [name, edit] of edits) {
      const m = await modelOfFolder(APP, ++revision, edit);
      assert.notDeepEqual(json(m.edges), json(app.edges), `${name} changes connections`);
      models.push(m, { ...app, revision: ++revision });
    }
    const { read: got, posted } = through(models);
    models.forEach((m, i) => {
      // The overview goes once (OverviewOnce): after the first, the webview keeps its own.
      const want = read(i === 0 ? m : { ...m, overview: json(m.overview) });
      const have = got[i];
      assert.ok(have !== undefined, `model ${i} read`);
      assert.deepEqual({ ...have, overview: null }, { ...want, overview: null }, `model ${i}`);
      if (i > 0) assert.ok(isDelta(posted[i]), `model ${i} posted as a change`);
    });
    // The policy peer's edit (its namespace laid out again by elkjs): a fraction of the whole model.
    const whole = JSON.stringify(packModel(models[1] as PanelModel)).length;
    const delta = JSON.stringify(posted[1]).length;
    assert.ok(delta * 5 < whole, `delta ${delta} bytes, whole ${whole}`);
    // The app again, as it was: only the revision and what the edit changed back.
    assert.ok(JSON.stringify(posted[2]).length * 5 < whole);
  });

  it('random changes to every list (connections, nodes, policies, routes, layout, scope): the rebuilt model is the new one', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]): T | undefined => xs[rnd(xs.length)];
    const mutate = (m: PanelModel, revision: number): PanelModel => {
      let edges = [...m.edges];
      let nodes = [...m.nodes];
      let policies = [...m.policies];
      let layout = m.layout;
      let scope = m.scope;
      for (let k = 0; k < 1 + rnd(6); k++) {
        switch (rnd(10)) {
          case 0:
            edges.splice(rnd(edges.length), 1 + rnd(20));
            break;
          case 1: {
            const e = pick(edges);
            if (e !== undefined) edges.splice(rnd(edges.length), 0, { ...e, to: `ns-${rnd(5)}/new-${rnd(100)}[Deployment]` });
            break;
          }
          case 2: {
            const i = rnd(edges.length);
            const e = edges[i];
            if (e !== undefined)
              edges[i] = {
                ...e,
                verdict: e.verdict === 'allowed' ? 'undefined' : 'allowed',
                ...(e.verdict === 'allowed' ? { reason: `why ${rnd(3)}` } : {}),
              } as PanelEdge;
            break;
          }
          case 3:
            edges = [...edges.slice(edges.length / 2), ...edges.slice(0, edges.length / 2)];
            break;
          case 4: {
            const i = rnd(nodes.length);
            const n = nodes[i];
            if (n !== undefined) nodes[i] = { ...n, unreachable: !n.unreachable, labels: { ...n.labels, [`k${rnd(4)}`]: 'v' } };
            break;
          }
          case 5:
            nodes = nodes.filter((_, i) => i % 37 !== rnd(37));
            break;
          case 6: {
            const i = rnd(policies.length);
            const p = policies[i];
            if (p !== undefined) policies[i] = { ...p, selects: p.selects.slice(1), allows: (p.allows ?? []).slice(0, 1) };
            if (rnd(3) === 0) policies = policies.slice(1);
            break;
          }
          case 7:
            if (layout !== null) {
              const keys = Object.keys(layout.nodes);
              const key = pick(keys) ?? '';
              const b = layout.nodes[key];
              layout =
                b === undefined
                  ? layout
                  : { ...layout, width: layout.width + 1, nodes: { ...layout.nodes, [key]: { ...b, x: b.x + 13 } }, routes: {} };
            }
            break;
          case 8:
            layout = rnd(4) === 0 ? null : (app.layout ?? null);
            break;
          case 9:
            scope = rnd(2) === 0 ? {} : { namespace: `ns-${rnd(3)}` };
            break;
        }
      }
      return { ...m, edges, nodes, policies, layout, scope, revision };
    };
    const models: PanelModel[] = [app];
    for (let i = 0; i < 60; i++) models.push(mutate(i % 5 === 4 ? app : (models.at(-1) as PanelModel), i + 2));
    const { read: got, posted } = through(models);
    let deltas = 0;
    models.forEach((m, i) => {
      const want = read({ ...m, overview: json(m.overview) });
      const have = got[i];
      assert.ok(have !== undefined, `model ${i} read`);
      assert.deepEqual({ ...have, overview: null }, { ...want, overview: null }, `model ${i}`);
      if (isDelta(posted[i])) deltas++;
    });
    assert.ok(deltas > 40, `${deltas} of 60 changes posted as deltas`);
  });

  it('anything malformed, or a delta from another base, gives nothing', () => {
    const base = json(packModel(app));
    const next = packModel({ ...app, edges: app.edges.slice(3), revision: 2 }, base);
    const good = json(diffPacked(base, next));
    assert.deepEqual(unpackModel(applyDelta(base, good)), unpackModel(json(next)));
    const lists = good.lists ?? {};
    const edges = lists['edges'];
    assert.ok(edges !== undefined);
    const broken: Array<[string, unknown]> = [
      ['another base', { ...good, base: 99 }],
      ['no revision', { ...good, revision: -1 }],
      ['the revision set', { ...good, set: { revision: 5 } }],
      ['a run past its base list', { ...good, lists: { ...lists, edges: { ...edges, runs: [0, base.edges.length, 0] } } }],
      ['a run of two numbers', { ...good, lists: { ...lists, edges: { ...edges, runs: [0, 1] } } }],
      ['entries added but not used', { ...good, lists: { ...lists, edges: { ...edges, added: [...edges.added, 1, 2, 3, 4, 5] } } }],
      ['a negative start', { ...good, lists: { ...lists, edges: { ...edges, runs: [-1, 1, 0] } } }],
      ['a list patch of an object', { ...good, lists: { scope: edges } }],
      ['an object patch of a list', { ...good, objects: { edges: {} } }],
      ['another version', { ...good, packed: 2 }],
    ];
    for (const [name, d] of broken) assert.equal(applyDelta(base, d), undefined, name);
    assert.equal(applyDelta(undefined, good), undefined, 'no base');
  });

  it('a whole model again after a reset, and when most of it changed', () => {
    const wire = new ModelWire();
    assert.equal(isDelta(wire.message(app).model), false);
    assert.equal(isDelta(wire.message({ ...app, revision: 2 }).model), true);
    wire.reset();
    assert.equal(isDelta(wire.message({ ...app, revision: 3 }).model), false);
    const other = { ...app, edges: app.edges.map((e) => ({ ...e, to: `${e.to}x` })), nodes: [], revision: 4 };
    assert.equal(isDelta(wire.message(other).model), false, 'every connection changed');
  });
});

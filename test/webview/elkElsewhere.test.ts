/**
 * elkjs outside the extension host (client/panel/layout.ts `ElkElsewhere`, the webview's worker in
 * the panel): the graph laid out from an answer that went through a message (elkjs's output as
 * JSON) is the graph laid out in the host, to the point; an answer that fails, or is not a
 * layout of what was asked (validated by client/panel/elkGraph.ts as untrusted data), leaves the
 * namespace to elkjs in the host, says why, and the graph is the same.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ELK } from 'elkjs/lib/elk-api.js';
import { forgetLayouts, layoutGraph, type ElkElsewhere } from '../../client/panel/layout.js';
import type { PanelModel } from '../../protocol/panel.js';
import type { LayoutGraph } from '../../protocol/webviewMessages.js';
import { ROOT, modelOfFolder } from './stubHost.js';

/** A second elkjs, standing for the worker's. */
async function otherElk(): Promise<ELK> {
  const mod: unknown = await import('elkjs/lib/elk.bundled.js');
  let ctor: unknown = mod;
  for (let i = 0; i < 2 && typeof ctor === 'object' && ctor !== null && 'default' in ctor; i++) ctor = ctor.default;
  assert.equal(typeof ctor, 'function');
  return new (ctor as new () => ELK)();
}

/** As the worker's answer arrives: elkjs's output graph, through JSON. */
async function answer(elk: ELK, g: LayoutGraph): Promise<unknown> {
  const out = await elk.layout(JSON.parse(JSON.stringify(g)) as Parameters<ELK['layout']>[0]);
  return JSON.parse(JSON.stringify(out)) as unknown;
}

describe('panel layout: elkjs outside the extension host', () => {
  let app: PanelModel | undefined;
  const model = async (): Promise<PanelModel> => (app ??= await modelOfFolder(join(ROOT, 'test/fixtures/panel-app')));

  it("the app's graph laid out from the answers of another elkjs, through JSON, is the graph laid out in the host", async () => {
    const m = await model();
    forgetLayouts();
    const here = await layoutGraph(m.nodes, m.edges);
    forgetLayouts();
    const elk = await otherElk();
    const asked: LayoutGraph[] = [];
    const why: string[] = [];
    const there = await layoutGraph(m.nodes, m.edges, {
      run: (g) => {
        asked.push(g);
        return answer(elk, g);
      },
      fellBack: (w) => why.push(w),
    });
    assert.ok(asked.length >= 1, 'no namespace asked for');
    assert.deepEqual(why, []);
    assert.deepEqual(there, here);
  });

  it('an answer that fails or is not a layout of the namespace asked for: elkjs runs in the host, says why, and the graph is the same', async () => {
    const m = await model();
    forgetLayouts();
    const here = await layoutGraph(m.nodes, m.edges);
    const elk = await otherElk();
    const spoil: Array<[string, (out: Record<string, unknown>, g: LayoutGraph) => unknown]> = [
      ['a failure', () => Promise.reject(new Error('the layout worker failed: boom'))],
      ['not an object', () => 'laid'],
      ['a box left out', (o) => ({ ...o, children: (o['children'] as unknown[]).slice(1) })],
      ['a box twice', (o) => ({ ...o, children: [...(o['children'] as unknown[]), (o['children'] as unknown[])[0]] })],
      ['a box never asked for', (o) => ({ ...o, children: [...(o['children'] as unknown[]).slice(1), { id: 'other', x: 0, y: 0 }] })],
      [
        'a place that is not a number',
        (o) => ({ ...o, children: (o['children'] as Array<Record<string, unknown>>).map((c, i) => (i === 0 ? { ...c, x: 'NaN' } : c)) }),
      ],
      ['a connection never asked for', (o) => ({ ...o, edges: [{ id: 'e-other' }] })],
      [
        'a bend point that is not a point',
        (o) => ({
          ...o,
          edges: (o['edges'] as Array<Record<string, unknown>>).map((e) => ({
            ...e,
            sections: [{ startPoint: { x: 0, y: 0 }, endPoint: { x: 1, y: 1 }, bendPoints: [{ x: 1 }] }],
          })),
        }),
      ],
    ];
    for (const [what, change] of spoil) {
      forgetLayouts();
      const why: string[] = [];
      const elsewhere: ElkElsewhere = {
        run: async (g) => change((await answer(elk, g)) as Record<string, unknown>, g),
        fellBack: (w) => why.push(w),
      };
      const laid = await layoutGraph(m.nodes, m.edges, elsewhere);
      assert.ok(why.length > 0, `${what}: no reason given`);
      assert.ok(
        why.every((w) => w === (what === 'a failure' ? 'the layout worker failed: boom' : 'the answer was not a layout of the namespace')),
        `${what}: ${why.join('; ')}`,
      );
      assert.deepEqual(laid, here, what);
    }
  });
});

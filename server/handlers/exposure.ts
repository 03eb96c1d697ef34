/**
 * `kubeReach/exposure` (docs/protocol.md, docs/dev/exposure.md): `reach --exposure` for the
 * panel's Exposure view, computed on the snapshot's workspace engine (per unit) with its options.
 * The engine computes; this file only picks the rows.
 */

import type { Connection } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/index.js';
import { isRecord } from '../../analysis/index.js';
import { computeExposure } from '../../analysis/index.js';
import { exposureRows } from '../../analysis/index.js';
import type { PanelExposure } from '../../protocol/reachability.js';
import { answer } from './answer.js';
import type { GetAnalysis } from './answer.js';
import { EXPOSURE_METHOD } from '../../protocol/reachability.js';

/** Answers per snapshot, held weakly: one per server (`registerExposureHandler`), no module state. */
export type ExposureMemory = WeakMap<Analysis, Map<string, PanelExposure>>;

/** The exposure of the snapshot's workloads (of `namespace` when given); kept per snapshot in `cache`. */
export function buildExposure(analysis: Analysis, params: unknown, cache: ExposureMemory = new WeakMap()): PanelExposure {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const unit = isRecord(params) ? str(params['unit']) : undefined;
  const namespace = isRecord(params) ? str(params['namespace']) : undefined;
  let perSnapshot = cache.get(analysis);
  if (perSnapshot === undefined) cache.set(analysis, (perSnapshot = new Map()));
  const key = JSON.stringify([unit ?? '', namespace ?? '']);
  const hit = perSnapshot.get(key);
  if (hit !== undefined) return hit;
  const answer = compute(analysis, unit, namespace);
  perSnapshot.set(key, answer);
  return answer;
}

function compute(analysis: Analysis, unit: string | undefined, namespace: string | undefined): PanelExposure {
  const engine = analysis.reachEngine(unit);
  const r = computeExposure(analysis, engine.options, engine, namespace);
  const space = r.engine.space;
  return {
    egress: exposureRows(space, r, 'egress'),
    ingress: exposureRows(space, r, 'ingress'),
    unprotected: [...r.unprotected]
      .sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : a.direction < b.direction ? -1 : 1))
      .map((u) => ({ workload: u.workload, direction: u.direction === 'ingress' ? 'Ingress' : 'Egress' })),
  };
}

export function registerExposureHandler(connection: Connection, getAnalysis: GetAnalysis): void {
  const cache: ExposureMemory = new WeakMap();
  connection.onRequest(EXPOSURE_METHOD, (params: unknown, token) =>
    answer<PanelExposure>(EXPOSURE_METHOD, token, getAnalysis, (a) => buildExposure(a, params, cache)),
  );
}

/**
 * Renderers of `kube-reach reach --exposure` (docs/cli.md, docs/dev/exposure.md): the text after
 * the connection list in netpol-analyzer's exposure format, and the `exposure` member of the JSON.
 */

import type { Bits } from './bitset.js';
import { isEmpty } from './bitset.js';
import type { ExposureLine, ExposureResult } from './exposure.js';
import type { PortSpace } from './ports.js';
import { jsonPorts } from './render.js';

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `All Connections`, or `TCP 80,8080-8082,http,UDP 53` as netpol-analyzer prints a connection set:
 * per protocol its numbers, then its named ports; a cluster policy's named ports (their protocol
 * is the container port's) under an empty protocol (` redis`); the parts sorted as strings.
 */
export function formatExposureConns(
  space: PortSpace,
  ports: Bits,
  line: Pick<ExposureLine, 'named' | 'namedAnyProtocol'> | undefined,
): string {
  if (space.isAll(ports)) return 'All Connections';
  const byProto = new Map<string, string[]>();
  const part = (p: string): string[] => {
    let l = byProto.get(p);
    if (l === undefined) byProto.set(p, (l = []));
    return l;
  };
  for (const r of space.ranges(ports)) part(r.protocol).push(r.port === r.endPort ? String(r.port) : `${r.port}-${r.endPort}`);
  for (const n of line?.named ?? []) part(n.protocol).push(n.name);
  for (const n of line?.namedAnyProtocol ?? []) part('').push(n);
  const out: string[] = [];
  for (const [proto, l] of byProto) if (l.length > 0) out.push(`${proto} ${l.join(',')}`);
  return out.sort(byteCompare).join(',');
}

/**
 * A representative that gets nothing where `entire-cluster` gets some (an exception to it,
 * docs/dev/exposure.md E4), as netpol-analyzer prints it.
 */
const NO_CONNECTIONS = 'No Connections';

/** A line that allows nothing and leaves nothing undecided: an exception to `entire-cluster`. */
function nothing(l: ExposureLine): boolean {
  return isEmpty(l.allowed) && isEmpty(l.undefined) && l.named.length === 0 && l.namedAnyProtocol.length === 0;
}

interface TextLine {
  readonly left: string;
  readonly right: string;
}

function textLines(space: PortSpace, lines: readonly ExposureLine[]): TextLine[] {
  const out: TextLine[] = [];
  for (const l of lines) {
    const hasNamed = l.named.length > 0 || l.namedAnyProtocol.length > 0;
    if (!isEmpty(l.allowed) || hasNamed)
      out.push({ left: l.workload, right: `${l.peerText} : ${formatExposureConns(space, l.allowed, l)}` });
    else if (nothing(l)) out.push({ left: l.workload, right: `${l.peerText} : ${NO_CONNECTIONS}` });
    if (!isEmpty(l.undefined))
      out.push({
        left: l.workload,
        right: `${l.peerText} : ${formatExposureConns(space, l.undefined, undefined)} (undefined: ${l.reasons.join('; ') || 'undefined'})`,
      });
  }
  out.sort((a, b) => byteCompare(a.left, b.left) || byteCompare(a.right, b.right));
  return out;
}

/** The exposure part of `reach --exposure --format text` (after the connection list and a blank line). */
export function renderExposureText(space: PortSpace, r: ExposureResult): string {
  const egress = textLines(
    space,
    r.lines.filter((l) => l.direction === 'egress'),
  );
  const ingress = textLines(
    space,
    r.lines.filter((l) => l.direction === 'ingress'),
  );
  let width = 0;
  for (const l of egress) width = Math.max(width, l.left.length);
  for (const l of ingress) width = Math.max(width, l.left.length);
  const sections: string[] = [];
  if (egress.length > 0) sections.push('Egress Exposure:\n' + egress.map((l) => `${l.left.padEnd(width)} \t=> \t${l.right}\n`).join(''));
  if (ingress.length > 0) sections.push('Ingress Exposure:\n' + ingress.map((l) => `${l.left.padEnd(width)} \t<= \t${l.right}\n`).join(''));
  const unprotected = [...r.unprotected]
    .map((u) => `${u.workload} is not protected on ${u.direction === 'ingress' ? 'Ingress' : 'Egress'}\n`)
    .sort(byteCompare);
  if (unprotected.length > 0) sections.push('Workloads not protected by network policies:\n' + unprotected.join(''));
  return 'Exposure Analysis Result:\n' + sections.join('\n');
}

/** One verdict of one exposure line: what the panel lists. */
export interface ExposureRow {
  workload: string;
  peer: string;
  peerKind: ExposureLine['peerKind'];
  label: string;
  /** `denied`: the representative gets nothing on the workload's side (`No Connections`). */
  verdict: 'allowed' | 'undefined' | 'denied';
  reason?: string;
}

/** One row per verdict of each exposure line, sorted by workload then peer: what the panel lists. */
export function exposureRows(space: PortSpace, r: ExposureResult, direction: 'ingress' | 'egress'): ExposureRow[] {
  const out: ExposureRow[] = [];
  for (const l of r.lines) {
    if (l.direction !== direction) continue;
    const base = { workload: l.workload, peer: l.peer, peerKind: l.peerKind };
    if (nothing(l)) out.push({ ...base, label: NO_CONNECTIONS, verdict: 'denied' });
    if (!isEmpty(l.allowed) || l.named.length > 0 || l.namedAnyProtocol.length > 0)
      out.push({ ...base, label: formatExposureConns(space, l.allowed, l), verdict: 'allowed' });
    if (!isEmpty(l.undefined))
      out.push({
        ...base,
        label: formatExposureConns(space, l.undefined, undefined),
        verdict: 'undefined',
        reason: l.reasons.join('; ') || 'undefined',
      });
  }
  out.sort((a, b) => byteCompare(a.workload, b.workload) || byteCompare(a.peer, b.peer) || byteCompare(a.verdict, b.verdict));
  return out;
}

/** The `exposure` member of `reach --exposure --format json`. */
export function exposureJson(space: PortSpace, r: ExposureResult): unknown {
  const entries = (direction: 'ingress' | 'egress'): unknown[] => {
    const out: Array<Record<string, unknown>> = [];
    for (const l of r.lines) {
      if (l.direction !== direction) continue;
      const base = { workload: l.workload, peer: l.peer, peerKind: l.peerKind };
      const hasNamed = l.named.length > 0 || l.namedAnyProtocol.length > 0;
      if (nothing(l)) out.push({ ...base, ports: [], verdict: 'denied' });
      if (!isEmpty(l.allowed) || hasNamed)
        out.push({
          ...base,
          ports: isEmpty(l.allowed) ? [] : jsonPorts(space, l.allowed),
          ...(l.named.length > 0 || l.namedAnyProtocol.length > 0
            ? {
                namedPorts: [
                  ...l.named.map((n) => ({ protocol: n.protocol, name: n.name })),
                  ...l.namedAnyProtocol.map((n) => ({ name: n })),
                ],
              }
            : {}),
          verdict: 'allowed',
        });
      if (!isEmpty(l.undefined))
        out.push({ ...base, ports: jsonPorts(space, l.undefined), verdict: 'undefined', reason: l.reasons.join('; ') || 'undefined' });
    }
    out.sort(
      (a, b) =>
        byteCompare(String(a['workload']), String(b['workload'])) ||
        byteCompare(String(a['peer']), String(b['peer'])) ||
        byteCompare(String(a['verdict']), String(b['verdict'])),
    );
    return out;
  };
  return {
    egress: entries('egress'),
    ingress: entries('ingress'),
    unprotected: [...r.unprotected]
      .sort((a, b) => byteCompare(a.workload, b.workload) || byteCompare(a.direction, b.direction))
      .map((u) => ({ workload: u.workload, direction: u.direction === 'ingress' ? 'Ingress' : 'Egress' })),
  };
}

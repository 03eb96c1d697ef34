/**
 * `netpol-ipblock-service-ip`: an ipBlock that covers a Service's cluster or load-balancer IP.
 * NetworkPolicy sees the post-DNAT pod IP, so such a rule never matches the Service's traffic.
 */

import { about, tier } from './support/findingFields.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import { contains, parseAddress, parseCidr } from '../reachability/ip.js';
import type { Family } from '../reachability/ip.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';

/** Cluster DNS Service IPs of common distributions. */
const WELL_KNOWN_DNS = ['10.96.0.10', '10.0.0.10', '172.20.0.10', '10.100.0.10', '10.43.0.10'];

export const netpolIpblockServiceIp: Check = {
  code: 'netpol-ipblock-service-ip',
  defaultSeverity: 'warning',
  summary: 'An ipBlock targets a Service IP, which NetworkPolicy never sees.',
  doc: [
    'Traffic to a Service IP (ClusterIP, external IP, load-balancer IP) is translated to a pod IP before',
    'NetworkPolicy sees it. An `ipBlock` that targets a Service IP therefore matches nothing: DNS works only with the',
    'DNS *pod* IPs in the ipBlock, an in-cluster LoadBalancer IP is never honoured. Reported for narrow ipBlocks',
    '(/16 or longer in IPv4, /64 or longer in IPv6) that cover a Service IP defined in the workspace (warning), or',
    'a well-known cluster DNS IP or one inside `kubeReach.serviceCIDRs` (information).',
    '',
    "**Fix:** allow the Service's pods by selector, on the targetPort.",
  ].join('\n'),
  run(ctx) {
    // Service IPs of the whole workspace, parsed once per index and only when a narrow ipBlock needs them.
    const ips = (): ReadonlyArray<{ ip: string; family: Family; value: bigint; svc: Placed }> =>
      ctx.index.cached('netpol-ipblock-service-ip:addresses', () => {
        const out: Array<{ ip: string; family: Family; value: bigint; svc: Placed }> = [];
        for (const { ip, svc } of ctx.index.serviceIps()) {
          const a = parseAddress(ip);
          if (a !== undefined) out.push({ ip, family: a.family, value: a.value, svc });
        }
        return out;
      });
    const serviceCidrs = ctx.settings.serviceCIDRs.map(parseCidr).filter((r) => r !== undefined);
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const np = o.networkPolicy;
      if (np === undefined) continue;
      for (const rule of [...(np.ingress ?? []), ...(np.egress ?? [])]) {
        for (const peer of rule.peers ?? []) {
          const block = peer.ipBlock;
          if (block === undefined || !block.cidr.known) continue;
          const range = parseCidr(block.cidr.value);
          if (range === undefined) continue;
          const prefix = Number(block.cidr.value.slice(block.cidr.value.indexOf('/') + 1));
          if ((range.family === 4 && prefix < 16) || (range.family === 6 && prefix < 64)) continue;
          const who = describe(o, placed.placements[0]?.namespace);
          const hit = ips().find((a) => contains([range], a.family, a.value));
          if (hit !== undefined) {
            ctx.report({
              ...about(o, block.cidr.span),
              ...tier(true),
              message: `${who}: ipBlock ${block.cidr.value} covers ${hit.ip}, an IP of ${describe(hit.svc.obj)}; NetworkPolicy sees the pod IP after the Service translation, so this rule never matches that traffic. Allow the Service's pods (selectors) on the targetPort instead.`,
              related: [{ uri: hit.svc.obj.uri, span: hit.svc.obj.anchor, message: describe(hit.svc.obj) }],
            });
            continue;
          }
          const dns = WELL_KNOWN_DNS.find((ip) => {
            const a = parseAddress(ip);
            return a !== undefined && contains([range], a.family, a.value) && prefix >= 24;
          });
          const inServiceCidr = serviceCidrs.some(
            (r) => r !== undefined && r.family === range.family && range.lo >= r.lo && range.hi <= r.hi,
          );
          if (dns !== undefined || inServiceCidr) {
            ctx.report({
              ...about(o, block.cidr.span),
              ...tier(false),
              message: `${who}: ipBlock ${block.cidr.value} ${dns !== undefined ? `covers ${dns}, a usual cluster DNS Service IP` : 'lies inside kubeReach.serviceCIDRs'}; NetworkPolicy sees pod IPs after the Service translation, so it never matches Service traffic. Allow the DNS pods by selector instead.`,
            });
          }
        }
      }
    }
  },
};

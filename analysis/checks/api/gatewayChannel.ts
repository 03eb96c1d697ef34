/**
 * Which Gateway API release channel's CRDs the cluster runs (docs/dev/api-rules.md GW51):
 * `kubeReach.gatewayApi.channel`, or with `auto` the workspace's Gateway API
 * CustomResourceDefinitions, which carry `gateway.networking.k8s.io/channel` (`standard` or
 * `experimental`) and `gateway.networking.k8s.io/bundle-version` annotations. The kind's own CRD
 * decides (its copies in several bundles must agree); without it, the Gateway API CRDs of the
 * workspace when they all name one channel.
 * Standard CRDs of a release after the one the experimental-only fields were read from (v1.5.1),
 * or of a development build or release candidate, may have taken some of those fields in, so
 * they leave the channel unknown.
 */

import type { WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import type { AnalysisSettings } from '../../settings.js';

export const CHANNEL_ANNOTATION = 'gateway.networking.k8s.io/channel';
export const BUNDLE_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

/** The Gateway API release whose CRDs the experimental-only field table was read from. */
const TABLE_RELEASE: readonly [number, number] = [1, 5];

export interface ChannelVerdict {
  readonly channel: 'standard' | 'experimental' | undefined;
  /** What says so, for the message (`kubeReach.gatewayApi.channel`, a CRD's annotation). */
  readonly source: string;
}

interface CrdChannel {
  readonly name: string;
  readonly channel: string;
  readonly bundle: string | undefined;
}

/**
 * A bundle version that is not a release at or before the table's (`v1.6.0`, a development build
 * `v0.0.0-dev`, a release candidate): its standard CRDs may have taken some of those fields in.
 */
function laterThanTable(bundle: string | undefined): boolean {
  if (bundle === undefined) return false;
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(bundle.trim());
  if (m === null || bundle.trim() === 'v0.0.0') return true;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > TABLE_RELEASE[0] || (major === TABLE_RELEASE[0] && minor > TABLE_RELEASE[1]);
}

/**
 * GW52: whether the workspace's Gateway API CRDs of `kind` (else all of them) are all of releases
 * before `from`, so that a rule of `from`'s CRDs does not hold. Unknown (no CRDs, a development
 * build, a release candidate): false, the latest release's rule holds.
 */
export function gatewayReleaseBefore(index: WorkspaceIndex, kind: string, from: readonly [number, number]): boolean {
  const all = crdChannels(index);
  const crd = `${kind.toLowerCase()}s.gateway.networking.k8s.io`;
  const owns = all.filter((c) => c.name === crd);
  const list = owns.length > 0 ? owns : all;
  return (
    list.length > 0 &&
    list.every((c) => {
      const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec((c.bundle ?? '').trim());
      if (m === null || c.bundle?.trim() === 'v0.0.0') return false;
      const major = Number(m[1]);
      return major < from[0] || (major === from[0] && Number(m[2]) < from[1]);
    })
  );
}

function crdChannels(index: WorkspaceIndex): readonly CrdChannel[] {
  return index.cached('gateway-api-crd-channels', () => {
    const out: CrdChannel[] = [];
    for (const p of index.gatewayApiCrds()) {
      const o = p.obj;
      const channel = o.annotations.get(CHANNEL_ANNOTATION);
      if (o.name?.known !== true || channel === undefined) continue;
      out.push({ name: o.name.value, channel, bundle: o.annotations.get(BUNDLE_ANNOTATION) });
    }
    return out;
  });
}

function describe(c: CrdChannel): string {
  return `${CHANNEL_ANNOTATION}: ${c.channel}${c.bundle === undefined ? '' : `, bundle-version ${c.bundle}`}`;
}

/** The channel the CRD of `kind` (`HTTPRoute` → `httproutes.gateway.networking.k8s.io`) is from. */
export function gatewayApiChannel(index: WorkspaceIndex, settings: AnalysisSettings, kind: string): ChannelVerdict {
  const set = settings.gatewayApi.channel;
  if (set !== 'auto') return { channel: set, source: `kubeReach.gatewayApi.channel: ${set}` };
  const all = crdChannels(index);
  if (all.length === 0) return { channel: undefined, source: '' };
  const crd = `${kind.toLowerCase()}s.gateway.networking.k8s.io`;
  // The kind's CRD (copies of it in several bundles must agree), else every Gateway API CRD.
  const owns = all.filter((c) => c.name === crd);
  const agree = (list: readonly CrdChannel[]): CrdChannel | undefined => {
    const first = list[0];
    // A later standard release may have taken a field in: standard copies must all be of the table's release or earlier.
    const same =
      first !== undefined && list.every((c) => c.channel === first.channel && (c.channel !== 'standard' || !laterThanTable(c.bundle)));
    return same ? first : undefined;
  };
  const verdict = (c: CrdChannel, what: string): ChannelVerdict => {
    if (c.channel === 'experimental') return { channel: 'experimental', source: what };
    if (c.channel !== 'standard' || laterThanTable(c.bundle)) return { channel: undefined, source: '' };
    return { channel: 'standard', source: what };
  };
  if (owns.length > 0) {
    const own = agree(owns);
    return own === undefined
      ? { channel: undefined, source: '' }
      : verdict(own, `CRD ${own.name} of the workspace has ${describe(own)}${owns.length > 1 ? ` (${owns.length} copies)` : ''}`);
  }
  const first = agree(all);
  return first === undefined
    ? { channel: undefined, source: '' }
    : verdict(first, `the workspace's Gateway API CRDs (${all.length}) have ${describe(first)}`);
}

/** The sink API findings are written to, and their shapes (docs/dev/api-rules.md §A.2). */

import type { Severity, Span } from '../../types.js';
import type { YNode } from '../../syntax/tree.js';
import { int, str } from './nodes.js';
import { goQuote, ianaSvcName, ipv4CidrStrictness, ipv4LeadingZeros, portNumber } from '../apiFormats.js';
import { EditWriter } from '../../edits/writer.js';

/** One message for a range of Kubernetes minor versions (1.from … 1.to, inclusive). */
export interface ApiVariant {
  readonly from: number;
  readonly to: number;
  readonly severity: Severity;
  readonly message: string;
}

export interface ApiEdit {
  readonly span: Span;
  readonly newText: string;
}

export interface ApiFix {
  readonly title: string;
  readonly edits: readonly ApiEdit[];
  readonly isPreferred?: boolean;
}

/** A finding computed at lowering time; kept in `FileFacts.apiFindings`. */
export interface ApiFinding {
  /** The research row id (`SV5`, `IN6`, …; `A16` for removed apiVersions). */
  readonly rule: string;
  readonly code: string;
  readonly span: Span;
  /** Start offset of the object's root map (to find its `KObject`). */
  readonly objectStart: number;
  /** The first variant whose range contains the target minor version applies; none: silent. */
  readonly variants: readonly ApiVariant[];
  readonly fixes?: readonly ApiFix[];
  /**
   * GW51, a field of the Gateway API's experimental channel only: the object's kind and the error
   * kubectl reports when the cluster runs the standard channel's CRDs (the check reads the channel:
   * `checks/api/gatewayChannel.ts`).
   */
  /**
   * A CEL rule's finding on an object whose other error only the standard channel's CRDs make (an
   * experimental enum value): the API server runs no CEL rule there, so the check drops it where
   * the cluster runs the standard channel of this kind's CRD.
   */
  readonly uncheckedOnStandard?: string;
  /**
   * A13T: a YAML 1.1 boolean (`yes`, `on`) in a boolean field, which go-yaml v3 reads as a string: the
   * API server gets a string only from a Kustomize build that read the file so (checks/api/storedFindings.ts).
   */
  readonly kyamlString?: true;
  /**
   * GW52: a rule the Gateway API's CRDs make from a release on (`kind`'s CRD, release `[major, minor]`):
   * the check drops it where the workspace's CRDs of that kind are all of an earlier release.
   */
  readonly gatewayRelease?: { readonly kind: string; readonly from: readonly [number, number] };
  readonly experimentalField?: {
    readonly kind: string;
    readonly strictError: string;
    /** A value only the experimental channel's enum has: reported only where the channel is standard (the error). */
    readonly standardOnly?: boolean;
    /**
     * A rule only this channel's CRD makes (the experimental channel's header-value pattern, the
     * standard channel's parentRefs told apart by sectionName alone): the error where the cluster
     * runs that channel, information where the channel is unknown, silent where it is the other.
     */
    readonly only?: 'standard' | 'experimental';
    /**
     * A rule both channels' CRDs make, each in its own words (parentRefs to one parent): `strictError`
     * is the standard channel's, reported unless the cluster runs the experimental channel, where
     * this is (its message, at the item it rejects).
     */
    readonly experimentalWords?: { readonly span: Span; readonly error: string };
  };
}

/** The Kubernetes minor versions that `kubeReach.kubernetesVersion` accepts. */
export const MIN_MINOR = 22;
export const MAX_MINOR = 36;

type Msg = string | ((minor: number) => string);
type Sev = Severity | ((minor: number) => Severity | undefined);

/** Go %#v (≤1.33) or JSON (≥1.34) rendering of a structured bad value (§A.2). */
export function structured(json: string, go: string): (minor: number) => string {
  return (minor) => (minor >= 34 ? json : go);
}

/**
 * StrictIPCIDRValidation (alpha, off through 1.35): values the legacy parser accepts but the strict
 * one rejects. The server warns from 1.33 (§A.14) and may reject them once the gate is on, so
 * these are warnings with the warning's text, and with the strict error's text from 1.36.
 */
export function strictIp(s: ApiSink, rule: string, node: YNode, path: string, value: string): void {
  const canonical = ipv4LeadingZeros(value);
  if (canonical === undefined) return;
  s.add(
    rule,
    'api-invalid-ip',
    node.span,
    (m) =>
      m >= 36
        ? `${path}: Invalid value: ${goQuote(value)}: must not have leading 0s`
        : `${path}: non-standard IP address ${goQuote(value)} is invalid: use ${goQuote(canonical)}`,
    (m) => (m >= 33 ? 'warning' : undefined),
  );
}

export function strictCidr(s: ApiSink, rule: string, node: YNode, path: string, value: string): void {
  const st = ipv4CidrStrictness(value);
  if (st === undefined) return;
  const msg =
    st.kind === 'leading-zeros'
      ? (m: number): string =>
          m >= 36
            ? `${path}: Invalid value: ${goQuote(value)}: must not have leading 0s in IP or prefix length`
            : `${path}: non-standard CIDR value ${goQuote(value)} is invalid: use ${goQuote(st.canonical)}`
      : (m: number): string =>
          m >= 36
            ? `${path}: Invalid value: ${goQuote(value)}: must not have bits set beyond the prefix length`
            : `${path}: CIDR value ${goQuote(value)} is ambiguous in this context (should be ${goQuote(st.network)} or ${goQuote(st.host)}?)`;
  s.add(rule, 'api-invalid-ip', node.span, msg, (m) => (m >= 33 ? 'warning' : undefined));
}

export class ApiSink {
  constructor(
    readonly out: ApiFinding[],
    readonly objectStart: number,
    /** Writes the fixes' edits in the file's language (YAML or JSON). */
    readonly writer: EditWriter,
  ) {}

  /** An edit that replaces the scalar at `span` by `value`. */
  scalarEdit(span: Span, value: string): ApiEdit {
    const e = this.writer.value(span, value);
    return { span: e.span, newText: e.newText };
  }

  /** An edit that replaces the scalar at `span` by the boolean `value` (`true`, unquoted). */
  booleanEdit(span: Span, value: boolean): ApiEdit {
    const e = this.writer.value(span, value);
    return { span: e.span, newText: e.newText };
  }

  /** An edit that writes the scalar at `span` as the string it is written as. */
  stringEdit(span: Span): ApiEdit {
    const e = this.writer.asString(span);
    return { span: e.span, newText: e.newText };
  }

  add(rule: string, code: string, span: Span, msg: Msg, sev: Sev = 'error', fixes?: readonly ApiFix[]): void {
    const variants: ApiVariant[] = [];
    for (let minor = MIN_MINOR; minor <= MAX_MINOR; minor++) {
      const severity = typeof sev === 'function' ? sev(minor) : sev;
      if (severity === undefined) continue;
      const message = typeof msg === 'function' ? msg(minor) : msg;
      const last = variants[variants.length - 1];
      if (last !== undefined && last.to === minor - 1 && last.message === message && last.severity === severity) {
        variants[variants.length - 1] = { ...last, to: minor };
      } else {
        variants.push({ from: minor, to: minor, severity, message });
      }
    }
    if (variants.length === 0) return;
    // The edges stand for everything outside the accepted range.
    const first = variants[0];
    if (first !== undefined && first.from === MIN_MINOR) variants[0] = { ...first, from: 0 };
    const lastV = variants[variants.length - 1];
    if (lastV !== undefined && lastV.to === MAX_MINOR) variants[variants.length - 1] = { ...lastV, to: 99 };
    this.out.push({
      rule,
      code,
      span,
      objectStart: this.objectStart,
      variants,
      ...(fixes !== undefined && fixes.length > 0 ? { fixes } : {}),
    });
  }

  /** Marks the last finding as one only a Kustomize build's YAML 1.2 reading makes (`ApiFinding.kyamlString`). */
  markKyamlString(): void {
    const last = this.out[this.out.length - 1];
    if (last !== undefined) this.out[this.out.length - 1] = { ...last, kyamlString: true };
  }

  /** A `Required value` the Gateway API's CRDs make from release `from` on (`ApiFinding.gatewayRelease`). */
  sinceGatewayRelease(rule: string, span: Span, path: string, kind: string, from: readonly [number, number]): void {
    this.required(rule, span, path);
    const last = this.out[this.out.length - 1];
    if (last !== undefined) this.out[this.out.length - 1] = { ...last, gatewayRelease: { kind, from } };
  }

  /** GW51: a field of the experimental channel only (information; an error where the channel is known to be standard). */
  experimentalField(rule: string, code: string, span: Span, info: string, kind: string, strictError: string): void {
    this.add(rule, code, span, info, 'information');
    const last = this.out[this.out.length - 1];
    if (last !== undefined) this.out[this.out.length - 1] = { ...last, experimentalField: { kind, strictError } };
  }

  /**
   * A value of an enum the experimental channel's CRD widens (HTTPRoute filter `type: ExternalAuth`):
   * silent unless the channel is known to be standard, where it is the standard enum's Unsupported value.
   */
  experimentalValue(rule: string, node: YNode, path: string, value: string, kind: string, standard: readonly string[]): void {
    const strict = `${path}: Unsupported value: ${goQuote(value)}: supported values: ${standard.map((s) => `"${s}"`).join(', ')}`;
    this.add(rule, 'api-unsupported-value', node.span, strict, 'information');
    const last = this.out[this.out.length - 1];
    if (last !== undefined)
      this.out[this.out.length - 1] = { ...last, experimentalField: { kind, strictError: strict, standardOnly: true } };
  }

  /**
   * A rule only the `only` channel's CRDs make (GW46, GW33, GW34 by channel): `error` as the API
   * server words it; the check makes it an error where the cluster runs that channel, information
   * where the channel is unknown, and drops it where it runs the other.
   */
  /**
   * A rule both channels' CRDs make in their own words: an error in the standard channel's (`std`),
   * in the experimental channel's (`exp`) where the cluster is known to run it.
   */
  bothChannels(rule: string, code: string, std: { span: Span; error: string }, exp: { span: Span; error: string }, kind: string): void {
    this.add(rule, code, std.span, std.error, 'error');
    const last = this.out[this.out.length - 1];
    if (last !== undefined)
      this.out[this.out.length - 1] = { ...last, experimentalField: { kind, strictError: std.error, experimentalWords: exp } };
  }

  channelRule(rule: string, code: string, span: Span, error: string, kind: string, only: 'standard' | 'experimental'): void {
    const other = only === 'standard' ? 'experimental' : 'standard';
    this.add(
      rule,
      code,
      span,
      `${error} (the Gateway API's ${only} channel's CRDs reject it, the ${other} channel's accept it; which the cluster runs is not known: kubeReach.gatewayApi.channel)`,
      'information',
    );
    const last = this.out[this.out.length - 1];
    if (last !== undefined) this.out[this.out.length - 1] = { ...last, experimentalField: { kind, strictError: error, only } };
  }

  invalid(
    rule: string,
    code: string,
    span: Span,
    path: string,
    value: Msg,
    detail: Msg,
    sev: Sev = 'error',
    fixes?: readonly ApiFix[],
  ): void {
    this.add(
      rule,
      code,
      span,
      (m) =>
        `${path}: Invalid value: ${typeof value === 'function' ? value(m) : value}: ${typeof detail === 'function' ? detail(m) : detail}`,
      sev,
      fixes,
    );
  }

  /** A port number: `api-invalid-port` unless within 1–65535. */
  port(rule: string, span: Span, path: string, n: number): void {
    for (const msg of portNumber(n)) this.invalid(rule, 'api-invalid-port', span, path, String(n), msg);
  }

  /** A port name: `api-invalid-port-name` unless an IANA service name. */
  portName(rule: string, span: Span, path: string, name: string): void {
    for (const msg of ianaSvcName(name)) this.invalid(rule, 'api-invalid-port-name', span, path, goQuote(name), msg);
  }

  /**
   * An IntOrString port (a probe's port, a Service's targetPort, a NetworkPolicy port): a number is
   * a port number, a string a port name. `unsetAs`: the values that mean "not set" (0, "").
   */
  portOrName(rule: string, node: YNode | undefined, path: string, unsetAs = false): void {
    if (node === undefined) return;
    const n = int(node);
    const name = str(node);
    if (n !== undefined && !(unsetAs && n === 0)) this.port(rule, node.span, path, n);
    if (name !== undefined && !(unsetAs && name === '')) this.portName(rule, node.span, path, name);
  }

  required(rule: string, span: Span, path: string, detail = '', fixes?: readonly ApiFix[]): void {
    this.add(rule, 'api-required-value', span, `${path}: Required value${detail === '' ? '' : `: ${detail}`}`, 'error', fixes);
  }

  forbidden(rule: string, code: string, span: Span, path: string, detail: string): void {
    this.add(rule, code, span, `${path}: Forbidden: ${detail}`);
  }

  duplicate(rule: string, span: Span, path: string, value: Msg): void {
    this.add(rule, 'api-duplicate-value', span, (m) => `${path}: Duplicate value: ${typeof value === 'function' ? value(m) : value}`);
  }

  unsupported(rule: string, node: YNode, path: string, value: string, supported: readonly string[]): void {
    const fix = supported.filter((s) => s.toLowerCase() === value.toLowerCase());
    const fixes: ApiFix[] =
      fix.length === 1 && fix[0] !== undefined
        ? [{ title: `Use "${fix[0]}"`, edits: [this.scalarEdit(node.span, fix[0])], isPreferred: true }]
        : [];
    this.add(
      rule,
      'api-unsupported-value',
      node.span,
      `${path}: Unsupported value: ${goQuote(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
      'error',
      fixes,
    );
  }
}

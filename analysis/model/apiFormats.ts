/**
 * The API server's shared format rules (docs/dev/api-rules.md §A.2, F1–F10), restated:
 * each function returns the detail texts the server would print, in its order. Some texts change
 * with the Kubernetes minor version; those functions take it.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const WILDCARD_SUBDOMAIN = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

export const F1_REGEX =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const F2_REGEX =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const F3_REGEX =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
export const F4_REGEX =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_BODY =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
export const F6_REGEX =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
export const PORT_RANGE = 'must be between 1 and 65535, inclusive';
export const IP_INVALID = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const CIDR_INVALID = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** Length in bytes of the UTF-8 encoding (Go's `len`). */
export function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

function maxLen(n: number, unit = 'characters'): string {
  return `must be no more than ${n} ${unit}`;
}

/**
 * A name holding an upper-case word of four or more characters between its `-`/`.` separators
 * (`REPLACEME-canary`, `ROLLOUT_NAME-active`, `APP_NAME`): a placeholder that test harnesses and
 * install scripts replace before applying (argo-rollouts' e2e templates are applied through
 * `RolloutTemplate(…, {"REPLACEME": "set-canary-scale"})`). No Kubernetes name holds upper case, so
 * such a name is never applied as written: the name validators take it as an unknown value, as
 * they take `${VAR}`. So is a whole name of upper-case words between single spaces (`FILLED BY THE
 * OPERATOR`: NVIDIA's GPU operator sets the namespace of its asset manifests itself). So is a
 * name holding a printf verb (`namespace: "%s"`, `%s-pvc`: a Go test's fixture `fmt.Sprintf` fills
 * in; no Kubernetes name holds `%`). Mixed-case names (`MyApp`, `Web_API`, `My App`) and short
 * words (`API-gw`) stay errors.
 */
const NAME_PLACEHOLDER =
  /(?:^|[-.])(?=[A-Z0-9_]{4,}(?:$|[-.]))[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?=$|[-.])|^[A-Z][A-Z0-9_]*(?: [A-Z][A-Z0-9_]*)+$|(?<!%)%(?:\[\d+\])?[-+# 0]?\d*[sdvq](?![a-z0-9])/;

export function namePlaceholder(v: string): boolean {
  return v.length <= 253 && NAME_PLACEHOLDER.test(v);
}

/** F1: DNS-1123 label. */
export function dns1123Label(v: string): string[] {
  const out: string[] = [];
  if (namePlaceholder(v)) return out;
  if (byteLength(v) > 63) out.push(maxLen(63));
  if (!DNS1123_LABEL.test(v)) out.push(DNS1123_SUBDOMAIN.test(v) ? 'must not contain dots' : F1_REGEX);
  return out;
}

/** F2: DNS-1123 subdomain. */
export function dns1123Subdomain(v: string): string[] {
  const out: string[] = [];
  if (namePlaceholder(v)) return out;
  if (byteLength(v) > 253) out.push(maxLen(253));
  if (!DNS1123_SUBDOMAIN.test(v)) out.push(F2_REGEX);
  return out;
}

/** F3: DNS-1035 label (Service names). */
export function dns1035Label(v: string): string[] {
  const out: string[] = [];
  if (namePlaceholder(v)) return out;
  if (byteLength(v) > 63) out.push(maxLen(63));
  if (!DNS1035_LABEL.test(v)) out.push(F3_REGEX);
  return out;
}

/** F4: wildcard DNS-1123 subdomain. */
export function wildcardSubdomain(v: string): string[] {
  const out: string[] = [];
  if (byteLength(v) > 253) out.push(maxLen(253));
  if (!WILDCARD_SUBDOMAIN.test(v)) out.push(F4_REGEX);
  return out;
}

/** F5: a label key ("qualified name"); wording by minor version (1.35 renamed it and counts bytes). */
export function qualifiedName(v: string, minor: number): string[] {
  const unit = minor >= 35 ? 'bytes' : 'characters';
  const out: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else {
      if (byteLength(prefix) > 253) out.push(`prefix part ${maxLen(253, unit)}`);
      if (!DNS1123_SUBDOMAIN.test(prefix)) out.push(`prefix part ${F2_REGEX}`);
    }
  } else {
    const lead = minor >= 35 ? 'a valid label key' : 'a qualified name';
    return [`${lead} ${QUALIFIED_BODY} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (byteLength(name) > 63) out.push(`name part ${maxLen(63, unit)}`);
  if (!QUALIFIED_NAME.test(name)) out.push(`name part ${QUALIFIED_BODY}`);
  return out;
}

/** F6: a label value. */
export function labelValue(v: string, minor: number): string[] {
  const out: string[] = [];
  if (byteLength(v) > 63) out.push(maxLen(63, minor >= 35 ? 'bytes' : 'characters'));
  if (!LABEL_VALUE.test(v)) out.push(F6_REGEX);
  return out;
}

/** F7: IANA_SVC_NAME (container port names, targetPort strings, NetworkPolicy string ports). */
export function ianaSvcName(v: string): string[] {
  const out: string[] = [];
  if (byteLength(v) > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(v)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(v)) out.push('must contain at least one letter (a-z)');
  if (v.includes('--')) out.push('must not contain consecutive hyphens');
  if (v.length > 0 && (v.startsWith('-') || v.endsWith('-'))) out.push('must not begin or end with a hyphen');
  return out;
}

/** F8: a port number. */
export function portNumber(n: number): string[] {
  return n >= 1 && n <= 65535 ? [] : [PORT_RANGE];
}

/** `may not be '.'`, `may not contain '/'` (path segment names). */
export function pathSegmentName(v: string): string[] {
  if (v === '.' || v === '..') return [`may not be '${v}'`];
  const out: string[] = [];
  for (const bad of ['/', '%']) if (v.includes(bad)) out.push(`may not contain '${bad}'`);
  return out;
}

/** IngressClass `spec.controller`: a domain-prefixed path. Returns [badValue, detail] pairs. */
export function domainPrefixedPath(v: string): Array<[string, string]> {
  const slash = v.indexOf('/');
  const host = slash === -1 ? v : v.slice(0, slash);
  const path = slash === -1 ? '' : v.slice(slash + 1);
  if (slash === -1 || host.length === 0 || path.length === 0) return [[v, 'must be a domain-prefixed path (such as "acme.io/foo")']];
  const out: Array<[string, string]> = dns1123Subdomain(host).map((m) => [host, m]);
  if (!HTTP_PATH.test(path)) out.push([path, "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"]);
  return out;
}

/** An IP address as bytes (4 or 16), parsed as leniently as Kubernetes' legacy parser. */
export interface ParsedIp {
  readonly family: 4 | 6;
  readonly bytes: readonly number[];
}

function parseV4Sloppy(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/**
 * An IPv6 address as 16 bytes: eight groups, one `::`, an embedded IPv4 address only at the end
 * (`::ffff:1.2.3.4`, never `1.2.3.4::`). The one IPv6 parser of the analysis (reachability/ip.ts
 * reads ipBlocks with it too).
 */
export function ipv6Bytes(s: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return undefined;
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return undefined;
  const groupsOf = (part: string, allowV4: boolean): number[] | undefined => {
    if (part === '') return [];
    const items = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i] ?? '';
      if (allowV4 && i === items.length - 1 && it.includes('.')) {
        const v4 = parseV4Sloppy(it);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
      out.push(parseInt(it, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl === -1) {
    const g = groupsOf(s, true);
    if (g === undefined || g.length !== 8) return undefined;
    groups = g;
  } else {
    const head = groupsOf(s.slice(0, dbl), false);
    const tail = groupsOf(s.slice(dbl + 2), true);
    if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return bytes;
}

export function parseIpSloppy(s: string): ParsedIp | undefined {
  const v4 = parseV4Sloppy(s);
  if (v4 !== undefined) return { family: 4, bytes: v4 };
  const v6 = ipv6Bytes(s);
  if (v6 === undefined) return undefined;
  // IPv4-mapped IPv6 addresses count as IPv4, as in Go's net package.
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return { family: 4, bytes: v6.slice(12) };
  return { family: 6, bytes: v6 };
}

export interface ParsedCidr {
  readonly ip: ParsedIp;
  readonly prefix: number;
}

export function parseCidrSloppy(s: string): ParsedCidr | undefined {
  const slash = s.indexOf('/');
  if (slash === -1) return undefined;
  const ipText = s.slice(0, slash);
  const prefixText = s.slice(slash + 1);
  if (!/^[0-9]+$/.test(prefixText)) return undefined;
  const v4 = parseV4Sloppy(ipText);
  const v6 = v4 === undefined ? ipv6Bytes(ipText) : undefined;
  const ip: ParsedIp | undefined = v4 !== undefined ? { family: 4, bytes: v4 } : v6 !== undefined ? { family: 6, bytes: v6 } : undefined;
  if (ip === undefined) return undefined;
  const prefix = Number(prefixText);
  if (prefix > ip.bytes.length * 8) return undefined;
  return { ip, prefix };
}

/** Whether `inner` is a strict subset of `outer` (contained, longer prefix, same family). */
export function strictSubset(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.ip.family !== inner.ip.family || inner.prefix <= outer.prefix) return false;
  for (let bit = 0; bit < outer.prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((outer.ip.bytes[byte] ?? 0) & mask) !== ((inner.ip.bytes[byte] ?? 0) & mask)) return false;
  }
  return true;
}

/** SV24: addresses that may not be external IPs; undefined when the address is acceptable. */
export function specialIpError(ip: ParsedIp): string | undefined {
  const b = ip.bytes;
  if (b.every((x) => x === 0)) return `may not be unspecified (${ip.family === 4 ? '0.0.0.0' : '::'})`;
  if (ip.family === 4) {
    if (b[0] === 127) return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
    if (b[0] === 169 && b[1] === 254) return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
    if (b[0] === 224 && b[1] === 0 && b[2] === 0) return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
    return undefined;
  }
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
  if (b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
  if (b[0] === 0xff && ((b[1] ?? 0) & 0x0f) === 0x02) return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
  return undefined;
}

/** A Go-quoted string (`%q`) as the API server prints bad values. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** An IPv4 address written with a leading 0 in some octet: its canonical form, else undefined. */
export function ipv4LeadingZeros(s: string): string | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]+$/.test(p) && Number(p) <= 255)) return undefined;
  if (!parts.some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
  return parts.map((p) => String(Number(p))).join('.');
}

/**
 * What the strict IP/CIDR validation (StrictIPCIDRValidation, §A.2 F10) would say about an IPv4
 * CIDR that the legacy parser accepts: leading zeros, or bits set beyond the prefix length.
 */
export function ipv4CidrStrictness(
  s: string,
): { canonical: string; kind: 'leading-zeros' | 'host-bits'; network: string; host: string } | undefined {
  const slash = s.indexOf('/');
  if (slash === -1) return undefined;
  const ipText = s.slice(0, slash);
  const prefixText = s.slice(slash + 1);
  const parsed = parseCidrSloppy(s);
  if (parsed === undefined || parsed.ip.family !== 4 || ipText.includes(':')) return undefined;
  const ip = ipv4LeadingZeros(ipText) ?? ipText;
  const prefix = Number(prefixText);
  if (ip !== ipText || String(prefix) !== prefixText) return { canonical: `${ip}/${prefix}`, kind: 'leading-zeros', network: '', host: '' };
  const b = parsed.ip.bytes;
  const masked = b.map((x, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return x & ((0xff << (8 - bits)) & 0xff);
  });
  if (masked.every((x, i) => x === b[i])) return undefined;
  return { canonical: s, kind: 'host-bits', network: `${masked.join('.')}/${prefix}`, host: `${ipText}/32` };
}

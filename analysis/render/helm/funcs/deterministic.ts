/**
 * Sprig's clock, random and crypto functions, made deterministic so a chart renders the same
 * text on every pass (docs/dev/helm-engine.md, "Deterministic values"):
 * - `now` is 2024-01-01T00:00:00Z; `date`, `dateInZone` (UTC only), `htmlDate`, `unixEpoch`,
 *   `ago` format it (or a given Unix time) with Go's reference layouts; `dateModify`,
 *   `mustDateModify` move it by a Go duration; `duration` prints seconds as a Go duration;
 * - `randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii`, `randInt`, `randBytes`, `uuidv4`, `shuffle` draw
 *   from a xorshift generator seeded per execution;
 * - `genCA`, `genSelfSignedCert`, `genSignedCert`, `genPrivateKey`, `htpasswd`, `bcrypt` return well-formed
 *   PEM/bcrypt-shaped placeholders (not usable keys) derived from their arguments; their `…WithKey`
 *   forms keep the given private key (after Sprig's check that it is a PEM private key block);
 * - `buildCustomCert` returns the given base64 certificate and key decoded, after Sprig's checks
 *   (base64, a PEM block, a private key block; the certificate's DER is not parsed).
 */

import { FuncError, def } from '../template/callable.js';
import type { CallContext, FuncDef } from '../template/callable.js';
import { GoStruct } from '../template/values.js';
import type { GoValue } from '../template/values.js';
import { base64Decode, base64Encode, sha256 } from './digest.js';
import { utf8Decode, utf8Encode } from '../template/utf8.js';

/** The instant `now` returns: 2024-01-01T00:00:00Z, in Unix seconds. */
export const FIXED_NOW = 1704067200n;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yday: number;
}

/** Unix seconds → UTC calendar fields (Howard Hinnant's days-from-civil, inverted). */
function civil(unix: bigint): Civil {
  const secs = Number(unix);
  const days = Math.floor(secs / 86400);
  const rem = secs - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
  const yday = (cum[month - 1] ?? 0) + day + (leap && month > 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: Math.floor(rem / 3600),
    minute: Math.floor((rem % 3600) / 60),
    second: rem % 60,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday,
  };
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** Go's time.Format for a UTC instant. */
export function formatTime(layout: string, unix: bigint): string {
  const c = civil(unix);
  const tokens: [string, () => string][] = [
    ['January', () => MONTHS[c.month - 1] ?? ''],
    ['Monday', () => DAYS[c.weekday] ?? ''],
    ['2006', () => String(c.year).padStart(4, '0')],
    ['-07:00:00', () => '+00:00:00'],
    ['Z07:00:00', () => 'Z'],
    ['-07:00', () => '+00:00'],
    ['Z07:00', () => 'Z'],
    ['-0700', () => '+0000'],
    ['Z0700', () => 'Z'],
    ['-07', () => '+00'],
    ['Z07', () => 'Z'],
    ['Jan', () => (MONTHS[c.month - 1] ?? '').slice(0, 3)],
    ['Mon', () => (DAYS[c.weekday] ?? '').slice(0, 3)],
    ['MST', () => 'UTC'],
    ['002', () => String(c.yday).padStart(3, '0')],
    ['__2', () => String(c.yday).padStart(3, ' ')],
    ['01', () => p2(c.month)],
    ['02', () => p2(c.day)],
    ['_2', () => String(c.day).padStart(2, ' ')],
    ['03', () => p2(c.hour % 12 === 0 ? 12 : c.hour % 12)],
    ['04', () => p2(c.minute)],
    ['05', () => p2(c.second)],
    ['06', () => p2(c.year % 100)],
    ['15', () => p2(c.hour)],
    ['PM', () => (c.hour >= 12 ? 'PM' : 'AM')],
    ['pm', () => (c.hour >= 12 ? 'pm' : 'am')],
    ['1', () => String(c.month)],
    ['2', () => String(c.day)],
    ['3', () => String(c.hour % 12 === 0 ? 12 : c.hour % 12)],
    ['4', () => String(c.minute)],
    ['5', () => String(c.second)],
  ];
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)/.exec(layout.slice(i));
    if (frac !== null && !/\d/.test(layout[i + frac[0].length] ?? '')) {
      out += frac[0].startsWith('.0') || frac[0].startsWith(',0') ? frac[0][0] + '0'.repeat(frac[0].length - 1) : '';
      i += frac[0].length;
      continue;
    }
    const t = tokens.find(([k]) => layout.startsWith(k, i));
    if (t === undefined) {
      out += layout[i];
      i++;
      continue;
    }
    out += t[1]();
    i += t[0].length;
  }
  return out;
}

/** A time.Time value (UTC) with the methods templates call. */
export function timeStruct(unix: bigint): GoStruct {
  const t: GoStruct = new GoStruct(
    'time.Time',
    new Map(),
    new Map<string, (...a: GoValue[]) => GoValue>([
      ['String', () => formatTime('2006-01-02 15:04:05.999999999 -0700 MST', unix)],
      ['Unix', () => unix],
      ['UnixNano', () => unix * 1_000_000_000n],
      ['UTC', () => t],
      ['Local', () => t],
      ['Year', () => BigInt(civil(unix).year)],
      ['Day', () => BigInt(civil(unix).day)],
      ['Hour', () => BigInt(civil(unix).hour)],
      ['Format', (layout) => formatTime(String(layout), unix)],
    ]),
  );
  return t;
}

/** Sprig's date argument: a time.Time, or Unix seconds as an int; anything else is "now". */
function unixOf(v: GoValue): bigint {
  if (v instanceof GoStruct && v.typeName === 'time.Time') {
    const u = v.methods.get('Unix')?.();
    return typeof u === 'bigint' ? u : FIXED_NOW;
  }
  if (typeof v === 'bigint') return v;
  return FIXED_NOW;
}

const DURATION_UNITS: ReadonlyMap<string, number> = new Map([
  ['ns', 1e-9],
  ['us', 1e-6],
  ['\u00b5s', 1e-6],
  ['\u03bcs', 1e-6],
  ['ms', 1e-3],
  ['s', 1],
  ['m', 60],
  ['h', 3600],
]);

/**
 * Go's time.ParseDuration, in seconds: `[-+]` then one or more decimal numbers each with a unit
 * (`1h30m`, `-1.5h`, `300ms`); "0" alone is zero. Throws Go's message otherwise.
 */
function parseDuration(text: string): number {
  const bad = (): never => {
    throw new FuncError(`time: invalid duration ${JSON.stringify(text)}`);
  };
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') bad();
  let total = 0;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = m?.[1] ?? '';
    const frac = m?.[2];
    if (whole === '' && (frac === undefined || frac === '')) bad();
    s = s.slice(m?.[0].length ?? 0);
    const u = /^[^\d.]+/.exec(s)?.[0];
    if (u === undefined) throw new FuncError(`time: missing unit in duration ${JSON.stringify(text)}`);
    const unit = DURATION_UNITS.get(u);
    if (unit === undefined) throw new FuncError(`time: unknown unit ${JSON.stringify(u)} in duration ${JSON.stringify(text)}`);
    total += Number(`${whole === '' ? '0' : whole}.${frac ?? ''}0`) * unit;
    s = s.slice(u.length);
  }
  return sign * total;
}

/** Go's Duration.String() of whole seconds: `0s`, `45s`, `1m35s`, `2h0m5s`, `-1m0s`. */
function formatSeconds(total: bigint): string {
  if (total === 0n) return '0s';
  const neg = total < 0n;
  const abs = neg ? -total : total;
  const h = abs / 3600n;
  const m = (abs % 3600n) / 60n;
  const sec = abs % 60n;
  const body = h > 0n ? `${h}h${m}m${sec}s` : m > 0n ? `${m}m${sec}s` : `${sec}s`;
  return neg ? `-${body}` : body;
}

/** Sprig's dateModify: the time moved by a Go duration, whole seconds kept (this model's time has no fraction). */
function modifyDate(duration: GoValue, t: GoValue): GoStruct {
  return timeStruct(unixOf(t) + BigInt(Math.floor(parseDuration(String(duration)))));
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUM = '0123456789';

function randString(ctx: CallContext, n: GoValue, set: string): string {
  const count = Number(n);
  if (count < 0) throw new FuncError('randString: negative length');
  if (count > 1_000_000) throw new FuncError('randString: length too large');
  let out = '';
  for (let i = 0; i < count; i++) out += set[ctx.random() % set.length] ?? '';
  return out;
}

function uuid(ctx: CallContext): string {
  const b: number[] = [];
  for (let i = 0; i < 16; i++) b.push(ctx.random() & 0xff);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A PEM block whose body is derived from the seed text (well-formed armour, not a real key). */
function pem(label: string, seed: string): string {
  let bytes: number[] = [];
  for (let i = 0; bytes.length < 96; i++) bytes = bytes.concat(utf8Encode(sha256(`${label}:${seed}:${i}`)).slice(0, 32));
  const body = base64Encode(bytes).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`;
}

function certificate(kind: string, seed: string): GoStruct {
  return new GoStruct(
    'sprig.certificate',
    new Map<string, GoValue>([
      ['Cert', pem('CERTIFICATE', `${kind}:${seed}`)],
      ['Key', pem('RSA PRIVATE KEY', `${kind}:${seed}`)],
    ]),
  );
}

/** The first PEM block of `text`: its type and the block's text, as Go's `pem.Decode` finds it. */
function pemBlock(text: string): { readonly type: string; readonly block: string } | undefined {
  const m = /-----BEGIN ([^-\n]*)-----\r?\n[^]*?\r?\n?-----END \1-----\r?\n?/.exec(text);
  return m === null ? undefined : { type: m[1] ?? '', block: m[0].endsWith('\n') ? m[0] : `${m[0]}\n` };
}

/** Sprig's `parsePrivateKeyPEM`: the key's PEM block, or the error Sprig reports. */
function privateKey(text: string): string {
  const b = pemBlock(text);
  if (b === undefined) throw new FuncError('no PEM data in input');
  if (b.type !== 'PRIVATE KEY' && !b.type.endsWith(' PRIVATE KEY'))
    throw new FuncError(`no private key data in PEM block of type ${b.type}`);
  return b.block;
}

/** A certificate of `kind` made with the given private key (Sprig's `…WithKey` functions). */
function withKey(kind: string, seed: string, key: GoValue | undefined): GoStruct {
  let pemKey: string;
  try {
    pemKey = privateKey(String(key ?? ''));
  } catch (e) {
    throw new FuncError(`parsing private key: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new GoStruct(
    'sprig.certificate',
    new Map<string, GoValue>([
      ['Cert', pem('CERTIFICATE', `${kind}:${seed}:${sha256(pemKey)}`)],
      ['Key', pemKey],
    ]),
  );
}

/** Sprig's `buildCustomCert`: the given base64 certificate and key, decoded and checked. */
function customCert(b64cert: string, b64key: string): GoStruct {
  const cert = base64Decode(b64cert);
  if (typeof cert === 'string') throw new FuncError('unable to decode base64 certificate');
  const key = base64Decode(b64key);
  if (typeof key === 'string') throw new FuncError('unable to decode base64 private key');
  const certText = utf8Decode(cert);
  const keyText = utf8Decode(key);
  const block = pemBlock(certText);
  if (block === undefined) throw new FuncError('unable to decode certificate');
  if (block.type !== 'CERTIFICATE') throw new FuncError(`error parsing certificate: decodedCert.Bytes: x509: malformed certificate`);
  try {
    privateKey(keyText);
  } catch (e) {
    throw new FuncError(`error parsing private key: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new GoStruct(
    'sprig.certificate',
    new Map<string, GoValue>([
      ['Cert', certText],
      ['Key', keyText],
    ]),
  );
}

const BCRYPT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A `$2a$10$…` bcrypt-shaped placeholder (53 characters of bcrypt's alphabet) derived from `seed`. */
function bcryptShaped(seed: string): string {
  const h = sha256(seed);
  let tail = '';
  for (let i = 0; i < 53; i++) tail += BCRYPT[parseInt(h.slice((i * 2) % 62, ((i * 2) % 62) + 2), 16) % 64] ?? '.';
  return `$2a$10$${tail}`;
}

export const DETERMINISTIC_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['now', def([], () => timeStruct(FIXED_NOW))],
  ['date', def(['string', 'any'], ([f, t]) => formatTime(String(f), unixOf(t ?? null)))],
  ['dateInZone', def(['string', 'any', 'string'], ([f, t]) => formatTime(String(f), unixOf(t ?? null)))],
  ['date_in_zone', def(['string', 'any', 'string'], ([f, t]) => formatTime(String(f), unixOf(t ?? null)))],
  ['htmlDate', def(['any'], ([t]) => formatTime('2006-01-02', unixOf(t ?? null)))],
  ['htmlDateInZone', def(['any', 'string'], ([t]) => formatTime('2006-01-02', unixOf(t ?? null)))],
  ['unixEpoch', def(['any'], ([t]) => unixOf(t ?? null).toString())],
  ['ago', def(['any'], () => '0s')],
  // duration n: n seconds as Go's time.Duration prints them (`95` → `1m35s`); a string is parsed as a base-10 integer
  // (0 when it is not one). Go's `int` (a bare template number) gives 0s there; this model does not tell int from int64.
  [
    'duration',
    def(['any'], ([n]) => formatSeconds(typeof n === 'bigint' ? n : typeof n === 'string' && /^[+-]?\d+$/.test(n) ? BigInt(n) : 0n)),
  ],
  // dateModify returns the date unchanged when the duration does not parse; mustDateModify fails.
  [
    'dateModify',
    def(['string', 'any'], ([d, t]) => {
      try {
        return modifyDate(d ?? '', t ?? null);
      } catch {
        return t ?? null;
      }
    }),
  ],
  ['mustDateModify', def(['string', 'any'], ([d, t]) => modifyDate(d ?? '', t ?? null))],
  // randBytes n: n random bytes, base64-encoded (Sprig's cryptographic random, here the per-execution generator).
  [
    'randBytes',
    def(['int'], ([n], ctx) => {
      const count = Number(n ?? 0n);
      if (count < 0) throw new FuncError('randBytes: negative length');
      if (count > 1_000_000) throw new FuncError('randBytes: length too large');
      const bytes: number[] = [];
      for (let i = 0; i < count; i++) bytes.push(ctx.random() & 0xff);
      return base64Encode(bytes);
    }),
  ],
  ['randAlphaNum', def(['int'], ([n], ctx) => randString(ctx, n ?? 0n, ALPHA + NUM))],
  ['randAlpha', def(['int'], ([n], ctx) => randString(ctx, n ?? 0n, ALPHA))],
  ['randNumeric', def(['int'], ([n], ctx) => randString(ctx, n ?? 0n, NUM))],
  [
    'randAscii',
    def(['int'], ([n], ctx) => randString(ctx, n ?? 0n, Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(''))),
  ],
  [
    'randInt',
    def(['int', 'int'], ([a, b], ctx) => {
      const lo = a as bigint;
      const hi = b as bigint;
      if (hi <= lo) throw new FuncError('invalid argument to Intn');
      return lo + (BigInt(ctx.random()) % (hi - lo));
    }),
  ],
  ['uuidv4', def([], (_a, ctx) => uuid(ctx))],
  [
    'shuffle',
    def(['string'], ([s], ctx) => {
      const chars = [...String(s)];
      for (let i = chars.length - 1; i > 0; i--) {
        const j = ctx.random() % (i + 1);
        [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
      }
      return chars.join('');
    }),
  ],
  ['genCA', def(['string', 'int'], ([cn, days]) => certificate('ca', `${String(cn)}:${String(days)}`))],
  [
    'genSelfSignedCert',
    def(['string', 'list', 'list', 'int'], ([cn, ips, dns, days]) =>
      certificate('self', `${String(cn)}:${String(ips)}:${String(dns)}:${String(days)}`),
    ),
  ],
  [
    'genSignedCert',
    def(['string', 'list', 'list', 'int', 'any'], ([cn, ips, dns, days, ca]) => {
      if (!(ca instanceof GoStruct)) throw new FuncError('wrong type for value; expected sprig.certificate');
      return certificate('signed', `${String(cn)}:${String(ips)}:${String(dns)}:${String(days)}:${String(ca.fields.get('Cert'))}`);
    }),
  ],
  ['genCAWithKey', def(['string', 'int', 'string'], ([cn, days, key]) => withKey('ca', `${String(cn)}:${String(days)}`, key))],
  [
    'genSelfSignedCertWithKey',
    def(['string', 'list', 'list', 'int', 'string'], ([cn, ips, dns, days, key]) =>
      withKey('self', `${String(cn)}:${String(ips)}:${String(dns)}:${String(days)}`, key),
    ),
  ],
  [
    'genSignedCertWithKey',
    def(['string', 'list', 'list', 'int', 'any', 'string'], ([cn, ips, dns, days, ca, key]) => {
      if (!(ca instanceof GoStruct)) throw new FuncError('wrong type for value; expected sprig.certificate');
      return withKey('signed', `${String(cn)}:${String(ips)}:${String(dns)}:${String(days)}:${String(ca.fields.get('Cert'))}`, key);
    }),
  ],
  ['buildCustomCert', def(['string', 'string'], ([c, k]) => customCert(String(c ?? ''), String(k ?? '')))],
  [
    'genPrivateKey',
    def(['string'], ([typ]) => {
      const label = { rsa: 'RSA PRIVATE KEY', dsa: 'DSA PRIVATE KEY', ecdsa: 'EC PRIVATE KEY', ed25519: 'PRIVATE KEY' }[String(typ)];
      return label === undefined ? `Unknown type ${String(typ)}` : pem(label, String(typ));
    }),
  ],
  [
    'htpasswd',
    def(['string', 'string'], ([user, pass]) => {
      if (String(user).includes(':')) return `invalid username: ${String(user)}`;
      return `${String(user)}:${bcryptShaped(`${String(user)}:${String(pass)}`)}`;
    }),
  ],
  [
    // Sprig's `bcrypt`: Go's bcrypt at the default cost 10 (a random salt, so any hash is Helm's
    // output); Go refuses a password over 72 bytes and Sprig prints its error.
    'bcrypt',
    def(['string'], ([input]) =>
      utf8Encode(String(input)).length > 72
        ? 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes'
        : bcryptShaped(String(input)),
    ),
  ],
]);

/**
 * The address and CIDR grammar of ipBlocks (reachability/ip.ts), whose IPv6 half is the API
 * checks' parser (`ipv6Bytes`): one table of texts and what they must parse to.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ipBlockSet, parseAddress, parseCidr } from '../../analysis/reachability/ip.js';
import { knownIpBlock } from '../../analysis/reachability/policyTier.js';
import type { IpBlock, Value } from '../../analysis/model/types.js';

const V6 = (hex: string): bigint => BigInt(`0x${hex}`);

/** Text → [family, first, last], or undefined when it must be rejected. */
const CIDRS: ReadonlyArray<readonly [string, readonly [4 | 6, bigint, bigint] | undefined]> = [
  ['10.0.0.0/8', [4, 0x0a000000n, 0x0affffffn]],
  ['10.1.2.3/32', [4, 0x0a010203n, 0x0a010203n]],
  ['0.0.0.0/0', [4, 0n, 0xffffffffn]],
  ['10.1.2.3/24', [4, 0x0a010200n, 0x0a0102ffn]],
  ['fd00::/8', [6, V6('fd' + '0'.repeat(30)), V6('fd' + 'f'.repeat(30))]],
  ['::/0', [6, 0n, (1n << 128n) - 1n]],
  ['::ffff:1.2.3.4/128', [6, V6('ffff01020304'), V6('ffff01020304')]],
  ['2001:db8:0:0:0:0:0:1/128', [6, V6('20010db8000000000000000000000001'), V6('20010db8000000000000000000000001')]],
  ['10.0.0.0/33', undefined],
  ['10.0.0/8', undefined],
  ['256.0.0.0/8', undefined],
  ['10.0.0.0', undefined],
  ['10.0.0.0/', undefined],
  ['fd00::/129', undefined],
  ['1::2::3/64', undefined],
  // An embedded IPv4 address only ends an IPv6 address.
  ['1.2.3.4::/96', undefined],
  ['1.2.3.4:1::/96', undefined],
  ['1:2:3:4:5:6:7:8:9/64', undefined],
  ['fd00::g/64', undefined],
];

it('parses ipBlock CIDRs as the API accepts them', () => {
  for (const [text, want] of CIDRS) {
    const got = parseCidr(text);
    assert.deepEqual(got === undefined ? undefined : [got.family, got.lo, got.hi], want, text);
  }
});

it('parses single addresses of both families', () => {
  assert.deepEqual(parseAddress('192.168.0.1'), { family: 4, value: 0xc0a80001n });
  assert.deepEqual(parseAddress('::1'), { family: 6, value: 1n });
  assert.equal(parseAddress('1.2.3.4::'), undefined);
  assert.equal(parseAddress('example.com'), undefined);
});

it('an ipBlock is compiled once: the same addresses and text for every engine that gathers it, none while a value is templated', () => {
  const span = { start: 0, end: 0 };
  const known = (value: string): Value<string> => ({ known: true, value, span });
  const block: IpBlock = { cidr: known('10.0.0.0/8'), except: [known('10.1.0.0/16')], span };
  const first = knownIpBlock(block);
  assert.equal(first?.text, '10.0.0.0/8 except 10.1.0.0/16');
  assert.deepEqual(first?.ip, ipBlockSet('10.0.0.0/8', ['10.1.0.0/16']));
  assert.equal(knownIpBlock(block), first, 'compiled once per block');
  assert.equal(knownIpBlock({ cidr: known('10.0.0.0/33'), except: [], span })?.ip, undefined);
  assert.equal(knownIpBlock({ cidr: known('10.0.0.0/8'), except: [{ known: false, span }], span }), undefined);
});

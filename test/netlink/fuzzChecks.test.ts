import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captured } from '../../fuzz/decoderTargets.js';
import { garbage } from '../../fuzz/garbage.js';
import { mutate, seededRandom } from '../../fuzz/mutate.js';
import { FUZZ_SEQ, targets } from '../../fuzz/targets.js';
import { DecodeError, NetlinkError } from '../../src/errors/NetlinkError.js';
import {
  FRA_DPORT_RANGE,
  FRA_SPORT_RANGE,
  FRA_UID_RANGE,
} from '../../src/families/rtnetlink/configureConstants.js';
import { decodeRoute } from '../../src/families/rtnetlink/route.js';
import { decodeRule } from '../../src/families/rtnetlink/rule.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { message, withAttribute } from '../families/rtnetlink/fixtures.js';

// The fuzz checker (what garbage is), the decoder failures the fuzzer found, and a property
// test over every decoder target: any seed, any mutation, a value without garbage or a
// NetlinkError, never anything else.

describe('garbage: what a decoder must never return', () => {
  it.each([
    { value: { dst: 'undefined.undefined.undefined.undefined/16' }, found: 'dst: text' },
    { value: { lladdr: '02:undefined:00' }, found: 'lladdr: text' },
    { value: { mtu: Number.NaN }, found: 'mtu: NaN' },
    { value: { metric: 1.5 }, found: 'not an integer' },
    { value: { gc_timer: Number.POSITIVE_INFINITY }, found: 'Infinity' },
    { value: { family: 256 }, found: 'family: 256 outside [0, 255]' },
    { value: { ifindex: 2 ** 32 }, found: 'outside' },
    { value: { route: { gateway: '10.0.0' } }, found: 'route.gateway: not an address' },
    { value: { dst: '10.0.0.0/129' }, found: 'not an address' },
    { value: { dst: '0a:0b/17' }, found: 'not an address' },
    { value: { dst: '1:2:3:4:5:6:7:12345' }, found: 'not an address' },
    { value: [{ name: '[object Object]' }], found: 'name: text' },
    { value: { n: 2n ** 64n }, found: 'outside 64 bits' },
  ])('finds $found in $value', ({ value, found }) => {
    expect(garbage(value)).toContain(found);
  });

  it.each([
    { value: { dst: 'default', src: 'all', gateway: '10.0.0.1', prefsrc: '2001:db8::1' } },
    { value: { dst: '0/24', lladdr: '02:00:00:00:00:01', address: '' } },
    { value: { dst: '0a:0b:0c:0d:0e:0f:10:11:12:13:14:15:16:17:18:19:1a:1b/140' } },
    { value: { dst: '::ffff:10.0.0.1/128', ifindex: 0xffffffff, family: 10 } },
    { value: { bytes: new Uint8Array([0x4e, 0x61, 0x4e]), big: 2n ** 63n } },
    { value: { linkinfo: { info_data: { gc_timer: 299.91, hello_timer: 0.5 } } } },
  ])('accepts $value', ({ value }) => {
    expect(garbage(value)).toBeNull();
  });

  it('checks no ranges or addresses by name when told (YNL names are the specs)', () => {
    expect(garbage({ weight: 0, dst: 'x' }, '', 0, false)).toBeNull();
    expect(garbage({ weight: Number.NaN }, '', 0, false)).toContain('NaN');
  });
});

describe('decoder failures found by fuzzing', () => {
  const rule = captured('rule')[0];

  it.each([
    { name: 'FRA_UID_RANGE', type: FRA_UID_RANGE, bytes: 4, struct: 'fib_rule_uid_range' },
    { name: 'FRA_SPORT_RANGE', type: FRA_SPORT_RANGE, bytes: 2, struct: 'fib_rule_port_range' },
    { name: 'FRA_DPORT_RANGE', type: FRA_DPORT_RANGE, bytes: 3, struct: 'fib_rule_port_range' },
  ])(
    'a $name shorter than its struct is a DecodeError at the attribute',
    ({ type, bytes, struct }) => {
      const damaged = withAttribute(rule, type, new Uint8Array(bytes));
      const error = (() => {
        try {
          return decodeRule(message(damaged));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).message).toContain(struct);
      expect((error as DecodeError).at).toBe(rule.byteLength);
    },
  );

  it('a prefix longer than its address in another family is a DecodeError', () => {
    const route = captured('route').find((r) => r[17] === 16 && r[16] === 2) as Uint8Array;
    const other = Uint8Array.from(route);
    other[16] = 0x12; // rtm_family: not AF_INET/AF_INET6; RTA_DST keeps its 4 bytes
    other[17] = 33; // rtm_dst_len
    expect(() => decodeRoute(message(other))).toThrow(DecodeError);
    expect(() => decodeRoute(message(other))).toThrow(/33 is longer than the 32-bit address/);
    other[17] = 32;
    expect(decodeRoute(message(other)).dst).toBe('10.32.0.0/32');
  });
});

describe('every decoder and source target (property, fast-check)', () => {
  it.each(targets.map((target) => ({ name: target.name, target })))(
    '$name: any seed, any mutation: a clean value or a NetlinkError',
    async ({ target }) => {
      const seeds = target.seeds();
      await fc.assert(
        fc.asyncProperty(fc.nat(seeds.length - 1), fc.integer(), async (index, seed) => {
          const input = mutate(seeds[index], seededRandom(seed), FUZZ_SEQ);
          try {
            let value = target.run(input);
            if (value instanceof Promise) value = await value;
            expect((target.check ?? garbage)(value)).toBeNull();
          } catch (error) {
            if (!(error instanceof NetlinkError)) throw error;
          }
        }),
        { numRuns: 60 },
      );
    },
  );

  it('the seeds decode as they are (real captures of this kernel)', () => {
    for (const bytes of captured('link', 'address', 'route', 'neighbour', 'rule', 'nexthop')) {
      expect(NetlinkMessage.from(bytes).length).toBe(bytes.byteLength);
    }
  });
});

// A link's kind-specific data and statistics, from messages written here: what the kernel
// test (kernelBytes.test.ts, against ip) cannot make this kernel send — a shorter
// rtnl_link_stats64, counters ip prints only when set, a kind nlring has no table for, a
// damaged attribute.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import {
  IFLA_CARRIER_CHANGES,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_INFO_SLAVE_DATA,
  IFLA_INFO_SLAVE_KIND,
  IFLA_LINKINFO,
  IFLA_STATS64,
  RTM_NEWLINK,
} from '../../../src/families/rtnetlink/constants.js';
import { decodeLink } from '../../../src/families/rtnetlink/link.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';

/** An RTM_NEWLINK for ifindex 5 "x0" with the attributes `write` adds. */
function link(write: (w: MessageWriter) => void): NetlinkMessage {
  const w = new MessageWriter().begin(RTM_NEWLINK, 0);
  w.u8(0).u8(0).u16(1).u32(5).u32(0).u32(0);
  w.attrString(IFLA_IFNAME, 'x0');
  write(w);
  return NetlinkMessage.from(w.end().finish());
}

/** struct rtnl_link_stats64 with member i = i + 1, cut to `members` u64s. */
function stats(members: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(members * 8));
  for (let i = 0; i < members; i++) view.setBigUint64(i * 8, BigInt(i + 1), true);
  return new Uint8Array(view.buffer);
}

/** IFLA_LINKINFO with a kind and, if given, its data written by `data`. */
function linkinfo(
  kind: string,
  data?: (w: MessageWriter) => void,
  slave?: { kind: string; data: (w: MessageWriter) => void },
) {
  return (w: MessageWriter) => {
    const info = w.nest(IFLA_LINKINFO);
    w.attrString(IFLA_INFO_KIND, kind);
    if (data !== undefined) {
      const at = w.nest(IFLA_INFO_DATA);
      data(w);
      w.endNest(at);
    }
    if (slave !== undefined) {
      w.attrString(IFLA_INFO_SLAVE_KIND, slave.kind);
      const at = w.nest(IFLA_INFO_SLAVE_DATA);
      slave.data(w);
      w.endNest(at);
    }
    w.endNest(info);
  };
}

describe('stats64', () => {
  it.each([
    {
      name: 'the whole struct: every counter ip -s -s prints, compressed and nohandler as set',
      message: link((w) => {
        w.attr(IFLA_STATS64, stats(25));
        w.attrU32(IFLA_CARRIER_CHANGES, 3);
      }),
      stats64: {
        rx: {
          bytes: 3,
          packets: 1,
          errors: 5,
          dropped: 7,
          over_errors: 12,
          multicast: 9,
          compressed: 22,
          length_errors: 11,
          crc_errors: 13,
          frame_errors: 14,
          fifo_errors: 15,
          missed_errors: 16,
          nohandler: 24,
        },
        tx: {
          bytes: 4,
          packets: 2,
          errors: 6,
          dropped: 8,
          carrier_errors: 18,
          collisions: 10,
          compressed: 23,
          aborted_errors: 17,
          fifo_errors: 19,
          window_errors: 21,
          heartbeat_errors: 20,
          carrier_changes: 3,
        },
      },
    },
    {
      name: "an older kernel's shorter struct: the members it has",
      message: link((w) => w.attr(IFLA_STATS64, stats(10))),
      stats64: {
        rx: { bytes: 3, packets: 1, errors: 5, dropped: 7, multicast: 9 },
        tx: { bytes: 4, packets: 2, errors: 6, dropped: 8, collisions: 10 },
      },
    },
    {
      name: 'zero compressed and nohandler counters: left out, as ip does',
      message: link((w) => w.attr(IFLA_STATS64, new Uint8Array(25 * 8))),
      stats64: {
        rx: {
          bytes: 0,
          packets: 0,
          errors: 0,
          dropped: 0,
          over_errors: 0,
          multicast: 0,
          length_errors: 0,
          crc_errors: 0,
          frame_errors: 0,
          fifo_errors: 0,
          missed_errors: 0,
        },
        tx: {
          bytes: 0,
          packets: 0,
          errors: 0,
          dropped: 0,
          carrier_errors: 0,
          collisions: 0,
          aborted_errors: 0,
          fifo_errors: 0,
          window_errors: 0,
          heartbeat_errors: 0,
        },
      },
    },
  ])('$name', ({ message, stats64 }) => {
    const decoded = decodeLink(message);
    expect(decoded.stats64).toEqual(stats64);
    // In ip's order within each side.
    expect(Object.keys(decoded.stats64?.rx ?? {})).toEqual(Object.keys(stats64.rx));
  });

  it('is absent when the kernel skipped statistics', () => {
    expect(decodeLink(link(() => {}))).not.toHaveProperty('stats64');
  });
});

describe('linkinfo data', () => {
  it.each([
    {
      name: 'vxlan, written in the kernel order, comes out in ip order',
      message: link(
        linkinfo('vxlan', (w) => {
          w.attrBe16(15, 4789); // IFLA_VXLAN_PORT
          w.attr(2, Uint8Array.of(10, 1, 0, 2)); // IFLA_VXLAN_GROUP, unicast: remote
          w.attrU32(1, 42); // IFLA_VXLAN_ID
          w.attrU8(28, 1); // IFLA_VXLAN_TTL_INHERIT
          w.attrU8(6, 0); // IFLA_VXLAN_TOS 0: not printed
        }),
      ),
      linkinfo: {
        info_kind: 'vxlan',
        info_data: { id: 42, remote: '10.1.0.2', port: 4789, ttl: 'inherit' },
      },
      order: ['id', 'remote', 'port', 'ttl'],
    },
    {
      name: 'a bridge: ids without leading zeros in the address, timers in seconds',
      message: link(
        linkinfo('bridge', (w) => {
          w.attr(11, Uint8Array.of(0x80, 0x00, 0x02, 0x0a, 0x00, 0xff, 0x01, 0x10)); // BRIDGE_ID
          w.attrU64(19, 29998n); // IFLA_BR_GC_TIMER, centiseconds
          w.attrU16(9, 0); // IFLA_BR_GROUP_FWD_MASK: %#x of 0 is "0"
          w.attr(8, Uint8Array.of(0x88, 0xa8)); // IFLA_BR_VLAN_PROTOCOL, network order
        }),
      ),
      linkinfo: {
        info_kind: 'bridge',
        info_data: {
          vlan_protocol: '802.1ad',
          bridge_id: '8000.2:a:0:ff:1:10',
          gc_timer: 299.98,
          group_fwd_mask: '0',
        },
      },
      order: ['vlan_protocol', 'bridge_id', 'gc_timer', 'group_fwd_mask'],
    },
    {
      name: 'a bridge port of a veth: info_slave_data, the port state by name',
      message: link(
        linkinfo('veth', undefined, {
          kind: 'bridge',
          data: (w) => {
            w.attrU8(1, 3); // IFLA_BRPORT_STATE: BR_STATE_FORWARDING
            w.attrU16(17, 0x8001); // IFLA_BRPORT_ID
            w.attrU16(31, 8); // IFLA_BRPORT_GROUP_FWD_MASK
          },
        }),
      ),
      linkinfo: {
        info_kind: 'veth',
        info_slave_kind: 'bridge',
        info_slave_data: {
          state: 'forwarding',
          id: '0x8001',
          group_fwd_mask: '0x8',
          group_fwd_mask_str: '0x8',
        },
      },
      order: ['state', 'id', 'group_fwd_mask', 'group_fwd_mask_str'],
    },
    {
      name: 'a kind without a table: the kind alone (the data stays in attrs)',
      message: link(linkinfo('geneve', (w) => w.attrU32(1, 7))),
      linkinfo: { info_kind: 'geneve' },
      order: undefined,
    },
    {
      name: 'an attribute a table does not name: skipped',
      message: link(linkinfo('macvlan', (w) => w.attrU32(60, 1).attrU32(1, 4))),
      linkinfo: { info_kind: 'macvlan', info_data: { mode: 'bridge' } },
      order: ['mode'],
    },
  ])('$name', ({ message, linkinfo: expected, order }) => {
    const decoded = decodeLink(message);
    expect(decoded.linkinfo).toEqual(expected);
    const data = decoded.linkinfo?.info_data ?? decoded.linkinfo?.info_slave_data;
    if (order !== undefined) expect(Object.keys(data ?? {})).toEqual(order);
    expect(decoded.attrs.size).toBeGreaterThan(0); // IFLA_LINKINFO is kept whole
  });

  it('a payload too short for its type throws a DecodeError at that attribute', () => {
    const message = link(linkinfo('vxlan', (w) => w.attr(1, Uint8Array.of(42)))); // u32 of 1 byte
    expect(() => decodeLink(message)).toThrow(DecodeError);
    expect(() => decodeLink(message)).toThrow(/too short for u32/);
  });
});

// A scalar with `type-value` (ethtool's stats-grp `stat`, `u64` with `type-value: [id]`): the
// kernel's stat_put (net/ethtool/stats.c) writes one ETHTOOL_A_STATS_GRP_STAT nest per
// counter, holding one u64 attribute whose type is the counter's id. Decoded, with the codec,
// the generated decoder and the lazy view alike, as one record from id to value.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import { decodeStatsGrp, ethtool, StatsGrpView } from '../../../src/families/ynl/ethtool.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';

/** One attribute: nla_len, nla_type, the payload, padded to 4. */
function attr(type: number, payload: number[]): number[] {
  const len = 4 + payload.length;
  const out = [len & 0xff, len >> 8, type & 0xff, type >> 8, ...payload];
  while (out.length % 4 !== 0) out.push(0);
  return out;
}

const u32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const u64 = (n: bigint): number[] =>
  Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

// uapi ethtool_netlink.h: ETHTOOL_A_STATS_GRP_ID 2, _SS_ID 3, _STAT 4;
// ETHTOOL_STATS_ETH_MAC 1, ETH_SS_STATS_ETH_MAC 18, and the eth-mac counters
// ETHTOOL_A_STATS_ETH_MAC_2_TX_PKT 0, _3_SINGLE_COL 1, _7_OCTETS_TX_OK ... by number.
// nla_nest_start sets NLA_F_NESTED (0x8000) on each STAT nest.
const STAT = 4 | 0x8000;
const group = new Uint8Array([
  ...attr(2, u32(1)),
  ...attr(3, u32(18)),
  ...attr(STAT, attr(0, u64(1234n))),
  ...attr(STAT, attr(1, u64(0n))),
  ...attr(STAT, attr(5, u64(2n ** 63n + 7n))),
]);
const view = new DataView(group.buffer);
const expected = { id: 1, 'ss-id': 18, stat: { '0': 1234n, '1': 0n, '5': 2n ** 63n + 7n } };

describe('a type-value scalar (ethtool stats-grp stat)', () => {
  it('decodes every STAT nest into one record from counter id to value', () => {
    expect(ethtool.decode('stats-grp', view, 0, group.length)).toEqual(expected);
    expect(decodeStatsGrp(view, 0, group.length)).toEqual(expected);
    const lazy = new StatsGrpView(view, 0, group.length);
    expect(lazy.stat).toEqual(expected.stat);
    expect(lazy.toJSON()).toEqual(expected);
  });

  it('builds the kernel’s layout: one nest per counter', () => {
    const w = new MessageWriter();
    ethtool.build('stats-grp', w, expected);
    expect(w.finish()).toEqual(group);
  });

  it('throws a DecodeError for a counter shorter than a u64, with every decoder', () => {
    const bad = new Uint8Array([...attr(STAT, attr(3, u32(9)))]);
    const v = new DataView(bad.buffer);
    expect(() => ethtool.decode('stats-grp', v, 0, bad.length)).toThrow(DecodeError);
    expect(() => decodeStatsGrp(v, 0, bad.length)).toThrow(DecodeError);
    expect(() => new StatsGrpView(v, 0, bad.length).stat).toThrow(DecodeError);
  });
});

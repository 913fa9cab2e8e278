import { describe, expect, it } from 'vitest';
import { type NflogConfig, writeNflogConfig } from '../../../src/families/netfilter/config.js';
import {
  AF_INET,
  NFNL_SUBSYS_ULOG,
  NFULA_CFG_CMD,
  NFULA_CFG_FLAGS,
  NFULA_CFG_MODE,
  NFULA_CFG_NLBUFSIZ,
  NFULA_CFG_QTHRESH,
  NFULA_CFG_TIMEOUT,
  NFULNL_CFG_CMD_BIND,
  NFULNL_CFG_CMD_PF_BIND,
  NFULNL_CFG_CMD_UNBIND,
  NFULNL_CFG_F_CONNTRACK,
  NFULNL_CFG_F_SEQ,
  NFULNL_CFG_F_SEQ_GLOBAL,
  NFULNL_COPY_META,
  NFULNL_COPY_PACKET,
  NFULNL_MSG_CONFIG,
} from '../../../src/families/netfilter/constants.js';
import { nfnlMsgType } from '../../../src/families/netfilter/nfnetlink.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { be, parseRequests } from './bytes.js';

const build = (config: NflogConfig) => writeNflogConfig(new MessageWriter(), config).finish();

// biome-ignore format: byte literals four per line
const pfBind = new Uint8Array([
  0x1c, 0x00, 0x00, 0x00, // nlmsg_len 28
  0x01, 0x04, 0x05, 0x00, // NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_CONFIG; NLM_F_REQUEST | NLM_F_ACK
  0x01, 0x00, 0x00, 0x00, // seq 1
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET, NFNETLINK_V0, res_id 0
  0x05, 0x00, 0x01, 0x00, // NFULA_CFG_CMD, nla_len 5
  0x03, 0x00, 0x00, 0x00, // NFULNL_CFG_CMD_PF_BIND, padding
]);

// biome-ignore format: byte literals four per line
const bindAndConfigure = new Uint8Array([
  0x48, 0x00, 0x00, 0x00, // nlmsg_len 72
  0x01, 0x04, 0x05, 0x00, // config; NLM_F_REQUEST | NLM_F_ACK
  0x02, 0x00, 0x00, 0x00, // seq 2
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x07, // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id 7 (big-endian)
  0x05, 0x00, 0x01, 0x00, // NFULA_CFG_CMD, nla_len 5
  0x01, 0x00, 0x00, 0x00, // NFULNL_CFG_CMD_BIND, padding
  0x0a, 0x00, 0x02, 0x00, // NFULA_CFG_MODE, nla_len 10
  0x00, 0x00, 0xff, 0xff, // copy_range 0xffff (be32)
  0x02, 0x00, 0x00, 0x00, // copy_mode NFULNL_COPY_PACKET, _pad, padding
  0x08, 0x00, 0x04, 0x00, // NFULA_CFG_TIMEOUT, nla_len 8
  0x00, 0x00, 0x00, 0x14, // 20 (1/100 s, be32)
  0x08, 0x00, 0x03, 0x00, // NFULA_CFG_NLBUFSIZ, nla_len 8
  0x00, 0x01, 0x00, 0x00, // 65536 (be32)
  0x08, 0x00, 0x05, 0x00, // NFULA_CFG_QTHRESH, nla_len 8
  0x00, 0x00, 0x00, 0x03, // 3 (be32)
  0x06, 0x00, 0x06, 0x00, // NFULA_CFG_FLAGS, nla_len 6
  0x00, 0x03, 0x00, 0x00, // NFULNL_CFG_F_SEQ | NFULNL_CFG_F_SEQ_GLOBAL (be16), padding
]);

// biome-ignore format: byte literals four per line
const unbindNoAck = new Uint8Array([
  0x1c, 0x00, 0x00, 0x00, // nlmsg_len 28
  0x01, 0x04, 0x01, 0x00, // config; NLM_F_REQUEST
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x01, 0x02, // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id 258
  0x05, 0x00, 0x01, 0x00, // NFULA_CFG_CMD, nla_len 5
  0x02, 0x00, 0x00, 0x00, // NFULNL_CFG_CMD_UNBIND, padding
]);

describe('writeNflogConfig', () => {
  it.each([
    {
      name: 'PF_BIND for AF_INET',
      config: { group: 0, family: AF_INET, command: NFULNL_CFG_CMD_PF_BIND, seq: 1 },
      expected: pfBind,
    },
    {
      name: 'bind group 7 and configure it in one message',
      config: {
        group: 7,
        command: NFULNL_CFG_CMD_BIND,
        copyMode: NFULNL_COPY_PACKET,
        copyRange: 0xffff,
        timeout: 20,
        bufsize: 65536,
        qthresh: 3,
        flags: NFULNL_CFG_F_SEQ | NFULNL_CFG_F_SEQ_GLOBAL,
        seq: 2,
      },
      expected: bindAndConfigure,
    },
    {
      name: 'unbind group 258 without an ack',
      config: { group: 258, command: NFULNL_CFG_CMD_UNBIND, ack: false },
      expected: unbindNoAck,
    },
  ])('$name', ({ config, expected }) => {
    expect(build(config)).toEqual(expected);
  });

  it.each([
    { name: 'group past u16', config: { group: 65536 }, error: RangeError },
    { name: 'negative group', config: { group: -1 }, error: RangeError },
    { name: 'fractional timeout', config: { group: 1, timeout: 1.5 }, error: RangeError },
    { name: 'flags past be16', config: { group: 1, flags: 0x10000 }, error: RangeError },
    {
      name: 'copy range past be32',
      config: { group: 1, copyMode: 2, copyRange: 2 ** 32 },
      error: RangeError,
    },
    { name: 'copy range without a mode', config: { group: 1, copyRange: 100 }, error: TypeError },
  ])('throws at once: $name', ({ config, error }) => {
    expect(() => build(config)).toThrow(error);
  });

  it.each([
    { name: 'meta copy, default range', config: { group: 9, copyMode: NFULNL_COPY_META } },
    {
      name: 'conntrack flag and a long timeout',
      config: { group: 65535, flags: NFULNL_CFG_F_CONNTRACK, timeout: 0xffffffff, seq: 0xffffffff },
    },
    { name: 'nothing but the group', config: { group: 1 } },
  ])('round trip: what the kernel parses is what was asked ($name)', ({ config }) => {
    const [m] = parseRequests(build(config as NflogConfig));
    const c = config as NflogConfig;
    expect(m.type).toBe(nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_CONFIG));
    expect([m.resId, m.seq, m.version]).toEqual([c.group, c.seq ?? 0, 0]);
    expect(m.attrs.has(NFULA_CFG_CMD)).toBe(c.command !== undefined);
    const mode = m.attrs.get(NFULA_CFG_MODE);
    if (c.copyMode === undefined) expect(mode).toBeUndefined();
    else
      expect([be(mode, 0, 4), mode?.[4], mode?.length]).toEqual([
        c.copyRange ?? 0xffff,
        c.copyMode,
        6,
      ]);
    expect(be(m.attrs.get(NFULA_CFG_TIMEOUT))).toBe(c.timeout ?? -1);
    expect(be(m.attrs.get(NFULA_CFG_QTHRESH))).toBe(c.qthresh ?? -1);
    expect(be(m.attrs.get(NFULA_CFG_NLBUFSIZ))).toBe(c.bufsize ?? -1);
    expect(be(m.attrs.get(NFULA_CFG_FLAGS))).toBe(c.flags ?? -1);
  });

  it('appends to a writer, so several configs go out in one datagram', () => {
    const w = new MessageWriter();
    writeNflogConfig(w, { group: 0, family: AF_INET, command: NFULNL_CFG_CMD_PF_BIND, seq: 1 });
    writeNflogConfig(w, { group: 7, command: NFULNL_CFG_CMD_BIND, seq: 2 });
    expect(parseRequests(w.finish()).map((m) => [m.seq, m.resId, m.family])).toEqual([
      [1, 0, AF_INET],
      [2, 7, 0],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { type NfqueueConfig, writeNfqueueConfig } from '../../../src/families/netfilter/config.js';
import {
  AF_INET6,
  NFNL_SUBSYS_QUEUE,
  NFQA_CFG_CMD,
  NFQA_CFG_F_FAIL_OPEN,
  NFQA_CFG_F_GSO,
  NFQA_CFG_F_UID_GID,
  NFQA_CFG_FLAGS,
  NFQA_CFG_MASK,
  NFQA_CFG_PARAMS,
  NFQA_CFG_QUEUE_MAXLEN,
  NFQNL_CFG_CMD_BIND,
  NFQNL_CFG_CMD_PF_UNBIND,
  NFQNL_COPY_META,
  NFQNL_COPY_PACKET,
  NFQNL_MSG_CONFIG,
} from '../../../src/families/netfilter/constants.js';
import { nfnlMsgType } from '../../../src/families/netfilter/nfnetlink.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { be, parseRequests } from './bytes.js';

const build = (config: NfqueueConfig) => writeNfqueueConfig(new MessageWriter(), config).finish();

// biome-ignore format: byte literals four per line
const bind = new Uint8Array([
  0x1c, 0x00, 0x00, 0x00, // nlmsg_len 28
  0x02, 0x03, 0x05, 0x00, // NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG; NLM_F_REQUEST | NLM_F_ACK
  0x01, 0x00, 0x00, 0x00, // seq 1
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x03, // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id 3 (big-endian)
  0x08, 0x00, 0x01, 0x00, // NFQA_CFG_CMD, nla_len 8
  0x01, 0x00, 0x00, 0x00, // command NFQNL_CFG_CMD_BIND, _pad, pf AF_UNSPEC (be16)
]);

// biome-ignore format: byte literals four per line
const configure = new Uint8Array([
  0x38, 0x00, 0x00, 0x00, // nlmsg_len 56
  0x02, 0x03, 0x05, 0x00, // config; NLM_F_REQUEST | NLM_F_ACK
  0x02, 0x00, 0x00, 0x00, // seq 2
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x03, // nfgenmsg: res_id 3
  0x09, 0x00, 0x02, 0x00, // NFQA_CFG_PARAMS, nla_len 9
  0x00, 0x00, 0x05, 0xdc, // copy_range 1500 (be32)
  0x02, 0x00, 0x00, 0x00, // copy_mode NFQNL_COPY_PACKET, padding
  0x08, 0x00, 0x03, 0x00, // NFQA_CFG_QUEUE_MAXLEN, nla_len 8
  0x00, 0x00, 0x10, 0x00, // 4096 (be32)
  0x08, 0x00, 0x04, 0x00, // NFQA_CFG_MASK, nla_len 8
  0x00, 0x00, 0x00, 0x09, // FAIL_OPEN | UID_GID (be32)
  0x08, 0x00, 0x05, 0x00, // NFQA_CFG_FLAGS, nla_len 8
  0x00, 0x00, 0x00, 0x01, // FAIL_OPEN (be32)
]);

// biome-ignore format: byte literals four per line
const pfUnbind = new Uint8Array([
  0x1c, 0x00, 0x00, 0x00, // nlmsg_len 28
  0x02, 0x03, 0x01, 0x00, // config; NLM_F_REQUEST
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x0a, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET6, res_id 0
  0x08, 0x00, 0x01, 0x00, // NFQA_CFG_CMD, nla_len 8
  0x04, 0x00, 0x00, 0x0a, // NFQNL_CFG_CMD_PF_UNBIND, _pad, pf AF_INET6 (be16)
]);

describe('writeNfqueueConfig', () => {
  it.each([
    {
      name: 'bind queue 3',
      config: { queue: 3, command: NFQNL_CFG_CMD_BIND, seq: 1 },
      expected: bind,
    },
    {
      name: 'copy 1500 bytes, 4096 packets, fail open on, uid/gid off',
      config: {
        queue: 3,
        copyMode: NFQNL_COPY_PACKET,
        copyRange: 1500,
        maxLen: 4096,
        flags: NFQA_CFG_F_FAIL_OPEN,
        mask: NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_UID_GID,
        seq: 2,
      },
      expected: configure,
    },
    {
      name: 'PF_UNBIND of AF_INET6 (old kernels), no ack',
      config: {
        queue: 0,
        family: AF_INET6,
        command: NFQNL_CFG_CMD_PF_UNBIND,
        pf: AF_INET6,
        ack: false,
      },
      expected: pfUnbind,
    },
  ])('$name', ({ config, expected }) => {
    expect(build(config)).toEqual(expected);
  });

  it.each([
    { name: 'queue past u16', config: { queue: 70000 }, error: RangeError },
    { name: 'max length past be32', config: { queue: 1, maxLen: 2 ** 32 }, error: RangeError },
    { name: 'pf without a command', config: { queue: 1, pf: 2 }, error: TypeError },
    { name: 'copy range without a mode', config: { queue: 1, copyRange: 64 }, error: TypeError },
    { name: 'a mask without flags', config: { queue: 1, mask: 1 }, error: TypeError },
    { name: 'a NaN command', config: { queue: 1, command: Number.NaN }, error: RangeError },
  ])('throws at once: $name', ({ config, error }) => {
    expect(() => build(config)).toThrow(error);
  });

  it.each([
    { name: 'flags without a mask set exactly those', config: { queue: 1, flags: NFQA_CFG_F_GSO } },
    {
      name: 'meta copy, default range',
      config: { queue: 65535, copyMode: NFQNL_COPY_META, seq: 9 },
    },
    { name: 'nothing but the queue', config: { queue: 0 } },
  ])('round trip: what the kernel parses is what was asked ($name)', ({ config }) => {
    const c = config as NfqueueConfig;
    const [m] = parseRequests(build(c));
    expect(m.type).toBe(nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_CONFIG));
    expect([m.resId, m.seq]).toEqual([c.queue, c.seq ?? 0]);
    expect(m.attrs.has(NFQA_CFG_CMD)).toBe(c.command !== undefined);
    const params = m.attrs.get(NFQA_CFG_PARAMS);
    if (c.copyMode === undefined) expect(params).toBeUndefined();
    else expect([be(params, 0, 4), params?.[4]]).toEqual([c.copyRange ?? 0xffff, c.copyMode]);
    expect(be(m.attrs.get(NFQA_CFG_QUEUE_MAXLEN))).toBe(c.maxLen ?? -1);
    expect(be(m.attrs.get(NFQA_CFG_FLAGS))).toBe(c.flags ?? -1);
    expect(be(m.attrs.get(NFQA_CFG_MASK))).toBe(c.mask ?? c.flags ?? -1);
  });
});

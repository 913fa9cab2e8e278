import { describe, expect, it } from 'vitest';
import {
  IPCTNL_MSG_CT_DELETE,
  NF_QUEUE,
  NFNL_SUBSYS_CTNETLINK,
  NFNL_SUBSYS_QUEUE,
  NFNL_SUBSYS_ULOG,
  NFQNL_MSG_VERDICT_BATCH,
  NFULNL_MSG_CONFIG,
} from '../../../src/families/netfilter/constants.js';
import { nfnlMsgType, nfnlSubsysId, nfQueueNr } from '../../../src/families/netfilter/nfnetlink.js';

describe('nfnlMsgType and nfnlSubsysId', () => {
  it.each([
    { name: 'NFLOG config', subsys: NFNL_SUBSYS_ULOG, msg: NFULNL_MSG_CONFIG, type: 0x0401 },
    {
      name: 'NFQUEUE batch verdict',
      subsys: NFNL_SUBSYS_QUEUE,
      msg: NFQNL_MSG_VERDICT_BATCH,
      type: 0x0303,
    },
    {
      name: 'ctnetlink delete',
      subsys: NFNL_SUBSYS_CTNETLINK,
      msg: IPCTNL_MSG_CT_DELETE,
      type: 0x0102,
    },
    { name: 'operation masked to 8 bits', subsys: 1, msg: 0x1ff, type: 0x01ff },
  ])('$name', ({ subsys, msg, type }) => {
    expect(nfnlMsgType(subsys, msg)).toBe(type);
    expect(nfnlSubsysId(type)).toBe(subsys);
  });
});

describe('nfQueueNr', () => {
  it.each([
    { name: 'queue 0', queue: 0, verdict: NF_QUEUE },
    { name: 'queue 7', queue: 7, verdict: 0x00070003 },
    { name: 'queue 65535 (unsigned)', queue: 65535, verdict: 0xffff0003 },
  ])('$name', ({ queue, verdict }) => {
    expect(nfQueueNr(queue)).toBe(verdict);
  });

  it.each([
    { name: 'negative', queue: -1 },
    { name: 'past u16', queue: 65536 },
    { name: 'fractional', queue: 1.5 },
  ])('throws a RangeError for a queue that is $name', ({ queue }) => {
    expect(() => nfQueueNr(queue)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_REPEAT,
  NF_STOLEN,
  NF_STOP,
  NF_VERDICT_FLAG_QUEUE_BYPASS,
  NFNL_SUBSYS_QUEUE,
  NFQA_MARK,
  NFQA_PAYLOAD,
  NFQA_VERDICT_HDR,
  NFQNL_MSG_VERDICT,
  NFQNL_MSG_VERDICT_BATCH,
} from '../../../src/families/netfilter/constants.js';
import { nfnlMsgType, nfQueueNr } from '../../../src/families/netfilter/nfnetlink.js';
import {
  checkVerdict,
  type NfqueueBatchVerdict,
  type NfqueueVerdict,
  writeNfqueueBatchVerdict,
  writeNfqueueVerdict,
} from '../../../src/families/netfilter/verdict.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { be, parseRequests } from './bytes.js';

const single = (v: NfqueueVerdict) => writeNfqueueVerdict(new MessageWriter(), v).finish();
const batch = (v: NfqueueBatchVerdict) => writeNfqueueBatchVerdict(new MessageWriter(), v).finish();

// biome-ignore format: byte literals four per line
const acceptWithMark = new Uint8Array([
  0x28, 0x00, 0x00, 0x00, // nlmsg_len 40
  0x01, 0x03, 0x01, 0x00, // NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT; NLM_F_REQUEST
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x03, // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id 3
  0x0c, 0x00, 0x02, 0x00, // NFQA_VERDICT_HDR, nla_len 12
  0x00, 0x00, 0x00, 0x01, // verdict NF_ACCEPT (be32)
  0x00, 0x00, 0x01, 0x02, // id 258 (be32)
  0x08, 0x00, 0x03, 0x00, // NFQA_MARK, nla_len 8
  0xde, 0xad, 0xbe, 0xef, // mark 0xdeadbeef (be32)
]);

// biome-ignore format: byte literals four per line
const dropWithPayload = new Uint8Array([
  0x2c, 0x00, 0x00, 0x00, // nlmsg_len 44
  0x01, 0x03, 0x05, 0x00, // verdict; NLM_F_REQUEST | NLM_F_ACK
  0x07, 0x00, 0x00, 0x00, // seq 7
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x00, // nfgenmsg: res_id 0
  0x0c, 0x00, 0x02, 0x00, // NFQA_VERDICT_HDR, nla_len 12
  0x00, 0x00, 0x00, 0x00, // verdict NF_DROP
  0xff, 0xff, 0xff, 0xff, // id 0xffffffff
  0x09, 0x00, 0x0a, 0x00, // NFQA_PAYLOAD, nla_len 9
  0x45, 0x00, 0x00, 0x05, // five bytes of packet
  0x01, 0x00, 0x00, 0x00, // and padding
]);

// biome-ignore format: byte literals four per line
const requeue = new Uint8Array([
  0x20, 0x00, 0x00, 0x00, // nlmsg_len 32
  0x01, 0x03, 0x01, 0x00, // verdict; NLM_F_REQUEST
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x01, // nfgenmsg: res_id 1
  0x0c, 0x00, 0x02, 0x00, // NFQA_VERDICT_HDR, nla_len 12
  0x00, 0x07, 0x80, 0x03, // NF_QUEUE_NR(7) | NF_VERDICT_FLAG_QUEUE_BYPASS
  0x00, 0x00, 0x00, 0x05, // id 5
]);

// biome-ignore format: byte literals four per line
const batchAccept = new Uint8Array([
  0x20, 0x00, 0x00, 0x00, // nlmsg_len 32
  0x03, 0x03, 0x05, 0x00, // NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT_BATCH; REQUEST | ACK
  0x0b, 0x00, 0x00, 0x00, // seq 11
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x03, // nfgenmsg: res_id 3
  0x0c, 0x00, 0x02, 0x00, // NFQA_VERDICT_HDR, nla_len 12
  0x00, 0x00, 0x00, 0x01, // verdict NF_ACCEPT
  0x00, 0x00, 0x00, 0x03, // every id up to 3
]);

describe('writeNfqueueVerdict and writeNfqueueBatchVerdict', () => {
  it.each([
    {
      name: 'single ACCEPT with a mark',
      bytes: () => single({ queue: 3, id: 258, verdict: NF_ACCEPT, mark: 0xdeadbeef }),
      expected: acceptWithMark,
    },
    {
      name: 'single DROP with a new payload, acked',
      bytes: () =>
        single({
          queue: 0,
          id: 0xffffffff,
          verdict: NF_DROP,
          payload: Uint8Array.of(0x45, 0, 0, 5, 1),
          seq: 7,
          ack: true,
        }),
      expected: dropWithPayload,
    },
    {
      name: 'single requeue to queue 7 with bypass',
      bytes: () =>
        single({ queue: 1, id: 5, verdict: nfQueueNr(7) | NF_VERDICT_FLAG_QUEUE_BYPASS }),
      expected: requeue,
    },
    {
      name: 'batch ACCEPT up to id 3, acked',
      bytes: () => batch({ queue: 3, id: 3, verdict: NF_ACCEPT, seq: 11, ack: true }),
      expected: batchAccept,
    },
  ])('$name', ({ bytes, expected }) => {
    expect(bytes()).toEqual(expected);
  });

  it.each([
    { name: 'NF_STOLEN', verdict: NF_STOLEN },
    { name: 'code 6, past NF_MAX_VERDICT', verdict: 6 },
    { name: 'code 0xff with a queue number', verdict: 0x000300ff },
    { name: 'negative', verdict: -1 },
    { name: 'past u32', verdict: 2 ** 32 },
  ])('refuses a verdict the kernel refuses: $name', ({ verdict }) => {
    expect(() => checkVerdict(verdict)).toThrow(RangeError);
    expect(() => single({ queue: 0, id: 1, verdict })).toThrow(RangeError);
    expect(() => batch({ queue: 0, id: 1, verdict })).toThrow(RangeError);
  });

  it.each([
    { name: 'queue past u16', v: { queue: 65536, id: 1, verdict: NF_ACCEPT } },
    { name: 'negative id', v: { queue: 0, id: -1, verdict: NF_ACCEPT } },
    { name: 'mark past u32', v: { queue: 0, id: 1, verdict: NF_ACCEPT, mark: 2 ** 32 } },
  ])('throws a RangeError for $name and writes nothing', ({ v }) => {
    const w = new MessageWriter();
    expect(() => writeNfqueueVerdict(w, v)).toThrow(RangeError);
    expect(() => writeNfqueueBatchVerdict(w, v)).toThrow(RangeError);
    expect(w.length).toBe(0);
  });

  it.each([
    { name: 'ACCEPT', verdict: NF_ACCEPT },
    { name: 'DROP', verdict: NF_DROP },
    { name: 'REPEAT', verdict: NF_REPEAT },
    { name: 'STOP', verdict: NF_STOP },
    { name: 'queue 65535', verdict: nfQueueNr(65535) },
  ])('round trip: the kernel reads back verdict $name, the id and the mark', ({ verdict }) => {
    const w = new MessageWriter();
    writeNfqueueVerdict(w, { queue: 9, id: 0x80000001, verdict, mark: 1 });
    writeNfqueueBatchVerdict(w, { queue: 9, id: 77, verdict });
    const [s, b] = parseRequests(w.finish());
    expect(s.type).toBe(nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT));
    expect(b.type).toBe(nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT_BATCH));
    const sh = s.attrs.get(NFQA_VERDICT_HDR);
    const bh = b.attrs.get(NFQA_VERDICT_HDR);
    expect([s.resId, be(sh, 0, 4), be(sh, 4, 4), be(s.attrs.get(NFQA_MARK))]).toEqual([
      9,
      verdict,
      0x80000001,
      1,
    ]);
    expect([
      b.resId,
      be(bh, 0, 4),
      be(bh, 4, 4),
      b.attrs.has(NFQA_MARK),
      b.attrs.has(NFQA_PAYLOAD),
    ]).toEqual([9, verdict, 77, false, false]);
  });
});

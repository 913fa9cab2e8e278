import { describe, expect, it } from 'vitest';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_STOLEN,
  NFNL_SUBSYS_QUEUE,
  NFQA_MARK,
  NFQA_PAYLOAD,
  NFQA_VERDICT_HDR,
  NFQNL_MSG_VERDICT,
  NFQNL_MSG_VERDICT_BATCH,
} from '../../../src/families/netfilter/constants.js';
import { nfnlMsgType } from '../../../src/families/netfilter/nfnetlink.js';
import { beginVerdictMessage } from '../../../src/families/netfilter/verdict.js';
import { NLM_F_ACK, NLM_F_REQUEST } from '../../../src/netlink/constants.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { be, parseRequests } from './bytes.js';

const VERDICT = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT);
const VERDICT_BATCH = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT_BATCH);

describe('beginVerdictMessage', () => {
  it.each([
    {
      name: 'a single verdict with a mark, acked',
      type: VERDICT,
      v: { queue: 4, id: 9, verdict: NF_DROP, mark: 5, seq: 3, ack: true },
      flags: NLM_F_REQUEST | NLM_F_ACK,
      mark: 5,
    },
    {
      name: 'a batch verdict, no mark',
      type: VERDICT_BATCH,
      v: { queue: 65535, id: 0xffffffff, verdict: NF_ACCEPT },
      flags: NLM_F_REQUEST,
      mark: undefined,
    },
  ])(
    'writes the headers, NFQA_VERDICT_HDR and NFQA_MARK, and leaves the message open: $name',
    ({ type, v, flags, mark }) => {
      const w = beginVerdictMessage(new MessageWriter(), type, v);
      // Still open: the caller's own attribute lands in the same message.
      w.attr(NFQA_PAYLOAD, Uint8Array.of(1, 2, 3, 4)).end();
      const [m, ...rest] = parseRequests(w.finish());
      expect(rest).toHaveLength(0);
      const header = m.attrs.get(NFQA_VERDICT_HDR);
      const markAttr = m.attrs.get(NFQA_MARK);
      expect({
        type: m.type,
        flags: m.flags,
        seq: m.seq,
        family: m.family,
        resId: m.resId,
        verdict: be(header, 0, 4),
        id: be(header, 4, 4),
        mark: markAttr === undefined ? undefined : be(markAttr),
        payload: [...(m.attrs.get(NFQA_PAYLOAD) ?? [])],
      }).toEqual({
        type,
        flags,
        seq: v.seq ?? 0,
        family: 0,
        resId: v.queue,
        verdict: v.verdict,
        id: v.id,
        mark,
        payload: [1, 2, 3, 4],
      });
    },
  );

  it.each([
    { name: 'a verdict the kernel refuses', v: { queue: 0, id: 1, verdict: NF_STOLEN } },
    { name: 'an id past u32', v: { queue: 0, id: 2 ** 32, verdict: NF_ACCEPT } },
    { name: 'a negative mark', v: { queue: 0, id: 1, verdict: NF_ACCEPT, mark: -1 } },
    { name: 'a queue past u16', v: { queue: 65536, id: 1, verdict: NF_ACCEPT } },
    { name: 'a seq past u32', v: { queue: 0, id: 1, verdict: NF_ACCEPT, seq: 2 ** 32 } },
  ])('checks every field before writing: $name leaves the writer as it was', ({ v }) => {
    const w = new MessageWriter();
    expect(() => beginVerdictMessage(w, VERDICT, v)).toThrow(RangeError);
    expect(w.length).toBe(0);
  });
});

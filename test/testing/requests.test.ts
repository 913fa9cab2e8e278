import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import {
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  NLMSG_DONE,
  NLMSG_ERROR,
} from '../../src/netlink/constants.js';
import { readAck } from '../../src/netlink/control.js';
import { NL_MMAP_STATUS_COPY, NL_MMAP_STATUS_VALID } from '../../src/ring/constants.js';
import type { Ring } from '../../src/ring/Ring.js';
import { buildMessage } from '../../src/testing/buildMessage.js';
import { packDatagram } from '../../src/testing/packDatagram.js';
import type { Replier } from '../../src/testing/Replier.js';
import type { SimSocket, SimSocketOptions } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { message, seqOf, writeTx } from './helpers.js';

const rx = { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 };
const tx = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };
const RTM_GETLINK = 18;
const RTM_NEWLINK = 16;

function request(seq: number, flags = NLM_F_REQUEST | NLM_F_ACK, size = 32): Uint8Array {
  return buildMessage({ type: RTM_GETLINK, flags, seq, payload: new Uint8Array(size - 16) });
}

function setup(
  options: SimSocketOptions = {},
  handler?: (req: Replier['request'], reply: Replier) => void,
) {
  const kernel = new SimulatedKernel();
  if (handler) kernel.onRequest((req, reply) => handler(req, reply));
  const s = kernel.open({ rx, tx, ...options });
  return { kernel, s };
}

/** The data of RX frame `i` (VALID) or the next queued message (COPY). */
function frameData(s: SimSocket, i: number): Uint8Array {
  const ring = s.rx;
  if (ring.status(i) === NL_MMAP_STATUS_COPY) return s.recv();
  const at = ring.dataOffset(i);
  return ring.bytes.slice(at, at + ring.length(i));
}

describe('SimulatedKernel request handler', () => {
  it('gets every message of every datagram, through send() and the TX ring, in order', () => {
    const seen: [number, number][] = [];
    const { kernel, s } = setup();
    kernel.onRequest((req, reply, socket) => {
      expect(socket).toBe(s);
      expect(reply.socket).toBe(s);
      expect(reply.request).toBe(req);
      seen.push([req.seq, req.type]);
    });
    s.send(packDatagram([request(1), request(2)]));
    writeTx(s.tx as Ring, 0, request(3));
    writeTx(s.tx as Ring, 1, packDatagram([request(4), request(5)]));
    s.flush();
    expect(seen).toEqual([1, 2, 3, 4, 5].map((q) => [q, RTM_GETLINK]));
  });

  it('does nothing without a handler, and can be removed', () => {
    const { kernel, s } = setup();
    s.send(request(1));
    let calls = 0;
    const remove = kernel.onRequest(() => calls++);
    s.send(request(2));
    remove();
    s.send(request(3));
    kernel.onRequest(() => calls++);
    kernel.onRequest(null);
    s.send(request(4));
    expect(calls).toBe(1);
    expect(s.sent).toHaveLength(4);
    expect(s.rx.census()[0]).toBe(8);
  });

  it('ack(): an NLMSG_ERROR with errno 0 in the ring, capped, for the request seq and port', () => {
    const { s } = setup({ portid: 4242 }, (_req, reply) => reply.ack());
    s.send(request(9, NLM_F_REQUEST | NLM_F_ACK, 40));
    expect(s.rx.status(0)).toBe(NL_MMAP_STATUS_VALID);
    const bytes = frameData(s, 0);
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(4, true)).toBe(NLMSG_ERROR);
    expect(view.getUint16(6, true)).toBe(NLM_F_CAPPED);
    expect(view.getUint32(12, true)).toBe(4242);
    expect(bytes.byteLength).toBe(16 + 4 + 16);
    expect(readAck(view, 0)).toEqual({ errno: 0, seq: 9, requestType: RTM_GETLINK });
  });

  it('error(): the request echoed in full, extack text and offset as TLVs', () => {
    const { s } = setup({}, (_req, reply) =>
      reply.error(errnos.EINVAL, { extack: 'bad attribute', offset: 20 }),
    );
    s.send(request(3, NLM_F_REQUEST | NLM_F_ACK, 40));
    const bytes = frameData(s, 0);
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(6, true)).toBe(NLM_F_ACK_TLVS);
    expect(readAck(view, 0)).toEqual({
      errno: errnos.EINVAL,
      seq: 3,
      requestType: RTM_GETLINK,
      extack: 'bad attribute',
      offset: 20,
    });
    // 16 header + 4 error + 40 request, then the TLVs.
    expect([...bytes.subarray(20, 60)]).toEqual([...request(3, NLM_F_REQUEST | NLM_F_ACK, 40)]);
  });

  it.each([
    { name: 'without NETLINK_EXT_ACK: no TLVs', options: { extAck: false }, flags: 0, length: 60 },
    {
      name: 'with NETLINK_CAP_ACK: header only',
      options: { capAck: true },
      flags: NLM_F_CAPPED | NLM_F_ACK_TLVS,
      length: 36 + 8,
    },
  ])('error() $name', ({ options, flags, length }) => {
    const { s } = setup(options, (_req, reply) => reply.error(errnos.EPERM, { offset: 20 }));
    s.send(request(3, NLM_F_REQUEST | NLM_F_ACK, 40));
    const bytes = frameData(s, 0);
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(6, true)).toBe(flags);
    expect(bytes.byteLength).toBe(length);
    expect(readAck(view, 0).errno).toBe(errnos.EPERM);
  });

  it('error(0) is refused', () => {
    const { s } = setup({}, (_req, reply) => reply.error(0));
    expect(() => s.send(request(1))).toThrow(TypeError);
  });

  it('an ack with no room is lost with an overrun (no fallback, §4.1 step 5)', () => {
    const { s } = setup({}, (_req, reply) => {
      expect(reply.ack()).toBe('dropped');
    });
    for (let i = 0; i < 8; i++) s.deliver(message(32, i));
    s.send(request(1));
    expect(s.drops).toBe(1);
    expect(s.takeError()).toBe(errnos.ENOBUFS);
  });

  it('unicast(): in the ring when it fits, COPY when larger or asked for', () => {
    const { s } = setup({}, (req, reply) => {
      reply.unicast(message(100, req.seq));
      reply.unicast(message(2000, req.seq));
      reply.unicast(message(100, req.seq), { path: 'copy' });
    });
    s.send(request(5));
    expect(s.rx.describe()).toBe('VCCUUUUU');
    expect(s.rx.pid(0)).toBe(0); // from the kernel: zero credentials
  });

  it('dump(): the datagrams, then NLMSG_DONE with the request seq, as poll() makes room', () => {
    const link = (seq: number, i: number) =>
      buildMessage({
        type: RTM_NEWLINK,
        flags: NLM_F_MULTI,
        seq,
        payload: new Uint8Array(16),
        attributes: [[3, `eth${i}`]],
      });
    const { s } = setup({ portid: 99 }, (req, reply) => {
      expect(
        reply.dump([
          packDatagram([link(req.seq, 0), link(req.seq, 1)]),
          packDatagram([link(req.seq, 2)]),
        ]),
      ).toBe(true);
    });
    s.send(request(7, NLM_F_REQUEST | NLM_F_DUMP));
    expect(s.rx.describe()).toBe('VUUUUUUU');
    s.poll();
    expect(s.rx.describe()).toBe('VVVUUUUU');
    const done = new DataView(frameData(s, 2).buffer);
    expect([done.getUint16(4, true), done.getUint32(8, true), done.getUint32(12, true)]).toEqual([
      NLMSG_DONE,
      7,
      99,
    ]);
    expect(s.rx.length(0)).toBe(2 * 44); // 16 + ifinfomsg 16 + IFLA_IFNAME 12, twice
  });

  it('a dump while one runs is answered EBUSY, as the kernel does', () => {
    const results: boolean[] = [];
    const { s } = setup({}, (_req, reply) => {
      results.push(
        reply.dump([
          message(32, 1),
          message(32, 2),
          message(32, 3),
          message(32, 4),
          message(32, 5),
        ]),
      );
    });
    s.send(request(1, NLM_F_REQUEST | NLM_F_DUMP));
    s.send(request(2, NLM_F_REQUEST | NLM_F_DUMP));
    expect(results).toEqual([true, false]);
    const ack = readAck(new DataView(frameData(s, 1).buffer), 0);
    expect([ack.errno, ack.seq]).toEqual([errnos.EBUSY, 2]);
  });

  it('multicast(): every member of the group, by its own policy', () => {
    const kernel = new SimulatedKernel();
    const a = kernel.open({ rx, groups: [1] });
    const b = kernel.open({ rx, groups: [1, 2], policy: 'valid-when-fits' });
    const c = kernel.open({ rx, groups: [2] });
    kernel.onRequest((req, reply) => {
      expect(reply.multicast(1, message(64, req.seq))).toEqual(['copy', 'valid']);
    });
    c.send(request(11));
    expect([a.rx.status(0), a.rx.group(0)]).toEqual([NL_MMAP_STATUS_COPY, 1]);
    expect([b.rx.status(0), b.rx.group(0)]).toEqual([NL_MMAP_STATUS_VALID, 1]);
    expect(c.rx.census()[0]).toBe(8);
    expect(seqOf(a.recv())).toBe(11);
    expect(kernel.multicast(2, message(32, 12), { pid: 5 })).toEqual(['valid', 'copy']);
    expect(c.rx.pid(0)).toBe(5);
    a.close();
    expect(kernel.multicast(1, message(32, 13))).toEqual(['valid']);
    expect(() => kernel.multicast(0, message(32, 1))).toThrow(TypeError);
  });

  it('replies wake the requester synchronously', () => {
    const { s } = setup({}, (_req, reply) => reply.ack());
    const masks: number[] = [];
    s.watch(
      () => masks.push(s.poll()),
      () => {},
    );
    s.send(request(1));
    expect(masks).toHaveLength(1);
  });
});

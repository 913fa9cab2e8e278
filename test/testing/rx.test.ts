import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { NETLINK_NO_ENOBUFS } from '../../src/netlink/constants.js';
import {
  NETLINK_RX_RING,
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_RESERVED,
  NL_MMAP_STATUS_VALID,
  NM_GID,
  NM_GROUP,
  NM_LEN,
  NM_PID,
  NM_UID,
} from '../../src/ring/constants.js';
import { POLLERR, POLLIN } from '../../src/ring/RingEndpoint.js';
import type { SimSocketOptions } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { message, seqOf } from './helpers.js';

// 4 frames of 1024 bytes: maxlen 1000.
const rx = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };

function open(options: SimSocketOptions = {}) {
  return new SimulatedKernel().open({ rx, ...options });
}

describe('SimSocket RX: building in the ring (RING-SPEC §4.1)', () => {
  it('writes payload and header fields, then VALID; one datagram, one frame', () => {
    const s = open();
    const m = message(100, 7);
    expect(s.deliver(m, { group: 0, pid: 321, uid: 1000, gid: 100, path: 'ring' })).toBe('valid');
    expect(s.deliver(message(36, 8))).toBe('valid');
    const ring = s.rx;
    expect(ring.describe()).toBe('VVUU');
    const raw = new DataView(ring.bytes.buffer, ring.bytes.byteOffset);
    expect([NM_LEN, NM_GROUP, NM_PID, NM_UID, NM_GID].map((o) => raw.getUint32(o, true))).toEqual([
      100, 0, 321, 1000, 100,
    ]);
    expect([...ring.bytes.subarray(24, 124)]).toEqual([...m]);
    expect(ring.length(1)).toBe(36);
    expect(seqOf(ring.bytes, ring.dataOffset(1))).toBe(8);
    expect(s.head('rx')).toBe(2);
  });

  it('steps over SKIP frames when allocating in the ring (§4.1 step 4)', () => {
    const s = open();
    for (let i = 0; i < 4; i++) s.deliver(message(32, i));
    const ring = s.rx;
    ring.skip(0);
    ring.skip(1);
    ring.release(2);
    ring.release(3);
    expect(s.head('rx')).toBe(0);
    expect(s.deliver(message(32, 10))).toBe('valid');
    expect(ring.describe()).toBe('SSVU');
    expect(seqOf(ring.bytes, ring.dataOffset(2))).toBe(10);
    expect(s.head('rx')).toBe(3);
  });

  it('a full lap of SKIP frames is a full ring', () => {
    const s = open();
    for (let i = 0; i < 4; i++) s.deliver(message(32, i));
    for (let i = 0; i < 4; i++) s.rx.skip(i);
    expect(s.deliver(message(32, 9))).toBe('dropped');
    expect(s.drops).toBe(1);
    expect(s.rx.describe()).toBe('SSSS');
  });

  it('an aborted construction is VALID with nm_len 0 and the old header fields', () => {
    const s = open();
    s.deliver(message(64, 1), { group: 5, pid: 99, uid: 7, gid: 8, path: 'ring' });
    for (let i = 1; i < 4; i++) s.deliver(message(32, i));
    for (let i = 0; i < 4; i++) s.rx.release(i);
    expect(s.head('rx')).toBe(0);
    expect(s.abort()).toBe('valid');
    const ring = s.rx;
    expect(ring.status(0)).toBe(NL_MMAP_STATUS_VALID);
    expect([ring.length(0), ring.group(0), ring.pid(0), ring.uid(0), ring.gid(0)]).toEqual([
      0, 5, 99, 7, 8,
    ]);
  });

  it('abort on a full ring is an overrun', () => {
    const s = open();
    for (let i = 0; i < 4; i++) s.deliver(message(32, i));
    expect(s.abort()).toBe('dropped');
    expect(s.drops).toBe(1);
  });

  it('makes RESERVED visible: a later message can be VALID before an earlier frame (§4.6)', () => {
    const s = open();
    const r = s.reserve();
    expect(r?.index).toBe(0);
    expect(s.rx.status(0)).toBe(NL_MMAP_STATUS_RESERVED);
    expect(s.pending).toBe(1);
    expect(s.poll() & POLLIN).toBe(0);
    s.deliver(message(32, 2));
    expect(s.rx.describe()).toBe('RVUU');
    expect(s.poll() & POLLIN).toBe(POLLIN);
    r?.commit(message(40, 1), { pid: 5 });
    expect(s.rx.describe()).toBe('VVUU');
    expect([s.rx.length(0), s.rx.pid(0)]).toEqual([40, 5]);
    expect(s.pending).toBe(0);
    expect(() => r?.commit(message(40, 1))).toThrow(/already settled/);
    expect(() => r?.abort()).toThrow(/already settled/);
    expect(r?.settled).toBe(true);
  });

  it('a reservation refuses data larger than the frame and can be aborted instead', () => {
    const s = open();
    const r = s.reserve();
    expect(() => r?.commit(new Uint8Array(1001))).toThrow(RangeError);
    expect(s.pending).toBe(1);
    r?.abort();
    expect([s.rx.status(0), s.rx.length(0), s.pending]).toEqual([NL_MMAP_STATUS_VALID, 0, 0]);
  });

  it('reserve() on a full ring returns null and counts an overrun', () => {
    const s = open();
    for (let i = 0; i < 4; i++) s.deliver(message(32, i));
    expect(s.reserve()).toBeNull();
    expect(s.drops).toBe(1);
    expect(s.takeError()).toBe(errnos.ENOBUFS);
  });

  it('needs an RX ring to allocate in it', () => {
    const s = new SimulatedKernel().socket();
    expect(() => s.reserve()).toThrow(NetlinkError);
    // Without a ring, a delivery is an ordinary queued message.
    expect(s.deliver(message(32, 1))).toBe('copy');
    expect(seqOf(s.recv())).toBe(1);
  });
});

describe('SimSocket RX: COPY (RING-SPEC §4.2)', () => {
  it('queues the bytes; the frame holds only the header, nm_len may exceed maxlen', () => {
    const s = open();
    const big = message(3000, 1);
    expect(s.deliver(big, { pid: 12 })).toBe('copy');
    const ring = s.rx;
    expect(ring.status(0)).toBe(NL_MMAP_STATUS_COPY);
    expect(ring.length(0)).toBe(3000);
    expect(ring.length(0)).toBeGreaterThan(ring.maxlen);
    expect(ring.pid(0)).toBe(12);
    expect(ring.bytes.subarray(24, 1024).every((b) => b === 0)).toBe(true);
    expect(s.queued).toBe(1);
    expect(s.poll() & POLLIN).toBe(POLLIN);
    expect([...s.recv()]).toEqual([...big]);
    expect(() => s.recv()).toThrow(expect.objectContaining({ code: 'EAGAIN' }));
  });

  it('recv() returns queued messages in FIFO order, the order of their frames', () => {
    const s = open();
    s.deliver(message(2000, 1));
    s.deliver(message(32, 2));
    s.deliver(message(1500, 3), { path: 'copy' });
    s.deliver(message(32, 4), { path: 'copy' });
    expect(s.rx.describe()).toBe('CVCC');
    expect([seqOf(s.recv()), seqOf(s.recv()), seqOf(s.recv())]).toEqual([1, 3, 4]);
  });

  it.each([
    { name: 'faithful: multicast is COPY', policy: 'faithful', group: 1, size: 32, result: 'copy' },
    {
      name: 'faithful: unicast that fits is VALID',
      policy: 'faithful',
      group: 0,
      size: 32,
      result: 'valid',
    },
    {
      name: 'faithful: oversize unicast is COPY',
      policy: 'faithful',
      group: 0,
      size: 1004,
      result: 'copy',
    },
    {
      name: 'valid-when-fits: multicast that fits is VALID',
      policy: 'valid-when-fits',
      group: 1,
      size: 32,
      result: 'valid',
    },
    {
      name: 'valid-when-fits: oversize multicast is COPY',
      policy: 'valid-when-fits',
      group: 1,
      size: 1004,
      result: 'copy',
    },
    { name: 'exactly maxlen fits', policy: 'faithful', group: 0, size: 1000, result: 'valid' },
  ] as const)('$name', ({ policy, group, size, result }) => {
    const s = open({ policy });
    expect(s.deliver(message(size, 1), { group })).toBe(result);
    expect(s.rx.group(0)).toBe(group);
  });

  it('path ring still goes COPY when the datagram does not fit (§4.1 step 3)', () => {
    const s = open();
    expect(s.deliver(message(1004, 1), { path: 'ring' })).toBe('copy');
  });

  it('does not step over SKIP: a SKIP head frame is a full ring on the COPY path', () => {
    const s = open();
    for (let i = 0; i < 4; i++) s.deliver(message(32, i));
    const ring = s.rx;
    ring.skip(0);
    ring.release(1);
    ring.release(2);
    ring.release(3);
    expect(s.deliver(message(2000, 9))).toBe('dropped');
    expect(s.drops).toBe(1);
    expect(s.queued).toBe(0);
    // The in-ring path steps over the same SKIP frame.
    expect(s.deliver(message(32, 10))).toBe('valid');
    expect(ring.describe()).toBe('SVUU');
  });

  it('applies admission: rcvbuf, with the queue allowed to exceed it by one message', () => {
    const s = open({ rcvbuf: 2000, noEnobufs: true });
    expect(s.deliver(message(1500, 1))).toBe('copy');
    expect(s.deliver(message(1500, 2))).toBe('copy');
    expect(s.deliver(message(1500, 3))).toBe('dropped');
    expect(s.drops).toBe(1);
    // In-ring deliveries skip the test.
    expect(s.deliver(message(32, 4))).toBe('valid');
  });
});

describe('SimSocket RX: overruns (RING-SPEC §4.3)', () => {
  it('drops when full, counts every drop, raises ENOBUFS once per congestion episode', () => {
    const s = open();
    for (let i = 0; i < 4; i++) expect(s.deliver(message(32, i))).toBe('valid');
    expect(s.deliver(message(32, 4))).toBe('dropped');
    expect(s.deliver(message(32, 5))).toBe('dropped');
    expect(s.deliver(message(2000, 6))).toBe('dropped');
    expect(s.drops).toBe(3);
    expect(s.congested).toBe(true);
    expect(s.poll() & POLLERR).toBe(POLLERR);
    expect(s.takeError()).toBe(errnos.ENOBUFS);
    expect(s.takeError()).toBe(0);
    expect(s.poll() & POLLERR).toBe(0);
    // poll() with an empty queue ended the episode: the next overrun raises ENOBUFS again.
    expect(s.congested).toBe(false);
    expect(s.deliver(message(32, 7))).toBe('dropped');
    expect(s.takeError()).toBe(errnos.ENOBUFS);
    expect(s.drops).toBe(4);
  });

  it('without poll() or recv() the episode goes on: no second ENOBUFS', () => {
    const s = open();
    for (let i = 0; i < 4; i++) s.deliver(message(32, i));
    s.deliver(message(32, 4));
    expect(s.takeError()).toBe(errnos.ENOBUFS);
    for (let i = 0; i < 4; i++) s.rx.release(i);
    s.deliver(message(32, 5)); // fits
    for (let i = 0; i < 3; i++) s.deliver(message(32, 6 + i));
    s.deliver(message(32, 9)); // full again, same episode
    expect(s.drops).toBe(2);
    expect(s.takeError()).toBe(0);
  });

  it('CONGESTED refuses the COPY path even with room, not the ring path', () => {
    const s = open();
    for (let i = 0; i < 4; i++) s.deliver(message(32, i));
    s.deliver(message(32, 4));
    for (let i = 0; i < 4; i++) s.rx.release(i);
    expect(s.congested).toBe(true);
    expect(s.deliver(message(2000, 5))).toBe('dropped');
    expect(s.deliver(message(32, 6), { group: 1 })).toBe('dropped');
    expect(s.deliver(message(32, 7))).toBe('valid');
    expect(s.drops).toBe(3);
  });

  it('stays CONGESTED while the COPY queue is not empty; recv() that empties it clears it', () => {
    const s = open();
    s.deliver(message(2000, 1));
    for (let i = 1; i < 4; i++) s.deliver(message(32, i));
    s.deliver(message(32, 9));
    expect(s.congested).toBe(true);
    expect(s.poll() & POLLERR).toBe(POLLERR);
    expect(s.congested).toBe(true);
    // recv() reports the pending error before the data, as recvmsg does.
    expect(() => s.recv()).toThrow(expect.objectContaining({ code: 'ENOBUFS' }));
    expect(seqOf(s.recv())).toBe(1);
    expect(s.congested).toBe(false);
  });

  it('NETLINK_NO_ENOBUFS: drops still count, no error, no latch; switching it on clears the latch', () => {
    const s = open({ noEnobufs: true });
    for (let i = 0; i < 5; i++) s.deliver(message(32, i));
    expect([s.drops, s.congested, s.takeError()]).toEqual([1, false, 0]);
    const t = open();
    for (let i = 0; i < 5; i++) t.deliver(message(32, i));
    expect(t.congested).toBe(true);
    t.setsockopt(NETLINK_NO_ENOBUFS, 1);
    expect(t.congested).toBe(false);
  });

  it('setError() sets sk_err: POLLERR until taken', () => {
    const s = open();
    s.setError(errnos.EIO);
    expect(s.poll() & POLLERR).toBe(POLLERR);
    expect(s.takeError()).toBe(errnos.EIO);
    expect(s.poll() & POLLERR).toBe(0);
    expect(() => s.setError(0)).toThrow(TypeError);
  });
});

describe('SimSocket RX: claim numbers (Ring.claims, an nlring extension)', () => {
  it('numbers every claim in claim order: in-ring, RESERVED, aborted and COPY alike', () => {
    const s = open();
    const ring = s.rx;
    s.deliver(message(32, 1)); // frame 0, claim 0
    const reservation = s.reserve(); // frame 1, claim 1
    s.deliver(message(2000, 2)); // COPY, frame 2, claim 2
    s.abort(); // frame 3, claim 3
    expect(ring.describe()).toBe('VRCV');
    ring.skip(0);
    ring.release(2);
    ring.release(3);
    // The head (0) steps over SKIP frame 0 onto RESERVED frame 1: the ring is full.
    expect(s.deliver(message(32, 3))).toBe('dropped');
    reservation?.commit(message(32, 4));
    ring.release(1);
    expect(s.deliver(message(32, 5))).toBe('valid'); // the head is at 1: claim 4
    expect(s.deliver(message(32, 6))).toBe('valid'); // frame 2: claim 5
    expect(ring.describe()).toBe('SVVU');
    expect([...(ring.claims ?? [])]).toEqual([0, 4, 5, 3]);
    expect(ring.claimed).toBe(6); // the drop claimed nothing
  });

  it('keeps the claims made before mmap() (a configured ring is live, §2.1)', () => {
    const s = new SimulatedKernel().socket();
    s.setsockopt(NETLINK_RX_RING, rx);
    s.deliver(message(32, 1));
    s.deliver(message(32, 2));
    s.mmap(4096);
    expect([s.rx.claims?.[0], s.rx.claims?.[1], s.rx.claimed]).toEqual([0, 1, 2]);
  });

  it('claimOrder: false models the kernel rings: no claim numbers', () => {
    const s = open({ claimOrder: false });
    s.deliver(message(32, 1));
    expect(s.claimOrder).toBe(false);
    expect(s.rx.claims).toBeNull();
    expect(open().claimOrder).toBe(true);
  });
});

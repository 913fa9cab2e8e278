import { lastValueFrom, map, of, retry, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { DumpInterruptedError } from '../../src/errors/NetlinkError.js';
import {
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLM_F_REQUEST,
} from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { copyMessages } from '../../src/operators/copyMessages.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import { takeDump } from '../../src/operators/takeDump.js';
import { fromRing } from '../../src/sources/fromRing.js';
import { packDatagram } from '../../src/testing/packDatagram.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';

// <linux/rtnetlink.h>
const RTM_NEWROUTE = 24;
const RTM_GETROUTE = 26;

/** One RTM_NEWROUTE reply carrying `id` as its u32 payload. */
const route = (seq: number, id: number, flags = NLM_F_MULTI) =>
  new MessageWriter().begin(RTM_NEWROUTE, flags, seq).u32(id).end().finish();

/** `count` routes, `perDatagram` to a datagram, as a dump's steps; `intr` flags one of them. */
const routeDump = (seq: number, count: number, perDatagram: number, intr = -1) => {
  const datagrams: Uint8Array[] = [];
  for (let first = 0; first < count; first += perDatagram) {
    const messages: Uint8Array[] = [];
    for (let id = first; id < Math.min(count, first + perDatagram); id++) {
      messages.push(route(seq, id, NLM_F_MULTI | (id === intr ? NLM_F_DUMP_INTR : 0)));
    }
    datagrams.push(packDatagram(messages));
  }
  return datagrams;
};

const request = (seq: number) =>
  new MessageWriter()
    .begin(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .zeros(12)
    .end()
    .finish();

/**
 * A dump as a caller runs it: each subscription opens its own socket, sends the request,
 * reads the replies of that seq through the ring, collects copies, and closes the socket.
 */
const dumpRoutes = (kernel: SimulatedKernel, seq: number) =>
  fromRing(() => {
    const socket = kernel.open(); // 8 RX frames of 2 KiB: the dump is flow-controlled
    socket.send(request(seq));
    return socket;
  }).pipe(
    parseMessages(),
    takeDump({ seq }),
    copyMessages(),
    // An Overrun would land in the array as itself (and fail the comparison).
    map((m) => (m instanceof NetlinkMessage ? m.view.getUint32(m.payloadOffset, true) : m)),
    toArray(),
  );

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('takeDump through fromRing and the simulated kernel', () => {
  it('collects a dump larger than the ring and closes the socket at NLMSG_DONE', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => reply.dump(routeDump(req.seq, 300, 7)));
    await expect(lastValueFrom(dumpRoutes(kernel, 41))).resolves.toEqual(ids(300));
    expect(kernel.sockets).toEqual([]);
  });

  it('errors with the errno of a failed dump', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) =>
      reply.dump(routeDump(req.seq, 10, 4), { errno: errnos.EMSGSIZE }),
    );
    await expect(lastValueFrom(dumpRoutes(kernel, 5))).rejects.toMatchObject({
      op: 'dump',
      code: 'EMSGSIZE',
      seq: 5,
    });
    expect(kernel.sockets).toEqual([]);
  });

  it('errors with the errno of a refused dump request', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((_req, reply) => reply.error(errnos.EOPNOTSUPP, { extack: 'no dumps here' }));
    await expect(lastValueFrom(dumpRoutes(kernel, 6))).rejects.toMatchObject({
      op: 'dump',
      code: 'EOPNOTSUPP',
      extack: 'no dumps here',
    });
  });

  it('retries an interrupted dump on a fresh socket until it is consistent', async () => {
    const kernel = new SimulatedKernel();
    let requests = 0;
    kernel.onRequest((req, reply) => {
      requests++;
      // The table changes under the first two dumps.
      reply.dump(routeDump(req.seq, 50, 6, requests <= 2 ? 17 : -1));
    });
    const routes = dumpRoutes(kernel, 9).pipe(
      retry({
        count: 3,
        delay: (e) => (e instanceof DumpInterruptedError ? of(0) : throwError(() => e)),
      }),
    );
    await expect(lastValueFrom(routes)).resolves.toEqual(ids(50));
    expect(requests).toBe(3);
    expect(kernel.sockets).toEqual([]);
  });

  it('gives up with DumpInterruptedError when the retry budget runs out', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => reply.dump(routeDump(req.seq, 20, 6, 3)));
    const routes = dumpRoutes(kernel, 2).pipe(retry({ count: 1 }));
    const failure = lastValueFrom(routes);
    await expect(failure).rejects.toBeInstanceOf(DumpInterruptedError);
    await expect(failure).rejects.toMatchObject({ op: 'dump', code: 'EINTR', seq: 2 });
  });
});

import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../../src/errors/errno.js';
import { NetlinkError } from '../../../src/errors/NetlinkError.js';
import {
  addAddressRequest,
  deleteAddressRequest,
} from '../../../src/families/rtnetlink/address.js';
import { addRouteRequest, deleteRouteRequest } from '../../../src/families/rtnetlink/route.js';
import type { RingEndpoint } from '../../../src/ring/RingEndpoint.js';
import {
  addAddress,
  addRoute,
  deleteAddress,
  deleteRoute,
} from '../../../src/sources/rtnetlink/requests.js';
import { RTNETLINK_KERNEL_RX } from '../../../src/testing/index.js';
import type { SimSocket } from '../../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../../src/testing/SimulatedKernel.js';

type Request = (options: { open: () => RingEndpoint }) => Observable<void>;

const REQUESTS = [
  {
    name: 'addAddress',
    send: ((o) =>
      addAddress({ ifindex: 3, address: '10.1.0.1/24', label: 'v0:x', ...o })) as Request,
    bytes: addAddressRequest({ ifindex: 3, address: '10.1.0.1/24', label: 'v0:x', seq: 1 }),
  },
  {
    name: 'deleteAddress',
    send: ((o) => deleteAddress({ ifindex: 3, address: '2001:db8::1/64', ...o })) as Request,
    bytes: deleteAddressRequest({ ifindex: 3, address: '2001:db8::1/64', seq: 1 }),
  },
  {
    name: 'addRoute',
    send: ((o) =>
      addRoute({ dst: '10.9.0.0/16', gateway: '10.1.0.2', metric: 50, ...o })) as Request,
    bytes: addRouteRequest({ dst: '10.9.0.0/16', gateway: '10.1.0.2', metric: 50, seq: 1 }),
  },
  {
    name: 'deleteRoute',
    send: ((o) => deleteRoute({ dst: '10.9.0.0/16', table: 100, ...o })) as Request,
    bytes: deleteRouteRequest({ dst: '10.9.0.0/16', table: 100, seq: 1 }),
  },
];

/** A kernel that answers every request with `errno` (0: an acknowledgement), and an opener. */
function answering(errno: number, extack?: string) {
  const kernel = new SimulatedKernel();
  kernel.onRequest((_request, reply) => {
    reply.ack(errno, { extack });
  });
  const opened: Array<{ socket: SimSocket; closes: number }> = [];
  const open = () => {
    const socket = kernel.open({ rx: RTNETLINK_KERNEL_RX });
    const entry = { socket, closes: 0 };
    const close = socket.close.bind(socket);
    socket.close = () => {
      entry.closes++;
      close();
    };
    opened.push(entry);
    return socket;
  };
  return { opened, open };
}

describe('rtnetlink requests over the simulated kernel', () => {
  it.each(REQUESTS)(
    '$name sends what its builder writes and emits one undefined at the ack',
    async ({ send, bytes }) => {
      const k = answering(0);
      const source = send({ open: k.open });
      expect(k.opened).toHaveLength(0); // cold
      expect(await lastValueFrom(source.pipe(toArray()))).toEqual([undefined]);
      expect(k.opened).toHaveLength(1);
      expect(k.opened[0].socket.sent.map((d) => d.data)).toEqual([bytes]);
      expect(k.opened[0].closes).toBe(1);
    },
  );

  it.each([
    { name: 'EEXIST', errno: errnos.EEXIST, extack: 'ipv4: Address already assigned' },
    { name: 'ENODEV', errno: errnos.ENODEV, extack: undefined },
  ])(
    'errors with the kernel error: $name, closing the socket once',
    async ({ name, errno, extack }) => {
      const k = answering(errno, extack);
      const error = await lastValueFrom(
        addAddress({ ifindex: 3, address: '10.1.0.1/24', open: k.open }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetlinkError);
      expect(error).toMatchObject({ code: name, errno, extack, op: 'request', seq: 1 });
      expect(k.opened[0].closes).toBe(1);
    },
  );

  it('keeps a given seq and leaves netns and open out of the request', async () => {
    const k = answering(0);
    await lastValueFrom(addRoute({ dst: '10.9.0.0/16', ifindex: 2, seq: 77, open: k.open }));
    expect(k.opened[0].socket.sent[0].data).toEqual(
      addRouteRequest({ dst: '10.9.0.0/16', ifindex: 2, seq: 77 }),
    );
  });

  it('closes the socket once when unsubscribed before the ack', () => {
    const kernel = new SimulatedKernel(); // answers nothing
    let socket: SimSocket | undefined;
    let closes = 0;
    const subscription = deleteRoute({
      dst: '10.9.0.0/16',
      open: () => {
        socket = kernel.open({ rx: RTNETLINK_KERNEL_RX });
        const close = socket.close.bind(socket);
        socket.close = () => {
          closes++;
          close();
        };
        return socket;
      },
    }).subscribe();
    expect(socket?.sent).toHaveLength(1);
    subscription.unsubscribe();
    expect(closes).toBe(1);
  });

  it.each([
    {
      name: 'no options',
      call: () => addAddress(undefined as never),
      message: /addAddress: options/,
    },
    {
      name: 'a bad address',
      call: () => addAddress({ ifindex: 3, address: '10.1.0.300/24' }),
      message: /options\.address/,
    },
    {
      name: 'no ifindex',
      call: () => deleteAddress({ address: '10.1.0.1/24' } as never),
      message: /options\.ifindex/,
    },
    {
      name: 'an add-only option when deleting',
      call: () => deleteAddress({ ifindex: 3, address: '10.1.0.1/24', label: 'x' } as never),
      message: /options\.label/,
    },
    {
      name: 'a bad gateway',
      call: () => addRoute({ dst: '10.9.0.0/16', gateway: 'fe80::1' }),
      message: /options\.gateway/,
    },
    {
      name: 'replace when deleting',
      call: () => deleteRoute({ dst: '10.9.0.0/16', replace: true } as never),
      message: /options\.replace/,
    },
    {
      name: 'a bad netns',
      call: () => addRoute({ dst: '10.9.0.0/16', netns: '' }),
      message: /addRoute: options\.netns/,
    },
    {
      name: 'open not a function',
      call: () => addRoute({ dst: '10.9.0.0/16', open: 1 as never }),
      message: /addRoute: options\.open/,
    },
  ])('throws a TypeError at once: $name', ({ call, message }) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});

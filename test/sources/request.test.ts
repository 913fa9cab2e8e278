import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { NLM_F_ACK, NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { request } from '../../src/sources/request.js';
import { buildMessage } from '../../src/testing/buildMessage.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';

describe('request', () => {
  it('completes at the acknowledgement and closes the socket it opened', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((_req, reply) => reply.ack());
    let socket: ReturnType<SimulatedKernel['open']> | undefined;
    const replies = await lastValueFrom(
      request(
        () => {
          socket = kernel.open();
          return socket;
        },
        buildMessage({ type: 0x14, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 5 }),
      ).pipe(toArray()),
    );
    expect(replies).toEqual([]);
    expect(socket?.closed).toBe(true);
  });

  it('emits replies (detached) before the ack', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => {
      reply.unicast(
        buildMessage({ type: 0x10, seq: req.seq, payload: new Uint8Array([7, 0, 0, 0]) }),
      );
      reply.ack();
    });
    const replies = await lastValueFrom(
      request(
        () => kernel.open(),
        buildMessage({ type: 0x12, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 9 }),
      ).pipe(toArray()),
    );
    expect(replies.map((m) => [m.type, m.seq, m.payload[0]])).toEqual([[0x10, 9, 7]]);
  });

  it('completes after the single reply of a request without NLM_F_ACK', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => {
      reply.unicast(buildMessage({ type: 0x10, seq: req.seq }));
    });
    const replies = await lastValueFrom(
      request(() => kernel.open(), buildMessage({ type: 0x12, flags: NLM_F_REQUEST, seq: 1 })).pipe(
        toArray(),
      ),
    );
    expect(replies).toHaveLength(1);
  });

  it.each([
    {
      name: 'EEXIST with the kernel message',
      errno: 17,
      extack: 'Address already assigned',
      code: 'EEXIST',
    },
    { name: 'EPERM without a message', errno: 1, extack: undefined, code: 'EPERM' },
  ])('errors with a typed NetlinkError: $name', async ({ errno, extack, code }) => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((_req, reply) =>
      reply.error(errno, { extack, offset: extack ? 24 : undefined }),
    );
    const error = await lastValueFrom(
      request(
        () => kernel.open(),
        buildMessage({ type: 0x14, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 11 }),
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code, errno, seq: 11, extack, op: 'request' });
    if (extack) expect((error as NetlinkError).offset).toBe(24);
  });
});

import fc from 'fast-check';
import { config, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { mutate, seededRandom } from '../../fuzz/mutate.js';
import { captureSeeds, FUZZ_SEQ } from '../../fuzz/targets.js';
import { DecodeError, NetlinkError } from '../../src/errors/NetlinkError.js';
import {
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_DUMP,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  NLMSG_DONE,
  NLMSGERR_ATTR_MSG,
} from '../../src/netlink/constants.js';
import { controlCounters } from '../../src/netlink/control.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
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

  it('keeps the extended ack of a DONE that carries an errno', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => {
      const done = new MessageWriter()
        .begin(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, req.seq)
        .s32(-95)
        .attrString(NLMSGERR_ATTR_MSG, 'dump not supported here')
        .end()
        .finish();
      reply.unicast(done);
    });
    const error = await lastValueFrom(
      request(
        () => kernel.open(),
        buildMessage({ type: 0x12, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 3 }),
        {
          description: 'getThings all',
        },
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({
      code: 'EOPNOTSUPP',
      seq: 3,
      extack: 'dump not supported here',
      request: 'getThings all',
    });
    expect((error as Error).message).toMatch(/^getThings all: EOPNOTSUPP/);
  });

  it('errors the stream, not the process, for a malformed NLMSG_ERROR with the right seq', async () => {
    const unhandled: unknown[] = [];
    config.onUnhandledError = (e) => unhandled.push(e);
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => {
      // biome-ignore format: byte literals four per line
      reply.unicast(new Uint8Array([
        20, 0, 0, 0, //  NLMSG_ERROR of 20 bytes: shorter than struct nlmsgerr
        2, 0, 0, 0,
        req.seq, 0, 0, 0,
        0, 0, 0, 0,
        0xea, 0xff, 0xff, 0xff,
      ]));
    });
    const error = await lastValueFrom(
      request(
        () => kernel.open(),
        buildMessage({ type: 0x14, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 4 }),
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect(unhandled).toEqual([]);
  });

  it('drops and counts replies from another port or of another seq', async () => {
    const kernel = new SimulatedKernel();
    const counters = controlCounters();
    kernel.onRequest((req, reply) => {
      reply.unicast(buildMessage({ type: 0x10, seq: req.seq, pid: 0x7e57 })); // foreign
      reply.unicast(buildMessage({ type: 0x10, seq: req.seq + 1 })); // a late reply
      reply.unicast(buildMessage({ type: 0x10, seq: req.seq, payload: new Uint8Array(4) }));
      reply.ack();
    });
    const replies = await lastValueFrom(
      request(
        () => kernel.open(),
        buildMessage({ type: 0x12, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 8 }),
        { counters },
      ).pipe(toArray()),
    );
    expect(replies.map((m) => m.payloadLength)).toEqual([4]);
    expect(counters).toMatchObject({ foreign: 1, outOfSequence: 1 });
  });

  it.each([
    {
      name: 'message not bytes',
      run: () => request(() => new SimulatedKernel().open(), 'x' as never),
      text: 'request: message must be',
    },
    {
      name: 'open not an endpoint',
      run: () => request(5 as never, buildMessage({ type: 16 })),
      text: 'request: open must be',
    },
    {
      name: 'options not an object',
      run: () =>
        request(() => new SimulatedKernel().open(), buildMessage({ type: 16 }), 3 as never),
      text: 'request: options must be',
    },
    {
      name: 'description empty',
      run: () =>
        request(() => new SimulatedKernel().open(), buildMessage({ type: 16 }), {
          description: '',
        }),
      text: 'request: options.description must be',
    },
    {
      name: 'counters not counters',
      run: () =>
        request(() => new SimulatedKernel().open(), buildMessage({ type: 16 }), {
          counters: {} as never,
        }),
      text: 'request: options.counters must be',
    },
  ])('checks its arguments at call time: $name', ({ run, text }) => {
    expect(run).toThrow(TypeError);
    expect(run).toThrow(text);
  });
});

describe('request over damaged replies (property)', () => {
  afterEach(() => {
    config.onUnhandledError = null;
  });

  it('errors every stream with a NetlinkError or completes; nothing escapes a subscriber', async () => {
    const seeds = captureSeeds();
    const unhandled: unknown[] = [];
    config.onUnhandledError = (e) => unhandled.push(e);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.boolean(),
        async (seed, dump) => {
          const random = seededRandom(seed);
          const input = mutate(seeds[seed % seeds.length], random, FUZZ_SEQ);
          const kernel = new SimulatedKernel();
          kernel.onRequest((_req, reply) => {
            try {
              reply.unicast(input);
            } catch {
              // The simulated kernel refuses what no kernel could send (an empty datagram).
            }
            reply.ack();
          });
          const flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
          const message = buildMessage({ type: 0x12, flags, seq: FUZZ_SEQ });
          const outcome = await lastValueFrom(
            request(() => kernel.open(), message).pipe(toArray()),
          ).then(
            () => 'completed',
            (e: unknown) => e,
          );
          if (outcome !== 'completed') expect(outcome).toBeInstanceOf(NetlinkError);
          expect(unhandled).toEqual([]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

import { lastValueFrom, map, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DumpInterruptedError, NetlinkError } from '../../src/errors/NetlinkError.js';
import {
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLM_F_REQUEST,
} from '../../src/netlink/constants.js';
import { controlCounters } from '../../src/netlink/control.js';
import { dumpMessages } from '../../src/sources/dumpMessages.js';
import { buildMessage } from '../../src/testing/buildMessage.js';
import { packDatagram } from '../../src/testing/packDatagram.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';

const RX = { blockSize: 8192, blockNr: 4, frameSize: 4096, frameNr: 8 };

function entry(seq: number, n: number): Uint8Array {
  return buildMessage({
    type: 0x18,
    flags: NLM_F_MULTI,
    seq,
    payload: new Uint8Array([n, 0, 0, 0]),
  });
}

describe('dumpMessages', () => {
  it('sends the request, emits every reply in order and completes at DONE', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => {
      const datagrams = [];
      for (let d = 0; d < 30; d++) {
        datagrams.push(
          packDatagram(Array.from({ length: 10 }, (_, i) => entry(req.seq, d * 10 + i))),
        );
      }
      reply.dump(datagrams);
    });
    let socket: ReturnType<SimulatedKernel['open']> | undefined;
    const request = buildMessage({ type: 0x1a, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 42 });
    const got = await lastValueFrom(
      dumpMessages(() => {
        socket = kernel.open({ rx: RX });
        return socket;
      }, request).pipe(
        map((m) => m.view.getUint8(m.payloadOffset)),
        toArray(),
      ),
    );
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i % 256));
    expect(socket?.sent.map((d) => d.via)).toEqual(['send']);
    expect(socket?.closed).toBe(true);
    expect(socket?.rx.describe()).toBe('UUUUUUUU');
  });

  it('errors with the kernel error and its extended ack', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((_req, reply) => reply.error(95, { extack: 'dump not supported' }));
    const request = buildMessage({ type: 0x1a, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 7 });
    const error = await lastValueFrom(dumpMessages(() => kernel.open({ rx: RX }), request)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({
      code: 'EOPNOTSUPP',
      extack: 'dump not supported',
      seq: 7,
      op: 'dump',
    });
  });

  it('borrows an endpoint without closing it', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => reply.dump([entry(req.seq, 1)]));
    const socket = kernel.open({ rx: RX });
    const request = buildMessage({ type: 0x1a, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 3 });
    const n = await lastValueFrom(dumpMessages(socket, request).pipe(toArray()));
    expect(n).toHaveLength(1);
    expect(socket.closed).toBe(false);
  });

  it('throws a TypeError for a request shorter than a header', () => {
    expect(() => dumpMessages(() => new SimulatedKernel().open(), new Uint8Array(8))).toThrow(
      TypeError,
    );
  });

  it('drops and counts a reply from another port, and names what was asked in errors', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => {
      reply.unicast(
        buildMessage({ type: 0x18, flags: NLM_F_MULTI, seq: req.seq, pid: 0x7e57 }), // forged
      );
      reply.dump([packDatagram([entry(req.seq, 1), entry(req.seq, 2)])], { errno: 95 });
    });
    const counters = controlCounters();
    const got: number[] = [];
    const error = await lastValueFrom(
      dumpMessages(
        () => kernel.open({ rx: RX }),
        buildMessage({ type: 0x1a, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 5 }),
        { counters, description: 'getRoutes all' },
      ).pipe(map((m) => got.push(m.payload[0]))),
    ).catch((e: unknown) => e);
    expect(got).toEqual([1, 2]);
    expect(counters.foreign).toBe(1);
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'EOPNOTSUPP', request: 'getRoutes all', seq: 5 });
  });

  it("keeps the dump's data messages with their headers, drops and counts the rest", async () => {
    // One datagram of every kind the walk's router tells apart: this dump's data, another
    // seq, another port, a data message of this port with other flags, a control type.
    const kernel = new SimulatedKernel();
    let port = 0;
    kernel.onRequest((req, reply) => {
      reply.dump([
        packDatagram([
          entry(req.seq, 1),
          entry(req.seq + 1, 2), // out of sequence
          buildMessage({ type: 0x18, flags: NLM_F_MULTI, seq: req.seq, pid: port + 1 }), // foreign
          buildMessage({ type: 0x18, flags: NLM_F_MULTI | 0x20, seq: req.seq, pid: port }),
          buildMessage({ type: 0x0f, flags: NLM_F_MULTI, seq: req.seq }), // control, dropped
          entry(req.seq, 3),
        ]),
      ]);
    });
    const counters = controlCounters();
    const got = await lastValueFrom(
      dumpMessages(
        () => {
          const socket = kernel.open({ rx: RX });
          port = socket.portid;
          return socket;
        },
        buildMessage({ type: 0x1a, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 9 }),
        { counters },
      ).pipe(
        map((m) => ({
          type: m.type,
          flags: m.flags,
          seq: m.seq,
          length: m.length,
          n: m.payload[0],
        })),
        toArray(),
      ),
    );
    expect(got).toEqual([
      { type: 0x18, flags: NLM_F_MULTI, seq: 9, length: 20, n: 1 },
      { type: 0x18, flags: NLM_F_MULTI | 0x20, seq: 9, length: 16, n: undefined },
      { type: 0x18, flags: NLM_F_MULTI, seq: 9, length: 20, n: 3 },
    ]);
    expect(counters).toMatchObject({ outOfSequence: 1, foreign: 1, dropped: 1, interrupted: 0 });
  });

  it('counts a reply flagged NLM_F_DUMP_INTR, emits it and fails at DONE', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((req, reply) => {
      reply.dump([
        packDatagram([
          entry(req.seq, 1),
          buildMessage({ type: 0x18, flags: NLM_F_MULTI | NLM_F_DUMP_INTR, seq: req.seq }),
        ]),
      ]);
    });
    const counters = controlCounters();
    const got: number[] = [];
    const error = await lastValueFrom(
      dumpMessages(
        () => kernel.open({ rx: RX }),
        buildMessage({ type: 0x1a, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 4 }),
        { counters },
      ).pipe(map((m) => got.push(m.flags))),
    ).catch((e: unknown) => e);
    expect(got).toEqual([NLM_F_MULTI, NLM_F_MULTI | NLM_F_DUMP_INTR]);
    expect(counters.interrupted).toBe(1);
    expect(error).toBeInstanceOf(DumpInterruptedError);
    expect(error).toMatchObject({ interrupted: 1, seq: 4 });
  });

  it.each([
    {
      name: 'open',
      run: () => dumpMessages(null as never, buildMessage({ type: 16 })),
      text: /^dumpMessages: open must be/,
    },
    {
      name: 'options',
      run: () =>
        dumpMessages(() => new SimulatedKernel().open(), buildMessage({ type: 16 }), 1 as never),
      text: /^dumpMessages: options must be/,
    },
    {
      name: 'options.description',
      run: () =>
        dumpMessages(() => new SimulatedKernel().open(), buildMessage({ type: 16 }), {
          description: 9 as never,
        }),
      text: /^dumpMessages: options.description/,
    },
  ])('checks $name at call time', ({ run, text }) => {
    expect(run).toThrow(TypeError);
    expect(run).toThrow(text);
  });
});

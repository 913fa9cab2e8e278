import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../../src/errors/errno.js';
import type { ConntrackEntry } from '../../../src/families/netfilter/conntrack.js';
import {
  AF_INET,
  IPCTNL_MSG_CT_GET,
  NFNL_SUBSYS_CTNETLINK,
  NFNLGRP_CONNTRACK_DESTROY,
  NFNLGRP_CONNTRACK_NEW,
  NFNLGRP_CONNTRACK_UPDATE,
} from '../../../src/families/netfilter/constants.js';
import { NLM_F_DUMP } from '../../../src/netlink/constants.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { Overrun } from '../../../src/ring/Overrun.js';
import {
  type ConntrackDumpOptions,
  conntrackDump,
} from '../../../src/sources/netfilter/conntrackDump.js';
import {
  type ConntrackEventsOptions,
  conntrackEvents,
} from '../../../src/sources/netfilter/conntrackEvents.js';
import { writeConntrack } from '../../../src/testing/netfilter.js';
import { SimulatedKernel } from '../../../src/testing/SimulatedKernel.js';

/** A TCP entry as decodeConntrack returns it, with `type` and `sport` chosen. */
const TCP_STATES: Record<string, number> = { SYN_SENT: 1, ESTABLISHED: 3, TIME_WAIT: 7, CLOSE: 8 };

function entry(type: ConntrackEntry['type'], sport: number, state: string): ConntrackEntry {
  return {
    type,
    family: AF_INET,
    protocol: 'tcp',
    orig: { src: '10.0.0.1', dst: '10.0.0.2', proto: 'tcp', protoNumber: 6, sport, dport: 80 },
    reply: {
      src: '10.0.0.2',
      dst: '10.0.0.1',
      proto: 'tcp',
      protoNumber: 6,
      sport: 80,
      dport: sport,
    },
    statusNames: [],
    protoinfo: { state, stateNumber: TCP_STATES[state] },
    id: sport,
  };
}

const bytes = (e: ConntrackEntry, multi = false) =>
  writeConntrack(new MessageWriter(), e, { multi, seq: multi ? 1 : 0 }).finish();

describe('conntrackEvents over the simulated kernel', () => {
  it('decodes the events of every group, in order, with overruns in place and the stream going on', () => {
    const kernel = new SimulatedKernel();
    const socket = kernel.open({
      groups: [NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE, NFNLGRP_CONNTRACK_DESTROY],
    });
    const seen: Array<string> = [];
    const subscription = conntrackEvents({ open: () => socket }).subscribe((e) =>
      seen.push(
        e instanceof Overrun
          ? `overrun ${e.lost}`
          : `${e.type} ${e.orig.sport} ${e.protoinfo?.state}`,
      ),
    );
    kernel.multicast(NFNLGRP_CONNTRACK_NEW, bytes(entry('new', 1000, 'SYN_SENT')));
    kernel.multicast(NFNLGRP_CONNTRACK_UPDATE, bytes(entry('update', 1000, 'ESTABLISHED')));
    socket.setError(errnos.ENOBUFS);
    kernel.multicast(NFNLGRP_CONNTRACK_DESTROY, bytes(entry('destroy', 1000, 'TIME_WAIT')));
    expect(seen).toEqual([
      'new 1000 SYN_SENT',
      'update 1000 ESTABLISHED',
      'overrun 0',
      'destroy 1000 TIME_WAIT',
    ]);
    subscription.unsubscribe();
    expect(socket.closed).toBe(true);
  });

  it.each([
    { name: 'no events', options: { events: [] } },
    { name: 'an unknown event', options: { events: ['new', 'expire'] } },
    { name: 'a negative receive buffer', options: { receiveBufferSize: -1 } },
    { name: 'open not a function', options: { open: 3 } },
  ])('throws a TypeError at once for $name', ({ options }) => {
    expect(() => conntrackEvents(options as unknown as ConntrackEventsOptions)).toThrow(TypeError);
  });
});

describe('conntrackDump over the simulated kernel', () => {
  it('sends IPCTNL_MSG_CT_GET with NLM_F_DUMP and emits the decoded entries until DONE', async () => {
    const kernel = new SimulatedKernel();
    const requests: Array<[number, number, number]> = [];
    kernel.onRequest((request, reply) => {
      requests.push([
        request.type,
        request.flags & NLM_F_DUMP,
        request.view.getUint8(request.payloadOffset),
      ]);
      const w = new MessageWriter();
      writeConntrack(w, entry('update', 1, 'ESTABLISHED'), { multi: true, seq: request.seq });
      writeConntrack(w, entry('update', 2, 'TIME_WAIT'), { multi: true, seq: request.seq });
      reply.dump([w.finish(), bytes(entry('update', 3, 'CLOSE'), true)]);
    });
    const socket = kernel.open({
      rx: { blockSize: 4096, blockNr: 2, frameSize: 2048, frameNr: 4 },
    });
    const entries = await firstValueFrom(
      conntrackDump({ family: AF_INET, open: () => socket }).pipe(toArray()),
    );
    expect(requests).toEqual([
      [(NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_INET],
    ]);
    expect(entries.map((e) => [e.type, e.orig.sport, e.protoinfo?.state])).toEqual([
      ['update', 1, 'ESTABLISHED'],
      ['update', 2, 'TIME_WAIT'],
      ['update', 3, 'CLOSE'],
    ]);
    expect(socket.closed).toBe(true);
  });

  it('errors with a NetlinkError when the kernel refuses the dump', async () => {
    const kernel = new SimulatedKernel();
    kernel.onRequest((_request, reply) => reply.error(errnos.EOPNOTSUPP));
    await expect(
      firstValueFrom(conntrackDump({ open: () => kernel.open() }).pipe(toArray())),
    ).rejects.toMatchObject({ code: 'EOPNOTSUPP' });
  });

  it.each([
    { name: 'a family out of range', options: { family: 256 } },
    { name: 'open not a function', options: { open: 'x' } },
  ])('throws a TypeError at once for $name', ({ options }) => {
    expect(() => conntrackDump(options as unknown as ConntrackDumpOptions)).toThrow(TypeError);
  });
});

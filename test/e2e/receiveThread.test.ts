import { lastValueFrom, map, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AF_UNSPEC, RTM_NEWROUTE } from '../../src/families/rtnetlink/constants.js';
import { decodeRoute, routeDumpRequest } from '../../src/families/rtnetlink/route.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { ofType } from '../../src/operators/ofType.js';
import { dumpMessages } from '../../src/sources/dumpMessages.js';
import { fromRing } from '../../src/sources/fromRing.js';
import { openFds, useNetns } from './netns.js';

// The ring engine's receive thread (RingEngine `thread`, openNetlinkSocket `receiveThread`)
// on this kernel: a dump read on a libuv worker thread gives the same messages in the same
// order as one read on the main thread, and a socket closed while a receive is in flight
// neither leaks its fd nor lets a later socket's data go astray.

const ROUTES = 6000;

describe('the receive thread', () => {
  const netns = useNetns();

  function populate(): void {
    const ns = netns();
    const commands = ['link set lo up', 'link add v0 type veth peer name v1', 'link set v0 up'];
    commands.push('addr add 192.0.2.1/24 dev v0');
    for (let i = 0; i < ROUTES; i++) {
      commands.push(`route add 10.${(i >> 8) & 255}.${i & 255}.0/24 via 192.0.2.2 dev v0`);
    }
    ns.batch(commands);
  }

  /** One AF_UNSPEC route dump over a socket opened with `receiveThread`, decoded in order. */
  function dump(receiveThread: boolean, seq: number): Promise<string[]> {
    const name = netns().name;
    return lastValueFrom(
      dumpMessages(
        () => openNetlinkSocket({ protocol: 'route', netns: name, receiveThread }),
        routeDumpRequest({ family: AF_UNSPEC, seq }),
      ).pipe(
        ofType(RTM_NEWROUTE),
        // Decoded while the frame is borrowed: a frame overwritten by a receive in flight
        // would show here as a wrong or repeated route.
        map((m) => {
          const r = decodeRoute(m);
          return `${r.table} ${r.dst} ${r.gateway ?? '-'}`;
        }),
        toArray(),
      ),
    );
  }

  it('is on by default for a route socket without groups, off with groups or when asked', () => {
    const plain = openNetlinkSocket({ protocol: 'route', netns: netns().name });
    const member = openNetlinkSocket({ protocol: 'route', netns: netns().name, groups: [1] });
    const off = openNetlinkSocket({
      protocol: 'route',
      netns: netns().name,
      receiveThread: false,
    });
    const filter = openNetlinkSocket({ protocol: 'netfilter', netns: netns().name });
    try {
      const thread = (s: unknown) =>
        (s as { producer: { thread?: boolean | undefined } }).producer.thread;
      expect(plain.ringMode === 'engine' ? thread(plain) : undefined).toBe(
        plain.ringMode === 'engine' ? true : undefined,
      );
      if (plain.ringMode === 'engine') {
        expect(thread(member)).toBe(false);
        expect(thread(off)).toBe(false);
        expect(thread(filter)).toBe(false);
        // Joining a group later turns it off.
        plain.addMembership(1);
        expect(thread(plain)).toBe(false);
      }
    } finally {
      for (const s of [plain, member, off, filter]) s.close();
    }
    expect(() =>
      openNetlinkSocket({ protocol: 'route', receiveThread: 'yes' as unknown as boolean }),
    ).toThrow(/options\.receiveThread/);
  });

  it('dumps the same routes in the same order as the main thread does', async () => {
    populate();
    const main = await dump(false, 1);
    const threaded = await dump(true, 2);
    expect(main.length).toBeGreaterThanOrEqual(ROUTES);
    expect(threaded).toEqual(main);
    // And what ip prints, as a set.
    const ip = netns().ipJson<Array<{ dst: string }>>('route', 'show', 'table', 'all');
    expect(threaded.length).toBe(ip.length);
  });

  it('closes a socket whose receive is in flight without leaking it or crossing streams', async () => {
    populate();
    // A receive of an earlier test may still be returning (its socket's fd closes then).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = openFds();
    for (let round = 0; round < 20; round++) {
      const open = () => {
        const socket = openNetlinkSocket({
          protocol: 'route',
          netns: netns().name,
          receiveThread: true,
        });
        socket.send(routeDumpRequest({ family: AF_UNSPEC, seq: round + 1 }));
        return socket;
      };
      // Two frames, then teardown (the socket is fromRing's to close) while the next
      // receive is likely in flight.
      await lastValueFrom(fromRing(open).pipe(take(2), toArray()));
      // A new socket right away, which may get the closed one's fd number once it is freed:
      // its dump must be whole and its own.
      const next = await dump(true, 1000 + round);
      expect(next.length).toBeGreaterThanOrEqual(ROUTES);
      expect(new Set(next).size).toBe(next.length);
    }
    // Every fd closed once the receives in flight returned.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFds()).toEqual(before);
  });
});

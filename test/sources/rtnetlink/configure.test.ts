import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../../src/errors/errno.js';
import { NetlinkError } from '../../../src/errors/NetlinkError.js';
import {
  IFINFOMSG_SIZE,
  IFLA_IFNAME,
  RTM_GETLINK,
  RTM_NEWLINK,
} from '../../../src/families/rtnetlink/constants.js';
import {
  createLinkRequest,
  deleteLinkRequest,
  getLinkRequest,
  setLinkRequest,
} from '../../../src/families/rtnetlink/link.js';
import { addNeighbourRequest } from '../../../src/families/rtnetlink/neighbour.js';
import {
  addNexthopRequest,
  deleteNexthopRequest,
} from '../../../src/families/rtnetlink/nexthop.js';
import { addRuleRequest, deleteRuleRequest } from '../../../src/families/rtnetlink/rule.js';
import type { RingEndpoint } from '../../../src/ring/RingEndpoint.js';
import {
  createLink,
  deleteLink,
  setLink,
  waitForLink,
} from '../../../src/sources/rtnetlink/links.js';
import { addNeighbour } from '../../../src/sources/rtnetlink/neighbours.js';
import { addNexthop, deleteNexthop } from '../../../src/sources/rtnetlink/nexthops.js';
import { addRule, deleteRule } from '../../../src/sources/rtnetlink/rules.js';
import { buildMessage } from '../../../src/testing/buildMessage.js';
import { RTNETLINK_KERNEL_RX as RX } from '../../../src/testing/rtnetlinkKernel.js';
import type { SimSocket } from '../../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../../src/testing/SimulatedKernel.js';

/** Interfaces the simulated kernel knows by name. */
const LINKS: Record<string, number> = { v0: 3, br0: 4 };

/**
 * A kernel that answers an RTM_GETLINK by name with the link (ENODEV for another name) and
 * acknowledges everything else; and an opener that counts closes.
 */
function kernel() {
  const k = new SimulatedKernel();
  k.onRequest((request, reply) => {
    if (request.type !== RTM_GETLINK) {
      reply.ack(0);
      return;
    }
    const a = request.attributes(IFINFOMSG_SIZE);
    let name = '';
    while (a.next()) if (a.type === IFLA_IFNAME) name = a.string();
    const ifindex = LINKS[name];
    if (ifindex === undefined) {
      reply.error(errnos.ENODEV);
      return;
    }
    const payload = new Uint8Array(IFINFOMSG_SIZE);
    new DataView(payload.buffer).setInt32(4, ifindex, true);
    reply.unicast(
      buildMessage({
        type: RTM_NEWLINK,
        seq: request.seq,
        payload,
        attributes: [[IFLA_IFNAME, name]],
      }),
    );
  });
  const opened: Array<{ socket: SimSocket; closes: number }> = [];
  const open = (): RingEndpoint => {
    const socket = k.open({ rx: RX });
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

type Send = (open: () => RingEndpoint) => Observable<void>;

const REQUESTS: Array<{ name: string; send: Send; sent: Uint8Array[] }> = [
  {
    name: 'setLink by name resolves the name first, on the same socket',
    send: (open) => setLink({ dev: 'v0', up: true, mtu: 1400, open }),
    sent: [
      getLinkRequest({ ifname: 'v0', seq: 1 }),
      setLinkRequest({ ifindex: 3, up: true, mtu: 1400, seq: 2 }),
    ],
  },
  {
    name: 'setLink with a master by name resolves both',
    send: (open) => setLink({ dev: 'v0', master: 'br0', open }),
    sent: [
      getLinkRequest({ ifname: 'v0', seq: 1 }),
      getLinkRequest({ ifname: 'br0', seq: 2 }),
      setLinkRequest({ ifindex: 3, master: 4, seq: 3 }),
    ],
  },
  {
    name: 'setLink nomaster by ifindex resolves nothing',
    send: (open) => setLink({ ifindex: 3, master: null, open }),
    sent: [setLinkRequest({ ifindex: 3, master: 0, seq: 1 })],
  },
  {
    name: 'createLink macvlan on a lower link by name',
    send: (open) => createLink({ dev: 'mv0', kind: 'macvlan', link: 'v0', mode: 'bridge', open }),
    sent: [
      getLinkRequest({ ifname: 'v0', seq: 1 }),
      createLinkRequest({ ifname: 'mv0', kind: 'macvlan', link: 3, mode: 'bridge', seq: 2 }),
    ],
  },
  {
    name: 'createLink veth with a peer in a namespace given by pid',
    send: (open) =>
      createLink({ dev: 'v0', kind: 'veth', peer: { dev: 'v1', netns: { pid: 1 } }, open }),
    sent: [
      createLinkRequest({
        ifname: 'v0',
        kind: 'veth',
        peer: { ifname: 'v1', netns: { pid: 1 } },
        seq: 1,
      }),
    ],
  },
  {
    name: 'deleteLink by ifindex',
    send: (open) => deleteLink({ ifindex: 3, open }),
    sent: [deleteLinkRequest({ ifindex: 3, seq: 1 })],
  },
  {
    name: 'addNeighbour by name',
    send: (open) => addNeighbour({ dev: 'v0', dst: '10.1.0.9', lladdr: '02:00:00:00:00:09', open }),
    sent: [
      getLinkRequest({ ifname: 'v0', seq: 1 }),
      addNeighbourRequest({ ifindex: 3, dst: '10.1.0.9', lladdr: '02:00:00:00:00:09', seq: 2 }),
    ],
  },
  {
    name: 'addRule',
    send: (open) => addRule({ from: '10.0.0.0/8', table: 100, priority: 1000, open }),
    sent: [addRuleRequest({ from: '10.0.0.0/8', table: 100, priority: 1000, seq: 1 })],
  },
  {
    name: 'deleteRule',
    send: (open) => deleteRule({ priority: 1000, open }),
    sent: [deleteRuleRequest({ priority: 1000, seq: 1 })],
  },
  {
    name: 'addNexthop by device name',
    send: (open) => addNexthop({ id: 1, gateway: '10.1.0.2', dev: 'v0', open }),
    sent: [
      getLinkRequest({ ifname: 'v0', seq: 1 }),
      addNexthopRequest({ id: 1, gateway: '10.1.0.2', ifindex: 3, seq: 2 }),
    ],
  },
  {
    name: 'deleteNexthop',
    send: (open) => deleteNexthop({ id: 1, open }),
    sent: [deleteNexthopRequest({ id: 1, seq: 1 })],
  },
];

describe('configuring sources over the simulated kernel', () => {
  it.each(REQUESTS)(
    '$name, emits one undefined at the ack, closes once',
    async ({ send, sent }) => {
      const k = kernel();
      const source = send(k.open);
      expect(k.opened).toHaveLength(0); // cold
      expect(await lastValueFrom(source.pipe(toArray()))).toEqual([undefined]);
      expect(k.opened).toHaveLength(1);
      expect(k.opened[0].socket.sent.map((d) => d.data)).toEqual(sent);
      expect(k.opened[0].closes).toBe(1);
    },
  );

  it('fails with ENODEV naming the interface it could not resolve, and sends nothing more', async () => {
    const k = kernel();
    const error = await lastValueFrom(setLink({ dev: 'nope', up: true, open: k.open })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'ENODEV', op: 'request' });
    expect((error as NetlinkError).detail).toBe('setLink nope: resolving interface "nope"');
    expect(k.opened[0].socket.sent).toHaveLength(1);
    expect(k.opened[0].closes).toBe(1);
  });

  it('closes the socket once when unsubscribed before the ack', () => {
    const k = new SimulatedKernel(); // answers nothing
    let closes = 0;
    const subscription = deleteRule({
      priority: 5,
      open: () => {
        const socket = k.open({ rx: RX });
        const close = socket.close.bind(socket);
        socket.close = () => {
          closes++;
          close();
        };
        return socket;
      },
    }).subscribe();
    subscription.unsubscribe();
    expect(closes).toBe(1);
  });

  it.each([
    {
      name: 'createLink, a macvlan without its link',
      call: () => createLink({ dev: 'mv0', kind: 'macvlan' }),
      message: /^createLink: options\.link must be/,
    },
    {
      name: 'createLink, a bad peer namespace',
      call: () => createLink({ dev: 'v0', kind: 'veth', peer: { netns: '' } }),
      message: /^createLink: options\.peer\.netns must be/,
    },
    {
      name: 'setLink, no interface',
      call: () => setLink({ mtu: 1400 }),
      message: /^setLink: options\.dev must be/,
    },
    {
      name: 'setLink, both dev and ifindex',
      call: () => setLink({ dev: 'v0', ifindex: 3 }),
      message: /^setLink: options\.ifindex must be absent/,
    },
    {
      name: 'setLink, a negative MTU',
      call: () => setLink({ dev: 'v0', mtu: -1 }),
      message: /^setLink: options\.mtu must be/,
    },
    {
      name: 'setLink, a bad moveTo',
      call: () => setLink({ dev: 'v0', moveTo: { fd: -1 } }),
      message: /^setLink: options\.moveTo\.fd must be/,
    },
    {
      name: 'deleteLink, a name too long',
      call: () => deleteLink({ dev: 'abcdefghijklmnop' }),
      message: /^deleteLink: options\.dev must be/,
    },
    {
      name: 'addNeighbour, a bad address',
      call: () => addNeighbour({ dev: 'v0', dst: 'x' }),
      message: /^addNeighbour: options\.dst must be/,
    },
    {
      name: 'addRule, a bad prefix',
      call: () => addRule({ from: '10.0.0.0/33' }),
      message: /^addRule: options\.from must be/,
    },
    {
      name: 'deleteRule, a bad netns',
      call: () => deleteRule({ priority: 1, netns: 'a/b' }),
      message: /^deleteRule: options\.netns must be/,
    },
    {
      name: 'addNexthop, a group and a gateway',
      call: () => addNexthop({ id: 1, gateway: '10.1.0.2', group: [{ id: 2 }] }),
      message: /^addNexthop: options must be one of/,
    },
    {
      name: 'deleteNexthop, no id',
      call: () => deleteNexthop({} as never),
      message: /^deleteNexthop: options\.id must be/,
    },
    {
      name: 'waitForLink, a negative timeout',
      call: () => waitForLink({ dev: 'v0', timeout: -1 }),
      message: /^waitForLink: options\.timeout must be/,
    },
  ])(
    'throws a TypeError at call time naming the function and option: $name',
    ({ call, message }) => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    },
  );
});

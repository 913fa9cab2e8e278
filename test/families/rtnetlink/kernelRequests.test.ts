import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errnos } from '../../../src/errors/errno.js';
import {
  addAddressRequest,
  addressDumpRequest,
  decodeAddress,
  deleteAddressRequest,
} from '../../../src/families/rtnetlink/address.js';
import {
  AF_INET,
  IFA_F_NODAD,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWNEIGH,
  RTM_NEWROUTE,
} from '../../../src/families/rtnetlink/constants.js';
import { decodeLink, linkDumpRequest } from '../../../src/families/rtnetlink/link.js';
import {
  decodeNeighbour,
  neighbourDumpRequest,
} from '../../../src/families/rtnetlink/neighbour.js';
import {
  addRouteRequest,
  decodeRoute,
  deleteRouteRequest,
  routeDumpRequest,
} from '../../../src/families/rtnetlink/route.js';
import { NLMSG_DONE } from '../../../src/netlink/constants.js';
import { NetlinkMessage, walkMessages } from '../../../src/netlink/NetlinkMessage.js';

// The request builders against the real kernel, without the rest of nlring: a python3
// helper sends each request's bytes on a NETLINK_ROUTE socket (NETLINK_GET_STRICT_CHK on,
// so the kernel validates dump headers and honours their filters) inside a fresh network
// namespace, and reports the acknowledgement's errno or the dump's messages; `ip -j` then
// says what changed.

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Reads `<hex>` lines; prints `errno <n>` for an acknowledged request or `dump <hex>,…`. */
const SENDER = `
import socket, struct, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.setsockopt(270, 12, 1)  # SOL_NETLINK, NETLINK_GET_STRICT_CHK
s.setsockopt(270, 11, 1)  # NETLINK_EXT_ACK
s.bind((0, 0))
for line in sys.stdin.read().split():
    s.send(bytes.fromhex(line))
    msgs = []
    done = False
    while not done:
        data = s.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            length, t = struct.unpack_from('=IH', data, off)
            if t == 2:
                print('errno', -struct.unpack_from('=i', data, off + 16)[0])
                done = True
            elif t == 3:
                print('dump', ','.join(m.hex() for m in msgs))
                done = True
            else:
                msgs.append(data[off:off + length])
            off += (length + 3) & ~3
`;

const ns = `nlring-h4r-${process.pid}-${Date.now().toString(36)}`;

function canRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    execFileSync(PYTHON, ['-c', 'import socket; socket.AF_NETLINK'], { stdio: 'ignore' });
  } catch {
    return 'needs iproute2 (ip) and python3';
  }
  return undefined;
}
const skipReason = canRun();
if (skipReason) console.warn(`kernelRequests.test.ts skipped: ${skipReason}`);

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function ipJson<T>(...args: string[]): T[] {
  return JSON.parse(ip('-n', ns, '-j', ...args)) as T[];
}

type Reply = { errno: number } | { messages: NetlinkMessage[] };

/** Sends the requests in order on one socket in the namespace. */
function send(...requests: Uint8Array[]): Reply[] {
  const input = requests.map((r) => Buffer.from(r).toString('hex')).join('\n');
  const out = execFileSync('ip', ['netns', 'exec', ns, PYTHON, '-c', SENDER], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [kind, rest = ''] = line.split(' ');
      if (kind === 'errno') return { errno: Number(rest) };
      const messages =
        rest === ''
          ? []
          : rest.split(',').map((hex) => NetlinkMessage.from(Buffer.from(hex, 'hex')));
      for (const m of messages) {
        walkMessages(m.view, 0, m.length, () => true); // well-formed
        expect(m.type).not.toBe(NLMSG_DONE);
      }
      return { messages };
    });
}
const errno = (reply: Reply) => ('errno' in reply ? reply.errno : Number.NaN);
const messages = (reply: Reply) => ('messages' in reply ? reply.messages : []);

describe.skipIf(skipReason !== undefined)('request builders against the kernel', () => {
  let v0 = 0;
  let v1 = 0;

  beforeAll(() => {
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ip('-n', ns, 'link', 'set', 'v0', 'up');
    ip('-n', ns, 'link', 'set', 'v1', 'up');
    const links = ipJson<{ ifindex: number; ifname: string }>('link', 'show');
    v0 = links.find((l) => l.ifname === 'v0')?.ifindex ?? 0;
    v1 = links.find((l) => l.ifname === 'v1')?.ifindex ?? 0;
  });

  afterAll(() => {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // not created
    }
  });

  it('adds, replaces and deletes addresses with the errnos ip would see', () => {
    const add = addAddressRequest({
      ifindex: v0,
      address: '10.7.0.1/24',
      broadcast: '10.7.0.255',
      label: 'v0:k',
      seq: 1,
    });
    const replies = send(
      add,
      add,
      addAddressRequest({
        ifindex: v0,
        address: '10.7.0.1/24',
        metric: 44,
        validLifetime: 500,
        preferredLifetime: 400,
        replace: true,
      }),
      addAddressRequest({
        ifindex: v0,
        address: '2001:db8:7::1/64',
        flags: IFA_F_NODAD,
        metric: 33,
      }),
      addAddressRequest({ ifindex: v1, address: '10.77.0.1', peer: '10.77.0.2' }),
    );
    expect(replies.map(errno)).toEqual([0, errnos.EEXIST, 0, 0, 0]);
    const v0info = ipJson<{ addr_info: Array<Record<string, unknown>> }>(
      'addr',
      'show',
      'dev',
      'v0',
    )[0].addr_info;
    expect(v0info).toContainEqual(
      // NLM_F_REPLACE updates the metric and lifetimes of an existing address (not its label).
      expect.objectContaining({
        local: '10.7.0.1',
        prefixlen: 24,
        broadcast: '10.7.0.255',
        label: 'v0:k',
        metric: 44,
        dynamic: true,
        valid_life_time: expect.toSatisfy((t: number) => t > 490 && t <= 500),
        preferred_life_time: expect.toSatisfy((t: number) => t > 390 && t <= 400),
      }),
    );
    expect(v0info).toContainEqual(
      expect.objectContaining({ local: '2001:db8:7::1', prefixlen: 64, nodad: true, metric: 33 }),
    );
    const v1info = ipJson<{ addr_info: Array<Record<string, unknown>> }>(
      'addr',
      'show',
      'dev',
      'v1',
    )[0].addr_info;
    expect(v1info).toContainEqual(
      expect.objectContaining({ local: '10.77.0.1', address: '10.77.0.2', prefixlen: 32 }),
    );

    const del = deleteAddressRequest({ ifindex: v0, address: '10.7.0.1/24' });
    expect(send(del, del).map(errno)).toEqual([0, errnos.EADDRNOTAVAIL]);
    expect(ip('-n', ns, 'addr', 'show', 'dev', 'v0')).not.toContain('10.7.0.1');
  });

  it('adds routes ip shows as asked, and deletes them', () => {
    const replies = send(
      addAddressRequest({ ifindex: v0, address: '10.8.0.1/24' }),
      addRouteRequest({
        dst: '10.9.0.0/16',
        gateway: '10.8.0.2',
        ifindex: v0,
        protocol: 'static',
        metric: 50,
      }),
      addRouteRequest({
        dst: '10.9.0.0/16',
        gateway: '10.8.0.2',
        ifindex: v0,
        protocol: 'static',
        metric: 50,
      }),
      addRouteRequest({ dst: '10.10.0.0/16', ifindex: v0, table: 1000 }),
      addRouteRequest({ dst: '10.11.0.0/16', type: 'blackhole', table: 'main' }),
      addRouteRequest({ dst: 'default', gateway: '10.8.0.254' }),
      addRouteRequest({ dst: '2001:db8:9::/48', gateway: 'fe80::1', ifindex: v0, metric: 7 }),
    );
    expect(replies.map(errno)).toEqual([0, 0, errnos.EEXIST, 0, 0, 0, 0]);
    const v4 = ipJson<Record<string, unknown>>('-4', '-d', 'route', 'show', 'table', 'all');
    expect(v4).toContainEqual(
      expect.objectContaining({
        dst: '10.9.0.0/16',
        gateway: '10.8.0.2',
        dev: 'v0',
        protocol: 'static',
        metric: 50,
      }),
    );
    expect(v4).toContainEqual(
      expect.objectContaining({ dst: '10.10.0.0/16', dev: 'v0', table: '1000', scope: 'link' }),
    );
    expect(v4).toContainEqual(
      expect.objectContaining({ type: 'blackhole', dst: '10.11.0.0/16', table: 'main' }),
    );
    expect(v4).toContainEqual(
      expect.objectContaining({ dst: 'default', gateway: '10.8.0.254', protocol: 'boot' }),
    );
    const v6 = ipJson<Record<string, unknown>>('-6', 'route', 'show');
    expect(v6).toContainEqual(
      expect.objectContaining({ dst: '2001:db8:9::/48', gateway: 'fe80::1', metric: 7 }),
    );

    const del = deleteRouteRequest({ dst: '10.9.0.0/16' });
    expect(
      send(del, del, deleteRouteRequest({ dst: '10.10.0.0/16', table: 1000 })).map(errno),
    ).toEqual([0, errnos.ESRCH, 0]);
    const after = ipJson<{ dst: string }>('-4', 'route', 'show', 'table', 'all').map((r) => r.dst);
    expect(after).not.toContain('10.9.0.0/16');
    expect(after).not.toContain('10.10.0.0/16');
  });

  it('dumps with filters a strict-checking kernel accepts and honours', () => {
    send(
      addAddressRequest({ ifindex: v1, address: '10.12.0.1/24' }),
      addRouteRequest({
        dst: '10.13.0.0/16',
        gateway: '10.12.0.2',
        protocol: 'static',
        table: 2000,
      }),
      addRouteRequest({ dst: '10.14.0.0/16', gateway: '10.12.0.2', protocol: 'boot', table: 2000 }),
    );
    ip(
      '-n',
      ns,
      'neigh',
      'add',
      '10.12.0.9',
      'lladdr',
      '02:00:00:00:00:09',
      'dev',
      'v1',
      'nud',
      'permanent',
    );
    const [links, vethLinks, addresses, v1v4, routes, table2000Static, neigh, neighV1] = send(
      linkDumpRequest(),
      linkDumpRequest({ kind: 'veth' }),
      addressDumpRequest(),
      addressDumpRequest({ family: AF_INET, ifindex: v1 }),
      routeDumpRequest(),
      routeDumpRequest({ family: AF_INET, table: 2000, protocol: 'static' }),
      neighbourDumpRequest(),
      neighbourDumpRequest({ family: AF_INET, ifindex: v1 }),
    ).map(messages);

    expect(links.every((m) => m.type === RTM_NEWLINK)).toBe(true);
    expect(links.map((m) => decodeLink(m).ifname).sort()).toEqual(['lo', 'v0', 'v1']);
    expect(vethLinks.map((m) => decodeLink(m).ifname).sort()).toEqual(['v0', 'v1']);

    expect(addresses.every((m) => m.type === RTM_NEWADDR)).toBe(true);
    const all = addresses.map((m) => decodeAddress(m));
    expect(all.some((a) => a.family === 'inet6')).toBe(true);
    expect(v1v4.map((m) => decodeAddress(m)).map((a) => [a.ifindex, a.family, a.local])).toEqual(
      all
        .filter((a) => a.ifindex === v1 && a.family === 'inet')
        .map((a) => [a.ifindex, a.family, a.local]),
    );

    expect(routes.every((m) => m.type === RTM_NEWROUTE)).toBe(true);
    const decoded = routes.map((m) => decodeRoute(m));
    expect(
      decoded
        .filter((r) => r.table === '2000')
        .map((r) => r.dst)
        .sort(),
    ).toEqual(['10.13.0.0/16', '10.14.0.0/16']);
    expect(decoded.some((r) => r.family === 'inet6')).toBe(true);
    expect(
      table2000Static.map((m) => decodeRoute(m)).map((r) => [r.dst, r.table, r.protocol]),
    ).toEqual([['10.13.0.0/16', '2000', 'static']]);

    expect(neigh.every((m) => m.type === RTM_NEWNEIGH)).toBe(true);
    expect(neighV1.map((m) => decodeNeighbour(m)).map((n) => [n.dst, n.ifindex, n.state])).toEqual([
      ['10.12.0.9', v1, ['PERMANENT']],
    ]);
  });
});

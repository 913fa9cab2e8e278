import { describe, expect, it } from 'vitest';
import { RTM_DELROUTE } from '../../../src/families/rtnetlink/constants.js';
import { decodeRoute } from '../../../src/families/rtnetlink/decodeRoute.js';
import { deleteRouteRequest } from '../../../src/families/rtnetlink/deleteRouteRequest.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';

// Expected bytes: what iproute2 6.1 sends for the same command (captured with strace).

/** ip route del 10.9.9.0/24: protocol, type any; scope nowhere */
// biome-ignore format: byte literals four per line
const routeDelete = Uint8Array.from([
  0x24, 0x00, 0x00, 0x00, // nlmsg_len 36
  0x19, 0x00, 0x05, 0x00, // type 25, flags 0x005
  0x08, 0x00, 0x00, 0x00, // seq 8
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x18, 0x00, 0x00, // rtmsg: family 2, dst_len 24, src_len 0, tos 0
  0xfe, 0x00, 0xff, 0x00, // table 254, protocol 0, scope 255, type 0
  0x00, 0x00, 0x00, 0x00, // rtm_flags 0
  0x08, 0x00, 0x01, 0x00, // RTA_DST, nla_len 8
  0x0a, 0x09, 0x09, 0x00,
]);

describe('deleteRouteRequest', () => {
  it('writes a delete that matches any protocol, type and scope, as ip route del does', () => {
    expect(deleteRouteRequest({ dst: '10.9.9.0/24', seq: 8 })).toEqual(routeDelete);
  });

  it.each([
    {
      name: 'a plain delete',
      options: { dst: '10.9.9.0/24' },
      route: {
        deleted: true,
        type: 'none',
        dst: '10.9.9.0/24',
        table: 'main',
        protocol: 'unspec',
        scope: 'nowhere',
      },
    },
    {
      name: 'a delete narrowed by gateway, device, metric, protocol and table',
      options: {
        dst: '2001:db8::/64',
        gateway: 'fe80::1',
        ifindex: 3,
        metric: 1024,
        protocol: 'kernel',
        table: 'local',
      },
      route: {
        deleted: true,
        dst: '2001:db8::/64',
        gateway: 'fe80::1',
        dev: 'if3',
        table: 'local',
        protocol: 'kernel',
        scope: 'global',
        metric: 1024,
      },
    },
    {
      name: 'a local route (scope host, as ip sends it)',
      options: { dst: '10.1.0.7', type: 'local', table: 'local' },
      route: { deleted: true, type: 'local', scope: 'host' },
    },
  ])('round-trips $name through decodeRoute', ({ options, route }) => {
    const message = NetlinkMessage.from(deleteRouteRequest(options));
    expect(message.type).toBe(RTM_DELROUTE);
    expect(decodeRoute(message)).toMatchObject(route);
  });

  it.each([
    {
      name: 'replace',
      options: { dst: '10.9.0.0/16', replace: true },
      message: /options\.replace must be absent/,
    },
    { name: 'no dst', options: {}, message: /options\.dst/ },
    { name: 'a bad table', options: { dst: '10.9.0.0/16', table: -1 }, message: /options\.table/ },
  ])('throws a TypeError naming the argument for $name', ({ options, message }) => {
    const build = () =>
      deleteRouteRequest(options as unknown as Parameters<typeof deleteRouteRequest>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(/^deleteRouteRequest: /);
    expect(build).toThrow(message);
  });
});

import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { decodeAddress, deleteAddressRequest } from '../../../src/families/rtnetlink/address.js';
import { decodeLink } from '../../../src/families/rtnetlink/link.js';
import { decodeNeighbour } from '../../../src/families/rtnetlink/neighbour.js';
import { addRouteRequest, decodeRoute } from '../../../src/families/rtnetlink/route.js';
import { formatIPv4, formatIPv6, formatLinkAddress } from '../../../src/netlink/inet.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { dumpLinks, dumpRoutes, dumpRoutesWith } from '../../../src/sources/rtnetlink/dumps.js';
import { monitor } from '../../../src/sources/rtnetlink/monitor.js';
import {
  addAddress,
  addRoute,
  deleteAddress,
  deleteRoute,
} from '../../../src/sources/rtnetlink/requests.js';
import { resyncOnOverrun } from '../../../src/sources/rtnetlink/resyncOnOverrun.js';
import { routeStatic } from '../../families/rtnetlink/fixtures.js';

const route = () => NetlinkMessage.from(routeStatic.slice());

// Every public function checks its options at call time, and the TypeError names the
// function the caller called (not an internal builder) and the option.
describe('argument checks name the public function', () => {
  it.each([
    {
      name: 'addRoute dst',
      call: () => addRoute({ dst: 'x' }),
      text: /^addRoute: options\.dst must be/,
    },
    {
      name: 'addRoute metric',
      call: () => addRoute({ dst: '10.9.0.0/16', metric: -1 }),
      text: /^addRoute: options\.metric must be/,
    },
    {
      name: 'deleteRoute replace',
      call: () => deleteRoute({ dst: '10.9.0.0/16', replace: true } as never),
      text: /^deleteRoute: options\.replace must be/,
    },
    {
      name: 'addAddress ifindex',
      call: () => addAddress({ ifindex: 0, address: '10.1.0.1/24' }),
      text: /^addAddress: options\.ifindex must be/,
    },
    {
      name: 'deleteAddress label',
      call: () => deleteAddress({ ifindex: 3, address: '10.1.0.1/24', label: 'x' } as never),
      text: /^deleteAddress: options\.label must be/,
    },
    {
      name: 'addRoute netns',
      call: () => addRoute({ dst: 'default', netns: 'a/b' }),
      text: /^addRoute: options\.netns must be/,
    },
    {
      name: 'addRoute options',
      call: () => addRoute(null as never),
      text: /^addRoute: options must be an object/,
    },
    {
      name: 'addRouteRequest dst',
      call: () => addRouteRequest({ dst: 'x' }),
      text: /^addRouteRequest: options\.dst must be/,
    },
    {
      name: 'deleteAddressRequest peer',
      call: () => deleteAddressRequest({ ifindex: 3, address: '10.1.0.1/24', peer: '::1' }),
      text: /^deleteAddressRequest: options\.peer must be/,
    },
    {
      name: 'dumpLinks open',
      call: () => dumpLinks({ open: 5 as never }),
      text: /^dumpLinks: options\.open must be/,
    },
    {
      name: 'dumpRoutes family',
      call: () => dumpRoutes({ family: 'ipx' as never }),
      text: /^dumpRoutes: options\.family must be/,
    },
    {
      name: 'dumpRoutes table',
      call: () => dumpRoutes({ table: 'nope' as never }),
      text: /^dumpRoutes: options\.table must be/,
    },
    {
      name: 'dumpRoutesWith decodeAt',
      call: () => dumpRoutesWith(5 as never),
      text: /^dumpRoutesWith: decodeAt must be a function/,
    },
    {
      name: 'dumpRoutesWith nhInfo',
      call: () => dumpRoutesWith(() => 1, { nhInfo: true } as never),
      text: /^dumpRoutesWith: options\.nhInfo must be not given/,
    },
    {
      name: 'dumpRoutesWith table',
      call: () => dumpRoutesWith(() => 1, { table: 'nope' as never }),
      text: /^dumpRoutesWith: options\.table must be/,
    },
    {
      name: 'monitor receiveBufferSize',
      call: () => monitor({ kinds: ['link'], receiveBufferSize: 0 }),
      text: /^monitor: options\.receiveBufferSize must be/,
    },
    {
      name: 'monitor kinds',
      call: () => monitor({ kinds: ['mroute' as never] }),
      text: /^monitor: options\.kinds must be/,
    },
    {
      name: 'resyncOnOverrun scheduler',
      call: () => resyncOnOverrun(() => EMPTY, { scheduler: {} as never }),
      text: /^resyncOnOverrun: options\.scheduler must be/,
    },
    {
      name: 'resyncOnOverrun retries',
      call: () => resyncOnOverrun(() => EMPTY, { retries: Number.NaN }),
      text: /^resyncOnOverrun: options\.retries must be/,
    },
    {
      name: 'resyncOnOverrun redump',
      call: () => resyncOnOverrun(5 as never),
      text: /^resyncOnOverrun: redump must be/,
    },
    {
      name: 'decodeRoute message',
      call: () => decodeRoute(routeStatic as never),
      text: /^decodeRoute: message must be a NetlinkMessage/,
    },
    {
      name: 'decodeRoute ifname',
      call: () => decodeRoute(route(), { ifname: 5 as never }),
      text: /^decodeRoute: options\.ifname must be/,
    },
    {
      name: 'decodeAddress options',
      call: () => decodeAddress(route(), 'x' as never),
      text: /^decodeAddress: options must be/,
    },
    {
      name: 'decodeLink ifflags',
      call: () => decodeLink(route(), { ifflags: [] as never }),
      text: /^decodeLink: options\.ifflags must be/,
    },
    {
      name: 'decodeNeighbour message',
      call: () => decodeNeighbour({} as never),
      text: /^decodeNeighbour: message must be/,
    },
    {
      name: 'formatIPv4 short',
      call: () => formatIPv4(new Uint8Array(3)),
      text: /^formatIPv4: bytes must be at least 4 bytes/,
    },
    {
      name: 'formatIPv6 offset',
      call: () => formatIPv6(new Uint8Array(16), 1),
      text: /^formatIPv6: offset must be/,
    },
    {
      name: 'formatLinkAddress length',
      call: () => formatLinkAddress(new Uint8Array(6), 0, 7),
      text: /^formatLinkAddress: length must be/,
    },
  ])('$name', ({ call, text }) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(text);
  });
});

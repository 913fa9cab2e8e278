// Every source's `open` option has one shape, (request: OpenRequest) => RingEndpoint: each
// calls it once per subscription with what it would open by default, and a throw from it
// errors that subscription.
import type { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { OpenEndpoint, OpenRequest } from '../../src/index.js';
import {
  addAddress,
  addRoute,
  applyChanges,
  conntrackDump,
  conntrackEvents,
  createLink,
  dumpGenlFamilies,
  dumpLinks,
  dumpRoutes,
  genlDump,
  genlMonitor,
  monitor,
  nflog,
  nfqueue,
  rtnetlink,
  waitForLink,
} from '../../src/index.js';

const route = (groups: number[], netns?: string): OpenRequest => ({
  protocol: 'route',
  groups,
  netns,
});
const nf = (groups: number[], netns?: string): OpenRequest => ({
  protocol: 'netfilter',
  groups,
  netns,
});
const generic = (netns?: string): OpenRequest => ({ protocol: 'generic', groups: [], netns });

const { RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, RTNLGRP_LINK } = rtnetlink;
// <linux/netfilter/nfnetlink.h>: NFNLGRP_CONNTRACK_NEW = 1, NFNLGRP_CONNTRACK_DESTROY = 3.
const NFNLGRP_CONNTRACK_NEW = 1;
const NFNLGRP_CONNTRACK_DESTROY = 3;

const cases: Array<{
  name: string;
  source: (open: OpenEndpoint) => Observable<unknown>;
  request: OpenRequest;
}> = [
  { name: 'dumpLinks', source: (open) => dumpLinks({ open }), request: route([]) },
  {
    name: 'dumpRoutes in a namespace',
    source: (open) => dumpRoutes({ open, netns: 'api-blue' }),
    request: route([], 'api-blue'),
  },
  {
    name: 'monitor routes',
    source: (open) => monitor({ kinds: ['route'], ifnames: new Map(), open }),
    request: route([RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE]),
  },
  {
    name: 'waitForLink',
    source: (open) => waitForLink({ dev: 'v0', open }),
    request: route([RTNLGRP_LINK]),
  },
  {
    name: 'addRoute',
    source: (open) => addRoute({ dst: '192.0.2.0/24', ifindex: 1, open }),
    request: route([]),
  },
  {
    name: 'addAddress',
    source: (open) => addAddress({ ifindex: 1, address: '192.0.2.1/24', open }),
    request: route([]),
  },
  {
    name: 'createLink',
    source: (open) => createLink({ dev: 'v0', kind: 'dummy', open }),
    request: route([]),
  },
  {
    name: 'applyChanges',
    source: (open) => applyChanges([], { open, netns: 'api-red' }),
    request: route([], 'api-red'),
  },
  { name: 'nflog', source: (open) => nflog({ group: 7, open }), request: nf([]) },
  { name: 'nfqueue', source: (open) => nfqueue({ queue: 7, open }), request: nf([]) },
  { name: 'conntrackDump', source: (open) => conntrackDump({ open }), request: nf([]) },
  {
    name: 'conntrackEvents',
    source: (open) => conntrackEvents({ events: ['new', 'destroy'], open }),
    request: nf([NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_DESTROY]),
  },
  { name: 'dumpGenlFamilies', source: (open) => dumpGenlFamilies({ open }), request: generic() },
  {
    name: 'genlDump',
    source: (open) => genlDump({ family: 'nlctrl', command: 3, open, netns: 'api-green' }),
    request: generic('api-green'),
  },
  {
    name: 'genlMonitor',
    source: (open) => genlMonitor({ family: 'nlctrl', groups: ['notify'], open }),
    request: generic(),
  },
];

describe('the open option', () => {
  it.each(cases)(
    '$name calls open once with its request and errors with its throw',
    ({ source, request }) => {
      const seen: OpenRequest[] = [];
      const refused = new Error('refused');
      const open: OpenEndpoint = (r) => {
        seen.push(r);
        throw refused;
      };
      let error: unknown;
      source(open).subscribe({ error: (e) => (error = e) });
      expect(seen).toEqual([request]);
      expect(error).toBe(refused);
    },
  );
});

// The README's marble test: a pipeline of your own, fed by the simulated kernel, in virtual time.
import { configure } from 'rxjs-marbles';
import { expect, it } from 'vitest';
import { defaultRoutes } from '../../examples/readme/defaultRoutes.js';
import { rtnetlink } from '../../src/index.js';
import { SimulatedKernel, scriptDeliveries } from '../../src/testing/index.js';

const { marbles } = configure({
  assertDeepEqual: (a: unknown, b: unknown) => expect(a).toStrictEqual(b),
  frameworkMatcher: true,
});

/** The notification the kernel multicasts for a route: the same layout as the request. */
function routeNotification(type: 'new' | 'del', gateway: string): Uint8Array {
  const bytes = rtnetlink.addRouteRequest({ dst: 'default', gateway, ifindex: 2 });
  new DataView(bytes.buffer).setUint16(
    4,
    type === 'new' ? rtnetlink.RTM_NEWROUTE : rtnetlink.RTM_DELROUTE,
    true,
  );
  return bytes;
}

it(
  'reports default-route changes as they are delivered',
  marbles((m) => {
    const kernel = new SimulatedKernel();
    const socket = kernel.open({ policy: 'valid-when-fits' });
    const routes = defaultRoutes({ open: () => socket, ifnames: new Map([[2, 'eth0']]) });

    const group = rtnetlink.RTNLGRP_IPV4_ROUTE;
    scriptDeliveries(
      socket,
      m.cold('-a--b-', {
        a: { data: routeNotification('new', '192.0.2.1'), group },
        b: { data: routeNotification('del', '192.0.2.1'), group },
      }),
    );

    m.expect(routes, '^-----!').toBeObservable('-x--y-', {
      x: 'new default via 192.0.2.1 dev eth0',
      y: 'del default via 192.0.2.1 dev eth0',
    });
  }),
);

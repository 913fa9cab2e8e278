// Differential: the generated rt-link and rt-route codecs decode the kernel captures of the
// rtnetlink tests to the same values as the hand-written decoders, on the fields both name.
import { describe, expect, it } from 'vitest';
import { decodeLink } from '../../../src/families/rtnetlink/link.js';
import { decodeRoute } from '../../../src/families/rtnetlink/route.js';
import { rtLink } from '../../../src/families/ynl/rt-link.js';
import { rtRoute } from '../../../src/families/ynl/rt-route.js';
import {
  linkVeth,
  message,
  routeDefault,
  routeLocal,
  routeMetrics,
  routeMultipath,
  routeStatic,
} from '../rtnetlink/fixtures.js';

function generated(codec: typeof rtLink, header: string, set: string, bytes: Uint8Array) {
  const m = message(bytes);
  const start = m.payloadOffset;
  return {
    ...codec.decodeStruct(header, m.view, start),
    ...codec.decode(set, m.view, start + codec.structSize(header), m.end),
  };
}

describe('generated rt-link and rt-route decoders equal the hand-written ones', () => {
  it.each([{ name: 'linkVeth', bytes: linkVeth }])('$name', ({ bytes }) => {
    const ours = decodeLink(message(bytes));
    const gen = generated(rtLink, 'ifinfomsg', 'link-attrs', bytes);
    expect({
      ifindex: gen['ifi-index'],
      ifname: gen.ifname,
      mtu: gen.mtu,
      txqlen: gen.txqlen,
      address: gen.address,
    }).toEqual({
      ifindex: ours.ifindex,
      ifname: ours.ifname,
      mtu: ours.mtu,
      txqlen: ours.txqlen,
      address: ours.address,
    });
  });

  it.each([
    { name: 'routeDefault', bytes: routeDefault },
    { name: 'routeStatic', bytes: routeStatic },
    { name: 'routeMultipath', bytes: routeMultipath },
    { name: 'routeMetrics', bytes: routeMetrics },
    { name: 'routeLocal', bytes: routeLocal },
  ])('$name', ({ bytes }) => {
    const ours = decodeRoute(message(bytes));
    const gen = generated(rtRoute, 'rtmsg', 'route-attrs', bytes);
    expect({ metric: gen.priority, dstLen: gen['rtm-dst-len'] }).toEqual({
      metric: ours.metric,
      dstLen:
        ours.dst === 'default'
          ? 0
          : Number(ours.dst.split('/')[1] ?? (ours.dst.includes(':') ? 128 : 32)),
    });
  });
});

// rt-route's RTA_MULTIPATH as the overlay describes it (`sized-entries`: struct rtnexthop,
// then the entry's own route attributes, up to rtnh_len): the run-time codec's builder writes
// it as ip does, and the generated decoder, the lazy view and the codec read it back alike;
// an entry whose rtnh_len does not fit is a DecodeError at that entry.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import { decodeRouteAttrs, RouteAttrsView, rtRoute } from '../../../src/families/ynl/rt-route.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';

/** linux/rtnetlink.h: RTA_MULTIPATH 9, RTA_GATEWAY 5, RTA_FLOW 11; RTNH_F_ONLINK 4. */
const RTA_MULTIPATH = 9;

const value = {
  multipath: [
    { 'rtnh-flags': 4, 'rtnh-hops': 2, 'rtnh-ifindex': 3, gateway: '10.1.0.2' },
    { 'rtnh-flags': 0, 'rtnh-hops': 0, 'rtnh-ifindex': 4, gateway: '10.2.0.2', flow: 7 },
  ],
  priority: 10,
};

function built(): { bytes: Uint8Array; view: DataView } {
  const w = new MessageWriter();
  rtRoute.build('route-attrs', w, value);
  const bytes = w.finish();
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

describe('rt-route multipath (sized entries)', () => {
  it('is built as ip builds it: no NLA_F_NESTED, each rtnh_len covering its attributes', () => {
    const { bytes, view } = built();
    expect(view.getUint16(2, true)).toBe(RTA_MULTIPATH); // the type alone, no flag bits
    const total = view.getUint16(0, true);
    // Entry 1: rtnexthop (8) + RTA_GATEWAY (8); entry 2: 8 + RTA_GATEWAY (8) + RTA_FLOW (8).
    expect(view.getUint16(4, true)).toBe(16);
    expect(view.getUint16(4 + 16, true)).toBe(24);
    expect(total).toBe(4 + 16 + 24);
    expect(bytes[4 + 2]).toBe(4); // rtnh_flags
    expect(bytes[4 + 3]).toBe(2); // rtnh_hops
    expect(view.getInt32(4 + 4, true)).toBe(3); // rtnh_ifindex
  });

  it('decodes back alike in the generated decoder, the lazy view and the codec', () => {
    const { view } = built();
    const expected = [
      { 'rtnh-len': 16, ...value.multipath[0] },
      { 'rtnh-len': 24, ...value.multipath[1] },
    ];
    const generated = decodeRouteAttrs(view, 0, view.byteLength);
    expect(generated.multipath).toEqual(expected);
    expect(generated.priority).toBe(10);
    expect(new RouteAttrsView(view, 0, view.byteLength).multipath).toEqual(expected);
    expect(rtRoute.decode('route-attrs', view, 0, view.byteLength).multipath).toEqual(expected);
  });

  it.each([
    { name: 'an rtnh_len past the attribute', at: 4 + 16, len: 64 },
    { name: 'an rtnh_len shorter than struct rtnexthop', at: 4 + 16, len: 6 },
    { name: 'an rtnh_len of 0', at: 4, len: 0 },
  ])('$name is a DecodeError at that entry', ({ at, len }) => {
    const { bytes } = built();
    const damaged = bytes.slice();
    const view = new DataView(damaged.buffer);
    view.setUint16(at, len, true);
    const each = [
      () => decodeRouteAttrs(view, 0, damaged.byteLength),
      () => new RouteAttrsView(view, 0, damaged.byteLength).multipath,
      () => rtRoute.decode('route-attrs', view, 0, damaged.byteLength),
    ];
    for (const decode of each) {
      expect(decode).toThrow(DecodeError);
      expect(decode).toThrow(expect.objectContaining({ at }));
    }
  });
});

// The generated decoders and lazy views against the table-driven codec: for every attribute
// set of every generated family, random attribute streams (types of the set and beyond,
// payloads of every length, nests inside) decode to the same value with both, or both throw
// a DecodeError; each view's getters equal its toJSON(), and a view over a released frame
// throws while its detached copy still reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, FrameReleasedError } from '../../../src/errors/NetlinkError.js';
import { catalog } from '../../../src/families/ynl/catalog.js';
import { ynlCodec } from '../../../src/families/ynl/codec.js';
import { LinkAttrsView, LinkinfoAttrsView, rtLink } from '../../../src/families/ynl/rt-link.js';
import type { YnlFamily } from '../../../src/families/ynl/spec.js';
import type { YnlView } from '../../../src/families/ynl/view.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { type MessageOwner, NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { linkVeth, message } from '../rtnetlink/fixtures.js';

type Decoder = (v: DataView, start: number, end: number) => unknown;
type ViewClass = new (v: DataView, start: number, end: number) => YnlView<unknown>;
type OwnedViewClass = new (
  v: DataView,
  start: number,
  end: number,
  owner?: MessageOwner | null,
) => YnlView<unknown>;

const pascal = (name: string): string =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter((x) => x !== '')
    .map((x) => x[0]?.toUpperCase() + x.slice(1))
    .join('');

const rows = await Promise.all(
  catalog.map(async (entry) => {
    const module = (await import(`../../../src/families/ynl/${entry.module}`)) as Record<
      string,
      unknown
    > & { spec: YnlFamily };
    return { name: entry.name, module };
  }),
);

const RESERVED = new Set(['toJSON', 'detach', 'live', 'constructor', 'of']);

/** The getter name of an attribute: camelCase, `Attr` after a name a view already has. */
function camel(name: string): string {
  const p = pascal(name);
  const c = /^\d/.test(p) ? `_${p}` : (p[0]?.toLowerCase() ?? '') + p.slice(1);
  return RESERVED.has(c) ? `${c}Attr` : c;
}

/** A getter's value with its views replaced by their toJSON(). */
function plainOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainOf);
  if (value !== null && typeof value === 'object' && 'toJSON' in value && 'detach' in value)
    return (value as YnlView<unknown>).toJSON();
  return value;
}

/** One attribute on the wire: type, payload, or nested attributes. */
type Tlv = { type: number; payload: Uint8Array | Tlv[] };

function tlvArbitrary(maxType: number): fc.Arbitrary<Tlv[]> {
  const { list } = fc.letrec<{ tlv: Tlv; list: Tlv[] }>((tie) => ({
    tlv: fc.record({
      type: fc.nat(maxType + 1),
      payload: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.uint8Array({ maxLength: 20 }),
        fc.constantFrom(
          Uint8Array.of(1, 0, 0, 0),
          Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0),
          Uint8Array.of(118, 101, 116, 104, 0),
        ),
        tie('list'),
      ),
    }) as fc.Arbitrary<Tlv>,
    list: fc.array(tie('tlv'), { maxLength: 5 }) as fc.Arbitrary<Tlv[]>,
  }));
  return list;
}

/** Payloads for each attribute: empty, 1, 2, 4, 8, 16 bytes, a string, nests. */
const PAYLOADS: (Uint8Array | Tlv[])[] = [
  new Uint8Array(0),
  Uint8Array.of(0x81),
  Uint8Array.of(0x34, 0x12),
  Uint8Array.of(7, 0, 0, 0),
  Uint8Array.of(0xff, 0xfe, 0, 0, 1, 0, 0, 0x80),
  Uint8Array.from({ length: 16 }, (_, i) => (i * 37) & 0xff),
  [
    { type: 1, payload: Uint8Array.of(118, 101, 116, 104, 0) },
    { type: 2, payload: Uint8Array.of(5, 0, 0, 0) },
    { type: 3, payload: [{ type: 1, payload: Uint8Array.of(9, 0, 0, 0, 0, 0, 0, 0) }] },
  ],
  Uint8Array.of(118, 108, 97, 110, 0),
];

function encode(list: Tlv[], w: MessageWriter): void {
  for (const t of list) {
    if (t.payload instanceof Uint8Array) w.attr(t.type, t.payload);
    else {
      const token = w.nest(t.type);
      encode(t.payload, w);
      w.endNest(token);
    }
  }
}

function outcome(fn: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: fn() };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return { error: 'DecodeError' };
  }
}

describe('generated decoders equal the table-driven codec', () => {
  it.each(rows)('$name: every attribute set, random attribute streams', ({ module }) => {
    const spec = module.spec;
    const codec = ynlCodec(spec);
    for (const set of spec.attributeSets) {
      const decode = module[`decode${pascal(set.name)}`] as Decoder | undefined;
      const View = module[`${pascal(set.name)}View`] as ViewClass | undefined;
      expect(decode, `decode${pascal(set.name)}`).toBeTypeOf('function');
      expect(View, `${pascal(set.name)}View`).toBeTypeOf('function');
      if (decode === undefined || View === undefined) continue;
      const maxType = Math.max(1, ...set.attributes.map((a) => a.value));
      const same = (list: Tlv[]): void => {
        const w = new MessageWriter();
        encode(list, w);
        const bytes = w.finish();
        const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const theirs = outcome(() => codec.decode(set.name, v, 0, bytes.byteLength));
        expect(outcome(() => decode(v, 0, bytes.byteLength))).toEqual(theirs);
        expect(outcome(() => new View(v, 0, bytes.byteLength).toJSON())).toEqual(theirs);
        if (!('value' in theirs)) return;
        // Each getter reads what toJSON() holds under the attribute's name.
        const view = new View(v, 0, bytes.byteLength) as unknown as Record<string, unknown>;
        const json = theirs.value as Record<string, unknown>;
        for (const attr of set.attributes) {
          if (!(attr.name in json)) continue;
          const getter = camel(attr.name);
          const got = plainOf(view[getter]);
          expect(got, `${set.name}.${getter}`).toEqual(json[attr.name]);
        }
      };
      // Every attribute with payloads of every width that matters, then all of them at once.
      for (const attr of set.attributes)
        for (const payload of PAYLOADS) same([{ type: attr.value, payload }]);
      same(set.attributes.map((a) => ({ type: a.value, payload: PAYLOADS[4] ?? [] })));
      same(set.attributes.map((a) => ({ type: a.value, payload: PAYLOADS[6] ?? [] })));
      fc.assert(
        fc.property(tlvArbitrary(maxType), (list) => {
          const w = new MessageWriter();
          encode(list, w);
          const bytes = w.finish();
          const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          const theirs = outcome(() => codec.decode(set.name, v, 0, bytes.byteLength));
          const ours = outcome(() => decode(v, 0, bytes.byteLength));
          expect(ours).toEqual(theirs);
          const view = outcome(() => new View(v, 0, bytes.byteLength).toJSON());
          expect(view).toEqual(theirs);
        }),
        { numRuns: 15 },
      );
    }
  });
});

describe('lazy views', () => {
  const m = message(linkVeth);
  const plain = rows.find((r) => r.name === 'rt-link')?.module.decodeLinkAttrs as Decoder;

  it('read each attribute on access, equal to toJSON', () => {
    const link = LinkAttrsView.of(m, 16);
    const json = link.toJSON();
    expect(json).toEqual(plain(m.view, m.payloadOffset + 16, m.end));
    expect(link.ifname).toBe(json.ifname);
    expect(link.mtu).toBe(json.mtu);
    expect(link.address).toBe(json.address);
    expect(link.txqlen).toBe(json.txqlen);
    expect(link.linkinfo).toBeInstanceOf(LinkinfoAttrsView);
    expect(link.linkinfo?.kind).toBe(json.linkinfo?.kind);
    expect(link.linkinfo?.toJSON()).toEqual(json.linkinfo);
    expect(link.afSpec?.toJSON()).toEqual(json['af-spec']);
    expect(link.ifname).toBe('v0');
  });

  it('throw FrameReleasedError after their frame is released; detach() keeps reading', () => {
    const frame = { live: true, index: 3 };
    const bytes = linkVeth.slice();
    const borrowed = NetlinkMessage.at(bytes, new DataView(bytes.buffer), 0, 0, frame);
    const link = LinkAttrsView.of(borrowed, 16);
    const kept = link.detach();
    const linkinfo = link.linkinfo;
    frame.live = false;
    bytes.fill(0);
    expect(link.live).toBe(false);
    expect(() => link.ifname).toThrow(FrameReleasedError);
    expect(() => link.toJSON()).toThrow(FrameReleasedError);
    expect(() => linkinfo?.kind).toThrow(FrameReleasedError);
    expect(kept.live).toBe(true);
    expect(kept.ifname).toBe('v0');
    expect(kept.toJSON()).toEqual(plain(m.view, m.payloadOffset + 16, m.end));
  });

  it('read right when interleaved, and after another view failed to index', () => {
    const attrs = (mtu: number, name: string): DataView => {
      const w = new MessageWriter();
      rtLink.build('link-attrs', w, { mtu, ifname: name });
      const bytes = w.finish();
      return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    };
    const a = attrs(1400, 'a');
    const b = attrs(9000, 'bb');
    const va = new LinkAttrsView(a, 0, a.byteLength);
    const vb = new LinkAttrsView(b, 0, b.byteLength);
    expect([va.mtu, vb.mtu, va.ifname, vb.ifname, va.mtu]).toEqual([1400, 9000, 'a', 'bb', 1400]);
    // A damaged view throws while indexing; the next lookup of a good one still reads it.
    const bad = new DataView(Uint8Array.of(8, 0, 4, 0, 1, 0, 0, 0, 200, 0, 3, 0).buffer);
    const vbad = new LinkAttrsView(bad, 0, bad.byteLength);
    expect(() => vbad.mtu).toThrow(DecodeError);
    expect([vb.ifname, va.ifname]).toEqual(['bb', 'a']);
  });

  it('of every class check their range when made, and their frame on toJSON()', () => {
    const v = new DataView(new ArrayBuffer(8));
    const released = { live: false, index: 1 };
    let classes = 0;
    for (const { module } of rows) {
      for (const set of module.spec.attributeSets) {
        const View = module[`${pascal(set.name)}View`] as OwnedViewClass | undefined;
        if (View === undefined) continue;
        classes++;
        expect(() => new View(v, 4, 12), set.name).toThrow(DecodeError);
        expect(() => new View(v, 6, 4), set.name).toThrow(DecodeError);
        expect(() => new View(v, 0, 8, released).toJSON(), set.name).toThrow(FrameReleasedError);
        expect(new View(v, 0, 8).live, set.name).toBe(true);
      }
    }
    expect(classes).toBeGreaterThan(300);
  });

  it('of different classes read right when interleaved', () => {
    const w = new MessageWriter();
    rtLink.build('link-attrs', w, { mtu: 1400, ifname: 'a' });
    const link = w.finish();
    const route = Uint8Array.of(8, 0, 4, 0, 7, 0, 0, 0, 8, 0, 6, 0, 9, 0, 0, 0);
    const RouteAttrsView = rows.find((r) => r.name === 'rt-route')?.module
      .RouteAttrsView as OwnedViewClass;
    const vl = new LinkAttrsView(new DataView(link.buffer, link.byteOffset), 0, link.byteLength);
    const vr = new RouteAttrsView(new DataView(route.buffer), 0, route.byteLength) as unknown as {
      oif: number;
      priority: number;
    };
    expect([vl.mtu, vr.oif, vl.ifname, vr.priority, vl.mtu]).toEqual([1400, 7, 'a', 9, 1400]);
  });

  it('of() rejects a message shorter than its headers with a DecodeError', () => {
    expect(() => LinkAttrsView.of(message(linkVeth.subarray(0, 16)), 16)).toThrow(DecodeError);
  });
});

import fc from 'fast-check';
import { formatAddress } from '../../../src/families/netfilter/address.js';
import type {
  ConntrackEntry,
  ConntrackInfo,
  ConntrackProtoinfo,
  ConntrackTuple,
} from '../../../src/families/netfilter/conntrack.js';
import {
  conntrackStatusNames,
  ipProtocolName,
  sctpStateName,
  tcpStateName,
} from '../../../src/families/netfilter/names.js';
import type { NflogPacket } from '../../../src/families/netfilter/nflogPacket.js';
import type { NfqueuePacket } from '../../../src/families/netfilter/nfqueuePacket.js';

// fast-check models of what the kernel sends, for build -> decode round trips. Derived fields
// (names computed from numbers) are filled in the way the decoders compute them.

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
/** Text without NUL (a C string cannot hold one). */
const cstring = fc.string({ maxLength: 40 }).filter((s) => !s.includes('\0'));
const bytes = fc.uint8Array({ maxLength: 80 });

const addressText = (length: 4 | 16) =>
  fc
    .uint8Array({ minLength: length, maxLength: length })
    .map((b) => formatAddress(new DataView(b.buffer), 0, length));

const PROTOCOLS = [1, 6, 17, 33, 58, 132, 136, 47, 2, 41];

function tuple(length: 4 | 16, protoNumber: number): fc.Arbitrary<ConntrackTuple> {
  const ports = protoNumber !== 1 && protoNumber !== 58;
  return fc
    .record(
      {
        src: addressText(length),
        dst: addressText(length),
        sport: ports ? u16 : fc.constant(undefined),
        dport: ports ? u16 : fc.constant(undefined),
        icmpType: ports ? fc.constant(undefined) : u8,
        icmpCode: ports ? fc.constant(undefined) : u8,
        icmpId: ports ? fc.constant(undefined) : u16,
        zone: u16,
      },
      { requiredKeys: ['src', 'dst'] },
    )
    .map((t) => ({ ...t, proto: ipProtocolName(protoNumber), protoNumber }));
}

function protoinfo(protoNumber: number): fc.Arbitrary<ConntrackProtoinfo | undefined> {
  if (protoNumber === 6) {
    return fc.option(
      fc
        .record(
          {
            stateNumber: fc.integer({ min: 0, max: 12 }),
            wscaleOrig: u8,
            wscaleReply: u8,
            flagsOrig: u8,
            flagsReply: u8,
          },
          { requiredKeys: ['stateNumber'] },
        )
        .map((p) => ({ ...p, state: tcpStateName(p.stateNumber) })),
      { nil: undefined },
    );
  }
  if (protoNumber === 132) {
    return fc.option(
      fc
        .record(
          { stateNumber: fc.integer({ min: 0, max: 11 }), vtagOrig: u32, vtagReply: u32 },
          { requiredKeys: ['stateNumber'] },
        )
        .map((p) => ({ ...p, state: sctpStateName(p.stateNumber) })),
      { nil: undefined },
    );
  }
  return fc.constant(undefined);
}

/** A conntrack entry's attributes: both tuples of one family and protocol, the rest optional. */
export const conntrackInfo: fc.Arbitrary<ConntrackInfo> = fc
  .record({ length: fc.constantFrom<4 | 16>(4, 16), protoNumber: fc.constantFrom(...PROTOCOLS) })
  .chain(({ length, protoNumber }) =>
    fc.record(
      {
        orig: tuple(length, protoNumber),
        reply: tuple(length, protoNumber),
        master: tuple(length, protoNumber),
        status: u32,
        timeout: u32,
        mark: u32,
        id: u32,
        use: u32,
        zone: u16,
        protoinfo: protoinfo(protoNumber),
        counters: fc.record({
          orig: fc.record({ packets: u64, bytes: u64 }),
          reply: fc.record({ packets: u64, bytes: u64 }),
        }),
        timestamp: fc.record({ start: u64, stop: u64 }, { requiredKeys: [] }),
        helper: cstring,
        secctx: cstring,
        labels: fc.uint8Array({ minLength: 1, maxLength: 16 }),
      },
      { requiredKeys: ['orig', 'reply'] },
    ),
  )
  .map((info) => ({
    ...info,
    statusNames: info.status === undefined ? [] : conntrackStatusNames(info.status),
  }));

/** A ctnetlink event or dump entry. */
export const conntrackEntry: fc.Arbitrary<ConntrackEntry> = fc
  .record({
    info: conntrackInfo,
    type: fc.constantFrom<ConntrackEntry['type']>('new', 'update', 'destroy'),
  })
  .map(({ info, type }) => ({
    ...info,
    type,
    family: info.orig.src.includes(':') ? 10 : 2,
    protocol: info.orig.proto,
  }));

const hwaddr = fc
  .uint8Array({ maxLength: 8 })
  .map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':'));
const timestamp = fc.record({ sec: fc.maxSafeNat(), usec: fc.integer({ min: 0, max: 999_999 }) });
const vlan = fc.record({ proto: u16, tci: u16 }, { requiredKeys: [] });

/** An nfnetlink_log packet. */
export const nflogPacket: fc.Arbitrary<NflogPacket> = fc.record(
  {
    group: u16,
    family: u8,
    hwProtocol: u16,
    hook: u8,
    mark: u32,
    timestamp,
    indev: u32,
    outdev: u32,
    physindev: u32,
    physoutdev: u32,
    hwaddr,
    hwtype: u16,
    hwlen: u16,
    hwheader: bytes,
    prefix: cstring,
    uid: u32,
    gid: u32,
    seq: u32,
    seqGlobal: u32,
    ct: conntrackInfo,
    ctInfo: u32,
    vlan,
    l2hdr: bytes,
    payload: bytes,
  },
  { requiredKeys: ['group', 'family', 'hwProtocol', 'hook'] },
);

/** An nfnetlink_queue packet. */
export const nfqueuePacket: fc.Arbitrary<NfqueuePacket> = fc.record(
  {
    queue: u16,
    id: u32,
    family: u8,
    hwProtocol: u16,
    hook: u8,
    mark: u32,
    timestamp,
    indev: u32,
    outdev: u32,
    physindev: u32,
    physoutdev: u32,
    hwaddr,
    uid: u32,
    gid: u32,
    skbInfo: u32,
    capLen: u32,
    ct: conntrackInfo,
    ctInfo: u32,
    secctx: cstring,
    priority: u32,
    vlan,
    l2hdr: bytes,
    payload: bytes,
  },
  { requiredKeys: ['queue', 'id', 'family', 'hwProtocol', 'hook'] },
);

/** Byte overwrites anywhere in a message: lengths, types, payloads. */
export const damage = fc.array(fc.record({ at: fc.nat(), value: u8 }), { maxLength: 4 });

/**
 * A copy of `data` with `edits` (from {@link damage}) applied at `at` modulo its length,
 * except to the nlmsghdr's type: a message of another type is the caller's check, while
 * its length may go.
 */
export function damaged(data: Uint8Array, edits: Array<{ at: number; value: number }>): Uint8Array {
  const copy = data.slice();
  for (const { at, value } of edits) {
    const i = at % copy.length;
    if (i !== 4 && i !== 5) copy[i] = value;
  }
  return copy;
}

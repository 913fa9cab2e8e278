import { NetlinkMessage, walkMessages } from '../../../src/netlink/NetlinkMessage.js';

/** Bytes from hex (whitespace allowed). */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Bytes from a table literal of numbers (four per line in the tests). */
export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** The netlink messages of one datagram, as views into it (like a frame's). */
export function messagesOf(datagram: Uint8Array): NetlinkMessage[] {
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const out: NetlinkMessage[] = [];
  walkMessages(view, 0, datagram.byteLength, (offset) => {
    out.push(NetlinkMessage.at(datagram, view, offset));
    return true;
  });
  return out;
}

/** One request as the kernel's nfnetlink_rcv_msg sees it: header, nfgenmsg, attributes. */
export interface ParsedRequest {
  type: number;
  flags: number;
  seq: number;
  family: number;
  version: number;
  resId: number;
  /** Attribute payloads by type (flags bits removed), as views. */
  attrs: Map<number, Uint8Array>;
  /** The aligned length of the message, to find the next one. */
  length: number;
}

/** Parses every nfnetlink message of `data` (what a builder wrote) the kernel's way. */
export function parseRequests(data: Uint8Array): ParsedRequest[] {
  return messagesOf(data).map((m) => {
    const a = m.attributes(4);
    const attrs = new Map<number, Uint8Array>();
    while (a.next()) attrs.set(a.type, a.bytes());
    return {
      type: m.type,
      flags: m.flags,
      seq: m.seq,
      family: m.view.getUint8(m.payloadOffset),
      version: m.view.getUint8(m.payloadOffset + 1),
      resId: m.view.getUint16(m.payloadOffset + 2, false),
      attrs,
      length: m.length,
    };
  });
}

/** A big-endian number from 1, 2 or 4 bytes of `b` at `offset`. */
export function be(
  b: Uint8Array | undefined,
  offset = 0,
  size = b ? b.length - offset : 0,
): number {
  if (b === undefined) return -1;
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[offset + i];
  return v;
}

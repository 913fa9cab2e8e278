import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { walkMessages } from '../../../src/netlink/walkMessages.js';

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
    out.push(new NetlinkMessage(datagram, view, offset));
    return true;
  });
  return out;
}

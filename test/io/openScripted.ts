// Shared pieces of the I/O unit tests: a socket over the scripted libc, and datagrams.

import type { NetlinkSocket } from '../../src/io/NetlinkSocket.js';
import {
  type OpenNetlinkSocketOptions,
  openNetlinkSocket,
} from '../../src/io/openNetlinkSocket.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { ScriptedLibc, type ScriptedSocket } from './ScriptedLibc.js';

/** 8 frames of 1024 bytes (maxlen 1000) in two pages. */
export const small: RingGeometry = { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 };

/** A socket over a fresh scripted libc, and the scripted kernel's side of it. */
export function openScripted(
  options: Partial<OpenNetlinkSocketOptions> = {},
  setup: (libc: ScriptedLibc) => void = () => {},
): { libc: ScriptedLibc; socket: NetlinkSocket; kernel: ScriptedSocket } {
  const libc = new ScriptedLibc();
  setup(libc);
  const socket = openNetlinkSocket({ protocol: 'route', rx: small, ...options, libc });
  return { libc, socket, kernel: libc.socketOf(socket.fd) };
}

/**
 * A netlink message of exactly `size` bytes (a multiple of 4, >= 16): an nlmsghdr with type
 * 0x10, `seq`, then bytes that depend on `seq` and their position, so any mix-up shows.
 */
export function datagram(seq: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, size, true);
  view.setUint16(4, 0x10, true);
  view.setUint32(8, seq, true);
  for (let i = 16; i < size; i++) bytes[i] = (seq * 31 + i) & 0xff;
  return bytes;
}

/** The bytes of RX frame `index`'s data (`nm_len` of them). */
export function frameData(socket: NetlinkSocket, index: number): Uint8Array {
  const offset = socket.rx.dataOffset(index);
  return socket.rx.bytes.slice(offset, offset + socket.rx.length(index));
}

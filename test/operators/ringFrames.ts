import { NL_MMAP_STATUS_VALID } from '../../src/ring/constants.js';
import { Frame } from '../../src/ring/Frame.js';
import { Ring } from '../../src/ring/Ring.js';

/**
 * A real 8-frame RX ring (one 4 KiB block of 512-byte frames) over an ArrayBuffer, with
 * `datagrams[i]` written into frame i as a producer would (data at +24, header, then the
 * VALID status last), and a borrowed Frame handle for each, as a ring source makes them.
 */
export function ringFrames(datagrams: Uint8Array[], group = 0): { ring: Ring; frames: Frame[] } {
  const ring = new Ring(new ArrayBuffer(4096), {
    blockSize: 4096,
    blockNr: 1,
    frameSize: 512,
    frameNr: 8,
  });
  const frames = datagrams.map((data, i) => {
    ring.bytes.set(data, ring.dataOffset(i));
    ring.setHeader(i, data.byteLength, group, 0, 0, 0);
    ring.setStatus(i, NL_MMAP_STATUS_VALID);
    return new Frame(ring, i, ring.bytes, ring.view, ring.dataOffset(i), data.byteLength, false);
  });
  return { ring, frames };
}

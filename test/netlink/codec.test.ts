import { describe, expect, it } from 'vitest';
import { DecodeError, NetlinkError } from '../../src/errors/NetlinkError.js';
import { Attributes, nlaAlign } from '../../src/netlink/Attributes.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage, nlmsgAlign, walkMessages } from '../../src/netlink/NetlinkMessage.js';

const view = (bytes: number[]) => new DataView(new Uint8Array(bytes).buffer);

/** What `run` threw, or 'returned'. */
function outcome(run: () => unknown): unknown {
  try {
    run();
    return 'returned';
  } catch (error) {
    return error;
  }
}

// biome-ignore format: byte literals four per line
describe('decoders throw DecodeError with the offset, never RangeError', () => {
  it.each([
    {
      name: 'Attributes over a range past the buffer',
      run: () => new Attributes(view([8, 0, 1, 0]), 0, 8),
      at: 0,
    },
    {
      name: 'Attributes.u32 of a 2-byte payload',
      run: () => {
        const a = new Attributes(view([
          6, 0, 1, 0,
          1, 2, 0, 0,
        ]), 0, 8);
        a.next();
        return a.u32();
      },
      at: 0,
    },
    {
      name: 'Attributes.u64 of a 4-byte payload',
      run: () => {
        const a = new Attributes(view([
          8, 0, 1, 0,
          1, 2, 3, 4,
        ]), 0, 8);
        a.next();
        return a.u64();
      },
      at: 0,
    },
    {
      name: 'Attributes.u8 before next()',
      run: () => new Attributes(view([5, 0, 1, 0]), 0, 4).u8(),
      at: 0,
    },
    {
      name: 'Attributes.next with nla_len past the end',
      run: () => new Attributes(view([
        4, 0, 1, 0,
        200, 0, 2, 0,
      ]), 0, 8).next() && new Attributes(view([
        4, 0, 1, 0,
        200, 0, 2, 0,
      ]), 4, 8).next(),
      at: 4,
    },
    {
      name: 'NetlinkMessage.from with nlmsg_len larger than its bytes',
      run: () => NetlinkMessage.from(new Uint8Array([
        32, 0, 0, 0,
        16, 0, 0, 0,
        1, 0, 0, 0,
        0, 0, 0, 0,
      ])),
      at: 0,
    },
    {
      name: 'NetlinkMessage.at past the end of the view',
      run: () => NetlinkMessage.at(new Uint8Array(16), new DataView(new ArrayBuffer(16)), 8),
      at: 8,
    },
    {
      name: 'walkMessages over a range past the view',
      run: () => walkMessages(view([
        16, 0, 0, 0,
        16, 0, 0, 0,
        1, 0, 0, 0,
        0, 0, 0, 0,
      ]), 0, 32, () => true),
      at: 0,
    },
    {
      name: 'walkMessages with a header cut short',
      run: () => walkMessages(view([
        16, 0, 0, 0,
        16, 0, 0, 0,
        1, 0, 0, 0,
        0, 0, 0, 0,
        16, 0, 0, 0,
      ]), 0, 20, () => true),
      at: 16,
    },
  ])('$name', ({ run, at }) => {
    const error = outcome(run);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).at).toBe(at);
  });

  it.each([
    { name: 'small', length: 17, aligned: 20 },
    { name: 'aligned', length: 16, aligned: 16 },
    { name: 'near 2^31 (no int32 wrap)', length: 0x7ffffffd, aligned: 0x80000000 },
    { name: 'near 2^32', length: 0xfffffffd, aligned: 0x100000000 },
  ])('NLMSG_ALIGN / NLA_ALIGN $name', ({ length, aligned }) => {
    expect(nlmsgAlign(length)).toBe(aligned);
    expect(nlaAlign(length)).toBe(aligned);
  });
});

describe('MessageWriter never wraps a length field', () => {
  it.each([
    {
      name: 'attr with a 65,532-byte payload',
      write: (w: MessageWriter) => w.attr(1, new Uint8Array(65532)),
    },
    {
      name: 'attrString of 65,531 bytes (with its NUL: 65,532)',
      write: (w: MessageWriter) => w.attrString(1, 'x'.repeat(65531)),
    },
    {
      name: 'a nest grown past 65,535 bytes',
      write: (w: MessageWriter) => {
        const nest = w.nest(1);
        w.attr(2, new Uint8Array(40000)).attr(3, new Uint8Array(40000));
        return w.endNest(nest);
      },
    },
  ])('$name is EMSGSIZE', ({ write }) => {
    const w = new MessageWriter().begin(16, 1, 1);
    const error = outcome(() => write(w));
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ op: 'encode', code: 'EMSGSIZE' });
  });

  it('writes the largest attribute that fits (65,531-byte payload, nla_len 65,535)', () => {
    const bytes = new MessageWriter().begin(16, 1, 1).attr(1, new Uint8Array(65531)).end().finish();
    const v = new DataView(bytes.buffer);
    expect(v.getUint16(16, true)).toBe(65535);
    expect(v.getUint32(0, true)).toBe(16 + 65536);
  });

  it('end() without begin() is a NetlinkError', () => {
    expect(outcome(() => new MessageWriter().end())).toBeInstanceOf(NetlinkError);
  });
});

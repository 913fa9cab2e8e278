/**
 * Options of the packet decoders ({@link decodeNflogPacket}, {@link decodeNfqueuePacket}).
 *
 * @example
 * const packet = decodeNfqueuePacket(msg, { copy: true }); // keeps its payload past the frame
 */
export interface DecodeOptions {
  /**
   * Copy byte fields (payload, hardware header, L2 header) out of the message instead of
   * returning views into it. Default false: zero-copy views, valid only while the frame the
   * message came in is owned (during `next()`, or until a deferred frame is released).
   */
  copy?: boolean;
}

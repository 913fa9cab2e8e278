import { errnos } from '../errors/errno.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { buildAck } from './buildAck.js';
import type { DeliveryResult, SimSocket } from './SimSocket.js';

/** How a {@link Replier} reaches the sockets of its kernel for a multicast. */
export type Multicaster = (group: number, datagram: Uint8Array) => DeliveryResult[];

/** Extended-ack details of an error reply. */
export interface ReplyAckOptions {
  /** NLMSGERR_ATTR_MSG text. */
  extack?: string | undefined;
  /** NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in the request. */
  offset?: number | undefined;
}

/**
 * What a request handler of a {@link SimulatedKernel} answers with, for one request
 * message — in the spirit of mdlayher/netlink's nltest, where a fake kernel is a function
 * from a request to its replies. Replies go to the requesting socket as the kernel sends
 * them: unicast replies and acks are built in the ring when they fit (RING-SPEC §4.1, so a
 * full ring loses them with an overrun), dumps are flow-controlled (§4.4), multicasts reach
 * every member of the group (COPY under the faithful policy).
 *
 * @example
 * const kernel = new SimulatedKernel();
 * const link1 = buildLinkMessage({ ifindex: 1, name: 'lo' });
 * const link2 = buildLinkMessage({ ifindex: 2, name: 'eth0' });
 * kernel.onRequest((req, reply) => {
 *   if (req.type === rtnetlink.RTM_GETLINK) reply.dump([packDatagram([link1, link2])]);
 *   else reply.error(errnos.EOPNOTSUPP, { extack: 'not simulated' });
 * });
 */
export class Replier {
  /** The request message (detached). */
  readonly request: NetlinkMessage;
  /** The socket that sent it. */
  readonly socket: SimSocket;
  private readonly multicaster: Multicaster;

  constructor(request: NetlinkMessage, socket: SimSocket, multicaster: Multicaster) {
    this.request = request;
    this.socket = socket;
    this.multicaster = multicaster;
  }

  /**
   * Sends one datagram to the requester. `path` `'ring'` (default) is a kernel-allocated
   * reply, in the ring when it fits; `'copy'` an ordinary skb (most `nlmsg_new` replies).
   */
  unicast(datagram: Uint8Array, options: { path?: 'ring' | 'copy' } = {}): DeliveryResult {
    return this.socket.deliver(datagram, { path: options.path ?? 'ring' });
  }

  /**
   * NLMSG_ERROR for the request, as `netlink_ack` builds it (in the ring when it fits):
   * errno 0 is an acknowledgement (request header only), otherwise an error echoing the
   * request (only its header with NETLINK_CAP_ACK), with extack text and offset as TLVs
   * (NLM_F_ACK_TLVS) when the socket has NETLINK_EXT_ACK.
   */
  ack(errno = 0, options: ReplyAckOptions = {}): DeliveryResult {
    const ext = this.socket.extAck;
    const bytes = buildAck(this.request, {
      errno,
      extack: ext ? options.extack : undefined,
      offset: ext ? options.offset : undefined,
      capped: errno === 0 || this.socket.capAck,
      pid: this.socket.portid,
    });
    return this.socket.deliver(bytes, { path: 'ring' });
  }

  /** An error reply: {@link ack} with a non-zero errno. */
  error(errno: number, options: ReplyAckOptions = {}): DeliveryResult {
    if (!Number.isInteger(errno) || errno === 0) {
      throw new TypeError(`errno: expected a non-zero errno, got ${errno}`);
    }
    return this.ack(errno, options);
  }

  /**
   * Starts a dump answering the request: `datagrams`, then NLMSG_DONE with the request's
   * seq (and `errno`, 0 by default), delivered as the socket's poll() makes room
   * (RING-SPEC §4.4). Returns false — and replies EBUSY, as the kernel does — when the socket
   * already runs a dump.
   */
  dump(datagrams: readonly Uint8Array[], options: { errno?: number } = {}): boolean {
    if (this.socket.dumping) {
      this.ack(errnos.EBUSY);
      return false;
    }
    this.socket.dump(datagrams, {
      seq: this.request.seq,
      pid: this.socket.portid,
      errno: options.errno ?? 0,
    });
    return true;
  }

  /** Sends `datagram` to every socket of the kernel in `group`; one result per member. */
  multicast(group: number, datagram: Uint8Array): DeliveryResult[] {
    return this.multicaster(group, datagram);
  }
}

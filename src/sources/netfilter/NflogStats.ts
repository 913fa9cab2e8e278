import { RingStats } from '../../ring/RingStats.js';

/**
 * Counters of one {@link nflog} subscription, updated in place while the stream runs: pass
 * one as `stats` and read it whenever you like (nothing is allocated per packet).
 *
 * Loss is counted in **packets**, from the instance's sequence numbers (NFULA_SEQ, on by
 * default): a gap of k numbers is k packets the kernel logged and this process never got,
 * whatever dropped them (a full socket buffer, a datagram too large to read). The socket's
 * own count of dropped datagrams (`sk_drops`, each of which may have held many packets)
 * is kept apart in {@link droppedDatagrams}, so nothing is counted twice.
 *
 * @example
 * const stats = new NflogStats();
 * nflog({ group: 7, stats }).subscribe();
 * setInterval(() => console.log(`${stats.packets} logged, ${stats.lost} lost`), 1000);
 */
export class NflogStats {
  /** Packets received and emitted. */
  packets = 0;
  /** Packets known lost: the sum of the sequence gaps (0 with `sequence: false`). */
  lost = 0;
  /** Sequence gaps seen (loss notifications with errno 0). */
  gaps = 0;
  /** ENOBUFS episodes (loss notifications with errno ENOBUFS). */
  overruns = 0;
  /** Datagrams the socket or the ring engine reported dropped (`sk_drops`), across episodes. */
  droppedDatagrams = 0;
  /** Whether the group is bound and configured (every configuration request acknowledged). */
  bound = false;
  /** The RX ring's own counters (frames, COPY frames, polls…). */
  readonly ring = new RingStats();
}

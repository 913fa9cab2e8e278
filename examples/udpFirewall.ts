// A UDP firewall in a few lines of RxJS: every packet queued to NFQUEUE queue N is dropped
// when it is UDP to port P, accepted otherwise.
//
//   ip netns exec blue iptables -A OUTPUT -p udp -j NFQUEUE --queue-num 3
//   node dist/examples/udpFirewall.js --queue 3 --drop-dport 5353 --netns blue
import { parseArgs } from 'node:util';
import { map, type Observable } from 'rxjs';
import { Overrun } from '../src/index.js';
import { type NfqueueStats, nfqueue } from '../src/sources/netfilter/index.js';
import { isMainModule } from './isMainModule.js';
import { printLines } from './printLines.js';

/** Options of {@link udpFirewall}. */
export interface UdpFirewallOptions {
  /** The NFQUEUE queue number. */
  queue: number;
  /** UDP destination port to drop. */
  dropPort: number;
  /** Network namespace to work in. */
  netns?: string | undefined;
  /** Called once the queue is bound. */
  onBound?: (() => void) | undefined;
  /** Counters of the queue. */
  stats?: NfqueueStats | undefined;
}

/** What the firewall did: a verdict, or packets the socket lost. */
export type FirewallEvent =
  | { kind: 'accept' | 'drop'; id: number; protocol: number; dport: number | undefined }
  | { kind: 'loss'; lost: number };

const IPPROTO_UDP = 17;

/**
 * The firewall pipeline: packets of `queue` in, one verdict each, and an event per
 * verdict out. Cold; unsubscribing gives every packet still queued the default verdict
 * (accept) and unbinds the queue.
 *
 * @example
 * udpFirewall({ queue: 3, dropPort: 5353 }).subscribe((e) => console.log(e));
 */
export function udpFirewall(options: UdpFirewallOptions): Observable<FirewallEvent> {
  return nfqueue({
    queue: options.queue,
    netns: options.netns,
    onBound: options.onBound,
    stats: options.stats,
  }).pipe(
    map((p): FirewallEvent => {
      if (p instanceof Overrun) return { kind: 'loss', lost: p.lost };
      const { protocol, dport } = transport(p.payload);
      if (protocol === IPPROTO_UDP && dport === options.dropPort) {
        p.drop();
        return { kind: 'drop', id: p.id, protocol, dport };
      }
      p.accept();
      return { kind: 'accept', id: p.id, protocol, dport };
    }),
  );
}

/** The transport protocol and destination port of an IPv4 or IPv6 packet (no extension headers). */
function transport(packet: Uint8Array | undefined): { protocol: number; dport?: number } {
  if (packet === undefined || packet.byteLength < 1) return { protocol: -1 };
  const version = packet[0] >> 4;
  const header = version === 4 ? (packet[0] & 0x0f) * 4 : version === 6 ? 40 : -1;
  const protocol = version === 4 ? packet[9] : version === 6 ? packet[6] : -1;
  if (header < 0 || packet.byteLength < header + 4) return { protocol };
  return { protocol, dport: (packet[header + 2] << 8) | packet[header + 3] };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      queue: { type: 'string' },
      'drop-dport': { type: 'string' },
      netns: { type: 'string' },
    },
  });
  const queue = Number(values.queue);
  const dropPort = Number(values['drop-dport']);
  if (!Number.isInteger(queue) || !Number.isInteger(dropPort)) {
    console.error('usage: udpFirewall --queue N --drop-dport P [--netns NAME]');
    process.exit(2);
  }
  printLines(
    udpFirewall({
      queue,
      dropPort,
      netns: values.netns,
      onBound: () => console.error(`queue ${queue} bound; dropping UDP to port ${dropPort}`),
    }).pipe(
      map((e) =>
        e.kind === 'loss'
          ? `lost ${e.lost}`
          : `${e.kind} #${e.id} proto ${e.protocol} dport ${e.dport ?? '-'}`,
      ),
    ),
  );
}

if (isMainModule(import.meta.url)) main();

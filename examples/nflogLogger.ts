// An NFLOG logger: one line per packet of an NFLOG group, and one per loss.
//
//   ip netns exec blue iptables -A INPUT -p tcp --syn -j NFLOG --nflog-group 5
//   node dist/examples/nflogLogger.js --group 5 --netns blue
import { parseArgs } from 'node:util';
import { map, type Observable } from 'rxjs';
import { errnos, netfilter, Overrun } from '../src/index.js';
import { type NflogStats, nflog } from '../src/sources/netfilter/index.js';
import { isMainModule } from './isMainModule.js';
import { printLines } from './printLines.js';

/** Options of {@link nflogLogger}. */
export interface NflogLoggerOptions {
  /** The NFLOG group. */
  group: number;
  /** Network namespace to work in. */
  netns?: string | undefined;
  /** How long the kernel may hold packets before sending them (ms); default 100. */
  flushTimeout?: number | undefined;
  /** Called once the group is bound. */
  onBound?: (() => void) | undefined;
  /** Counters of the group. */
  stats?: NflogStats | undefined;
}

const HOOKS = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/**
 * The logger pipeline: one text line per logged packet (sequence number, hook, prefix,
 * addresses, protocol, ports, length) and one per loss notification. Cold; unbinds the
 * group when unsubscribed.
 *
 * @example
 * nflogLogger({ group: 5 }).subscribe((line) => console.log(line));
 * // #0 INPUT "ssh" 10.0.0.2 > 10.0.0.1 tcp 51234 > 22 len 60
 */
export function nflogLogger(options: NflogLoggerOptions): Observable<string> {
  return nflog({
    group: options.group,
    netns: options.netns,
    flushTimeout: options.flushTimeout ?? 100,
    onBound: options.onBound,
    stats: options.stats,
  }).pipe(
    map((p) => {
      if (p instanceof Overrun) {
        return p.errno === errnos.ENOBUFS
          ? 'loss: the socket overran (ENOBUFS); the count follows with the next packet'
          : `loss: ${p.lost} packets missing before the next one`;
      }
      // The payload is a view into the ring: read it here, inside next().
      const what = describe(p.payload);
      const prefix = p.prefix ? ` "${p.prefix}"` : '';
      return `#${p.seq ?? '-'} ${HOOKS[p.hook] ?? p.hook}${prefix} ${what}`;
    }),
  );
}

/** Addresses, protocol and ports of an IPv4 or IPv6 packet, and its length. */
function describe(packet: Uint8Array | undefined): string {
  if (packet === undefined || packet.byteLength === 0) return 'no payload';
  const version = packet[0] >> 4;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  let header: number;
  let protocol: number;
  let src: string;
  let dst: string;
  if (version === 4 && packet.byteLength >= 20) {
    header = (packet[0] & 0x0f) * 4;
    protocol = packet[9];
    src = netfilter.formatAddress(view, 12, 4);
    dst = netfilter.formatAddress(view, 16, 4);
  } else if (version === 6 && packet.byteLength >= 40) {
    header = 40;
    protocol = packet[6];
    src = netfilter.formatAddress(view, 8, 16);
    dst = netfilter.formatAddress(view, 24, 16);
  } else {
    return `len ${packet.byteLength}`;
  }
  const name = netfilter.ipProtocolName(protocol);
  const ports =
    (protocol === 6 || protocol === 17) && packet.byteLength >= header + 4
      ? ` ${(packet[header] << 8) | packet[header + 1]} > ${(packet[header + 2] << 8) | packet[header + 3]}`
      : '';
  return `${src} > ${dst} ${name}${ports} len ${packet.byteLength}`;
}

function main(): void {
  const { values } = parseArgs({
    options: { group: { type: 'string' }, netns: { type: 'string' } },
  });
  const group = Number(values.group);
  if (!Number.isInteger(group)) {
    console.error('usage: nflogLogger --group N [--netns NAME]');
    process.exit(2);
  }
  printLines(
    nflogLogger({
      group,
      netns: values.netns,
      onBound: () => console.error(`logging NFLOG group ${group}`),
    }),
  );
}

if (isMainModule(import.meta.url)) main();

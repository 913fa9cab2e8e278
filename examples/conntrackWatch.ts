// Conntrack events, one line each, as `conntrack -E` prints them (roughly).
//
//   node dist/examples/conntrackWatch.js [--netns NAME] [--events new,destroy]
import { parseArgs } from 'node:util';
import { map, type Observable } from 'rxjs';
import { Overrun } from '../src/index.js';
import { conntrackEvents } from '../src/sources/netfilter/index.js';
import { isMainModule } from './isMainModule.js';
import { printLines } from './printLines.js';

/** Options of {@link conntrackWatch}. */
export interface ConntrackWatchOptions {
  /** Network namespace to watch. */
  netns?: string | undefined;
  /** Which events (default all). */
  events?: ReadonlyArray<'new' | 'update' | 'destroy'> | undefined;
}

/**
 * The watcher pipeline: one line per conntrack event —
 * `[NEW] tcp SYN_SENT src=… dst=… sport=… dport=…` — and one per loss. Cold; never
 * completes; closes its socket when unsubscribed.
 *
 * @example
 * conntrackWatch({ events: ['new'] }).subscribe((line) => console.log(line));
 */
export function conntrackWatch(options: ConntrackWatchOptions = {}): Observable<string> {
  return conntrackEvents({ netns: options.netns, events: options.events }).pipe(
    map((e) => {
      if (e instanceof Overrun) return `[LOST] ${e.lost} events (the socket overran)`;
      const t = e.orig;
      const ports = t.sport === undefined ? '' : ` sport=${t.sport} dport=${t.dport}`;
      const state = e.protoinfo === undefined ? '' : ` ${e.protoinfo.state}`;
      const id = e.id === undefined ? '' : ` id=${e.id}`;
      return `[${e.type.toUpperCase()}] ${e.protocol}${state} src=${t.src} dst=${t.dst}${ports}${id}`;
    }),
  );
}

function main(): void {
  const { values } = parseArgs({
    options: { netns: { type: 'string' }, events: { type: 'string' } },
  });
  const events = values.events?.split(',') as ConntrackWatchOptions['events'];
  printLines(conntrackWatch({ netns: values.netns, events }));
}

if (isMainModule(import.meta.url)) main();

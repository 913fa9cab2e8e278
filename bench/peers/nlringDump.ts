// The nlring peer of the route-dump benchmark, run as its own process inside the namespace
// (`ip netns exec`): ROUNDS dumps of every family and table, then one JSON line on stdout,
// the same shape as the C and Go peers print. Imports only the public entry, by the package's
// name as a program that depends on nlring does (its "exports": the bundle in dist/lib).
//
//   node dist/bench/peers/nlringDump.js routes|messages ROUNDS
//
// `routes`: `dumpRoutes()`, reading every field of every route (dst, gateway, dev, table and
// metric are what the C and Go peers read).
// `messages`: `dumpMessages()` of an AF_UNSPEC RTM_GETROUTE request, `ofType(RTM_NEWROUTE)`,
// counted (the message stream, borrowed from the ring). Each round's clock runs from the
// subscription (which opens the socket and sends the request) to completion at NLMSG_DONE.
// `loadedMs` is the time from Node's start to the moment the entry has loaded (bootstrap and
// module loading); `firstLineUs` the same moment on CLOCK_MONOTONIC.
import type * as Nlring from '../../src/index.js';

/** The package's own name: resolved through its "exports" (a self-reference). */
const entry = process.env.NLRING_BENCH_ENTRY ?? 'nlring';
const { dumpMessages, dumpRoutes, ofType, openNetlinkSocket, rtnetlink } = (await import(
  entry
)) as typeof Nlring;

const loadedMs = performance.now();
/** CLOCK_MONOTONIC in µs once the entry has loaded: the clock of a --cpu-prof profile. */
const firstLineUs = Number(process.hrtime.bigint() / 1000n);

function dumpDecoded(): Promise<{ n: number; check: number }> {
  return new Promise((resolve, reject) => {
    let n = 0;
    let check = 0;
    dumpRoutes().subscribe({
      next: (r) => {
        n++;
        // Every field of the route, so no decoder can gain by leaving one unread.
        check += r.type.length + r.dst.length + (r.gateway?.length ?? 0) + (r.dev?.length ?? 0);
        check += (r.table?.length ?? 0) + (r.protocol?.length ?? 0) + (r.scope?.length ?? 0);
        check += (r.prefsrc?.length ?? 0) + (r.metric ?? 0) + r.flags.length + r.family.length;
        check += (r.ifindex ?? 0) + (r.from?.length ?? 0) + (r.nhid ?? 0) + (r.tos?.length ?? 0);
        check += (r.via?.host.length ?? 0) + (r.metrics?.length ?? 0) + (r.iif?.length ?? 0);
        check += (r.nexthops?.length ?? 0) + (r.pref === undefined ? 0 : 1) + (r.expires ?? 0);
        check += (r.error ?? 0) + (r.deleted ? 1 : 0) + r.attrs.size;
      },
      error: reject,
      complete: () => resolve({ n, check }),
    });
  });
}

function dumpStream(seq: number): Promise<{ n: number; check: number }> {
  return new Promise((resolve, reject) => {
    let n = 0;
    let check = 0;
    dumpMessages(
      () => openNetlinkSocket({ protocol: 'route' }),
      rtnetlink.routeDumpRequest({ family: rtnetlink.AF_UNSPEC, seq }),
    )
      .pipe(ofType(rtnetlink.RTM_NEWROUTE))
      .subscribe({
        next: (m) => {
          n++;
          check += m.length;
        },
        error: reject,
        complete: () => resolve({ n, check }),
      });
  });
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const rounds = Number(process.argv[3] ?? '1');
  if ((mode !== 'routes' && mode !== 'messages') || !(rounds >= 1)) {
    throw new Error('usage: nlringDump.js routes|messages ROUNDS');
  }
  const elapsed: number[] = [];
  let messages = 0;
  let check = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const r = mode === 'routes' ? await dumpDecoded() : await dumpStream(i + 1);
    elapsed.push((performance.now() - t0) / 1e3);
    messages = r.n;
    check += r.check;
  }
  const peer = mode === 'routes' ? 'nlring-dumpRoutes' : 'nlring-dumpMessages';
  const maxRssKiB = process.resourceUsage().maxRSS;
  process.stdout.write(
    `${JSON.stringify({ peer, messages, elapsed, maxRssKiB, loadedMs, firstLineUs, check })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

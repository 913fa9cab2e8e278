// A consumer's program on the installed package's hot paths, run inside a namespace that the
// test set up (`ip netns exec`): the decoded route dump, NFLOG as batches and as packets, and
// NFQUEUE verdicts, with real traffic. What the bundle's build does to the code (esbuild,
// syntax minified) runs here as users run it. Prints one JSON line.
import { createSocket } from 'node:dgram';
import { dumpRoutes, nflog, nflogBatches, nfqueue, Overrun } from 'nlring';
import { lastValueFrom, toArray } from 'rxjs';

const PACKETS = 300;
const QUEUED = 50;
const PAYLOAD = 64;

/** Sends `count` datagrams of PAYLOAD bytes to 127.0.0.1:`port`, a few at a time. */
async function send(port, count) {
  const socket = createSocket('udp4');
  const bytes = Buffer.alloc(PAYLOAD, 0x5a);
  for (let i = 0; i < count; i++) {
    await new Promise((resolve, reject) =>
      socket.send(bytes, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
  }
  socket.close();
}

/** Subscribes, waits for the bind, sends, and resolves once `count` packets were seen. */
function receive(source, count, port, seen) {
  return new Promise((resolve, reject) => {
    let bound;
    const ready = new Promise((r) => {
      bound = r;
    });
    const subscription = source(() => bound()).subscribe({
      next: (x) => {
        if (x instanceof Overrun) return reject(new Error(`overrun: ${x.lost} lost`));
        if (seen(x) >= count) {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
    ready.then(() => send(port, count)).catch(reject);
    setTimeout(() => reject(new Error(`timed out on port ${port}`)), 20_000).unref();
  });
}

const routes = (await lastValueFrom(dumpRoutes().pipe(toArray()))).map((r) => ({
  dst: r.dst,
  gateway: r.gateway,
  dev: r.dev,
  table: r.table,
}));

const batches = { packets: 0, payloadBytes: new Set(), seqs: [] };
await receive(
  (onBound) => nflogBatches({ group: 5, threshold: 64, onBound }),
  PACKETS,
  9999,
  (b) => {
    for (let i = 0; i < b.length; i++) {
      batches.packets++;
      batches.payloadBytes.add(b.payload(i)?.length);
      batches.seqs.push(b.seq(i));
    }
    return batches.packets;
  },
);

const packets = { packets: 0, payloadBytes: new Set(), hooks: new Set() };
await receive(
  (onBound) => nflog({ group: 6, onBound }),
  PACKETS,
  9997,
  (p) => {
    packets.packets++;
    packets.payloadBytes.add(p.payload?.length);
    packets.hooks.add(p.hook);
    return packets.packets;
  },
);

// Accepted packets reach a listener on the queued port.
const listener = createSocket('udp4');
let delivered = 0;
listener.on('message', () => delivered++);
await new Promise((resolve) => listener.bind(9998, '127.0.0.1', resolve));
let accepted = 0;
await receive(
  (onBound) => nfqueue({ queue: 3, onBound }),
  QUEUED,
  9998,
  (p) => {
    p.accept();
    return ++accepted;
  },
);
for (let i = 0; i < 100 && delivered < QUEUED; i++) await new Promise((r) => setTimeout(r, 20));
listener.close();

const inOrder = batches.seqs.every((seq, i) => i === 0 || seq === batches.seqs[i - 1] + 1);
console.log(
  JSON.stringify({
    routes,
    nflogBatches: {
      packets: batches.packets,
      payloadBytes: [...batches.payloadBytes],
      seqInOrder: inOrder,
    },
    nflog: {
      packets: packets.packets,
      payloadBytes: [...packets.payloadBytes],
      hooks: [...packets.hooks],
    },
    nfqueue: { accepted, delivered },
  }),
);
process.exit(0);
